//! The state of each pane and of the input line, status bar and background
//! query: the sub-structs [`super::app::App`] is made of. Only `update`
//! changes them; drawing reads them.

use std::time::Duration;

use crate::data::Value;
use crate::data::load::LoadReport;
use crate::kql::eval::Frame;
use crate::session::Clock;

use super::grid::{GridState, SortBy};
use super::sources::HIT_TIME;

pub use super::sources::HitRow;

/// How the rule list is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSort {
    /// As loaded (by file), or by fuzzy score while searching.
    Name,
    /// Most hits after exclusions first.
    Hits,
    /// Grouped by the folder of the rule file (a catalogue's tool folders).
    Folder,
    /// Grouped by the first MITRE tactic.
    Tactic,
}

impl RuleSort {
    /// The label in the pane title.
    pub fn label(self) -> &'static str {
        match self {
            RuleSort::Name => "name",
            RuleSort::Hits => "hits",
            RuleSort::Folder => "folder",
            RuleSort::Tactic => "tactic",
        }
    }

    /// True for the orders that group rules.
    pub fn groups(self) -> bool {
        matches!(self, RuleSort::Folder | RuleSort::Tactic)
    }
}

/// The group a rule belongs to under a grouping order (`""` otherwise).
pub fn rule_group(rule: &crate::rules::Rule, sort: RuleSort) -> String {
    match sort {
        RuleSort::Folder => {
            rule.path.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        }
        RuleSort::Tactic => rule.tactics.first().cloned().unwrap_or_else(|| "(no tactic)".into()),
        RuleSort::Name | RuleSort::Hits => String::new(),
    }
}

/// One visible rule in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleEntry {
    /// Index into the hunt.
    pub index: usize,
    /// Character positions of the name matched by the search.
    pub name_hits: Vec<usize>,
    /// Character positions of the table matched by the search.
    pub table_hits: Vec<usize>,
}

/// The rule list.
#[derive(Clone, Debug)]
pub struct RulesPane {
    /// Position of the selection in `order`.
    pub selected: usize,
    /// The fuzzy search text.
    pub search: String,
    /// The order.
    pub sort: RuleSort,
    /// The visible rules, in display order (derived in `update`).
    pub order: Vec<RuleEntry>,
    /// The rule files that failed to load and match the search (indices
    /// into the rule set's problems), listed after the rules so none is
    /// dropped unseen.
    pub failed: Vec<usize>,
}

impl RulesPane {
    /// Rows in the list: the rules, then the files that failed to load.
    pub fn len(&self) -> usize {
        self.order.len() + self.failed.len()
    }

    /// True when the list has no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One raw event being read.
#[derive(Clone, Debug)]
pub struct EventView {
    /// Position in the rule's hits.
    pub hit: u32,
    /// Hidden by an active exclusion.
    pub hidden: bool,
    /// The active exclusions that hide it, by name.
    pub hidden_by: Vec<String>,
    /// Every column and its value.
    pub fields: Vec<(String, Value)>,
    /// The selected field.
    pub selected: usize,
}

/// The drill-down from a device group.
#[derive(Clone, Debug)]
pub struct Drill {
    /// The device group (index into the run's groups).
    pub group: usize,
    /// The hits listed (derived in `update`).
    pub rows: Vec<HitRow>,
    /// The selected row.
    pub selected: usize,
    /// The raw event opened from the selected row.
    pub event: Option<EventView>,
    /// Column cursor, scroll and sort (by time at first).
    pub grid: GridState,
    /// Some listed hit is hidden (derived in `update`).
    pub marks: bool,
    /// Rows shown contain this text (`/`); empty shows all.
    pub filter: String,
    /// What `rows` were derived from (`None`: not yet).
    pub derived: Option<super::derived::DrillKey>,
}

impl Drill {
    /// The hit list of device group `group`, oldest first.
    pub fn new(group: usize) -> Drill {
        let grid = GridState::new(Some(SortBy { col: HIT_TIME, desc: false }));
        Drill {
            group,
            rows: Vec::new(),
            selected: 0,
            event: None,
            grid,
            marks: false,
            filter: String::new(),
            derived: None,
        }
    }
}

/// A table result (a rule's own output or an ad-hoc query).
#[derive(Clone, Debug)]
pub struct FrameView {
    /// Where it came from ("output of …", or the query text).
    pub title: String,
    /// The result as it came, or the error (with its caret).
    pub base: Result<Frame, String>,
    /// `base` sorted and filtered as `grid` and `filter` say (what is shown).
    pub frame: Result<Frame, String>,
    /// Rows shown contain this text (`/`); empty shows all.
    pub filter: String,
    /// Evaluator notes (ad-hoc queries).
    pub notes: Vec<String>,
    /// The selected row.
    pub selected: usize,
    /// Column cursor, scroll and sort.
    pub grid: GridState,
}

/// The results pane.
#[derive(Clone, Debug)]
pub struct ResultsPane {
    /// Group indices in display order (derived in `update`).
    pub order: Vec<usize>,
    /// Position of the selection in `order`.
    pub selected: usize,
    /// Column cursor, scroll and sort of the device groups.
    pub grid: GridState,
    /// Device groups shown contain this text (`/`); empty shows all.
    pub filter: String,
    /// Show hits hidden by active exclusions in the drill-down.
    pub show_hidden: bool,
    /// The drill-down, when open.
    pub drill: Option<Drill>,
    /// The rule's own output (rules whose hits carry no device).
    pub output: Option<FrameView>,
    /// An ad-hoc query's result, shown instead of the rule's groups.
    pub adhoc: Option<FrameView>,
    /// Views pushed above these (frequency views, a value's rows), top last;
    /// Esc pops one.
    pub views: Vec<super::stack::Pushed>,
    /// The hit lists' column layout: every device's hit list opens with it.
    pub hit_columns: super::grid::ColumnLayout,
}

/// The exclusions pane.
#[derive(Clone, Debug, Default)]
pub struct ExclusionsPane {
    /// The selected exclusion.
    pub selected: usize,
    /// The filter being built with `x` ... `b`, and its rule.
    pub draft: Option<(usize, String)>,
}

/// The query pane.
#[derive(Clone, Debug, Default)]
pub struct QueryPane {
    /// Lines scrolled.
    pub scroll: u16,
}

/// What the input line is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// Fuzzy search of the rules.
    Search,
    /// Text the rows of the results pane's grid must contain.
    Filter,
    /// A folder to write the tuned rules to (the bundled rules are read-only).
    WriteTo {
        /// Quit once they are written (the quit prompt's "save all").
        then_quit: bool,
    },
    /// A file to export the current view to.
    Export {
        /// The existing file Enter was pressed on once: Enter again overwrites it.
        confirm: Option<std::path::PathBuf>,
    },
}

/// Live feedback under the input line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Feedback {
    /// Nothing to say.
    #[default]
    None,
    /// The filter is valid and would hide this many of the rule's hits (of the total).
    Hides(usize, usize),
    /// The text does not parse or run (rendered with a caret).
    Error(String),
    /// An ad-hoc query is running (how long so far, and how to stop it).
    Running(String),
}

/// The input line.
#[derive(Clone, Debug)]
pub struct Prompt {
    /// What it is for.
    pub kind: PromptKind,
    /// The text.
    pub input: String,
    /// Cursor position in characters.
    pub cursor: usize,
    /// Live validation / preview.
    pub feedback: Feedback,
    /// The search text before the prompt opened (restored on cancel).
    pub before: String,
}

/// What was loaded, for the status bar.
#[derive(Clone, Debug)]
pub struct LoadInfo {
    /// The load report.
    pub report: LoadReport,
    /// How long loading took.
    pub elapsed: Duration,
    /// The session clock.
    pub clock: Clock,
}

/// How action timings are measured (fixed in tests so snapshots are stable).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stopwatch {
    /// Measure.
    Real,
    /// Always report this duration.
    Fixed(Duration),
}

/// The status bar's changing part.
#[derive(Clone, Debug, Default)]
pub struct StatusPane {
    /// The last action and how long it took.
    pub timing: Option<(&'static str, Duration)>,
    /// A message (saved, copied, an error), shown until the next action.
    pub message: Option<String>,
    /// Every message so far, oldest first (the newest [`LOG_LEN`]): a long
    /// one is cut at a word in the status bar and read whole here.
    pub log: Vec<String>,
}

/// Hits marked as false positives, per rule (its index in the hunt). Kept
/// when the analyst moves between rules and views.
#[derive(Clone, Debug, Default)]
pub struct FpMarks {
    /// Rule → marked hits (positions in its hits).
    pub by_rule: std::collections::BTreeMap<usize, std::collections::BTreeSet<u32>>,
    /// Bumped on every change, so the hit list re-derives its marks only then.
    pub generation: u64,
}

impl FpMarks {
    /// True when hit `h` of rule `r` is marked.
    pub fn is_marked(&self, r: usize, h: u32) -> bool {
        self.by_rule.get(&r).is_some_and(|s| s.contains(&h))
    }

    /// How many hits of rule `r` are marked.
    pub fn count(&self, r: usize) -> usize {
        self.by_rule.get(&r).map_or(0, |s| s.len())
    }

    /// Rule `r`'s marked hits, in hit order.
    pub fn of(&self, r: usize) -> Vec<u32> {
        self.by_rule.get(&r).map(|s| s.iter().copied().collect()).unwrap_or_default()
    }

    /// Marks every hit of `hits` when one is unmarked, else unmarks them all.
    pub fn toggle(&mut self, r: usize, hits: &[u32]) {
        self.generation += 1;
        let set = self.by_rule.entry(r).or_default();
        if hits.iter().all(|h| set.contains(h)) {
            hits.iter().for_each(|h| {
                set.remove(h);
            });
        } else {
            set.extend(hits.iter().copied());
        }
        if set.is_empty() {
            self.by_rule.remove(&r);
        }
    }
}

/// One unmarked hit a proposal would also hide, as the overlay lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollateralRow {
    /// Its ReportId.
    pub report: String,
    /// Its device.
    pub device: String,
    /// Its time, short.
    pub time: String,
}

/// The proposal overlay: filters proposed from a rule's marked hits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestView {
    /// The rule.
    pub rule: usize,
    /// How many hits are marked.
    pub marked: usize,
    /// The best proposal, then the alternatives.
    pub proposals: Vec<crate::hunt::Proposal>,
    /// Per proposal, the unmarked hits it would also hide.
    pub collateral: Vec<Vec<CollateralRow>>,
    /// The proposal picked.
    pub selected: usize,
}

/// Messages the log keeps.
pub const LOG_LEN: usize = 200;
