//! "Exclude this value": a filter term from one column's value with the
//! operator the analyst picks, combined with the filter being built, and
//! what it would hide — alone, and added to the active exclusions — in hits
//! and in devices that disappear. Every face proposes the same way.

use std::borrow::Cow;

use crate::data::time::{format_datetime, format_timespan};
use crate::data::{Bitmap, Value};
use crate::kql::eval::convert::display_text;
use crate::kql::quote;

use super::impact;
use super::{Hunt, HuntError};

/// The operators a term can use, in the order they are offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermOp {
    /// `==`: equal, case-sensitive.
    Eq,
    /// `=~`: equal, any case.
    EqAnyCase,
    /// `has`: a whole term.
    Has,
    /// `contains`: a substring.
    Contains,
    /// `startswith`: a prefix.
    StartsWith,
    /// `endswith`: a suffix.
    EndsWith,
    /// `in`: one of a list.
    In,
}

impl TermOp {
    /// Every operator, in the order offered.
    pub const ALL: [TermOp; 7] = [
        TermOp::Eq,
        TermOp::EqAnyCase,
        TermOp::Has,
        TermOp::Contains,
        TermOp::StartsWith,
        TermOp::EndsWith,
        TermOp::In,
    ];

    /// The operator as KQL writes it.
    pub fn text(self) -> &'static str {
        match self {
            TermOp::Eq => "==",
            TermOp::EqAnyCase => "=~",
            TermOp::Has => "has",
            TermOp::Contains => "contains",
            TermOp::StartsWith => "startswith",
            TermOp::EndsWith => "endswith",
            TermOp::In => "in",
        }
    }
}

/// How a new term joins the filter being built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// The term alone (a new filter).
    New,
    /// `<built> and <term>`.
    And,
    /// `<built> or <term>`.
    Or,
}

/// The literal of a value as KQL writes it (`"text"`, `42`, `datetime(...)`).
fn literal(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => return None,
        Value::String(s) => quote::string(s),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Long(i) => i.to_string(),
        Value::Real(f) => format!("real({f})"),
        Value::Decimal(d) => format!("decimal({d})"),
        Value::DateTime(t) => format!("datetime({})", format_datetime(*t)),
        Value::Timespan(t) => format!("timespan({})", format_timespan(*t)),
        Value::Dynamic(_) => quote::string(&display_text(v)),
    })
}

/// The term `column op value`, or `None` when the operator does not apply
/// (a string operator on an empty value; anything but `==` on null). String
/// operators on other types compare the value's text (`tostring(column)`).
pub fn term(column: &str, value: &Value, op: TermOp) -> Option<String> {
    let is_text = matches!(value, Value::String(_));
    let col: Cow<str> = match value {
        Value::Dynamic(_) => format!("tostring({column})").into(),
        _ => column.into(),
    };
    match (op, value) {
        (TermOp::Eq, Value::Null) => return Some(format!("isnull({column})")),
        (TermOp::Eq, Value::String(s)) if s.is_empty() => return Some(format!("isempty({column})")),
        (_, Value::Null) => return None,
        (_, Value::String(s)) if s.is_empty() => return None,
        _ => {}
    }
    let lit = literal(value)?;
    Some(match op {
        TermOp::Eq => format!("{col} == {lit}"),
        TermOp::In => format!("{col} in ({lit})"),
        _ => {
            let text =
                if is_text || matches!(value, Value::Dynamic(_)) { lit } else { quote::string(&display_text(value)) };
            let col =
                if is_text || matches!(value, Value::Dynamic(_)) { col } else { format!("tostring({column})").into() };
            format!("{col} {} {text}", op.text())
        }
    })
}

/// `built` joined with `term`; an `or` inside `built` is parenthesized
/// before an `and`, so the filter reads as it was built.
pub fn combine(built: &str, term: &str, join: Join) -> String {
    let built = built.trim();
    match join {
        Join::New => term.to_string(),
        _ if built.is_empty() => term.to_string(),
        Join::And if built.to_lowercase().contains(" or ") => format!("({built}) and {term}"),
        Join::And => format!("{built} and {term}"),
        Join::Or => format!("{built} or {term}"),
    }
}

/// What a filter would hide in a rule: alone, and added to the active set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilterPreview {
    /// The rule's hits.
    pub hits: usize,
    /// The rule's devices (device groups).
    pub devices: usize,
    /// Hits the filter matches.
    pub alone_hits: usize,
    /// Devices whose every hit it matches.
    pub alone_devices: usize,
    /// Hits the active exclusions hide now.
    pub active_hits: usize,
    /// Devices the active exclusions hide entirely now.
    pub active_devices: usize,
    /// Hits hidden with the filter added to the active set.
    pub with_active_hits: usize,
    /// Devices hidden entirely with the filter added to the active set.
    pub with_active_devices: usize,
}

impl Hunt {
    /// What `filter` would hide in rule `r` (see [`FilterPreview`]); the
    /// filter's error (with its caret) when it does not parse or run.
    pub fn filter_preview(&mut self, r: usize, filter: &str) -> Result<FilterPreview, HuntError> {
        let run = self.runs.get_mut(r).ok_or(HuntError::RuleFailed)?;
        let mask = run.preview_mask(filter)?;
        let run = &self.runs[r];
        let gone = |m: &Bitmap| impact::compute(&run.hits, &run.groups, &[Some(m)], &[true])[0].devices_gone.len();
        let mut union = run.hidden.clone();
        union.or_with(&mask);
        Ok(FilterPreview {
            hits: run.hits_before(),
            devices: run.groups.len(),
            alone_hits: mask.count_ones(),
            alone_devices: gone(&mask),
            active_hits: run.hidden.count_ones(),
            active_devices: gone(&run.hidden),
            with_active_hits: union.count_ones(),
            with_active_devices: gone(&union),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_per_operator_and_type() {
        let s = Value::String("ROMServer.exe".into());
        assert_eq!(term("FileName", &s, TermOp::Eq).as_deref(), Some(r#"FileName == "ROMServer.exe""#));
        assert_eq!(term("FileName", &s, TermOp::EndsWith).as_deref(), Some(r#"FileName endswith "ROMServer.exe""#));
        assert_eq!(term("FileName", &s, TermOp::In).as_deref(), Some(r#"FileName in ("ROMServer.exe")"#));
        let n = Value::Long(42);
        assert_eq!(term("ReportId", &n, TermOp::Eq).as_deref(), Some("ReportId == 42"));
        assert_eq!(term("ReportId", &n, TermOp::StartsWith).as_deref(), Some(r#"tostring(ReportId) startswith "42""#));
        assert_eq!(term("X", &Value::Null, TermOp::Eq).as_deref(), Some("isnull(X)"));
        assert_eq!(term("X", &Value::Null, TermOp::Has), None);
        assert_eq!(term("X", &Value::str(""), TermOp::Contains), None);
    }

    #[test]
    fn combining_keeps_the_meaning() {
        assert_eq!(combine("", "B == 1", Join::And), "B == 1");
        assert_eq!(combine("A == 1", "B == 1", Join::And), "A == 1 and B == 1");
        assert_eq!(combine("A == 1 or C == 2", "B == 1", Join::And), "(A == 1 or C == 2) and B == 1");
        assert_eq!(combine("A == 1", "B == 1", Join::Or), "A == 1 or B == 1");
        assert_eq!(combine("A == 1", "B == 1", Join::New), "B == 1");
    }
}
