//! The syntax of the `scan` operator (scan-operator.md).

use super::{Expr, Ident, SortKey};
use crate::data::DataType;

/// `scan [with_match_id=Id] [order by ...] [partition by ...] [declare (...)] with (steps)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Scan {
    /// `with_match_id = Name`: a `long` column with each output row's 0-based match id.
    pub match_id: Option<Ident>,
    /// `order by ...`: the order the records are scanned in (input order when empty).
    pub order: Vec<SortKey>,
    /// `partition by ...`: each distinct key is scanned on its own, with its own state.
    pub partition: Vec<Expr>,
    /// `declare (Name: type [= default], ...)`: columns the steps assign.
    pub declare: Vec<ScanDeclare>,
    /// The steps, in order.
    pub steps: Vec<ScanStep>,
}

/// One `Name: type [= default]` of a scan's `declare` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanDeclare {
    /// The column's name.
    pub name: Ident,
    /// Its type.
    pub dtype: DataType,
    /// Its value until a step assigns it (null when absent).
    pub default: Option<Expr>,
}

/// Which of a step's matches reach the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanOutput {
    /// Every match (the default).
    All,
    /// Only the last of a series of repeated matches.
    Last,
    /// None.
    None,
}

/// `step Name [output=all|last|none]: Condition [=> Col = expr, ...];`
#[derive(Clone, Debug, PartialEq)]
pub struct ScanStep {
    /// The step's name, used as `Name.Column` to read its state.
    pub name: Ident,
    /// Which matches are output.
    pub output: ScanOutput,
    /// When a record matches.
    pub condition: Expr,
    /// `Col = expr` assignments applied to a matching record.
    pub assign: Vec<(Ident, Expr)>,
}
