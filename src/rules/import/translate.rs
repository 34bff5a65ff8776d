//! Pseudo-filter → KQL. The catalogue writes its false-positive filters in a
//! pseudo language over ECS-like fields (see [`super::pseudo`]); this turns
//! one into a KQL boolean expression over an MDE table, via the field map.
//!
//! Faithful, not "fixed": `process.parent_process_name != "LiteManager" OR
//! process.command_line contains "scheduled_task"` becomes
//! `InitiatingProcessFileName !~ "LiteManager" or ProcessCommandLine contains
//! "scheduled_task"` — as an exclusion that hides nearly every hit, and
//! showing that impact is the point.
//!
//! Operators on string columns:
//!
//! | pseudo | KQL | why |
//! |---|---|---|
//! | `==`, `=` | `=~` | MDE names and paths vary in case; the catalogue means the name, not its spelling |
//! | `!=` | `!~` | the negation of the above |
//! | `contains` | `contains` | already case-insensitive in KQL |
//! | `LIKE "%x%"` | `contains "x"` | |
//! | `LIKE "x%"` | `startswith "x"` | |
//! | `LIKE "%x"` | `endswith "x"` | |
//! | `LIKE "x"` | `=~ "x"` | no wildcard: equality, case-insensitive like SQL's default collation |
//! | `AND`/`&&`, `OR`/`\|\|`, `NOT`/`!` | `and`, `or`, `not(...)` | parentheses only where precedence needs them |
//!
//! `_` in a LIKE pattern is taken literally (the catalogue uses it in names
//! such as `%scheduled_job%`), and a `%` inside the pattern is not
//! translated. On numeric columns only `==`/`!=` with a number translate.
//! Whatever cannot be translated — prose, an unknown field, a syntax error —
//! is an error with its byte span in the pseudo-filter.

use std::fmt;

use super::fieldmap::FieldMap;
use super::pseudo::{self, Expr, Op};
use crate::data::DataType;
use crate::kql::error::render_caret;
use crate::kql::{Span, quote};
use crate::rules::exclusion::Exclusion;

/// Why a pseudo-filter was not translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Plain prose, not a filter expression.
    Prose,
    /// A malformed expression (unbalanced parentheses, unterminated quote...).
    Syntax,
    /// A field the field map does not know for the table.
    UnknownField,
    /// Well-formed, but with no faithful KQL form.
    Unsupported,
}

/// A pseudo-filter that could not be translated, with the byte span at fault.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct TranslateError {
    /// The kind of problem.
    pub problem: Problem,
    /// What is wrong.
    pub message: String,
    /// Byte span in the pseudo-filter text.
    pub span: Span,
}

impl fmt::Display for TranslateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Prose is wrong as a whole; a position would only add noise.
        match self.problem {
            Problem::Prose => f.write_str(&self.message),
            _ => write!(f, "{} (at byte {})", self.message, self.span.start),
        }
    }
}

impl TranslateError {
    fn new(problem: Problem, span: Span, message: impl Into<String>) -> TranslateError {
        TranslateError { problem, message: message.into(), span }
    }

    /// The error under the pseudo-filter's text, with a caret.
    pub fn render(&self, src: &str) -> String {
        render_caret(src, self.span, &self.message, None)
    }
}

/// Translates pseudo-filter `src` into a KQL boolean expression over `table`.
pub fn translate(src: &str, table: &str, map: &FieldMap) -> Result<String, TranslateError> {
    let expr = pseudo::parse(src).map_err(|e| {
        if looks_like_prose(src, map) {
            let span = Span::new(0, src.len());
            TranslateError::new(Problem::Prose, span, "prose, not a filter expression")
        } else {
            TranslateError::new(Problem::Syntax, e.span, e.message)
        }
    })?;
    let mut out = String::new();
    emit(&expr, table, map, 0, &mut out)?;
    // What we emit must run in kqlhunt: a pseudo-filter can be shaped (e.g.
    // hundreds of `!` or parentheses) so that its KQL nests past the parser's
    // limit; that is an unsupported filter, not a broken exclusion.
    if let Err(e) = crate::kql::parse_expr(&out) {
        let span = Span::new(0, src.len());
        return Err(TranslateError::new(
            Problem::Unsupported,
            span,
            format!("the KQL it translates to is refused: {}", e.message),
        ));
    }
    Ok(out)
}

/// An exclusion from a catalogue scenario: with a KQL filter when `source`
/// translates, else "needs a filter" with the reason in `note`.
pub fn exclusion(name: &str, description: Option<&str>, source: &str, table: &str, map: &FieldMap) -> Exclusion {
    let mut e = Exclusion::new(name);
    e.description = description.map(str::to_string);
    e.source = Some(source.to_string());
    match translate(source, table, map) {
        Ok(kql) => e.filter = Some(kql),
        Err(err) => e.note = Some(format!("needs a filter: {err}")),
    }
    e
}

/// A sentence, not an expression: it opens with two plain words and the
/// first is no known field ("Exclude processes ...", "Check for ...").
fn looks_like_prose(src: &str, map: &FieldMap) -> bool {
    let mut words = src.split_whitespace();
    let is_word = |w: &str| w.trim_end_matches([',', '.', ':']).chars().all(char::is_alphabetic) && !w.is_empty();
    match (words.next(), words.next()) {
        (Some(a), Some(b)) => is_word(a) && is_word(b) && !map.knows_field(a),
        _ => false,
    }
}

fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Or(..) => 1,
        Expr::And(..) => 2,
        Expr::Not(_) | Expr::Compare { .. } => 3,
    }
}

fn emit(e: &Expr, table: &str, map: &FieldMap, parent: u8, out: &mut String) -> Result<(), TranslateError> {
    let own = precedence(e);
    let wrap = own < parent;
    if wrap {
        out.push('(');
    }
    match e {
        Expr::Or(a, b) | Expr::And(a, b) => {
            emit(a, table, map, own, out)?;
            out.push_str(if own == 1 { " or " } else { " and " });
            // Same-precedence chains are left-associative; the right operand
            // gets one level more so `a or (b or c)` keeps its grouping.
            emit(b, table, map, own + 1, out)?;
        }
        Expr::Not(inner) => {
            out.push_str("not(");
            emit(inner, table, map, 0, out)?;
            out.push(')');
        }
        Expr::Compare { field, field_span, op, value, value_span } => {
            let entry = map.get(table, field).ok_or_else(|| {
                let known: Vec<&str> = map.fields(table).filter(|(_, e)| e.column.is_some()).map(|(f, _)| f).collect();
                let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
                TranslateError::new(
                    Problem::UnknownField,
                    *field_span,
                    format!("unknown field '{field}' for {table} (known: {known})"),
                )
            })?;
            let Some(column) = &entry.column else {
                let msg = format!("'{field}' has no column in {table}: {}", entry.why);
                return Err(TranslateError::new(Problem::Unsupported, *field_span, msg));
            };
            let cmp = compare(column, entry.dtype, *op, value).map_err(|m| {
                TranslateError::new(Problem::Unsupported, Span::new(field_span.start, value_span.end), m)
            })?;
            out.push_str(&cmp);
        }
    }
    if wrap {
        out.push(')');
    }
    Ok(())
}

fn compare(column: &str, dtype: DataType, op: Op, value: &str) -> Result<String, String> {
    match dtype {
        DataType::String | DataType::Guid => {
            let (kop, needle) = match op {
                Op::Eq => ("=~", value),
                Op::Ne => ("!~", value),
                Op::Contains => ("contains", value),
                Op::Like => like(value)?,
            };
            Ok(format!("{column} {kop} {}", quote::string(needle)))
        }
        DataType::Int | DataType::Long | DataType::Real | DataType::Decimal => {
            let kop = match op {
                Op::Eq => "==",
                Op::Ne => "!=",
                _ => return Err(format!("{column} is a number; only == and != translate")),
            };
            let ok = match dtype {
                DataType::Real => value.trim().parse::<f64>().is_ok_and(f64::is_finite),
                DataType::Decimal => crate::data::Decimal::parse(value).is_some(),
                _ => value.trim().parse::<i64>().is_ok(),
            };
            if !ok {
                return Err(format!("{column} is a number, but '{value}' is not"));
            }
            Ok(format!("{column} {kop} {}", value.trim()))
        }
        other => Err(format!("{column} is of type {other:?}; only string and number columns translate")),
    }
}

/// The KQL operator and needle for a LIKE pattern (see the module doc).
fn like(pattern: &str) -> Result<(&'static str, &str), String> {
    let (lead, trail) = (pattern.starts_with('%'), pattern.ends_with('%') && pattern.len() > 1);
    let inner = &pattern[usize::from(lead)..pattern.len() - usize::from(trail)];
    if inner.is_empty() {
        return Err(format!("LIKE \"{pattern}\" matches every value"));
    }
    if inner.contains('%') {
        return Err(format!("LIKE \"{pattern}\" has a % inside the pattern"));
    }
    Ok(match (lead, trail) {
        (true, true) => ("contains", inner),
        (false, true) => ("startswith", inner),
        (true, false) => ("endswith", inner),
        (false, false) => ("=~", inner),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_quoted_not_refused() {
        let map = FieldMap::bundled().unwrap();
        let kql = translate("process.command_line contains \"a\tb\rc\"", "DeviceProcessEvents", &map);
        assert_eq!(kql.as_deref(), Ok(r#"ProcessCommandLine contains "a\tb\u000dc""#));
    }
}
