//! State derived from the hunt: the visible rule order (search and sort),
//! the device-group order, a device's hit rows, the rule's own output. Kept
//! in the app so drawing stays a pure read. Each part remembers the inputs it
//! was derived from (the hunt's generation, the selection, sort and filter)
//! and is rebuilt only when one of them moved, so a key that changes nothing
//! of it, or a tick, costs no rebuild; [`super::derived::Rebuilds`] counts the ones done.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::data::Value;
use crate::data::time::format_datetime;
use crate::hunt::{EventRow, RuleStatus};

use super::app::{App, FrameView, HitRow, RuleEntry, RuleSort, rule_group};
use super::derived::{DrillKey, GroupsKey, RulesKey};
use super::fmt::value_text;
use super::grid::GridState;
use super::grid::row_contains;
use super::sources::{GroupSource, HitSource, group_order, hit_order};

/// Fields that say what a hit did, in the order the hit list prefers them.
const KEY_FIELDS: &[&str] = &[
    "FileName",
    "ProcessCommandLine",
    "RemoteUrl",
    "RemoteIP",
    "RemotePort",
    "Signer",
    "InitiatingProcessFileName",
    "InitiatingProcessCommandLine",
    "AccountName",
];

impl App {
    /// Rebuilds the derived lists whose inputs changed since they were last
    /// built, keeping each selection on the same item.
    pub fn derive(&mut self) {
        let before = self.rule();
        self.derive_rules();
        if self.rule() != before {
            // The search or sort moved the selection to another rule.
            self.rule_changed();
        }
        self.derive_groups();
        self.derive_drill();
        self.derive_output();
        self.derive_views();
    }

    fn derive_rules(&mut self) {
        let key = RulesKey {
            generation: self.hunt.generation(),
            search: self.rules.search.clone(),
            sort: self.rules.sort.label(),
        };
        if self.derived.rules.as_ref() == Some(&key) {
            return;
        }
        self.derived.rules = Some(key);
        self.derived.rebuilds.rules += 1;
        let keep = self.rule();
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut order: Vec<(i64, RuleEntry)> = Vec::new();
        for i in 0..self.hunt.len() {
            let Some((rule, run)) = self.hunt.get(i) else { continue };
            let table = run.table.clone().unwrap_or_else(|| rule.source_tables.join(","));
            if self.rules.search.is_empty() {
                order.push((0, RuleEntry { index: i, name_hits: vec![], table_hits: vec![] }));
                continue;
            }
            // Each field on its own, so a scattered match across a long
            // description does not count; names and tables highlight.
            let m = |text: &str| matcher.fuzzy_indices(text, &self.rules.search);
            let name = m(&rule.name);
            let tbl = m(&table);
            let others = [rule.tactics.join(" "), rule.techniques.join(" "), rule.description.clone()];
            let best = [name.as_ref().map(|x| x.0), tbl.as_ref().map(|x| x.0)]
                .into_iter()
                // Prose weighs half: it is long, so it matches loosely.
                .chain(others.iter().map(|t| m(t).map(|x| x.0 / 2)))
                .flatten()
                .max();
            if let Some(score) = best {
                let name_hits = name.map(|x| x.1).unwrap_or_default();
                let table_hits = tbl.map(|x| x.1).unwrap_or_default();
                order.push((score, RuleEntry { index: i, name_hits, table_hits }));
            }
        }
        // Keep the good matches: a fuzzy subsequence scattered over prose scores far below them.
        if let Some(top) = order.iter().map(|(s, _)| *s).max() {
            order.retain(|(s, _)| *s * 2 >= top);
        }
        let hunt = &self.hunt;
        let after = |i: usize| hunt.get(i).map_or(0, |(_, r)| r.hits_after());
        let name = |i: usize| hunt.get(i).map(|(r, _)| r.name.to_lowercase()).unwrap_or_default();
        let sort = self.rules.sort;
        let group = |i: usize| hunt.get(i).map(|(r, _)| rule_group(r, sort).to_lowercase()).unwrap_or_default();
        match sort {
            RuleSort::Name => order.sort_by_key(|(_, e)| name(e.index)),
            RuleSort::Hits => order.sort_by_key(|(_, e)| (std::cmp::Reverse(after(e.index)), name(e.index))),
            RuleSort::Folder | RuleSort::Tactic => order.sort_by_cached_key(|(_, e)| (group(e.index), name(e.index))),
        }
        self.rules.order = order.into_iter().map(|(_, e)| e).collect();
        let search = self.rules.search.to_lowercase();
        self.rules.failed = (self.hunt.rule_set().problems.iter().enumerate())
            .filter(|(_, p)| search.is_empty() || p.to_string().to_lowercase().contains(&search))
            .map(|(i, _)| i)
            .collect();
        self.rules.selected = keep
            .and_then(|k| self.rules.order.iter().position(|e| e.index == k))
            .unwrap_or(self.rules.selected)
            .min(self.rules.len().saturating_sub(1));
    }

    fn derive_groups(&mut self) {
        let Some(r) = self.rule() else {
            self.results.order.clear();
            self.derived.groups = None;
            return;
        };
        let (sort, filter) = (self.results.grid.sort, self.results.filter.clone());
        let hidden = self.results.grid.columns.hidden.clone();
        let key = GroupsKey { rule: r, generation: self.hunt.rule_generation(r), sort, filter, hidden };
        if self.derived.groups.as_ref() == Some(&key) {
            return;
        }
        self.derived.groups = Some(key);
        self.derived.rebuilds.groups += 1;
        let keep = self.results.order.get(self.results.selected).copied();
        let Some((_, run)) = self.hunt.get(r) else {
            self.results.order.clear();
            return;
        };
        let groups = &run.groups;
        let mut order: Vec<usize> = (0..groups.len()).collect();
        if let Some(sort) = self.results.grid.sort {
            order.sort_by(|&a, &b| group_order(sort, &groups[a], &groups[b]));
        }
        let needle = self.results.filter.to_lowercase();
        if !needle.is_empty() {
            let shown = self.results.grid.columns.arrange(&GroupSource { run, order: &[] });
            order.retain(|&g| row_contains(&GroupSource { run, order: &[g] }, &shown, 0, &needle));
        }
        self.results.order = order;
        self.results.selected = keep
            .and_then(|k| self.results.order.iter().position(|&g| g == k))
            .unwrap_or(self.results.selected)
            .min(self.results.order.len().saturating_sub(1));
    }

    fn derive_drill(&mut self) {
        let Some(r) = self.rule() else {
            self.results.drill = None;
            return;
        };
        let show_hidden = self.results.show_hidden;
        let Some(drill) = &mut self.results.drill else { return };
        let Some((_, run)) = self.hunt.get(r) else { return };
        if run.groups.get(drill.group).is_none() {
            self.results.drill = None;
            return;
        }
        let key = DrillKey {
            rule: r,
            group: drill.group,
            generation: self.hunt.rule_generation(r),
            marks: self.marks.generation,
            show_hidden,
            sort: drill.grid.sort,
            filter: drill.filter.clone(),
            hidden: drill.grid.columns.hidden.clone(),
        };
        if drill.derived.as_ref() == Some(&key) {
            return;
        }
        drill.derived = Some(key);
        self.derived.rebuilds.drill += 1;
        let keep = drill.rows.get(drill.selected).map(|h| h.hit);
        drill.rows = self
            .hunt
            .device_events(r, drill.group, None)
            .iter()
            .filter(|e| show_hidden || !e.hidden)
            .map(|e| hit_row(e, self.marks.is_marked(r, e.hit)))
            .collect();
        if let Some(sort) = drill.grid.sort {
            drill.rows.sort_by(|a, b| hit_order(sort, a, b));
        }
        drill.marks = drill.rows.iter().any(|h| h.hidden);
        let needle = drill.filter.to_lowercase();
        if !needle.is_empty() {
            let src = HitSource { rows: &drill.rows, marks: false, fp: false };
            let shown = drill.grid.columns.arrange(&src);
            let keep: Vec<bool> = (0..drill.rows.len()).map(|i| row_contains(&src, &shown, i, &needle)).collect();
            let mut it = keep.iter();
            drill.rows.retain(|_| it.next().copied().unwrap_or(false));
        }
        drill.selected = keep
            .and_then(|k| drill.rows.iter().position(|h| h.hit == k))
            .unwrap_or(drill.selected)
            .min(drill.rows.len().saturating_sub(1));
        if let Some(ev) = &mut drill.event {
            ev.hidden = run.hidden.get(ev.hit as usize);
            ev.hidden_by = self.hunt.hidden_by(r, ev.hit as usize);
        }
    }

    fn derive_output(&mut self) {
        let Some(r) = self.rule() else {
            self.results.output = None;
            self.derived.output = None;
            return;
        };
        // Another rule clears the output (`rule_changed`); its own sort and
        // filter re-derive it where they change (`refresh_table`).
        let key = (r, self.hunt.rule_generation(r));
        if self.derived.output == Some(key) && (self.results.output.is_some() || !self.wants_output(r)) {
            return;
        }
        self.derived.output = Some(key);
        if !self.wants_output(r) {
            self.results.output = None;
            return;
        }
        self.derived.rebuilds.output += 1;
        let title = self.hunt.get(r).map(|(rule, _)| format!("output of {}", rule.name)).unwrap_or_default();
        let kept = self.results.output.as_ref().filter(|o| o.title == title);
        let (selected, grid, filter) =
            kept.map_or((0, GridState::new(None), String::new()), |o| (o.selected, o.grid.clone(), o.filter.clone()));
        let Some(run) = self.hunt.run_mut(r) else { return };
        let base = run.output(true).map_err(|e| e.to_string());
        let mut view = FrameView::new(title, base, run.unloaded_note().into_iter().collect());
        (view.grid, view.filter) = (grid, filter);
        view.refresh();
        let len = view.frame.as_ref().map_or(0, |f| f.len());
        view.selected = selected.min(len.saturating_sub(1));
        self.results.output = Some(view);
    }

    /// True when rule `r`'s results pane shows its own output: it ran, and
    /// its hits carry no device to group by.
    fn wants_output(&self, r: usize) -> bool {
        self.hunt.get(r).is_some_and(|(_, run)| run.status == RuleStatus::Ok && run.groups.is_empty())
    }
}

fn hit_row(e: &EventRow, marked: bool) -> HitRow {
    let ev = &e.fields;
    let get = |name: &str| ev.iter().find(|(k, _)| k == name).map(|(_, v)| value_text(v)).unwrap_or_default();
    let time = match ev.iter().find(|(k, _)| k == "Timestamp").map(|(_, v)| v) {
        Some(Value::DateTime(t)) => format_datetime(*t),
        _ => String::new(),
    };
    let detail: Vec<String> = KEY_FIELDS
        .iter()
        .filter_map(|f| {
            let v = get(f);
            (!v.is_empty()).then(|| format!("{f}={v}"))
        })
        .take(3)
        .collect();
    HitRow {
        hit: e.hit,
        hidden: e.hidden,
        marked,
        time,
        report: e.report.map(|r| r.to_string()).unwrap_or_default(),
        action: get("ActionType"),
        hidden_by: e.hidden_by.join(", "),
        detail: detail.join("  "),
    }
}
