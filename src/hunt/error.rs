//! Errors of the hunt layer. A failed rule query or exclusion filter keeps
//! its typed [`KqlError`] and the text it points into, so a face renders it
//! with a caret when it shows it (its `Display` is that rendering).

use crate::kql::{ErrorCode, KqlError};
use crate::rules::UnknownRule;

/// A KQL error in a rule's query, an exclusion filter or an ad-hoc query.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", error.render(text))]
pub struct RuleError {
    /// What went wrong, and where in `text`.
    pub error: KqlError,
    /// The KQL text the error's span points into.
    pub text: String,
}

impl RuleError {
    /// `error`, raised on `text`.
    pub fn new(error: KqlError, text: &str) -> RuleError {
        RuleError { error, text: text.to_string() }
    }

    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        self.error.code
    }

    /// The source line with a caret under the error (same as `Display`).
    pub fn render(&self) -> String {
        self.error.render(&self.text)
    }
}

/// What a [`super::Hunt`] or [`super::RuleRun`] method can fail with.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HuntError {
    /// A rule selection names no loaded rule.
    #[error(transparent)]
    UnknownRule(#[from] UnknownRule),
    /// An exclusion selection names no exclusion of the selected rules.
    #[error("no exclusion named '{0}' in the selected rules")]
    UnknownExclusion(String),
    /// An exclusion index out of range.
    #[error("no such exclusion")]
    NoSuchExclusion,
    /// An exclusion name that is empty or already used in the rule.
    #[error("{0}")]
    BadName(String),
    /// The rule's own query failed, so nothing can run over its hits.
    #[error("the rule itself does not run")]
    RuleFailed,
    /// The rule ran but kept no stage to compute its output from.
    #[error("no output")]
    NoOutput,
    /// ReportIds marked as false positives that are no hits of the rule.
    #[error("{} of rule '{rule}'", not_hits(reports))]
    NotHits {
        /// The rule's name.
        rule: String,
        /// The ReportIds that are no hits of it.
        reports: Vec<i64>,
    },
    /// A filter was asked for with no hit marked as a false positive.
    #[error("no hit is marked as a false positive")]
    NothingMarked,
    /// No filter over the rule's columns hides every marked hit.
    #[error("no filter over the rule's columns hides every marked hit (they share no value, term, prefix or suffix)")]
    NoProposal,
    /// A query or filter did not parse or run.
    #[error(transparent)]
    Kql(#[from] RuleError),
    /// The work was cancelled (its cancel flag was set) before it ended.
    #[error("cancelled")]
    Cancelled,
    /// A column to stack by is not among the rows' columns.
    #[error("no column '{column}' to stack by; the rows have: {}", available.join(", "))]
    UnknownColumn {
        /// The column asked for.
        column: String,
        /// The columns there are, in order.
        available: Vec<String>,
    },
}

/// "ReportId 7 is not a hit" / "ReportIds 7, 9 are not hits".
fn not_hits(ids: &[i64]) -> String {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    if ids.len() == 1 { format!("ReportId {list} is not a hit") } else { format!("ReportIds {list} are not hits") }
}

impl HuntError {
    /// The KQL error behind this one, when there is one.
    pub fn kql(&self) -> Option<&KqlError> {
        match self {
            HuntError::Kql(e) => Some(&e.error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::data::Database;
    use crate::hunt::{Hunt, RuleStatus, Selection};
    use crate::kql::eval::Session;
    use crate::rules::RuleSet;

    const GOOD: &str = "id: g\nname: Good\nquery: DeviceFileEvents | where FileName == 'x'\nexclusions:\n  - name: e\n    filter: FileName == 'y'\n";
    const BAD: &str = "id: b\nname: Bad\nquery: DeviceFileEvents | where FileNme == 'x'\n";

    fn hunt() -> Hunt {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("good.yaml"), GOOD).unwrap();
        std::fs::write(dir.path().join("bad.yaml"), BAD).unwrap();
        let rules = RuleSet::load(&[dir.path().to_path_buf()], None);
        Hunt::new(rules, Session::new(Arc::new(Database::default()), 0))
    }

    #[test]
    fn a_failed_rule_keeps_its_typed_error() {
        let mut h = hunt();
        let bad = h.find_rules(&["Bad".into()]).unwrap()[0];
        let (rule, run) = h.get(bad).unwrap();
        let RuleStatus::Error(e) = &run.status else { panic!("{:?}", run.status) };
        assert_eq!(e.code(), ErrorCode::UnknownColumn);
        assert_eq!(e.to_string(), e.error.render(&rule.query));
        assert!(e.render().contains("^^^^^^^"), "{e}");
        let run = h.run_mut(bad).unwrap();
        assert_eq!(run.preview("x == 1"), Err(HuntError::RuleFailed));
        assert_eq!(run.output(true).unwrap_err().kql().map(|k| k.code), Some(ErrorCode::UnknownColumn));
    }

    #[test]
    fn hunt_methods_return_typed_errors() {
        let mut h = hunt();
        let Err(HuntError::UnknownRule(u)) = h.find_rules(&["Goot".into()]) else { panic!() };
        assert_eq!(u.name, "Goot");
        assert!(u.to_string().starts_with("no rule named 'Goot' ("), "{u}");
        let good = h.find_rules(&["Good".into()]).unwrap()[0];
        let sel = Selection::Names(vec!["nope".into()]);
        assert_eq!(h.select(&[good], &sel), Err(HuntError::UnknownExclusion("nope".into())));
        assert_eq!(h.set_filter(good, 9, None), Err(HuntError::NoSuchExclusion));
        let err = h.set_filter(good, 0, Some("FileNme == 'y'".into())).unwrap_err();
        assert_eq!(err.kql().map(|k| k.code), Some(ErrorCode::UnknownColumn));
        let er = h.get(good).unwrap().1.exclusions[0].error.clone().unwrap();
        assert_eq!(er.text, "FileNme == 'y'");
        let q = h.query("DeviceFileEvents | where").unwrap_err();
        assert_eq!(q.kql().map(|k| k.code), Some(ErrorCode::Syntax));
    }
}
