//! `parse` and `parse-where` (parse-operator.md, parse-where-operator.md):
//! one matcher turns a pattern into a regex and a row's text into its
//! extended columns, or into "not parsed".
//!
//! The kinds differ in what a typed column does with text that does not
//! convert: `simple` and `regex` are strict (the whole row is not parsed:
//! every extended column is null, and `parse-where` drops it); `relaxed`
//! gives that one column null and keeps the rest. In `regex` mode the
//! literals are the user's regexes, with their own groups and flags; our
//! columns are named groups, so the user's groups do not shift them.

use std::sync::Arc;

use crate::data::{ColumnBuilder, DataType, Value};
use crate::kql::ast::{Expr, ParseKind, ParsePart};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::convert;
use super::super::frame::Frame;
use super::super::{Evaluator, Result};

/// What a parse pattern extracts, and how.
struct Matcher {
    re: Arc<regex::Regex>,
    /// Output columns: name and type (string when untyped).
    cols: Vec<(String, DataType)>,
    /// A typed column that does not convert fails the whole row.
    strict: bool,
}

/// The name of the regex group that captures output column `i`.
fn group(i: usize) -> String {
    format!("kqlhunt_col{i}")
}

impl Matcher {
    /// The extended columns of one text; `None` when it does not parse.
    fn row(&self, text: &str) -> Option<Vec<Value>> {
        let caps = self.re.captures(text)?;
        let mut out = Vec::with_capacity(self.cols.len());
        for (i, (_, t)) in self.cols.iter().enumerate() {
            let v = match caps.name(&group(i)) {
                Some(m) => typed_from_text(m.as_str(), *t),
                // A relaxed typed column whose text is not of its type.
                None => Value::Null,
            };
            if self.strict && v.is_null() && !t.is_text() {
                return None;
            }
            out.push(v);
        }
        Some(out)
    }
}

impl Evaluator {
    fn parse_matcher(&self, kind: ParseKind, flags: &str, pattern: &[ParsePart], span: Span) -> Result<Matcher> {
        let (regex, cols) = parse_regex(kind, flags, pattern);
        let re =
            self.fnctx.regexes.get(&regex).map_err(|m| KqlError::bad_pattern(span, format!("parse pattern: {m}")))?;
        Ok(Matcher { re, cols, strict: kind != ParseKind::Relaxed })
    }

    /// The text of each row, as `parse` reads it: a non-string is converted as `tostring` does.
    fn parse_texts(&mut self, expr: &Expr, frame: &Frame) -> Result<Vec<String>> {
        let text = self.scalar(expr, frame)?;
        Ok((0..frame.len())
            .map(|r| match text.get(frame, r) {
                Value::String(s) => s.to_string(),
                other => convert::to_string(&other),
            })
            .collect())
    }

    /// `parse [kind=...] [flags=...] expr with pattern`: adds the pattern's
    /// columns. A row that does not parse gets nulls (empty strings for string
    /// columns), or with `drop_unparsed` (`parse-where`) is dropped.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn parse_op(
        &mut self,
        frame: Frame,
        kind: ParseKind,
        flags: &str,
        expr: &Expr,
        pattern: &[ParsePart],
        drop_unparsed: bool,
        span: Span,
    ) -> Result<Frame> {
        let m = self.parse_matcher(kind, flags, pattern, span)?;
        let texts = self.parse_texts(expr, &frame)?;
        let mut builders: Vec<ColumnBuilder> = m.cols.iter().map(|(_, t)| ColumnBuilder::new(*t)).collect();
        let mut parsed = Vec::new();
        for (r, text) in texts.iter().enumerate() {
            match m.row(text) {
                Some(values) => {
                    parsed.push(r as u32);
                    builders.iter_mut().zip(&values).for_each(|(b, v)| b.push(v));
                }
                None if drop_unparsed => {}
                None => builders.iter_mut().zip(&m.cols).for_each(|(b, (_, t))| b.push(&empty(*t))),
            }
        }
        let mut out = if drop_unparsed { frame.take_rows(&parsed) } else { frame };
        for ((name, _), b) in m.cols.iter().zip(builders) {
            out.set_column(name, Arc::new(b.finish()));
        }
        Ok(out)
    }
}

/// A column's value in a row that did not parse.
fn empty(t: DataType) -> Value {
    if t.is_text() { Value::str("") } else { Value::Null }
}

/// The regex for a parse pattern and its output columns.
///
/// `simple`/`relaxed`: literals match as text, `.` matches line breaks, a
/// string column is lazy (greedy when it ends the pattern). `regex`: the
/// literals are regexes and the flags apply; a string (or other text-typed)
/// column is greedy `.*`, as the docs' examples show (the "regex flags"
/// example gets the text up to the *last* delimiter without `U`). Numbers
/// match their digits in every kind; in `relaxed` a number column falls back
/// to any text (and then null) when no number is there.
fn parse_regex(kind: ParseKind, flags: &str, pattern: &[ParsePart]) -> (String, Vec<(String, DataType)>) {
    let mut re = match kind {
        ParseKind::Regex if flags.is_empty() => String::from(r"\A"),
        ParseKind::Regex => format!(r"(?{flags})\A"),
        _ => String::from(r"(?s)\A"),
    };
    let mut cols = Vec::new();
    let last_col = pattern.iter().rposition(|p| matches!(p, ParsePart::Column(..)));
    for (i, p) in pattern.iter().enumerate() {
        match p {
            ParsePart::Star => re.push_str(".*?"),
            ParsePart::Literal(s) if kind == ParseKind::Regex => {
                // A group of its own, so an alternation in it stays inside.
                re.push_str("(?:");
                re.push_str(s);
                re.push(')');
            }
            ParsePart::Literal(s) => re.push_str(&regex::escape(s)),
            ParsePart::Column(id, t) => {
                let at_end = Some(i) == last_col && i == pattern.len() - 1;
                let number = match t {
                    Some(DataType::Long | DataType::Int) => Some(r"-?\d+"),
                    Some(DataType::Real | DataType::Decimal) => Some(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"),
                    _ => None,
                };
                let any = match kind {
                    ParseKind::Regex => ".*",
                    _ if at_end => ".*",
                    _ => ".*?",
                };
                let g = group(cols.len());
                match (number, kind) {
                    (Some(n), ParseKind::Relaxed) => re.push_str(&format!("(?:(?P<{g}>{n})|{any})")),
                    (Some(n), _) => re.push_str(&format!("(?P<{g}>{n})")),
                    (None, _) => re.push_str(&format!("(?P<{g}>{any})")),
                }
                cols.push((id.name.clone(), t.unwrap_or(DataType::String)));
            }
        }
    }
    (re, cols)
}

/// Text converted to a column type; null when it does not convert.
pub(super) fn typed_from_text(s: &str, t: DataType) -> Value {
    match t {
        DataType::String | DataType::Guid => Value::str(s),
        DataType::Long => s.trim().parse().map(Value::Long).unwrap_or(Value::Null),
        DataType::Int => s.trim().parse().map(Value::Int).unwrap_or(Value::Null),
        DataType::Real => s.trim().parse().map(Value::Real).unwrap_or(Value::Null),
        DataType::Decimal => crate::data::Decimal::parse(s).map_or(Value::Null, Value::Decimal),
        DataType::Bool => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => Value::Null,
        },
        DataType::DateTime => crate::data::time::parse_datetime(s).map(Value::DateTime).unwrap_or(Value::Null),
        DataType::Timespan => convert::coerce(&Value::str(s.trim()), DataType::Timespan),
        // Text that is not JSON is a dynamic string, as `todynamic` reads it.
        DataType::Dynamic => Value::Dynamic(Arc::new(
            serde_json::from_str(s).unwrap_or_else(|_| serde_json::Value::String(s.to_string())),
        )),
    }
}
