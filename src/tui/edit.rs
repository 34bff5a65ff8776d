//! Actions that change the hunt or open the input line: toggling, adding and
//! editing exclusions with a live preview, proposing one from a raw event,
//! copying a value, ad-hoc queries, saving, and quitting with unsaved changes.

use crate::data::text::inert;
use crate::rules::{Exclusion, Origin};

use super::action::Action;
use super::app::{App, Feedback, Focus, Overlay, Prompt, PromptKind};
use super::clipboard::osc52;
use super::fmt::{equals_filter, value_text};

/// Longest exclusion name made from a filter.
const NAME_CHARS: usize = 60;

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
            (Action::AdHoc, _) => self.open_prompt(PromptKind::AdHoc, String::new(), String::new()),
            (Action::Save, _) => {
                self.save_all(false);
            }
            (Action::Toggle, Some(r)) if self.focus == Focus::Exclusions => {
                self.hunt.toggle(r, self.exclusions.selected);
            }
            (Action::Add, Some(r)) if self.focus == Focus::Exclusions => {
                self.open_prompt(PromptKind::Add { rule: r }, String::new(), String::new());
            }
            (Action::Edit, Some(r)) if self.focus == Focus::Exclusions => {
                let ex = self.exclusions.selected;
                let Some(filter) =
                    self.hunt.get(r).and_then(|(rule, _)| rule.exclusions.get(ex)).map(|e| e.filter.clone())
                else {
                    return;
                };
                self.open_prompt(PromptKind::Edit { rule: r, ex }, filter.unwrap_or_default(), String::new());
            }
            (Action::Copy, _) if self.in_event() => {
                if let Some((name, value)) = self.selected_field() {
                    let text = value_text(&value);
                    self.clipboard = Some(osc52(&text));
                    self.status.message = Some(format!("copied {name} ({} bytes) via OSC 52", text.len()));
                }
            }
            (Action::Propose, Some(r)) if self.in_event() => {
                if let Some((name, value)) = self.selected_field() {
                    self.open_prompt(PromptKind::Add { rule: r }, equals_filter(&name, &value), String::new());
                }
            }
            _ => {}
        }
    }

    fn selected_field(&self) -> Option<(String, crate::data::Value)> {
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
        let byte = |s: &str, c: usize| s.char_indices().nth(c).map_or(s.len(), |(i, _)| i);
        match action {
            Action::Input(ch) => {
                let at = byte(&p.input, p.cursor);
                p.input.insert(at, ch);
                p.cursor += 1;
            }
            Action::Backspace if p.cursor > 0 => {
                p.cursor -= 1;
                let at = byte(&p.input, p.cursor);
                p.input.remove(at);
            }
            Action::Delete if p.cursor < p.input.chars().count() => {
                let at = byte(&p.input, p.cursor);
                p.input.remove(at);
            }
            Action::Left => p.cursor = p.cursor.saturating_sub(1),
            Action::Right => p.cursor = (p.cursor + 1).min(p.input.chars().count()),
            Action::Home => p.cursor = 0,
            Action::End => p.cursor = p.input.chars().count(),
            Action::Submit => return self.submit(),
            Action::Cancel => {
                let before = p.before.clone();
                match p.kind {
                    PromptKind::Search => self.rules.search = before,
                    PromptKind::Filter => self.set_filter(&before),
                    _ => {}
                }
                self.prompt = None;
                return;
            }
            Action::Quit => {
                self.prompt = None;
                return self.quit_asked();
            }
            _ => return,
        }
        self.prompt_changed();
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
            PromptKind::Add { rule } => self.preview_added(rule, &input),
            PromptKind::Edit { rule, .. } => self.preview(rule, &input),
            PromptKind::AdHoc | PromptKind::WriteTo { .. } => Feedback::None,
        };
        if let Some(p) = &mut self.prompt {
            p.feedback = feedback;
        }
    }

    fn preview(&mut self, rule: usize, filter: &str) -> Feedback {
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

    fn preview_added(&mut self, rule: usize, filter: &str) -> Feedback {
        if filter.trim().is_empty() {
            return Feedback::None;
        }
        let Some(run) = self.hunt.run_mut(rule) else { return Feedback::None };
        let (total, now) = (run.hits_before(), run.hidden.count_ones());
        match run.preview_added(filter) {
            Ok((alone, with)) => Feedback::Adds { alone, now, with, total },
            Err(e) => Feedback::Error(e.to_string()),
        }
    }

    fn submit(&mut self) {
        let Some(p) = self.prompt.clone() else { return };
        let text = p.input.trim().to_string();
        match p.kind {
            PromptKind::Search | PromptKind::Filter => self.prompt = None,
            PromptKind::AdHoc if text.is_empty() => self.prompt = None,
            PromptKind::AdHoc => match crate::kql::parse(&text) {
                Ok(q) => self.start_query(text, q),
                Err(e) => self.set_feedback(Feedback::Error(e.render(&text))),
            },
            PromptKind::Add { .. } if text.is_empty() => self.prompt = None,
            PromptKind::Add { rule } => {
                if let Feedback::Error(_) = self.preview(rule, &text) {
                    return;
                }
                let mut ex = Exclusion::new(name_of(&text));
                ex.filter = Some(text);
                ex.enabled = true;
                if let Some(i) = self.hunt.add_exclusion(rule, ex) {
                    self.exclusions.selected = i;
                    self.status.message = Some("exclusion added (enabled); w saves".into());
                }
                self.prompt = None;
            }
            PromptKind::WriteTo { .. } if text.is_empty() => self.prompt = None,
            PromptKind::WriteTo { then_quit } => self.write_tuned(&text, then_quit),
            PromptKind::Edit { rule, ex } => {
                if !text.is_empty()
                    && let Feedback::Error(_) = self.preview(rule, &text)
                {
                    return;
                }
                let filter = (!text.is_empty()).then_some(text);
                if let Err(e) = self.hunt.set_filter(rule, ex, filter) {
                    self.status.message = Some(format!("filter not used: {}", first_line(&e.to_string())));
                }
                self.prompt = None;
            }
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
    fn save_all(&mut self, then_quit: bool) -> bool {
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
                let mut files = vec![rule.path.clone()];
                for e in &rule.exclusions {
                    if let Some(o @ Origin::Overlay(_)) = &e.origin
                        && !files.iter().any(|f| f == o.path())
                    {
                        files.push(o.path().to_path_buf());
                    }
                }
                let read_only = if self.hunt.is_read_only(r) { " (read-only: y asks for a folder)" } else { "" };
                (inert(&rule.name).into_owned(), format!("{}{read_only}", inert(&names(&files))))
            })
            .collect()
    }

    pub(super) fn quit_asked(&mut self) {
        if self.hunt.any_dirty() {
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

fn name_of(filter: &str) -> String {
    let mut name: String = filter.chars().take(NAME_CHARS).collect();
    if filter.chars().count() > NAME_CHARS {
        name.push('…');
    }
    format!("Added in kqlhunt: {name}")
}

/// `a.yaml, b.yaml` for paths.
fn names(files: &[std::path::PathBuf]) -> String {
    files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}
