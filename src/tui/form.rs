//! The exclusion form: the name, description and filter of a new or an
//! existing exclusion in one dialog, checked as they are typed (the filter
//! parsed and previewed, the name unique in the rule) and accepted only when
//! both are good. Also the exclusion pane's other edits: delete, reorder and
//! undo, which the hunt keeps (see [`crate::hunt::edit`]).

use crate::hunt::ExclusionText;
use crate::rules::Exclusion;

use super::action::Action;
use super::app::{App, Feedback, Focus, Overlay};
use super::dialogs::{ExclusionForm, FIELDS, FILTER, NAME, TextField, name_from_filter};

impl App {
    /// Opens the form for a new exclusion of rule `r`, its filter set to
    /// `filter`. The cursor starts in the name, the first field: a user
    /// types top-down, and a prefilled filter (from `x` or a proposal) is
    /// already there to read below it.
    pub fn open_new_exclusion(&mut self, r: usize, filter: String) {
        let fields = [TextField::default(), TextField::default(), TextField::new(filter)];
        self.open_form(ExclusionForm {
            rule: r,
            editing: None,
            fields,
            focus: NAME,
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
                    let fp = self.settle_marks(r);
                    self.status.message =
                        Some(format!("exclusion '{}' added ({state}){fp}; w saves", text.name.trim()));
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
