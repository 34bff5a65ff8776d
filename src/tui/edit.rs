//! Actions that change the hunt or open the input line: toggling exclusions
//! (adding and editing them opens the form, `form.rs`; `x` the chooser,
//! `propose.rs`), the editor, pivots, copy and export (in their own modules),
//! saving (through the preview, `saving.rs`), and quitting with unsaved
//! changes.

use crate::data::text::inert;

use super::action::Action;
use super::app::{App, Feedback, Focus, Overlay, Prompt, PromptKind};
use crate::rules::Exclusion;

impl App {
    pub(super) fn edit_action(&mut self, action: Action) {
        let rule = self.rule();
        match (action, rule) {
            (Action::Search, _) if self.focus == Focus::Rules => {
                let text = self.rules.search.clone();
                self.open_prompt(PromptKind::Search, text.clone(), text);
            }
            (Action::Search, _) if self.focus == Focus::Results => {
                if let Some(text) = self.filter_mut().map(|f| f.clone()) {
                    self.open_prompt(PromptKind::Filter, text.clone(), text);
                }
            }
            (Action::AdHoc, _) => self.open_editor(None),
            (Action::Copy, _) => self.copy_cell(),
            (Action::CopyRow, _) => self.copy_row(),
            (Action::Export, _) => self.open_export(),
            (Action::Pivot, _) => self.pivot(false),
            (Action::PivotDevice, _) => self.pivot(true),
            (Action::Save, _) => self.open_save_preview(),
            (Action::Toggle, Some(r)) if self.focus == Focus::Exclusions => {
                self.hunt.toggle(r, self.exclusions.selected);
            }
            (Action::Add, Some(r)) if self.focus == Focus::Exclusions => self.open_new_exclusion(r, String::new()),
            (Action::Edit, Some(r)) if self.focus == Focus::Exclusions => {
                self.open_edit_exclusion(r, self.exclusions.selected, super::dialogs::FILTER);
            }
            (a, Some(r)) if self.focus == Focus::Exclusions && self.exclusion_list_action(a, r) => {}
            (Action::Propose, Some(r)) if self.in_event() => {
                if let Some((name, value)) = self.selected_field() {
                    self.propose(r, &name, &value);
                }
            }
            (Action::JumpToExclusion, _) if self.focus == Focus::Results => self.jump_to_exclusion(),
            (Action::Propose, Some(r)) if self.focus == Focus::Results => match self.grid_value(r) {
                Some((name, value)) => self.propose(r, &name, &value),
                None => {
                    self.status.message =
                        Some("x: put the column cursor (←/→) on DeviceName, DeviceId, ReportId, Time or ActionType, or open the raw event".into())
                }
            },
            _ => {}
        }
    }

    pub(super) fn selected_field(&self) -> Option<(String, crate::data::Value)> {
        let ev = self.results.drill.as_ref()?.event.as_ref()?;
        ev.fields.get(ev.selected).cloned()
    }

    pub(super) fn open_prompt(&mut self, kind: PromptKind, input: String, before: String) {
        let cursor = input.chars().count();
        self.prompt = Some(Prompt { kind, input, cursor, feedback: Feedback::None, before });
        self.prompt_changed();
    }

    pub(super) fn prompt_action(&mut self, action: Action) {
        let Some(p) = &mut self.prompt else { return };
        if super::dialogs::edit_line(&mut p.input, &mut p.cursor, action) {
            return self.prompt_changed();
        }
        match action {
            Action::Submit => self.submit(),
            Action::Cancel => {
                let before = p.before.clone();
                match p.kind {
                    PromptKind::Search => self.rules.search = before,
                    PromptKind::Filter => self.set_filter(&before),
                    _ => {}
                }
                self.prompt = None;
            }
            Action::Quit => {
                self.prompt = None;
                self.quit_asked();
            }
            _ => {}
        }
    }

    /// Live feedback: the search filters as typed; a filter is previewed.
    fn prompt_changed(&mut self) {
        let Some(p) = &self.prompt else { return };
        let (kind, input) = (p.kind.clone(), p.input.clone());
        let feedback = match kind {
            PromptKind::Search => {
                self.rules.search = input;
                Feedback::None
            }
            PromptKind::Filter => {
                self.set_filter(&input);
                Feedback::None
            }
            PromptKind::WriteTo { .. } | PromptKind::Export { .. } => Feedback::None,
        };
        if let Some(p) = &mut self.prompt {
            p.feedback = feedback;
        }
    }

    pub(super) fn preview(&mut self, rule: usize, filter: &str) -> Feedback {
        if filter.trim().is_empty() {
            return Feedback::None;
        }
        let Some(run) = self.hunt.run_mut(rule) else { return Feedback::None };
        let total = run.hits_before();
        match run.preview(filter) {
            Ok(n) => Feedback::Hides(n, total),
            Err(e) => Feedback::Error(e.to_string()),
        }
    }

    fn submit(&mut self) {
        let Some(p) = self.prompt.clone() else { return };
        let text = p.input.trim().to_string();
        match p.kind {
            PromptKind::Search | PromptKind::Filter => self.prompt = None,
            PromptKind::Export { .. } if text.is_empty() => self.prompt = None,
            PromptKind::Export { confirm } => self.export_to(&text, confirm),
            PromptKind::WriteTo { .. } if text.is_empty() => self.prompt = None,
            PromptKind::WriteTo { then_quit } => self.write_tuned(&text, then_quit),
        }
    }

    /// Adds `text` to rule `rule` as a new enabled exclusion (the end of the
    /// `a` flow, and of accepting a proposed filter). Marked false positives
    /// it hides are unmarked: they are dealt with.
    pub(super) fn add_filter(&mut self, rule: usize, text: String) {
        let mut ex = Exclusion::new(self.hunt.unique_name(rule, &super::dialogs::name_from_filter(&text)));
        ex.filter = Some(text);
        ex.enabled = true;
        if let Some(i) = self.hunt.add_exclusion(rule, ex) {
            self.exclusions.selected = i;
            let fp = self.settle_marks(rule);
            self.status.message = Some(format!("exclusion added (enabled){fp}; w saves"));
        }
    }

    /// Unmarks the marked false positives the active exclusions now hide
    /// (they are dealt with); says how many of the marked that was.
    pub(super) fn settle_marks(&mut self, rule: usize) -> String {
        let hidden = self.hunt.get(rule).map(|(_, run)| run.hidden.clone()).unwrap_or_default();
        let marked = self.marks.of(rule);
        let done: Vec<u32> = marked.iter().copied().filter(|&h| hidden.get(h as usize)).collect();
        self.marks.toggle(rule, &done);
        match marked.len() {
            0 => String::new(),
            n => format!("; hides {} of {n} marked", done.len()),
        }
    }

    pub(crate) fn set_feedback(&mut self, f: Feedback) {
        if let Some(p) = &mut self.prompt {
            p.feedback = f;
        }
    }

    /// Saves every rule with unsaved changes; false when one failed or when
    /// the rules are the read-only bundled ones: then the input line asks for
    /// a folder to write them to (and quits after when `then_quit`).
    pub(super) fn save_all(&mut self, then_quit: bool) -> bool {
        let dirty: Vec<usize> = (0..self.hunt.len()).filter(|&r| self.hunt.is_dirty(r)).collect();
        if dirty.is_empty() {
            self.status.message = Some("nothing to save".into());
            return true;
        }
        if dirty.iter().any(|&r| self.hunt.is_read_only(r)) {
            self.open_prompt(PromptKind::WriteTo { then_quit }, String::new(), String::new());
            self.status.message =
                Some("the bundled rules are read-only: name a folder to write the tuned rules to".into());
            return false;
        }
        let mut files = Vec::new();
        for r in dirty {
            match self.hunt.save(r) {
                Ok(paths) => files.extend(paths),
                Err(e) => {
                    self.status.message = Some(format!("save failed: {e}"));
                    return false;
                }
            }
        }
        self.status.message = Some(format!("saved {} file(s): {}", files.len(), names(&files)));
        true
    }

    /// Writes every rule, tuned, into the folder `dir` (from the input line).
    fn write_tuned(&mut self, dir: &str, then_quit: bool) {
        match self.hunt.write_tuned(std::path::Path::new(dir)) {
            Ok(files) => {
                self.prompt = None;
                self.status.message = Some(format!("wrote {} file(s): {}", files.len(), names(&files)));
                self.quit = then_quit;
            }
            Err(e) => self.set_feedback(Feedback::Error(e.to_string())),
        }
    }

    /// The files saving would write, per rule with unsaved changes, for the
    /// quit prompt: (rule name, `file, file`).
    pub fn unsaved(&self) -> Vec<(String, String)> {
        let dirty = (0..self.hunt.len()).filter(|&r| self.hunt.is_dirty(r));
        let rules = dirty.filter_map(|r| Some((r, self.hunt.get(r)?.0)));
        rules
            .map(|(r, rule)| {
                let files = match self.hunt.save_plan(r) {
                    Ok(plan) if plan.is_empty() => "nothing to write (the edits cancel out)".to_string(),
                    Ok(plan) => names(&plan.iter().map(|w| w.path().to_path_buf()).collect::<Vec<_>>()),
                    Err(e) => format!("cannot save: {}", first_line(&e.to_string())),
                };
                let read_only = if self.hunt.is_read_only(r) { " (read-only: y asks for a folder)" } else { "" };
                (inert(&rule.name).into_owned(), format!("{}{read_only}", inert(&files)))
            })
            .collect()
    }

    pub(super) fn quit_asked(&mut self) {
        if self.hunt.any_dirty() {
            // Once, here: planning a save reads the files, which no frame should do.
            self.quit_plan = self.unsaved();
            self.overlay = Overlay::ConfirmQuit;
        } else {
            self.quit = true;
        }
    }

    pub(super) fn confirm(&mut self, action: Action) {
        match action {
            Action::Yes => {
                self.overlay = Overlay::None;
                self.quit = self.save_all(true);
            }
            Action::No => self.quit = true,
            Action::Cancel => self.overlay = Overlay::None,
            _ => {}
        }
    }
}

/// `a.yaml, b.yaml` for paths.
fn names(files: &[std::path::PathBuf]) -> String {
    files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}
