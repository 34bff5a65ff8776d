//! Why is this hidden: `X` on a hidden hit (a row of a device's hits, its
//! raw event) or on a device with hidden hits shows the exclusion that hides
//! it, selected in the exclusions pane.

use super::app::{App, Focus};

impl App {
    /// Selects, in the exclusions pane, the first active exclusion that hides
    /// the selected hit (or a hit of the selected device); says so when none does.
    pub(super) fn jump_to_exclusion(&mut self) {
        let Some(r) = self.rule() else { return };
        let hits: Vec<u32> = match &self.results.drill {
            Some(d) => match &d.event {
                Some(ev) => vec![ev.hit],
                None => d.rows.get(d.selected).map(|h| vec![h.hit]).unwrap_or_default(),
            },
            None => self.group().and_then(|g| self.hunt.get(r).map(|(_, run)| run.hidden_in(g))).unwrap_or_default(),
        };
        let mut hiding: Vec<usize> = hits.iter().flat_map(|&h| self.hunt.hiding(r, h as usize)).collect();
        hiding.sort_unstable();
        hiding.dedup();
        let Some(&first) = hiding.first() else {
            self.status.message = Some("not hidden: no active exclusion hides it".into());
            return;
        };
        let names: Vec<String> = (hiding.iter())
            .filter_map(|&i| self.hunt.get(r).and_then(|(rule, _)| rule.exclusions.get(i)).map(|e| e.name.clone()))
            .collect();
        self.exclusions.selected = first;
        self.focus = Focus::Exclusions;
        self.status.message = Some(format!("hidden by: {}", crate::data::text::inert(&names.join(", "))));
    }
}
