//! The application state: one [`App`] with a sub-struct per pane. Only
//! [`App::update`] (in `update.rs`) changes it; drawing reads it.

use crate::hunt::Hunt;
use crate::session::Loaded;

use super::grid::{GridState, SortBy};
use super::keys::Context;
use super::sources::GROUP_HITS;

pub use super::state::{
    CollateralRow, Drill, EventView, ExclusionsPane, Feedback, FpMarks, FrameView, HitRow, LOG_LEN, LoadInfo, Prompt,
    PromptKind, QueryPane, ResultsPane, RuleEntry, RuleSort, RulesPane, StatusPane, Stopwatch, SuggestView, rule_group,
};

/// A background job's result: applied to the app on the UI thread, told
/// whether the job was cancelled meanwhile.
pub type Finish = Box<dyn FnOnce(&mut App, bool) + Send>;

/// The panes that take focus, in Tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The rule list.
    Rules,
    /// Device groups, a device's hits, a raw event, or a query result.
    Results,
    /// The selected rule's exclusions.
    Exclusions,
    /// The selected rule's KQL and effective KQL.
    Query,
}

impl Focus {
    /// Tab order.
    pub const ALL: [Focus; 4] = [Focus::Rules, Focus::Results, Focus::Exclusions, Focus::Query];
}

/// A window over everything else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// None.
    None,
    /// The key help, scrolled by this many lines.
    Help(u16),
    /// The load report, scrolled by this many lines.
    Report(u16),
    /// "Unsaved changes: save, discard or cancel?"
    ConfirmQuit,
    /// One cell of a table result, whole.
    Cell(CellView),
    /// The message log, scrolled by this many lines.
    Messages(u16),
    /// Filters proposed from the hits marked as false positives.
    Suggest(SuggestView),
    /// The exclusion form.
    Form(Box<super::dialogs::ExclusionForm>),
    /// The save preview.
    SavePreview(Box<super::dialogs::SavePreview>),
    /// The operator chooser of `x`.
    Chooser(Box<super::dialogs::Chooser>),
    /// The column chooser of the grid shown (`c`).
    Columns(Box<super::columns::ColumnChooser>),
}

/// The cell inspector: a column's name and one value in full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellView {
    /// The column name.
    pub column: String,
    /// The value, JSON pretty-printed (not yet inert).
    pub text: String,
    /// Lines scrolled.
    pub scroll: u16,
}

/// The whole application state.
pub struct App {
    /// The background job (an ad-hoc query, stacking, proposals), if one runs.
    pub running: Option<super::job::Job<Finish>>,
    /// The hunting session.
    pub hunt: Hunt,
    /// What was loaded.
    pub info: LoadInfo,
    /// The focused pane.
    pub focus: Focus,
    /// The focused pane takes the whole body.
    pub zoom: bool,
    /// An overlay window.
    pub overlay: Overlay,
    /// What the quit prompt lists: per rule with unsaved changes, the files
    /// a save would write (worked out, reading them, when the prompt opens).
    pub quit_plan: Vec<(String, String)>,
    /// The input line, when open.
    pub prompt: Option<Prompt>,
    /// The query editor (kept, with its text, while closed).
    pub editor: super::editor::Editor,
    /// The rule list.
    pub rules: RulesPane,
    /// The results pane.
    pub results: ResultsPane,
    /// The exclusions pane.
    pub exclusions: ExclusionsPane,
    /// The query pane.
    pub query: QueryPane,
    /// The status bar.
    pub status: StatusPane,
    /// Hits marked as false positives, per rule.
    pub marks: FpMarks,
    /// The terminal size (width, height).
    pub size: (u16, u16),
    /// How timings are measured.
    pub stopwatch: Stopwatch,
    /// An OSC 52 sequence to write to the terminal after the next draw.
    pub clipboard: Option<String>,
    /// Set when the program should end.
    pub quit: bool,
    /// What each derived list was built from, and how often it was rebuilt.
    pub derived: super::derived::Derived,
    /// The events loading and the rules running, until they are done.
    pub load: Option<super::load_state::Loading>,
    /// Why loading failed (the app quits; the caller reports it).
    pub load_error: Option<crate::session::SessionError>,
}

impl App {
    /// A new app over a loaded hunt, for a terminal of `size`.
    pub fn new(loaded: Loaded, size: (u16, u16)) -> App {
        let info = LoadInfo { report: loaded.events.report, elapsed: loaded.events.elapsed, clock: loaded.clock };
        App::over(loaded.hunt, info, size, None)
    }

    /// A new app over a hunt whose rules have not run ([`Hunt::pending`]):
    /// the rule list shows at once, and `load` brings the events and runs.
    pub fn loading(hunt: Hunt, size: (u16, u16), load: super::load_state::Loading) -> App {
        let clock = crate::session::Clock { now: 0, source: crate::session::ClockSource::WallClock };
        let info = LoadInfo { report: Default::default(), elapsed: Default::default(), clock };
        App::over(hunt, info, size, Some(load))
    }

    fn over(hunt: Hunt, info: LoadInfo, size: (u16, u16), load: Option<super::load_state::Loading>) -> App {
        let mut app = App {
            hunt,
            info,
            focus: Focus::Rules,
            zoom: false,
            overlay: Overlay::None,
            quit_plan: Vec::new(),
            prompt: None,
            editor: super::editor::Editor::default(),
            rules: RulesPane {
                selected: 0,
                search: String::new(),
                sort: RuleSort::Name,
                order: Vec::new(),
                failed: Vec::new(),
            },
            results: ResultsPane {
                order: Vec::new(),
                selected: 0,
                grid: GridState::new(Some(SortBy { col: GROUP_HITS, desc: true })),
                filter: String::new(),
                show_hidden: false,
                drill: None,
                output: None,
                adhoc: None,
                views: Vec::new(),
                hit_columns: Default::default(),
            },
            exclusions: ExclusionsPane::default(),
            query: QueryPane::default(),
            status: StatusPane::default(),
            marks: FpMarks::default(),
            size,
            stopwatch: Stopwatch::Real,
            clipboard: None,
            quit: false,
            running: None,
            derived: Default::default(),
            load,
            load_error: None,
        };
        app.derive();
        app
    }

    /// The selected rule's index in the hunt.
    pub fn rule(&self) -> Option<usize> {
        self.rules.order.get(self.rules.selected).map(|e| e.index)
    }

    /// The load problem of the selected row, when it is a rule file that
    /// failed to load.
    pub fn failed_rule(&self) -> Option<&crate::rules::RulesError> {
        let i = self.rules.selected.checked_sub(self.rules.order.len())?;
        self.hunt.rule_set().problems.get(*self.rules.failed.get(i)?)
    }

    /// The selected device group's index in the selected rule's run.
    pub fn group(&self) -> Option<usize> {
        match &self.results.drill {
            Some(d) => Some(d.group),
            None => self.results.order.get(self.results.selected).copied(),
        }
    }

    /// The key contexts active now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.running.is_some() {
            return vec![Context::Running];
        }
        if self.overlay == Overlay::ConfirmQuit {
            return vec![Context::Confirm];
        }
        if let Overlay::Form(_) = self.overlay {
            return vec![Context::Form];
        }
        if let Overlay::SavePreview(_) = self.overlay {
            return vec![Context::SavePreview];
        }
        if let Overlay::Chooser(_) = self.overlay {
            return vec![Context::Chooser];
        }
        if let Overlay::Columns(c) = &self.overlay {
            // Finding a column types its name, as the input line does.
            return vec![if c.find.is_some() { Context::Prompt } else { Context::Columns }];
        }
        if let Overlay::Help(_) = self.overlay {
            return vec![Context::Help];
        }
        if let Overlay::Report(_) = self.overlay {
            return vec![Context::Report];
        }
        if let Overlay::Cell(_) = self.overlay {
            return vec![Context::Cell];
        }
        if let Overlay::Messages(_) = self.overlay {
            return vec![Context::Messages];
        }
        if let Overlay::Suggest(_) = self.overlay {
            return vec![Context::Suggest];
        }
        if self.editor.open {
            return vec![Context::Editor];
        }
        if self.prompt.is_some() {
            return vec![Context::Prompt];
        }
        let pane = match self.focus {
            Focus::Rules => vec![Context::Rules],
            Focus::Results if self.top_stack().is_some() => vec![Context::Stack],
            Focus::Results if self.in_event() => vec![Context::Event, Context::Results],
            // A table result has no groups to sort, drill into or unhide.
            Focus::Results if self.frame_view().is_some() => vec![Context::Table],
            Focus::Results => vec![Context::Results],
            Focus::Exclusions => vec![Context::Exclusions],
            Focus::Query => vec![],
        };
        // While loading, Esc quits (before any pane's Esc).
        let loading = self.load.as_ref().map(|_| Context::Loading);
        loading.into_iter().chain(pane).chain([Context::Global]).collect()
    }

    /// The table result the results pane shows, if any: an ad-hoc query's,
    /// or the rule's own output when no drill-down is open.
    pub fn frame_view(&self) -> Option<&FrameView> {
        let r = &self.results;
        if let Some(top) = self.pushed_rows() {
            return top;
        }
        r.adhoc.as_ref().or(if r.drill.is_none() { r.output.as_ref() } else { None })
    }

    /// True when a raw event is open.
    pub fn in_event(&self) -> bool {
        self.results.adhoc.is_none()
            && self.results.views.is_empty()
            && self.results.drill.as_ref().is_some_and(|d| d.event.is_some())
    }
}
