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
    /// The input line (search, filters, ad-hoc KQL).
    Prompt,
    /// The help overlay.
    Help,
    /// The load report overlay.
    Report,
    /// The message log overlay.
    Messages,
    /// The "unsaved changes" question on quit.
    Confirm,
    /// While an ad-hoc query runs.
    Running,
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
            Context::Help => "Help",
            Context::Report => "Load report",
            Context::Messages => "Message log",
            Context::Confirm => "Quit with unsaved changes",
            Context::Running => "While a query runs",
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
    b(X::Global, &[c(':')], Action::AdHoc, "ad-hoc KQL query", true),
    b(X::Global, &[c('w')], Action::Save, "save changed rules", true),
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
    b(X::Results, &[c('/')], Action::Search, "filter the rows", false),
    b(X::Results, &[c('f')], Action::Stack, "stack column (value counts)", true),
    b(X::Results, &[K(KeyCode::Left)], Action::ScrollLeft, "column cursor left (columns scroll to it)", false),
    b(X::Results, &[K(KeyCode::Right)], Action::ScrollRight, "column cursor right (columns scroll to it)", false),
    b(X::Table, &[K(KeyCode::Enter)], Action::Enter, "inspect cell", true),
    b(X::Table, &[K(KeyCode::Esc)], Action::Back, "back", true),
    b(X::Table, &[c('s')], Action::Sort, "sort by the cursor column", true),
    b(X::Table, &[c('r')], Action::Reverse, "reverse the sort", false),
    b(X::Table, &[c('/')], Action::Search, "filter the rows", false),
    b(X::Table, &[c('f')], Action::Stack, "stack column (value counts)", true),
    b(X::Table, &[K(KeyCode::Left)], Action::ScrollLeft, "column cursor left (columns scroll to it)", false),
    b(X::Table, &[K(KeyCode::Right)], Action::ScrollRight, "column cursor right (columns scroll to it)", false),
    b(X::Stack, &[K(KeyCode::Enter)], Action::Enter, "rows with this value", true),
    b(X::Stack, &[K(KeyCode::Esc)], Action::Back, "back", true),
    b(X::Stack, &[c('r')], Action::Reverse, "rare first / common first", true),
    b(X::Stack, &[c('s')], Action::Sort, "sort by the cursor column", false),
    b(X::Stack, &[c('x')], Action::Propose, "exclude this value (previewed first)", true),
    b(X::Stack, &[c('/')], Action::Search, "filter the values", false),
    b(X::Stack, &[K(KeyCode::Left)], Action::ScrollLeft, "column cursor left", false),
    b(X::Stack, &[K(KeyCode::Right)], Action::ScrollRight, "column cursor right", false),
    b(X::Event, &[c('y')], Action::Copy, "copy value (OSC 52)", true),
    b(X::Event, &[c('x')], Action::Propose, "exclude this value", true),
    b(X::Event, &[K(KeyCode::Esc)], Action::Back, "back", true),
    b(X::Exclusions, &[c(' ')], Action::Toggle, "enable / disable", true),
    b(X::Exclusions, &[c('a')], Action::Add, "add exclusion", true),
    b(X::Exclusions, &[c('e')], Action::Edit, "edit filter", true),
    b(X::Running, &[K(KeyCode::Esc), Key::Ctrl('c')], Action::CancelQuery, "cancel the query", true),
    b(X::Prompt, &[K(KeyCode::Enter)], Action::Submit, "accept", true),
    b(X::Prompt, &[K(KeyCode::Esc)], Action::Cancel, "cancel", true),
    b(X::Prompt, &[K(KeyCode::Backspace)], Action::Backspace, "delete back", false),
    b(X::Prompt, &[K(KeyCode::Delete)], Action::Delete, "delete", false),
    b(X::Prompt, &[K(KeyCode::Left)], Action::Left, "cursor left", false),
    b(X::Prompt, &[K(KeyCode::Right)], Action::Right, "cursor right", false),
    b(X::Prompt, &[K(KeyCode::Home), Key::Ctrl('a')], Action::Home, "cursor to start", false),
    b(X::Prompt, &[K(KeyCode::End), Key::Ctrl('e')], Action::End, "cursor to end", false),
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
        code => Key::Code(code),
    };
    for ctx in contexts {
        if let Some(bind) = KEYS.iter().find(|bd| bd.context == *ctx && bd.keys.contains(&key)) {
            return Some(bind.action);
        }
    }
    match (contexts.first(), key) {
        (Some(Context::Prompt), Key::Code(KeyCode::Char(ch))) if !ch.is_control() => Some(Action::Input(ch)),
        // Ctrl-C always quits, even from the input line or a dialog.
        (_, Key::Ctrl('c')) => Some(Action::Quit),
        _ => None,
    }
}

/// A key as the help writes it.
pub fn key_name(k: Key) -> String {
    match k {
        Key::Ctrl(ch) => format!("Ctrl-{}", ch.to_ascii_uppercase()),
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

/// The footer's (keys, label) pairs for the active contexts, most specific first.
pub fn footer(contexts: &[Context]) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for bd in contexts.iter().flat_map(|ctx| KEYS.iter().filter(move |bd| bd.context == *ctx && bd.footer)) {
        let keys = keys_text(bd);
        // A key bound in a more specific context shadows the general one.
        if !out.iter().any(|(k, _)| *k == keys) {
            out.push((keys, bd.label));
        }
    }
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
