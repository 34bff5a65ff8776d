//! The string operators (`has`, `contains`, `startswith`, `endswith`,
//! `matches regex`, their `_cs` and `!` forms) and `=~`. A [`StrMatcher`]
//! prepares the right-hand side once (lowercased needle, compiled regex), so
//! the evaluator can run it once per distinct dictionary value.

use std::sync::Arc;

use memchr::memmem;

use crate::kql::ast::{StrCmp, StrOp};
use crate::kql::eval::regexes::RegexCache;
use crate::kql::terms::{self, find_ascii_ci};

/// A string operator with its right-hand side prepared.
#[derive(Debug)]
pub struct StrMatcher {
    cmp: StrCmp,
    needle: String,
    /// Lowercased needle, for case-insensitive non-ASCII needles only.
    folded: Option<String>,
    regex: Option<Arc<regex::Regex>>,
}

impl StrMatcher {
    /// Prepares `hay <cmp> needle`; `Err` for an invalid regex.
    pub fn new(cmp: StrCmp, needle: &str, regexes: &RegexCache) -> Result<StrMatcher, String> {
        let regex = if cmp.op == StrOp::MatchesRegex { Some(regexes.get(needle)?) } else { None };
        let folded = (!cmp.case_sensitive && !needle.is_ascii()).then(|| needle.to_lowercase());
        Ok(StrMatcher { cmp, needle: needle.to_string(), folded, regex })
    }

    /// True when `hay` satisfies the operator (negation included).
    pub fn matches(&self, hay: &str) -> bool {
        self.positive(hay) != self.cmp.negated
    }

    fn positive(&self, hay: &str) -> bool {
        let (needle, cs) = (self.needle.as_str(), self.cmp.case_sensitive);
        match self.cmp.op {
            StrOp::Has => terms::has(hay, needle, cs),
            StrOp::HasPrefix => terms::has_prefix(hay, needle, cs),
            StrOp::HasSuffix => terms::has_suffix(hay, needle, cs),
            StrOp::MatchesRegex => self.regex.as_ref().is_some_and(|r| r.is_match(hay)),
            op => match &self.folded {
                Some(folded) => substring(op, &hay.to_lowercase(), folded, true),
                None => substring(op, hay, needle, cs),
            },
        }
    }
}

/// `contains` / `startswith` / `endswith` (kql-semantics.md §5). With
/// `cs == false` the needle is ASCII here, so ASCII folding is exact.
fn substring(op: StrOp, hay: &str, needle: &str, cs: bool) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let eq = |a: &[u8]| if cs { a == n } else { a.eq_ignore_ascii_case(n) };
    match op {
        StrOp::Contains if cs => memmem::find(h, n).is_some(),
        StrOp::Contains => find_ascii_ci(h, n).is_some(),
        StrOp::StartsWith => h.get(..n.len()).is_some_and(eq),
        StrOp::EndsWith => h.len() >= n.len() && eq(&h[h.len() - n.len()..]),
        _ => false,
    }
}

/// `a =~ b`: full-string equality under simple Unicode lowercase (§6).
pub fn eq_ci(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}
