//! Marking false positives and the proposal overlay: Space marks the hit
//! (or every shown hit of the device) under the cursor, `S` asks the hunt
//! for filters that hide the rule's marked hits, and the overlay adds the
//! picked one as an exclusion — at once (Enter) or after editing (`e`), both
//! through the `a` flow's end ([`App::add_filter`]).

use crate::hunt::{HuntError, Suggestion};

use super::action::Action;
use super::app::{App, CollateralRow, Overlay, SuggestView};
use super::fmt::short_time;

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl App {
    /// Space in the results pane: marks or unmarks the raw event's hit, the
    /// selected hit, or every shown hit of the selected device.
    pub(super) fn mark(&mut self) {
        let Some(r) = self.rule() else { return };
        let Some((_, run)) = self.hunt.get(r) else { return };
        let hits: Vec<u32> = match &self.results.drill {
            _ if self.frame_view().is_some() => return,
            Some(d) => match &d.event {
                Some(ev) => vec![ev.hit],
                None => d.rows.get(d.selected).map(|row| row.hit).into_iter().collect(),
            },
            None => {
                let Some(g) = self.results.order.get(self.results.selected).and_then(|&g| run.groups.get(g)) else {
                    return;
                };
                let show_hidden = self.results.show_hidden;
                g.hits.iter().copied().filter(|&h| show_hidden || !run.hidden.get(h as usize)).collect()
            }
        };
        if hits.is_empty() {
            return;
        }
        self.marks.toggle(r, &hits);
        let n = self.marks.count(r);
        self.status.message = Some(match n {
            0 => "no hit marked".to_string(),
            n => format!("{n} marked as false positives; S suggests a filter"),
        });
    }

    /// `S`: proposes filters from the rule's marked hits and opens the overlay.
    pub(super) fn open_suggest(&mut self) {
        let Some(r) = self.rule() else { return };
        let marked = self.marks.of(r);
        if marked.is_empty() {
            self.status.message = Some("mark false positives with Space first, then S suggests a filter".into());
            return;
        }
        // Evaluating hundreds of candidate filters over a million hits takes a while: a job does it.
        let cancel = std::sync::Arc::default();
        let job = match self.hunt.suggest_job(r, &marked, std::sync::Arc::clone(&cancel)) {
            Ok(job) => job,
            Err(e) => {
                self.status.message = Some(format!("no proposal: {e}"));
                return;
            }
        };
        let generation = self.hunt.rule_generation(r);
        let label = format!("proposing a filter for {} marked hit{}", marked.len(), plural(marked.len()));
        self.start_job_with(label, cancel, move |_| {
            let result = job.run();
            Box::new(move |app: &mut App, cancelled| app.suggest_done(r, &marked, generation, result, cancelled))
        });
    }

    /// A finished proposal job: opens the overlay, unless it was cancelled
    /// or the rule's exclusions changed meanwhile (its counts would be stale).
    pub(super) fn suggest_done(
        &mut self,
        r: usize,
        marked: &[u32],
        generation: u64,
        result: Result<Suggestion, HuntError>,
        cancelled: bool,
    ) {
        match result {
            _ if cancelled => self.status.message = Some("proposing a filter: cancelled".into()),
            _ if self.hunt.rule_generation(r) != generation => {
                self.status.message = Some("the exclusions changed while proposing; press S again".into())
            }
            Ok(s) => {
                let proposals: Vec<_> = s.all().cloned().collect();
                let collateral = proposals.iter().map(|p| self.collateral_rows(r, &p.collateral)).collect();
                self.overlay =
                    Overlay::Suggest(SuggestView { rule: r, marked: marked.len(), proposals, collateral, selected: 0 });
            }
            Err(e) => self.status.message = Some(format!("no proposal: {e}")),
        }
    }

    /// The unmarked hits a proposal would also hide, as the overlay lists them.
    fn collateral_rows(&self, r: usize, hits: &[u32]) -> Vec<CollateralRow> {
        let Some((_, run)) = self.hunt.get(r) else { return Vec::new() };
        hits.iter()
            .map(|&h| {
                let h = h as usize;
                let report = run.hits.report_ids.get(h).copied().flatten().map(|id| id.to_string()).unwrap_or_default();
                let group = run.hits.group_of.get(h).and_then(|&g| run.groups.get(g as usize));
                let device = group.map(|g| g.label().to_string()).unwrap_or_default();
                let time = short_time(run.hits.timestamps.get(h).copied().flatten());
                CollateralRow { report, device, time }
            })
            .collect()
    }

    /// Keys in the proposal overlay.
    pub(super) fn suggest_action(&mut self, action: Action) {
        let Overlay::Suggest(v) = &mut self.overlay else { return };
        let last = v.proposals.len().saturating_sub(1);
        match action {
            Action::Up => v.selected = v.selected.saturating_sub(1),
            Action::Down => v.selected = (v.selected + 1).min(last),
            Action::Submit | Action::Edit => {
                let (rule, filter) = (v.rule, v.proposals.get(v.selected).map(|p| p.filter.clone()));
                self.overlay = Overlay::None;
                let Some(filter) = filter else { return };
                if action == Action::Edit {
                    self.open_new_exclusion(rule, filter);
                } else {
                    self.add_filter(rule, filter);
                }
            }
            Action::Cancel => self.overlay = Overlay::None,
            Action::Quit => {
                self.overlay = Overlay::None;
                self.quit_asked();
            }
            _ => {}
        }
    }
}
