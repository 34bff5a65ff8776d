//! The exclusion form: the name, description and filter of a new or an
//! existing exclusion in one dialog, checked as they are typed (the filter
//! parsed and previewed, the name unique in the rule) and accepted only when
//! both are good. Also the exclusion pane's other edits: delete, reorder and
//! undo, which the hunt keeps (see [`crate::hunt::edit`]).

use crate::hunt::ExclusionText;
use crate::rules::Exclusion;

use super::action::Action;
use super::app::{App, Feedback, Focus, Overlay};

/// The form's fields, in Tab order.
pub const FIELDS: [&str; 3] = ["Name", "Description", "Filter"];
/// Index of the name field.
pub const NAME: usize = 0;
/// Index of the filter field.
pub const FILTER: usize = 2;

/// Longest default name made from a filter, in characters.
const DEFAULT_NAME_CHARS: usize = 48;

/// One line of editable text and its cursor (in characters).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextField {
    /// The text.
    pub text: String,
    /// The cursor, in characters.
    pub cursor: usize,
}

impl TextField {
    /// A field holding `text`, the cursor at its end.
    pub fn new(text: impl Into<String>) -> TextField {
        let text = text.into();
        let cursor = text.chars().count();
        TextField { text, cursor }
    }

    /// Applies an editing action; false when `action` is not one.
    pub fn edit(&mut self, action: Action) -> bool {
        let byte = |s: &str, c: usize| s.char_indices().nth(c).map_or(s.len(), |(i, _)| i);
        let len = self.text.chars().count();
        match action {
            Action::Input(ch) => {
                let at = byte(&self.text, self.cursor);
                self.text.insert(at, ch);
                self.cursor += 1;
            }
            Action::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = byte(&self.text, self.cursor);
                self.text.remove(at);
            }
            Action::Delete if self.cursor < len => {
                let at = byte(&self.text, self.cursor);
                self.text.remove(at);
            }
            Action::Left => self.cursor = self.cursor.saturating_sub(1),
            Action::Right => self.cursor = (self.cursor + 1).min(len),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = len,
            Action::Backspace | Action::Delete => {}
            _ => return false,
        }
        true
    }
}

/// The open exclusion form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExclusionForm {
    /// The rule (index into the hunt).
    pub rule: usize,
    /// The exclusion being edited; `None` for a new one.
    pub editing: Option<usize>,
    /// Name, description and filter.
    pub fields: [TextField; 3],
    /// The field with the cursor.
    pub focus: usize,
    /// The name a new exclusion gets when the name field is left empty.
    pub default_name: String,
    /// The filter's check: what it would hide, or its error with a caret.
    pub feedback: Feedback,
    /// Why the name cannot be used, if it cannot.
    pub name_problem: Option<String>,
}

impl ExclusionForm {
    /// The name the exclusion gets: the typed one, or the default.
    pub fn name(&self) -> String {
        let typed = self.fields[NAME].text.trim();
        if typed.is_empty() && self.editing.is_none() { self.default_name.clone() } else { typed.to_string() }
    }
}

/// A name for an exclusion made from its filter: its words without quotes,
/// as many whole words as fit in [`DEFAULT_NAME_CHARS`] (then `…`), so a
/// name is never cut inside a word.
pub fn name_from_filter(filter: &str) -> String {
    let clean: String = filter.chars().filter(|c| !matches!(c, '"' | '\'' | '`')).collect();
    let mut name = String::new();
    let mut cut = false;
    for word in clean.split_whitespace() {
        let extra = if name.is_empty() { word.chars().count() } else { word.chars().count() + 1 };
        if name.chars().count() + extra > DEFAULT_NAME_CHARS {
            cut = true;
            break;
        }
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(word);
    }
    if name.is_empty() {
        return "New exclusion".into();
    }
    if cut {
        name.push('…');
    }
    name
}

impl App {
    /// Opens the form for a new exclusion of rule `r`, its filter set to `filter`.
    pub fn open_new_exclusion(&mut self, r: usize, filter: String) {
        let fields = [TextField::default(), TextField::default(), TextField::new(filter)];
        let focus = if fields[FILTER].text.is_empty() { FILTER } else { NAME };
        self.open_form(ExclusionForm {
            rule: r,
            editing: None,
            fields,
            focus,
            default_name: String::new(),
            feedback: Feedback::None,
            name_problem: None,
        });
    }

    /// Opens the form on exclusion `e` of rule `r`, the cursor in field `focus`.
    pub(super) fn open_edit_exclusion(&mut self, r: usize, e: usize, focus: usize) {
        let Some(ex) = self.hunt.get(r).and_then(|(rule, _)| rule.exclusions.get(e)) else { return };
        let t = ExclusionText::of(ex);
        self.open_form(ExclusionForm {
            rule: r,
            editing: Some(e),
            fields: [TextField::new(t.name), TextField::new(t.description), TextField::new(t.filter)],
            focus,
            default_name: String::new(),
            feedback: Feedback::None,
            name_problem: None,
        });
    }

    fn open_form(&mut self, form: ExclusionForm) {
        self.overlay = Overlay::Form(Box::new(form));
        self.form_changed();
    }

    /// An action while the form is open.
    pub(super) fn form_action(&mut self, action: Action) {
        let Overlay::Form(form) = &mut self.overlay else { return };
        match action {
            Action::NextField | Action::Down => form.focus = (form.focus + 1) % FIELDS.len(),
            Action::PrevField | Action::Up => form.focus = (form.focus + FIELDS.len() - 1) % FIELDS.len(),
            Action::Submit => return self.form_submit(),
            Action::Cancel => {
                self.overlay = Overlay::None;
                return;
            }
            Action::Quit => {
                self.overlay = Overlay::None;
                return self.quit_asked();
            }
            other => {
                let f = form.focus;
                if !form.fields[f].edit(other) {
                    return;
                }
            }
        }
        self.form_changed();
    }

    /// Re-checks the form: the default name, the name, the filter's preview.
    fn form_changed(&mut self) {
        let Overlay::Form(form) = &self.overlay else { return };
        let (r, editing) = (form.rule, form.editing);
        let filter = form.fields[FILTER].text.clone();
        let default_name = self.hunt.unique_name(r, &name_from_filter(&filter));
        let feedback = self.preview(r, &filter);
        let Overlay::Form(form) = &mut self.overlay else { return };
        form.default_name = default_name;
        let name = form.name();
        form.name_problem = self.hunt.name_problem(r, &name, editing);
        form.feedback = feedback;
    }

    fn form_submit(&mut self) {
        self.form_changed();
        let Overlay::Form(form) = &self.overlay else { return };
        if form.name_problem.is_some() {
            form_focus(self, NAME);
            return;
        }
        if let Feedback::Error(_) = form.feedback {
            form_focus(self, FILTER);
            return;
        }
        let (r, editing) = (form.rule, form.editing);
        let text = ExclusionText {
            name: form.name(),
            description: form.fields[1].text.clone(),
            filter: form.fields[FILTER].text.clone(),
        };
        self.overlay = Overlay::None;
        match editing {
            Some(e) => match self.hunt.update_exclusion(r, e, &text) {
                Ok(()) => self.status.message = Some(format!("exclusion '{}' changed; w saves", text.name)),
                Err(err) => self.status.message = Some(format!("not saved: {}", first_line(&err.to_string()))),
            },
            None => {
                let mut ex = Exclusion::new(text.name.trim());
                ex.description = Some(text.description.trim().to_string()).filter(|d| !d.is_empty());
                ex.filter = Some(text.filter.trim().to_string()).filter(|f| !f.is_empty());
                ex.enabled = ex.filter.is_some();
                let state = if ex.enabled { "enabled" } else { "needs a filter" };
                if let Some(i) = self.hunt.add_exclusion(r, ex) {
                    self.exclusions.selected = i;
                    self.status.message = Some(format!("exclusion '{}' added ({state}); w saves", text.name.trim()));
                }
            }
        }
    }

    /// Delete, undo and reorder in the exclusions pane; false for other actions.
    pub(super) fn exclusion_list_action(&mut self, action: Action, r: usize) -> bool {
        let e = self.exclusions.selected;
        match action {
            Action::DeleteExclusion => {
                if let Some(gone) = self.hunt.remove_exclusion(r, e) {
                    self.status.message = Some(format!("deleted '{}'; u undoes", gone.name));
                    let n = self.hunt.get(r).map_or(0, |(rule, _)| rule.exclusions.len());
                    self.exclusions.selected = e.min(n.saturating_sub(1));
                }
            }
            Action::Undo => {
                self.status.message = Some(match self.hunt.undo(r) {
                    Some(what) => format!("undone: {what}"),
                    None => "nothing to undo".into(),
                });
                let n = self.hunt.get(r).map_or(0, |(rule, _)| rule.exclusions.len());
                self.exclusions.selected = e.min(n.saturating_sub(1));
            }
            Action::MoveUp | Action::MoveDown => {
                if let Some(to) = self.hunt.move_exclusion(r, e, action == Action::MoveUp) {
                    self.exclusions.selected = to;
                }
            }
            Action::Rename => self.open_edit_exclusion(r, e, NAME),
            _ => return false,
        }
        self.focus = Focus::Exclusions;
        true
    }
}

fn form_focus(app: &mut App, field: usize) {
    if let Overlay::Form(form) = &mut app.overlay {
        form.focus = field;
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_end_at_a_word() {
        assert_eq!(name_from_filter(r#"FileName == "ROMServer.exe""#), "FileName == ROMServer.exe");
        let long = r#"AccountName startswith "ITAdmin" and AccountDomain =~ "contoso" and X == 1"#;
        let name = name_from_filter(long);
        assert_eq!(name, "AccountName startswith ITAdmin and AccountDomain…");
        assert!(name.chars().count() <= DEFAULT_NAME_CHARS + 1);
        assert_eq!(name_from_filter("  "), "New exclusion");
        let one_long_word = "x".repeat(80);
        assert_eq!(name_from_filter(&one_long_word), "New exclusion", "never half a word");
    }

    #[test]
    fn text_field_edits_by_character() {
        let mut f = TextField::new("añb");
        assert!(f.edit(Action::Left) && f.edit(Action::Backspace));
        assert_eq!((f.text.as_str(), f.cursor), ("ab", 1));
        assert!(f.edit(Action::Input('é')) && f.edit(Action::Home) && f.edit(Action::Delete));
        assert_eq!(f.text, "éb");
        assert!(!f.edit(Action::Submit));
    }
}
