//! The state of the dialogs over the panes: the exclusion form, the save
//! preview and the `x` operator chooser. Only data and small helpers here;
//! what their keys do is in `form.rs`, `saving.rs` and `propose.rs`.

use crate::hunt::{FilterPreview, Join, TermOp};

use super::action::Action;
use super::state::Feedback;

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
        edit_line(&mut self.text, &mut self.cursor, action)
    }
}

/// Applies a one-line editing action (type, delete, move) to `text` with its
/// cursor in characters; false when `action` is not one. The form's fields
/// and the input line both edit this way.
pub fn edit_line(text: &mut String, cursor: &mut usize, action: Action) -> bool {
    let byte = |s: &str, c: usize| s.char_indices().nth(c).map_or(s.len(), |(i, _)| i);
    let len = text.chars().count();
    match action {
        Action::Input(ch) => {
            text.insert(byte(text, *cursor), ch);
            *cursor += 1;
        }
        Action::Backspace if *cursor > 0 => {
            *cursor -= 1;
            text.remove(byte(text, *cursor));
        }
        Action::Delete if *cursor < len => {
            text.remove(byte(text, *cursor));
        }
        Action::Left => *cursor = cursor.saturating_sub(1),
        Action::Right => *cursor = (*cursor + 1).min(len),
        Action::Home => *cursor = 0,
        Action::End => *cursor = len,
        Action::Backspace | Action::Delete => {}
        _ => return false,
    }
    true
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

/// One file of the save preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewFile {
    /// The rule whose save writes it.
    pub rule: String,
    /// The file.
    pub path: String,
    /// The unified diff, line by line (inert: no terminal controls).
    pub diff: Vec<String>,
    /// A bundled rule: saving asks for a folder instead of writing in place.
    pub read_only: bool,
}

/// The open save preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavePreview {
    /// Every file a save of all changed rules would write.
    pub files: Vec<PreviewFile>,
    /// Rules that cannot be saved, with why; and changed rules whose edits
    /// cancel out (nothing to write).
    pub notes: Vec<String>,
    /// The selected rule, when it has unsaved changes ("save this rule").
    pub this_rule: Option<usize>,
    /// Lines scrolled.
    pub scroll: u16,
}

impl SavePreview {
    /// Every line the preview shows, with its kind, for drawing and scrolling.
    pub fn lines(&self) -> Vec<(LineKind, String)> {
        let mut out = Vec::new();
        for f in &self.files {
            let ro = if f.read_only { " (bundled, read-only: saving asks for a folder)" } else { "" };
            out.push((LineKind::File, f.path.clone()));
            out.push((LineKind::Header, format!("rule: {}{ro}", f.rule)));
            for l in &f.diff {
                let kind = if l.starts_with("+++") || l.starts_with("---") {
                    LineKind::Header
                } else if l.starts_with('+') {
                    LineKind::Added
                } else if l.starts_with('-') {
                    LineKind::Removed
                } else if l.starts_with("@@") {
                    LineKind::Hunk
                } else {
                    LineKind::Context
                };
                out.push((kind, l.clone()));
            }
            out.push((LineKind::Context, String::new()));
        }
        out.extend(self.notes.iter().map(|n| (LineKind::Note, n.clone())));
        out
    }
}

/// What a line of the preview is (it decides its colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// The rule and file a diff is of.
    File,
    /// `---`/`+++`.
    Header,
    /// `@@ ... @@`.
    Hunk,
    /// A line the save adds.
    Added,
    /// A line the save removes.
    Removed,
    /// Unchanged context.
    Context,
    /// A rule that cannot be saved, or has nothing to write.
    Note,
}

/// One operator offered for the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpChoice {
    /// The operator.
    pub op: TermOp,
    /// The term with this operator, `None` when it does not apply to the value.
    pub term: Option<String>,
    /// The whole filter with this operator's term, `None` when the operator
    /// does not apply to the value.
    pub filter: Option<String>,
    /// What that filter would hide, or its error.
    pub preview: Option<Result<FilterPreview, String>>,
}

/// The open chooser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chooser {
    /// The rule (index into the hunt).
    pub rule: usize,
    /// The column of the value.
    pub column: String,
    /// The value, as text.
    pub value: String,
    /// One choice per operator, in [`TermOp::ALL`] order.
    pub choices: Vec<OpChoice>,
    /// The selected choice.
    pub selected: usize,
    /// How the term joins the filter being built.
    pub join: Join,
    /// The filter being built for this rule (empty: none).
    pub draft: String,
    /// The terms, per operator (before joining).
    pub terms: Vec<Option<String>>,
}

impl Chooser {
    /// The selected choice's filter, when it has one.
    pub fn filter(&self) -> Option<&str> {
        self.choices.get(self.selected).and_then(|c| c.filter.as_deref())
    }
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
