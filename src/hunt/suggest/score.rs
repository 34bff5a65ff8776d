//! What a filter costs to read and to trust. Lower is better.
//!
//! Proposals are ranked first by **collateral** (unmarked hits the filter
//! would newly hide: hits already hidden by an active exclusion cost
//! nothing), then by **cost**, the sum of its atoms' costs, then by the
//! length of its text. Every atom costs:
//!
//! - its operator: `==`/`=~` 1.0, `has` 1.4 (plus 0.6 for a term under five
//!   characters: `has "app"` matches far more than the name it came from),
//!   `startswith`/`endswith` 1.5, `in`/`in~` 1.3 plus 0.4 per value after
//!   the first. Each atom adds at least 1, so fewer atoms win;
//! - its column's [`Trust`]: preferred columns (file names, folders,
//!   accounts, parent processes, signers, URLs) 0, others 0.8, command lines
//!   0.5 over the preferred ones, hashes, SIDs, GUIDs and ids 5;
//! - its literal: 5 when it looks machine-made ([`super::columns::high_entropy`]:
//!   hex runs, GUIDs, random tokens), 0.5 when it holds a run of four or more
//!   digits (versions, ticket numbers, dates change), and one per 30
//!   characters, so shorter text wins.
//!
//! ReportIds, process ids and times are never used at all (see
//! [`Trust::Never`]): a filter on one event's identity hides it and never
//! another false positive.

use super::columns::{Trust, high_entropy};

/// The operator an atom uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `==` or `=~`.
    Equals,
    /// `has`.
    Has,
    /// `startswith` or `endswith`.
    Affix,
    /// `in` or `in~` with this many values.
    In(usize),
}

/// The cost of an atom with operator `op` on a column of `trust` whose
/// literal text is `literal` (each value of an `in` list counted).
pub fn atom_cost(op: Op, trust: Trust, literals: &[&str]) -> f64 {
    let op_cost = match op {
        Op::Equals => 1.0,
        Op::Has if literals.iter().any(|l| l.chars().count() < 5) => 2.0,
        Op::Has => 1.4,
        Op::Affix => 1.5,
        Op::In(n) => 1.3 + 0.4 * n.saturating_sub(1) as f64,
    };
    let column = match trust {
        Trust::Preferred => 0.0,
        Trust::Volatile => 0.5,
        Trust::Neutral => 0.8,
        Trust::Brittle | Trust::Never => 5.0,
    };
    let literal: f64 = literals.iter().map(|l| literal_cost(l)).sum();
    op_cost + column + literal
}

fn literal_cost(s: &str) -> f64 {
    let noise = if high_entropy(s) {
        5.0
    } else if has_digit_run(s, 4) {
        0.5
    } else {
        0.0
    };
    noise + s.chars().count() as f64 / 30.0
}

fn has_digit_run(s: &str, n: usize) -> bool {
    let mut run = 0;
    for c in s.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= n {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_beats_a_hash_and_fewer_values_win() {
        let name = atom_cost(Op::Equals, Trust::Preferred, &["ccmexec.exe"]);
        let hash = atom_cost(
            Op::Equals,
            Trust::Brittle,
            &["fae8fc96661221d0d9ce4ea2669187b90253bf767596e36e9183432a04874c14"],
        );
        assert!(name < hash, "{name} < {hash}");
        let one = atom_cost(Op::Equals, Trust::Preferred, &["a.exe"]);
        let two = atom_cost(Op::In(2), Trust::Preferred, &["a.exe", "b.exe"]);
        assert!(one < two);
        let ticket = atom_cost(Op::Has, Trust::Volatile, &["INC0041877"]);
        let word = atom_cost(Op::Has, Trust::Volatile, &["deploy"]);
        assert!(word < ticket);
        let device = atom_cost(Op::Equals, Trust::Neutral, &["srv-app-02.contoso.local"]);
        let short = atom_cost(Op::Has, Trust::Neutral, &["app"]);
        assert!(device < short, "{device} < {short}");
    }
}
