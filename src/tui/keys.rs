//! The one key map. Every binding is a row of [`KEYS`]: the event loop looks
//! keys up here, and the footer, the `?` help overlay and the README's key
//! table are all generated from it, so they cannot drift from the bindings.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Everywhere outside the input line and dialogs.
    Global,
    /// The rule list.
    Rules,
    /// The results pane: device groups and a device's hits.
    Results,
    /// A table result: an ad-hoc query's or a rule's own output.
    Table,
    /// The raw event of one hit.
    Event,
    /// A frequency view (a stacked column).
    Stack,
    /// The cell inspector.
    Cell,
    /// The exclusions pane.
    Exclusions,
    /// The input line (search, filters, export path).
    Prompt,
    /// The query editor.
    Editor,
    /// The help overlay.
    Help,
    /// The load report overlay.
    Report,
    /// The message log overlay.
    Messages,
    /// The overlay of filters proposed from marked hits.
    Suggest,
    /// The "unsaved changes" question on quit.
    Confirm,
    /// The exclusion form (name, description, filter).
    Form,
    /// The save preview (the diff of every file a save writes).
    SavePreview,
    /// The operator chooser of `x` (exclude a value).
    Chooser,
    /// While an ad-hoc query runs.
    Running,
    /// The column chooser of a grid (`c`).
    Columns,
    /// While the events load and the rules run (the rule list shows).
    Loading,
}

impl Context {
    /// The heading of this context in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Rules => "Rules",
            Context::Results => "Results",
            Context::Table => "Query result / rule output",
            Context::Event => "Raw event",
            Context::Stack => "Frequency view (stack)",
            Context::Cell => "Cell inspector",
            Context::Exclusions => "Exclusions",
            Context::Prompt => "Input line",
            Context::Editor => "Query editor",
            Context::Help => "Help",
            Context::Report => "Load report",
            Context::Messages => "Message log",
            Context::Suggest => "Proposed filters",
            Context::Confirm => "Quit with unsaved changes",
            Context::Form => "Exclusion form",
            Context::SavePreview => "Save preview",
            Context::Chooser => "Exclude a value (x)",
            Context::Columns => "Column chooser (c)",
            Context::Running => "While a query, stacking or a proposal runs",
            Context::Loading => "While loading",
        }
    }
}

/// A key: a key code, or a control chord.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A key without Control.
    Code(KeyCode),
    /// Control plus a letter.
    Ctrl(char),
    /// Alt plus a key (only Alt-Enter is read this way).
    Alt(KeyCode),
}

/// One binding: in `context`, any of `keys` sends `action`.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    /// Where it applies.
    pub context: Context,
    /// The keys.
    pub keys: &'static [Key],
    /// What they do.
    pub action: Action,
    /// What the help says.
    pub label: &'static str,
    /// Shown in the footer.
    pub footer: bool,
}

const fn b(context: Context, keys: &'static [Key], action: Action, label: &'static str, footer: bool) -> Binding {
    Binding { context, keys, action, label, footer }
}

const fn c(ch: char) -> Key {
    Key::Code(KeyCode::Char(ch))
}

use Context as X;
use Key::Code as K;

/// The help binding's label (the footer puts it first).
const HELP: &str = "help";

/// Every key binding, in help order.
pub const KEYS: &[Binding] = &[
    b(X::Global, &[K(KeyCode::Tab)], Action::NextPane, "next pane", true),
    b(X::Global, &[K(KeyCode::BackTab)], Action::PrevPane, "previous pane", false),
    b(X::Global, &[c('k'), K(KeyCode::Up)], Action::Up, "move up", false),
    b(X::Global, &[c('j'), K(KeyCode::Down)], Action::Down, "move down", false),
    b(X::Global, &[K(KeyCode::PageUp)], Action::PageUp, "page up", false),
    b(X::Global, &[K(KeyCode::PageDown)], Action::PageDown, "page down", false),
    b(X::Global, &[c('g'), K(KeyCode::Home)], Action::Top, "first", false),
    b(X::Global, &[c('G'), K(KeyCode::End)], Action::Bottom, "last", false),
    b(X::Global, &[c(':')], Action::AdHoc, "query editor (KQL)", true),
    b(X::Global, &[c('w')], Action::Save, "save: preview the diff, then write", true),
    b(X::Global, &[c('z')], Action::Zoom, "zoom the pane", false),
    b(X::Global, &[c('?')], Action::Help, HELP, true),
    b(X::Global, &[c('L')], Action::Report, "load report (files, problems)", false),
    b(X::Global, &[c('M')], Action::Messages, "message log (long messages whole)", false),
    b(X::Global, &[c('q'), Key::Ctrl('c')], Action::Quit, "quit", true),
    b(X::Global, &[K(KeyCode::Esc)], Action::Back, "back to the rule list", false),
    b(X::Rules, &[c('/')], Action::Search, "fuzzy search", true),
    b(X::Rules, &[c('s')], Action::Sort, "order: name / hits / by folder / by tactic", true),
    b(X::Rules, &[K(KeyCode::Enter)], Action::Enter, "open the rule's results", false),
    b(X::Rules, &[K(KeyCode::Esc)], Action::Back, "clear search, then close results", false),
    b(X::Results, &[K(KeyCode::Enter)], Action::Enter, "drill down", true),
    b(X::Results, &[K(KeyCode::Esc)], Action::Back, "back", true),
    b(X::Results, &[c('s')], Action::Sort, "sort by the cursor column", true),
    b(X::Results, &[c('r')], Action::Reverse, "reverse the sort", false),
    b(X::Results, &[c('h')], Action::ToggleHidden, "show hidden hits", true),
    b(X::Results, &[c('x')], Action::Propose, "exclude the cell's value (choose the operator)", true),
    b(X::Results, &[c('X')], Action::JumpToExclusion, "show the exclusion that hides it", false),
    b(X::Results, &[c('/')], Action::Search, "filter rows by their shown cells", false),
    b(X::Results, &[c(' ')], Action::Mark, "mark / unmark as false positive", false),
    b(X::Results, &[c('S')], Action::Suggest, "suggest a filter from marked hits", false),
    b(X::Results, &[c('y')], Action::Copy, "copy cell (OSC 52)", false),
    b(X::Results, &[c('Y')], Action::CopyRow, "copy row as JSON (OSC 52)", false),
    b(X::Results, &[c('p')], Action::Pivot, "pivot: this value in every table", false),
    b(X::Results, &[c('P')], Action::PivotDevice, "pivot: this device, every table, ±1 h", false),
    b(X::Results, &[c('E')], Action::Export, "export the view (CSV / JSON)", false),
    b(X::Results, &[c('f')], Action::Stack, "stack column (value counts)", true),
    b(X::Results, &[K(KeyCode::Left)], Action::ScrollLeft, "column cursor left (columns scroll to it)", false),
    b(X::Results, &[K(KeyCode::Right)], Action::ScrollRight, "column cursor right (columns scroll to it)", false),
    b(X::Results, &[c('-')], Action::HideColumn, "hide the cursor column (c shows it again)", false),
    b(X::Results, &[c('<')], Action::MoveColumnLeft, "move the column left (first is pinned)", false),
    b(X::Results, &[c('>')], Action::MoveColumnRight, "move the column right", false),
    b(X::Results, &[c('c')], Action::Columns, "columns: show, hide, reorder", false),
    b(X::Table, &[K(KeyCode::Enter)], Action::Enter, "inspect cell", true),
    b(X::Table, &[K(KeyCode::Esc)], Action::Back, "back", true),
    b(X::Table, &[c('s')], Action::Sort, "sort by the cursor column", true),
    b(X::Table, &[c('r')], Action::Reverse, "reverse the sort", false),
    b(X::Table, &[c('/')], Action::Search, "filter rows by their shown cells", false),
    b(X::Table, &[c('y')], Action::Copy, "copy cell (OSC 52)", false),
    b(X::Table, &[c('Y')], Action::CopyRow, "copy shown columns as JSON (OSC 52)", false),
    b(X::Table, &[c('p')], Action::Pivot, "pivot: this value in every table", true),
    b(X::Table, &[c('P')], Action::PivotDevice, "pivot: this device, every table, ±1 h", false),
    b(X::Table, &[c('E')], Action::Export, "export shown columns (CSV / JSON)", false),
    b(X::Table, &[c('f')], Action::Stack, "stack column (value counts)", true),
    b(X::Table, &[K(KeyCode::Left)], Action::ScrollLeft, "column cursor left (columns scroll to it)", false),
    b(X::Table, &[K(KeyCode::Right)], Action::ScrollRight, "column cursor right (columns scroll to it)", false),
    b(X::Table, &[c('-')], Action::HideColumn, "hide the cursor column (c shows it again)", false),
    b(X::Table, &[c('<')], Action::MoveColumnLeft, "move the column left (first is pinned)", false),
    b(X::Table, &[c('>')], Action::MoveColumnRight, "move the column right", false),
    b(X::Table, &[c('c')], Action::Columns, "columns: show, hide, reorder", false),
    b(X::Stack, &[K(KeyCode::Enter)], Action::Enter, "rows with this value", true),
    b(X::Stack, &[K(KeyCode::Esc)], Action::Back, "back", true),
    b(X::Stack, &[c('r')], Action::Reverse, "rare first / common first", true),
    b(X::Stack, &[c('s')], Action::Sort, "sort by the cursor column", false),
    b(X::Stack, &[c('x')], Action::Propose, "exclude this value (previewed first)", true),
    b(X::Stack, &[c('/')], Action::Search, "filter the values", false),
    b(X::Stack, &[K(KeyCode::Left)], Action::ScrollLeft, "column cursor left", false),
    b(X::Stack, &[K(KeyCode::Right)], Action::ScrollRight, "column cursor right", false),
    b(X::Stack, &[c('-')], Action::HideColumn, "hide the cursor column (c shows it again)", false),
    b(X::Stack, &[c('<')], Action::MoveColumnLeft, "move the column left (first is pinned)", false),
    b(X::Stack, &[c('>')], Action::MoveColumnRight, "move the column right", false),
    b(X::Stack, &[c('c')], Action::Columns, "columns: show, hide, reorder", false),
    b(X::Event, &[c('y')], Action::Copy, "copy value (OSC 52)", true),
    b(X::Event, &[c('Y')], Action::CopyRow, "copy the event as JSON (OSC 52)", false),
    b(X::Event, &[c('p')], Action::Pivot, "pivot: this value in every table", true),
    b(X::Event, &[c('P')], Action::PivotDevice, "pivot: this device, every table, ±1 h", false),
    b(X::Event, &[c('E')], Action::Export, "export the event (CSV / JSON)", false),
    b(X::Event, &[c('x')], Action::Propose, "exclude this value (choose the operator)", true),
    b(X::Event, &[c('X')], Action::JumpToExclusion, "show the exclusion that hides it", false),
    b(X::Event, &[K(KeyCode::Esc)], Action::Back, "back", true),
    b(X::Exclusions, &[c(' ')], Action::Toggle, "enable / disable", true),
    b(X::Exclusions, &[c('a')], Action::Add, "add exclusion (name, description, filter)", true),
    b(X::Exclusions, &[c('e')], Action::Edit, "edit name, description, filter", true),
    b(X::Exclusions, &[c('r')], Action::Rename, "rename", false),
    b(X::Exclusions, &[c('d'), K(KeyCode::Delete)], Action::DeleteExclusion, "delete", true),
    b(X::Exclusions, &[c('u')], Action::Undo, "undo the last edit of this rule's exclusions", true),
    b(X::Exclusions, &[c('K')], Action::MoveUp, "move up", false),
    b(X::Exclusions, &[c('J')], Action::MoveDown, "move down", false),
    b(X::Running, &[K(KeyCode::Esc), Key::Ctrl('c')], Action::CancelQuery, "cancel it", true),
    b(X::Loading, &[K(KeyCode::Esc)], Action::Quit, "quit", true),
    b(X::Prompt, &[K(KeyCode::Enter)], Action::Submit, "accept", true),
    b(X::Prompt, &[K(KeyCode::Esc)], Action::Cancel, "cancel", true),
    b(X::Prompt, &[K(KeyCode::Backspace)], Action::Backspace, "delete back", false),
    b(X::Prompt, &[K(KeyCode::Delete)], Action::Delete, "delete", false),
    b(X::Prompt, &[K(KeyCode::Left)], Action::Left, "cursor left", false),
    b(X::Prompt, &[K(KeyCode::Right)], Action::Right, "cursor right", false),
    b(X::Prompt, &[K(KeyCode::Home), Key::Ctrl('a')], Action::Home, "cursor to start", false),
    b(X::Prompt, &[K(KeyCode::End), Key::Ctrl('e')], Action::End, "cursor to end", false),
    b(X::Editor, &[K(KeyCode::Enter)], Action::Submit, "run the query", true),
    b(X::Editor, &[Key::Ctrl('j'), Key::Alt(KeyCode::Enter)], Action::Newline, "new line", true),
    b(X::Editor, &[K(KeyCode::Tab)], Action::Complete, "complete table / operator / column (again: next)", true),
    b(X::Editor, &[K(KeyCode::Up)], Action::Up, "line up; on the first line, older query", true),
    b(X::Editor, &[K(KeyCode::Down)], Action::Down, "line down; on the last line, newer query", false),
    b(X::Editor, &[K(KeyCode::Esc)], Action::Cancel, "close (the text is kept)", true),
    b(X::Editor, &[K(KeyCode::Backspace)], Action::Backspace, "delete back (joins lines)", false),
    b(X::Editor, &[K(KeyCode::Delete)], Action::Delete, "delete (joins lines)", false),
    b(X::Editor, &[K(KeyCode::Left)], Action::Left, "cursor left", false),
    b(X::Editor, &[K(KeyCode::Right)], Action::Right, "cursor right", false),
    b(X::Editor, &[K(KeyCode::Home), Key::Ctrl('a')], Action::Home, "line start", false),
    b(X::Editor, &[K(KeyCode::End), Key::Ctrl('e')], Action::End, "line end", false),
    b(X::Help, &[K(KeyCode::Esc), c('?'), c('q')], Action::Cancel, "close help", true),
    b(X::Help, &[c('k'), K(KeyCode::Up)], Action::Up, "scroll up", false),
    b(X::Help, &[c('j'), K(KeyCode::Down)], Action::Down, "scroll down", false),
    b(X::Report, &[K(KeyCode::Esc), c('L'), c('q')], Action::Cancel, "close the report", true),
    b(X::Cell, &[K(KeyCode::Esc), K(KeyCode::Enter), c('q')], Action::Cancel, "close the inspector", true),
    b(X::Cell, &[c('k'), K(KeyCode::Up)], Action::Up, "scroll up", false),
    b(X::Cell, &[c('j'), K(KeyCode::Down)], Action::Down, "scroll down", false),
    b(X::Cell, &[K(KeyCode::PageUp)], Action::PageUp, "page up", false),
    b(X::Cell, &[K(KeyCode::PageDown)], Action::PageDown, "page down", false),
    b(X::Report, &[c('k'), K(KeyCode::Up)], Action::Up, "scroll up", false),
    b(X::Report, &[c('j'), K(KeyCode::Down)], Action::Down, "scroll down", false),
    b(X::Messages, &[K(KeyCode::Esc), c('M'), c('q')], Action::Cancel, "close the log", true),
    b(X::Messages, &[c('k'), K(KeyCode::Up)], Action::Up, "scroll up", false),
    b(X::Messages, &[c('j'), K(KeyCode::Down)], Action::Down, "scroll down", false),
    b(X::Suggest, &[c('k'), K(KeyCode::Up)], Action::Up, "previous proposal", false),
    b(X::Suggest, &[c('j'), K(KeyCode::Down)], Action::Down, "next proposal", false),
    b(X::Suggest, &[K(KeyCode::Enter)], Action::Submit, "add it as an exclusion", true),
    b(X::Suggest, &[c('e')], Action::Edit, "edit it, then add", true),
    b(X::Suggest, &[K(KeyCode::Esc), c('q')], Action::Cancel, "close", true),
    b(X::Form, &[K(KeyCode::Tab), K(KeyCode::Down)], Action::NextField, "next field", true),
    b(X::Form, &[K(KeyCode::BackTab), K(KeyCode::Up)], Action::PrevField, "previous field", false),
    b(X::Form, &[K(KeyCode::Enter)], Action::Submit, "save the exclusion", true),
    b(X::Form, &[K(KeyCode::Esc)], Action::Cancel, "cancel", true),
    b(X::Form, &[K(KeyCode::Backspace)], Action::Backspace, "delete back", false),
    b(X::Form, &[K(KeyCode::Delete)], Action::Delete, "delete", false),
    b(X::Form, &[K(KeyCode::Left)], Action::Left, "cursor left", false),
    b(X::Form, &[K(KeyCode::Right)], Action::Right, "cursor right", false),
    b(X::Form, &[K(KeyCode::Home), Key::Ctrl('a')], Action::Home, "cursor to start", false),
    b(X::Form, &[K(KeyCode::End), Key::Ctrl('e')], Action::End, "cursor to end", false),
    b(X::SavePreview, &[c('s'), K(KeyCode::Enter)], Action::SaveRule, "save this rule", true),
    b(X::SavePreview, &[c('a')], Action::SaveAll, "save all changed rules", true),
    b(X::SavePreview, &[K(KeyCode::Esc), c('c')], Action::Cancel, "cancel", true),
    b(X::SavePreview, &[c('k'), K(KeyCode::Up)], Action::Up, "scroll up", false),
    b(X::SavePreview, &[c('j'), K(KeyCode::Down)], Action::Down, "scroll down", false),
    b(X::SavePreview, &[K(KeyCode::PageUp)], Action::PageUp, "page up", false),
    b(X::SavePreview, &[K(KeyCode::PageDown)], Action::PageDown, "page down", false),
    b(X::Chooser, &[c('k'), K(KeyCode::Up)], Action::Up, "previous operator", false),
    b(X::Chooser, &[c('j'), K(KeyCode::Down)], Action::Down, "next operator", false),
    b(X::Chooser, &[K(KeyCode::Tab)], Action::NextField, "join the built filter: new / and / or", true),
    b(X::Chooser, &[K(KeyCode::Enter)], Action::Submit, "open the form with it", true),
    b(X::Chooser, &[c('b')], Action::Build, "keep building (x adds to it)", true),
    b(X::Chooser, &[K(KeyCode::Esc)], Action::Cancel, "cancel", true),
    b(X::Columns, &[c('k'), K(KeyCode::Up)], Action::Up, "previous column", false),
    b(X::Columns, &[c('j'), K(KeyCode::Down)], Action::Down, "next column", false),
    b(X::Columns, &[K(KeyCode::PageUp)], Action::PageUp, "page up", false),
    b(X::Columns, &[K(KeyCode::PageDown)], Action::PageDown, "page down", false),
    b(X::Columns, &[c('g'), K(KeyCode::Home)], Action::Top, "first column", false),
    b(X::Columns, &[c('G'), K(KeyCode::End)], Action::Bottom, "last column", false),
    b(X::Columns, &[c(' ')], Action::Toggle, "show / hide", true),
    b(X::Columns, &[c('K')], Action::MoveUp, "move up", true),
    b(X::Columns, &[c('J')], Action::MoveDown, "move down", true),
    b(X::Columns, &[c('a')], Action::ShowAll, "show every column", false),
    b(X::Columns, &[c('/')], Action::Search, "find by name", true),
    b(X::Columns, &[K(KeyCode::Enter)], Action::Submit, "apply", true),
    b(X::Columns, &[K(KeyCode::Esc), c('q')], Action::Cancel, "cancel", true),
    b(X::Confirm, &[c('y')], Action::Yes, "save all, then quit", true),
    b(X::Confirm, &[c('n')], Action::No, "quit without saving", true),
    b(X::Confirm, &[c('c'), K(KeyCode::Esc)], Action::Cancel, "cancel", true),
];

/// The action for `ev` in the active `contexts` (most specific first). In
/// the input line any other printable character is typed.
pub fn action_for(contexts: &[Context], ev: KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    let key = match ev.code {
        KeyCode::Char(ch) if ev.modifiers.contains(KeyModifiers::CONTROL) => Key::Ctrl(ch.to_ascii_lowercase()),
        KeyCode::Enter if ev.modifiers.contains(KeyModifiers::ALT) => Key::Alt(KeyCode::Enter),
        code => Key::Code(code),
    };
    for ctx in contexts {
        if let Some(bind) = KEYS.iter().find(|bd| bd.context == *ctx && bd.keys.contains(&key)) {
            return Some(bind.action);
        }
    }
    match (contexts.first(), key) {
        (Some(Context::Prompt | Context::Editor | Context::Form), Key::Code(KeyCode::Char(ch))) if !ch.is_control() => {
            Some(Action::Input(ch))
        }
        // Ctrl-C always quits, even from the input line or a dialog.
        (_, Key::Ctrl('c')) => Some(Action::Quit),
        _ => None,
    }
}

/// A key as the help writes it.
pub fn key_name(k: Key) -> String {
    match k {
        Key::Ctrl(ch) => format!("Ctrl-{}", ch.to_ascii_uppercase()),
        Key::Alt(code) => format!("Alt-{}", key_name(Key::Code(code))),
        Key::Code(code) => match code {
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(ch) => ch.to_string(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        },
    }
}

/// All keys of a binding, joined ("k/↑").
pub fn keys_text(bind: &Binding) -> String {
    bind.keys.iter().map(|k| key_name(*k)).collect::<Vec<_>>().join("/")
}

/// The footer's bindings for the active contexts, most specific first, each
/// with its keys as written; a key bound in a more specific context shadows
/// the general one.
pub fn footer_bindings(contexts: &[Context]) -> Vec<(String, &'static Binding)> {
    let mut out: Vec<(String, &'static Binding)> = Vec::new();
    for bd in contexts.iter().flat_map(|ctx| KEYS.iter().filter(move |bd| bd.context == *ctx && bd.footer)) {
        let keys = keys_text(bd);
        if !out.iter().any(|(k, _)| *k == keys) {
            out.push((keys, bd));
        }
    }
    out
}

/// The footer's (keys, label) pairs for the active contexts, most specific first.
pub fn footer(contexts: &[Context]) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> =
        footer_bindings(contexts).into_iter().map(|(k, bd)| (k, bd.label)).collect();
    // The way to every other key comes first, so no width cuts it off.
    if let Some(i) = out.iter().position(|(_, label)| *label == HELP) {
        let help = out.remove(i);
        out.insert(0, help);
    }
    out
}

/// The contexts in help order, each with its bindings.
pub fn grouped() -> Vec<(Context, Vec<&'static Binding>)> {
    let mut out: Vec<(Context, Vec<&'static Binding>)> = Vec::new();
    for bd in KEYS {
        match out.iter_mut().find(|(ctx, _)| *ctx == bd.context) {
            Some((_, list)) => list.push(bd),
            None => out.push((bd.context, vec![bd])),
        }
    }
    out
}

/// The key table as Markdown (for the README).
pub fn markdown_table() -> String {
    let mut out = String::from("| where | keys | does |\n|---|---|---|\n");
    for (ctx, binds) in grouped() {
        for bd in binds {
            let keys = keys_text(bd).replace('|', "\\|");
            out.push_str(&format!("| {} | `{}` | {} |\n", ctx.title(), keys, bd.label));
        }
    }
    out
}
