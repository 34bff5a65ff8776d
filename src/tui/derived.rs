//! What each derived list of the app was last built from (see `derive.rs`),
//! and how often each was rebuilt.

use super::grid::SortBy;

/// How many times each derived part was rebuilt (tests and the status
/// bar's diagnostics read it; a counter costs nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rebuilds {
    /// The rule list.
    pub rules: u64,
    /// The device-group order.
    pub groups: u64,
    /// A device's hit list.
    pub drill: u64,
    /// The rule's own output.
    pub output: u64,
    /// Frequency views recounted or re-sorted.
    pub views: u64,
}

/// What the rule list was derived from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RulesKey {
    pub(super) generation: u64,
    pub(super) search: String,
    /// The order's label (one per order).
    pub(super) sort: &'static str,
}

/// What the device-group order was derived from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct GroupsKey {
    pub(super) rule: usize,
    pub(super) generation: u64,
    pub(super) sort: Option<SortBy>,
    pub(super) filter: String,
    /// The hidden columns: a filter matches only shown ones.
    pub(super) hidden: Vec<String>,
}

/// What a device's hit list was derived from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrillKey {
    pub(super) rule: usize,
    pub(super) group: usize,
    pub(super) generation: u64,
    pub(super) marks: u64,
    pub(super) show_hidden: bool,
    pub(super) sort: Option<SortBy>,
    pub(super) filter: String,
    /// The hidden columns: a filter matches only shown ones.
    pub(super) hidden: Vec<String>,
}

/// The inputs each derived part was last built from, and the rebuild counts.
#[derive(Clone, Debug, Default)]
pub struct Derived {
    pub(super) rules: Option<RulesKey>,
    pub(super) groups: Option<GroupsKey>,
    /// (rule, its generation) of the output shown.
    pub(super) output: Option<(usize, u64)>,
    /// Rebuilds so far.
    pub rebuilds: Rebuilds,
}
