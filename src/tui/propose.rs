//! `x`: exclude a value. The chooser offers every operator for the value
//! (`==`, `=~`, `has`, `contains`, `startswith`, `endswith`, `in`), joins the
//! term to the filter being built (`and` / `or`), and shows, for each, what
//! it would hide alone and added to the active exclusions. Enter opens the
//! exclusion form with the filter; `b` keeps it as the filter being built,
//! so the next `x` on another value can add to it.

use crate::data::Value;
use crate::data::text::inert;
use crate::hunt::{Join, TermOp};

use super::action::Action;
use super::app::{App, Overlay};
use super::dialogs::{Chooser, OpChoice};
use super::fmt::value_text;
use super::sources::{GROUP_COLS, HIT_COLS};

impl App {
    /// Proposes an exclusion of rule `r` from one value: opens the chooser
    /// over `column`'s `value` (the entry point for every "exclude this value").
    pub fn propose(&mut self, r: usize, column: &str, value: &Value) {
        let draft =
            self.exclusions.draft.as_ref().filter(|(dr, _)| *dr == r).map(|(_, d)| d.clone()).unwrap_or_default();
        let terms: Vec<Option<String>> =
            TermOp::ALL.iter().map(|op| crate::hunt::propose::term(column, value, *op)).collect();
        let selected = terms.iter().position(Option::is_some).unwrap_or(0);
        let join = if draft.is_empty() { Join::New } else { Join::And };
        let choices = TermOp::ALL
            .iter()
            .zip(&terms)
            .map(|(op, t)| OpChoice { op: *op, term: t.clone(), filter: None, preview: None })
            .collect();
        let c = Chooser {
            rule: r,
            column: column.to_string(),
            value: value_text(value),
            choices,
            selected,
            join,
            draft,
            terms,
        };
        self.overlay = Overlay::Chooser(Box::new(c));
        self.chooser_changed();
    }

    /// Recomputes every choice's filter and preview for the chosen join.
    fn chooser_changed(&mut self) {
        let Overlay::Chooser(c) = &self.overlay else { return };
        let (r, join, draft, terms) = (c.rule, c.join, c.draft.clone(), c.terms.clone());
        let choices: Vec<OpChoice> = TermOp::ALL
            .iter()
            .zip(&terms)
            .map(|(op, t)| {
                let filter = t.as_ref().map(|t| crate::hunt::propose::combine(&draft, t, join));
                let preview = filter.as_ref().map(|f| self.hunt.filter_preview(r, f).map_err(|e| e.to_string()));
                OpChoice { op: *op, term: t.clone(), filter, preview }
            })
            .collect();
        if let Overlay::Chooser(c) = &mut self.overlay {
            c.choices = choices;
        }
    }

    /// An action while the chooser is open.
    pub(super) fn chooser_action(&mut self, action: Action) {
        let Overlay::Chooser(c) = &mut self.overlay else { return };
        let usable: Vec<usize> = (0..c.choices.len()).filter(|&i| c.terms[i].is_some()).collect();
        let at = usable.iter().position(|&i| i == c.selected).unwrap_or(0);
        match action {
            Action::Up => c.selected = usable.get(at.saturating_sub(1)).copied().unwrap_or(c.selected),
            Action::Down => {
                c.selected = usable.get((at + 1).min(usable.len().saturating_sub(1))).copied().unwrap_or(c.selected)
            }
            Action::NextField if !c.draft.is_empty() => {
                c.join = match c.join {
                    Join::New => Join::And,
                    Join::And => Join::Or,
                    Join::Or => Join::New,
                };
                self.chooser_changed();
            }
            Action::Submit => {
                let (r, filter) = (c.rule, c.filter().map(str::to_string));
                let Some(filter) = filter else { return };
                self.overlay = Overlay::None;
                self.exclusions.draft = None;
                self.open_new_exclusion(r, filter);
            }
            Action::Build => {
                let (r, filter) = (c.rule, c.filter().map(str::to_string));
                let Some(filter) = filter else { return };
                self.overlay = Overlay::None;
                self.status.message = Some(format!("building: {} — x on another value adds to it", inert(&filter)));
                self.exclusions.draft = Some((r, filter));
            }
            Action::Cancel => self.overlay = Overlay::None,
            Action::Quit => {
                self.overlay = Overlay::None;
                self.quit_asked();
            }
            _ => {}
        }
    }

    /// `x` on a cell of the device list or a device's hit list: the cell's
    /// column and value, when it is one value of the hit rows.
    pub(super) fn grid_value(&self, r: usize) -> Option<(String, Value)> {
        let res = &self.results;
        match &res.drill {
            Some(d) if d.event.is_none() => {
                let row = d.rows.get(d.selected)?;
                let column = match *HIT_COLS.get(d.grid.cursor)? {
                    "ReportId" => "ReportId",
                    "Time" => "Timestamp",
                    "ActionType" => "ActionType",
                    _ => return None,
                };
                let fields = self.hunt.event(r, row.hit as usize)?;
                fields.into_iter().find(|(k, _)| k == column)
            }
            Some(_) => None,
            None => {
                let (_, run) = self.hunt.get(r)?;
                let g = run.groups.get(*res.order.get(res.selected)?)?;
                match GROUP_COLS.get(res.grid.cursor)?.trim() {
                    "DeviceName" => Some(("DeviceName".into(), Value::str(&g.device_name))),
                    "DeviceId" => Some(("DeviceId".into(), Value::str(&g.device_id))),
                    _ => None,
                }
            }
        }
    }
}
