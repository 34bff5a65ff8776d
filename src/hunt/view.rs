//! The view model: the facts every face shows about a hunt, worked out once
//! here so the TUI and the CLI cannot disagree — an exclusion's state and
//! whether it is active, and a device group's events. The JSON reports of
//! `run` and `impact` are in [`super::report`].

use crate::data::Value;
use crate::rules::Exclusion;

use super::impact::Impact;
use super::rule_run::ExclusionRun;
use super::{Hunt, RuleRun};

/// The one definition of an *active* exclusion: enabled, and its filter
/// evaluated to a mask over the hits. An enabled exclusion without a filter,
/// with a failing filter, or on a rule that does not run hides nothing, so it
/// is not active: not in the hidden mask, not spliced into the effective KQL,
/// not counted as active by any face.
pub fn active(enabled: bool, run: &ExclusionRun) -> bool {
    run.active(enabled)
}

/// What an exclusion's line says, one state per exclusion, in precedence
/// order (a variant earlier in the list wins over a later one).
///
/// Why this order: the first three mean the filter hides nothing, so its
/// counts mean nothing and the reason is what the user needs to fix first;
/// a filter that works can still be too wide — over-broad (half the hits or
/// more) is the worst of those, hiding whole devices is a warning, and
/// `Ready` is the quiet case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExclusionState {
    /// No filter text (only prose): it cannot hide anything until one is written.
    NeedsFilter,
    /// The filter does not parse or run (renders with a caret).
    Error(super::error::RuleError),
    /// The rule itself does not run, so the filter was never evaluated (the
    /// rule's error says why).
    NotRun,
    /// Alone it hides at least [`super::OVER_BROAD_SHARE`] of the rule's hits.
    OverBroad,
    /// It hides every hit of this many devices.
    HidesDevices(usize),
    /// A working filter with nothing to flag.
    Ready,
}

impl ExclusionState {
    /// The state of exclusion `e`, given its run and its impact.
    pub fn of(e: &Exclusion, run: &ExclusionRun, imp: &Impact) -> ExclusionState {
        if e.needs_filter() {
            ExclusionState::NeedsFilter
        } else if let Some(err) = &run.error {
            ExclusionState::Error(err.clone())
        } else if run.mask.is_none() {
            ExclusionState::NotRun
        } else if imp.over_broad {
            ExclusionState::OverBroad
        } else if !imp.devices_gone.is_empty() {
            ExclusionState::HidesDevices(imp.devices_gone.len())
        } else {
            ExclusionState::Ready
        }
    }

    /// True when the filter evaluated (it hides what its mask says).
    pub fn usable(&self) -> bool {
        !matches!(self, ExclusionState::NeedsFilter | ExclusionState::Error(_) | ExclusionState::NotRun)
    }

    /// Why the filter cannot be used, as reports print it (`impact`'s
    /// `state`): "needs a filter" or "filter error: <first line>". `None`
    /// for a usable filter, and for [`ExclusionState::NotRun`], whose reason
    /// is the rule's own error.
    pub fn problem(&self) -> Option<String> {
        match self {
            ExclusionState::NeedsFilter => Some("needs a filter".to_string()),
            ExclusionState::Error(e) => Some(format!("filter error: {}", e.to_string().lines().next().unwrap_or(""))),
            _ => None,
        }
    }
}

/// One exclusion as every face shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExclusionView {
    /// As set (saved, selected or toggled).
    pub enabled: bool,
    /// Its state, see [`ExclusionState`].
    pub state: ExclusionState,
    /// What it hides, alone and uniquely.
    pub impact: Impact,
}

impl ExclusionView {
    /// True when it hides hits now: the same as [`active`].
    pub fn active(&self) -> bool {
        self.enabled && self.state.usable()
    }
}

/// One hit of a device group, for `kqlhunt events` and the TUI drill-down.
#[derive(Clone, Debug)]
pub struct EventRow {
    /// Position in the rule's hits.
    pub hit: u32,
    /// Hidden by an active exclusion.
    pub hidden: bool,
    /// The names of the active exclusions that hide it, in the rule's order.
    pub hidden_by: Vec<String>,
    /// Its `ReportId`, when the rows carry one.
    pub report: Option<i64>,
    /// Every column of its source row.
    pub fields: Vec<(String, Value)>,
}

impl Hunt {
    /// Rule `r`'s exclusions as the faces show them (empty for no such rule).
    pub fn exclusion_views(&self, r: usize) -> Vec<ExclusionView> {
        let Some((rule, run)) = self.get(r) else { return Vec::new() };
        rule.exclusions.iter().enumerate().map(|(i, e)| exclusion_view(e, run, i)).collect()
    }

    /// How many of rule `r`'s exclusions are active (see [`active`]).
    pub fn active_count(&self, r: usize) -> usize {
        self.get(r).map_or(0, |(rule, run)| {
            rule.exclusions.iter().zip(&run.exclusions).filter(|(e, er)| active(e.enabled, er)).count()
        })
    }

    /// The names of rule `r`'s active exclusions that hide hit `h` (empty
    /// when the hit is shown), so a hidden event can say what hid it.
    pub fn hidden_by(&self, r: usize, h: usize) -> Vec<String> {
        let Some((rule, _)) = self.get(r) else { return Vec::new() };
        self.hiding(r, h).into_iter().filter_map(|i| rule.exclusions.get(i).map(|e| e.name.clone())).collect()
    }

    /// The indices of rule `r`'s active exclusions that hide hit `h`, in
    /// the rule's order (empty when the hit is shown).
    pub fn hiding(&self, r: usize, h: usize) -> Vec<usize> {
        let Some((rule, run)) = self.get(r) else { return Vec::new() };
        (rule.exclusions.iter().zip(&run.exclusions).enumerate())
            .filter(|(_, (e, er))| active(e.enabled, er) && er.mask.as_ref().is_some_and(|m| m.get(h)))
            .map(|(i, _)| i)
            .collect()
    }

    /// The events of rule `r`'s device group `group`, in hit order, each with
    /// its hidden flag; only those with ReportId `report` when given.
    pub fn device_events(&self, r: usize, group: usize, report: Option<i64>) -> Vec<EventRow> {
        let Some((_, run)) = self.get(r) else { return Vec::new() };
        let Some(g) = run.groups.get(group) else { return Vec::new() };
        g.hits
            .iter()
            .filter_map(|&h| {
                let rep = run.hits.report_ids.get(h as usize).copied().flatten();
                if report.is_some_and(|want| rep != Some(want)) {
                    return None;
                }
                let fields = self.event(r, h as usize)?;
                let hidden_by = self.hidden_by(r, h as usize);
                Some(EventRow { hit: h, hidden: run.hidden.get(h as usize), hidden_by, report: rep, fields })
            })
            .collect()
    }
}

/// Exclusion `i` of a rule as the faces show it.
fn exclusion_view(e: &Exclusion, run: &RuleRun, i: usize) -> ExclusionView {
    let none = ExclusionRun { mask: None, error: None };
    let er = run.exclusions.get(i).unwrap_or(&none);
    let impact = run.impact.get(i).cloned().unwrap_or_default();
    ExclusionView { enabled: e.enabled, state: ExclusionState::of(e, er, &impact), impact }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Bitmap;

    fn ex(filter: Option<&str>, enabled: bool) -> Exclusion {
        let mut e = Exclusion::new("x");
        e.filter = filter.map(str::to_string);
        e.enabled = enabled;
        e
    }

    #[test]
    fn precedence_and_active_agree() {
        let mask = || Some(Bitmap::zeros(2));
        let bad = || {
            let text = "a ==";
            let err = crate::kql::parse_expr(text).err().unwrap_or_else(|| panic!("'{text}' must not parse"));
            super::super::error::RuleError::new(err, text)
        };
        let broad = Impact { over_broad: true, devices_gone: vec![0], ..Impact::default() };
        let gone = Impact { devices_gone: vec![0, 1], ..Impact::default() };
        let cases = [
            (ex(None, true), ExclusionRun { mask: None, error: None }, broad.clone(), ExclusionState::NeedsFilter),
            (
                ex(Some("a =="), true),
                ExclusionRun { mask: None, error: Some(bad()) },
                broad.clone(),
                ExclusionState::Error(bad()),
            ),
            (ex(Some("a"), true), ExclusionRun { mask: None, error: None }, broad.clone(), ExclusionState::NotRun),
            (ex(Some("a"), true), ExclusionRun { mask: mask(), error: None }, broad, ExclusionState::OverBroad),
            (ex(Some("a"), false), ExclusionRun { mask: mask(), error: None }, gone, ExclusionState::HidesDevices(2)),
            (ex(Some("a"), true), ExclusionRun { mask: mask(), error: None }, Impact::default(), ExclusionState::Ready),
        ];
        for (e, er, imp, want) in cases {
            let state = ExclusionState::of(&e, &er, &imp);
            assert_eq!(state, want);
            let view = ExclusionView { enabled: e.enabled, state, impact: imp };
            assert_eq!(view.active(), active(e.enabled, &er), "{want:?}");
        }
        let problem = ExclusionState::Error(bad()).problem().unwrap_or_default();
        assert!(problem.starts_with("filter error: ") && !problem.contains('\n'), "{problem}");
        assert_eq!(ExclusionState::NotRun.problem(), None);
    }
}
