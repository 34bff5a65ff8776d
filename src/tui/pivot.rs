//! Pivots from the results pane: `p` looks for the cursor cell's value in
//! every loaded table, `P` lists the row's device's events in every table an
//! hour either side of the row's time. The query goes into the editor, shown
//! and editable, and runs at once; its result opens in the grid.

use crate::data::Value;
use crate::hunt::pivot;

use super::app::{App, Focus};
use super::sources::HIT_COLS;
use super::stack::{Pushed, RowsView};

/// Hit-list columns and the event field each one shows.
fn hit_field(col: usize, event: &[(String, Value)]) -> Option<String> {
    match HIT_COLS.get(col).copied() {
        Some("Time") => Some("Timestamp".into()),
        // The key-fields column: the first of them the event has.
        Some("Key fields") => ["SHA1", "FileName", "RemoteIP", "RemoteUrl", "AccountName"]
            .into_iter()
            .find(|f| event.iter().any(|(k, v)| k == f && !matches!(v, Value::Null)))
            .map(String::from),
        Some(name) => Some(name.into()),
        None => None,
    }
}

/// A row as (column, value) pairs.
type Row = Vec<(String, Value)>;

impl App {
    /// The cursor cell's column and value, and every field of its row.
    fn pivot_cell(&self) -> Option<(String, Value, Row)> {
        if self.in_event() {
            let ev = self.results.drill.as_ref()?.event.as_ref()?;
            let (name, value) = ev.fields.get(ev.selected)?.clone();
            return Some((name, value, ev.fields.clone()));
        }
        if let Some(v) = self.frame_view() {
            let frame = v.frame.as_ref().ok()?;
            if v.selected >= frame.len() {
                return None;
            }
            let row: Vec<(String, Value)> =
                frame.names().enumerate().map(|(c, n)| (n.to_string(), frame.value(v.selected, c))).collect();
            let (name, value) = row.get(v.grid.cursor)?.clone();
            return Some((name, value, row));
        }
        if let Some(d) = &self.results.drill {
            let event = self.selected_hit_event()?;
            let name = hit_field(d.grid.cursor, &event)?;
            let value = event.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone())?;
            return Some((name, value, event));
        }
        // A device group: its name or id; its last hit's time.
        let (_, run) = self.hunt.get(self.rule()?)?;
        let g = run.groups.get(*self.results.order.get(self.results.selected)?)?;
        let mut row = vec![
            ("DeviceName".to_string(), Value::str(&g.device_name)),
            ("DeviceId".to_string(), Value::str(&g.device_id)),
        ];
        if let Some(t) = g.last_seen {
            row.push(("Timestamp".into(), Value::DateTime(t)));
        }
        let pick = if self.results.grid.cursor == 5 { 1 } else { 0 };
        let (name, value) = row[pick].clone();
        Some((name, value, row))
    }

    /// `p` (`device` false) or `P` (`device` true): builds the pivot query,
    /// shows it in the editor and runs it.
    pub(super) fn pivot(&mut self, device: bool) {
        if self.focus != Focus::Results {
            return;
        }
        let Some((column, value, row)) = self.pivot_cell() else {
            self.status.message = Some("nothing to pivot on here: select a cell of a result, a hit or an event".into());
            return;
        };
        let db = self.hunt.session().db.clone();
        let query = if device {
            let text = |name: &str| {
                row.iter().find(|(k, _)| k == name).map(|(_, v)| super::fmt::value_text(v)).filter(|s| !s.is_empty())
            };
            let time = row.iter().find_map(|(k, v)| match v {
                Value::DateTime(t) if k == "Timestamp" => Some(*t),
                _ => None,
            });
            match time {
                Some(t) => pivot::device_window(&db, text("DeviceId").as_deref(), text("DeviceName").as_deref(), t),
                None => {
                    self.status.message = Some("this row has no Timestamp to pivot around".into());
                    return;
                }
            }
        } else {
            pivot::same_value(&db, &column, &value)
        };
        let Some(query) = query else {
            let what = if device { "this row has no DeviceId or DeviceName" } else { "the cell is empty" };
            self.status.message = Some(format!("nothing to pivot on: {what} (or no loaded table has such a column)"));
            return;
        };
        // A pivot is a step deeper: the result it starts from stays below it
        // on the stack, so Esc returns there.
        if self.results.views.is_empty()
            && let Some(base) = self.results.adhoc.take()
        {
            self.results.views.push(Pushed::Rows(RowsView::query(base)));
        }
        self.open_editor(Some(&query));
        self.run_editor_as(true);
    }
}
