//! Copy and export of what the results pane shows: `y` copies the cursor
//! cell, `Y` the whole row as JSON (both OSC 52), `E` writes the view (its
//! rows after filter and sort) to a CSV or JSON file. A grid's row and
//! export carry its shown columns in display order (the column layout); a
//! device's hits export and copy as whole events, and a raw event whole.

use std::path::{Path, PathBuf};

use crate::data::Value;
use crate::data::time::format_datetime;
use crate::hunt::export::{self, ExportError, Table};

use super::app::{App, Feedback, Focus, PromptKind};
use super::clipboard::osc52;
use super::fmt::value_text;
use super::grid::GridSource;

/// The rows of the view shown, in a form the exporter writes.
enum ViewRows {
    Frame(crate::kql::eval::Frame),
    Records(Vec<Vec<(String, Value)>>),
    Text(Vec<Vec<String>>),
}

/// A grid cell as plain text (its spans joined, the row marks dropped).
fn cell_text(src: &dyn GridSource, row: usize, col: usize) -> String {
    let text: String = src.cell(row, col).spans.iter().map(|s| s.content.as_ref()).collect();
    text.trim_start_matches(['∅', '~', ' ']).trim_start_matches("hidden ").to_string()
}

/// `12 bytes`, `3.4 KB`.
fn size(n: usize) -> String {
    if n < 1024 { format!("{n} bytes") } else { format!("{:.1} KB", n as f64 / 1024.0) }
}

impl App {
    /// The rows the results pane shows, as they are ordered and filtered.
    fn view_rows(&self) -> Option<ViewRows> {
        if self.focus != Focus::Results {
            return None;
        }
        if let Some(v) = self.frame_view() {
            let frame = v.frame.as_ref().ok()?;
            return Some(ViewRows::Frame(frame.select(&self.shown_columns()?, None)));
        }
        let r = self.rule()?;
        let d = self.results.drill.as_ref();
        if let Some(ev) = d.and_then(|d| d.event.as_ref()) {
            let mut rows = vec![vec!["Field".to_string(), "Value".to_string()]];
            rows.extend(ev.fields.iter().map(|(k, v)| vec![k.clone(), value_text(v)]));
            return Some(ViewRows::Text(rows));
        }
        if let Some(d) = d {
            let events = d.rows.iter().filter_map(|h| self.hunt.event(r, h.hit as usize)).collect();
            return Some(ViewRows::Records(events));
        }
        // Device groups: whole times and every ReportId, not the grid's compact
        // cells; the grid's Hits column is the counts before and after, its
        // Hidden column their difference (not written again).
        let (_, run) = self.hunt.get(r)?;
        let time = |t: Option<i64>| t.map(format_datetime).unwrap_or_default();
        let keep: Vec<usize> = (self.shown_columns()?.into_iter())
            .flat_map(|c| match c {
                0 => vec![0],
                1 => vec![1, 2],
                2 => vec![],
                c => vec![c],
            })
            .collect();
        let pick = |row: [String; 7]| keep.iter().map(|&i| row[i].clone()).collect::<Vec<String>>();
        let mut rows = vec![pick(
            ["DeviceName", "HitsBefore", "HitsAfter", "FirstSeen", "LastSeen", "ReportIds", "DeviceId"]
                .map(String::from),
        )];
        for g in self.results.order.iter().filter_map(|&i| run.groups.get(i)) {
            let ids: Vec<String> = g.report_ids.iter().map(i64::to_string).collect();
            rows.push(pick([
                g.device_name.clone(),
                g.hits_before().to_string(),
                g.hits_after.to_string(),
                time(g.first_seen),
                time(g.last_seen),
                ids.join(","),
                g.device_id.clone(),
            ]));
        }
        Some(ViewRows::Text(rows))
    }

    /// The grid's shown columns (source indices) in display order.
    fn shown_columns(&self) -> Option<Vec<usize>> {
        let view = self.grid_view()?;
        let order = view.arranged().order;
        Some(order)
    }

    /// The selected row's hit event, in a hit list.
    pub(super) fn selected_hit_event(&self) -> Option<Vec<(String, Value)>> {
        let d = self.results.drill.as_ref()?;
        let row = d.rows.get(d.selected)?;
        self.hunt.event(self.rule()?, row.hit as usize)
    }

    fn copy(&mut self, what: String, text: String) {
        self.status.message = Some(format!("copied {what} ({}) via OSC 52", size(text.len())));
        self.clipboard = Some(osc52(&text));
    }

    /// `y`: the cursor cell (in a raw event, the selected field's value).
    pub(super) fn copy_cell(&mut self) {
        if self.focus != Focus::Results {
            return;
        }
        if self.in_event() {
            if let Some((name, value)) = self.selected_field() {
                self.copy(name, value_text(&value));
            }
            return;
        }
        if let Some(v) = self.frame_view() {
            let Ok(frame) = &v.frame else { return };
            let Some(col) = frame.cols().get(v.grid.cursor) else { return };
            if v.selected < frame.len() {
                let (name, text) = (col.name.clone(), value_text(&frame.value(v.selected, v.grid.cursor)));
                self.copy(name, text);
            }
            return;
        }
        let Some(view) = self.grid_view() else { return };
        let src = view.source.as_ref();
        if view.selected >= src.rows() || view.state.cursor >= src.cols() {
            return;
        }
        let (name, text) =
            (src.header(view.state.cursor).trim().to_string(), cell_text(src, view.selected, view.state.cursor));
        drop(view);
        self.copy(name, text);
    }

    /// `Y`: the selected row (or raw event) as a JSON object.
    pub(super) fn copy_row(&mut self) {
        if self.focus != Focus::Results {
            return;
        }
        let json =
            if let Some(ev) = self.results.drill.as_ref().and_then(|d| d.event.as_ref()).filter(|_| self.in_event()) {
                export::json_record(&ev.fields)
            } else if let Some(v) = self.frame_view() {
                let Ok(frame) = &v.frame else { return };
                if v.selected >= frame.len() {
                    return;
                }
                let Some(cols) = self.shown_columns() else { return };
                export::json_row(&frame.select(&cols, None), v.selected)
            } else if let Some(ev) = self.selected_hit_event() {
                export::json_record(&ev)
            } else {
                let Some(view) = self.grid_view() else { return };
                let src = view.source.as_ref();
                if view.selected >= src.rows() {
                    return;
                }
                let pairs = view.arranged().order.into_iter().map(|c| {
                    (src.header(c).trim().to_string(), serde_json::Value::String(cell_text(src, view.selected, c)))
                });
                serde_json::Value::Object(pairs.collect())
            };
        let text = serde_json::to_string(&json).unwrap_or_default();
        self.copy("the row as JSON".into(), text);
    }

    /// `E`: asks for the file to export the view to.
    pub(super) fn open_export(&mut self) {
        if self.view_rows().is_none() {
            self.status.message = Some("nothing to export here: open a result, a device's hits or an event".into());
            return;
        }
        self.open_prompt(PromptKind::Export { confirm: None }, String::new(), String::new());
    }

    /// Writes the view to `path` (from the input line). An existing file
    /// is overwritten only when Enter is pressed a second time on it.
    pub(super) fn export_to(&mut self, path: &str, confirm: Option<PathBuf>) {
        let path = PathBuf::from(path);
        let overwrite = confirm.as_deref() == Some(Path::new(&path));
        let Some(rows) = self.view_rows() else { return };
        let result = match &rows {
            ViewRows::Frame(f) => export::write(&path, &Table::Frame(f), overwrite),
            ViewRows::Records(r) => export::write(&path, &Table::Records(r), overwrite),
            ViewRows::Text(t) => export::write(&path, &Table::Text(t), overwrite),
        };
        let count = match &rows {
            ViewRows::Frame(f) => f.len(),
            ViewRows::Records(r) => r.len(),
            ViewRows::Text(t) => t.len().saturating_sub(1),
        };
        match result {
            Ok(bytes) => {
                self.prompt = None;
                self.status.message = Some(format!("exported {count} row(s) to {} ({})", path.display(), size(bytes)));
            }
            Err(ExportError::Exists(p)) => {
                if let Some(pr) = &mut self.prompt {
                    pr.kind = PromptKind::Export { confirm: Some(p.clone()) };
                    pr.feedback = Feedback::Error(format!("{} exists: Enter again overwrites it", p.display()));
                }
            }
            Err(e) => {
                self.status.message = Some(format!("export failed: {e}"));
                self.set_feedback(Feedback::Error(e.to_string()));
            }
        }
    }
}
