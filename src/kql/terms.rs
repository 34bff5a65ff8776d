//! Kusto's term rules, the basis of `has`, `hasprefix`, `hassuffix`,
//! `has_any` and `has_all` (see `kql-semantics.md` §1–4), plus the
//! allocation-free ASCII case-insensitive substring search they share with
//! `contains`/`startswith`/`endswith`.
//!
//! A term is a maximal run of `[A-Za-z0-9]` (§1). A needle is matched as a
//! *phrase*: a substring of the haystack whose ends fall on term boundaries
//! wherever the needle itself begins/ends with a term character (§2). A
//! single-term needle therefore matches exactly a whole term. `hasprefix`
//! drops the boundary check at the end, `hassuffix` at the start (§3).
//!
//! Case-insensitive matching folds ASCII letters without allocating when the
//! needle is ASCII (the common case); a non-ASCII needle falls back to simple
//! Unicode lowercasing of both sides, as `contains` does (§5).

use memchr::{memchr, memchr2, memmem};

/// True for a byte that is part of a term (`[A-Za-z0-9]`, §1). Every other
/// byte, including all bytes of non-ASCII characters, separates terms.
#[inline]
pub fn is_term_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `hay has needle` (`has_cs` when `case_sensitive`): the needle occurs as a
/// whole term, or as a phrase aligned to term boundaries (§2).
pub fn has(hay: &str, needle: &str, case_sensitive: bool) -> bool {
    phrase(hay, needle, case_sensitive, true, true)
}

/// `hay hasprefix needle`: some term starts with the needle (§3).
pub fn has_prefix(hay: &str, needle: &str, case_sensitive: bool) -> bool {
    phrase(hay, needle, case_sensitive, true, false)
}

/// `hay hassuffix needle`: some term ends with the needle (§3).
pub fn has_suffix(hay: &str, needle: &str, case_sensitive: bool) -> bool {
    phrase(hay, needle, case_sensitive, false, true)
}

/// The phrase search. `start_bound`/`end_bound` say whether a match must sit on
/// a term boundary at that end (only enforced where the needle has a term
/// character at that end, §2). An empty needle matches everywhere
/// (**[not in docs]**, follows from the phrase model).
fn phrase(hay: &str, needle: &str, case_sensitive: bool, start_bound: bool, end_bound: bool) -> bool {
    let nb = needle.as_bytes();
    let (Some(&first), Some(&last)) = (nb.first(), nb.last()) else {
        return true;
    };
    let check_start = start_bound && is_term_byte(first);
    let check_end = end_bound && is_term_byte(last);
    if !case_sensitive && !needle.is_ascii() {
        let (h, n) = (hay.to_lowercase(), needle.to_lowercase());
        return any_match(h.as_bytes(), n.as_bytes(), true, check_start, check_end);
    }
    any_match(hay.as_bytes(), nb, case_sensitive, check_start, check_end)
}

/// True if some occurrence of `needle` in `hay` satisfies the boundary checks.
fn any_match(hay: &[u8], needle: &[u8], case_sensitive: bool, check_start: bool, check_end: bool) -> bool {
    let ok = |at: usize| {
        let end = at + needle.len();
        (!check_start || at == 0 || !hay.get(at - 1).is_some_and(|&b| is_term_byte(b)))
            && (!check_end || !hay.get(end).is_some_and(|&b| is_term_byte(b)))
    };
    if case_sensitive { overlapping(hay, needle).any(ok) } else { AsciiCiMatches::new(hay, needle).any(ok) }
}

/// Offsets of every occurrence of a non-empty `needle` in `hay`, overlapping
/// ones included (`memmem::find_iter` skips those, which would miss e.g. the
/// aligned `a.a` in `xa.a.a`).
pub fn overlapping<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    let finder = memmem::Finder::new(needle);
    let mut pos = 0;
    std::iter::from_fn(move || {
        let at = pos + finder.find(hay.get(pos..)?)?;
        pos = at + 1;
        Some(at)
    })
}

/// Offsets of every (possibly overlapping) ASCII case-insensitive occurrence
/// of `needle` in `hay`. Candidates come from `memchr` on the needle's first
/// byte in both cases, so no lowercased copy is made.
pub struct AsciiCiMatches<'a> {
    hay: &'a [u8],
    needle: &'a [u8],
    pos: usize,
}

impl<'a> AsciiCiMatches<'a> {
    /// Searches `hay` for `needle`; a non-empty needle is expected.
    pub fn new(hay: &'a [u8], needle: &'a [u8]) -> Self {
        AsciiCiMatches { hay, needle, pos: 0 }
    }
}

impl Iterator for AsciiCiMatches<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let first = *self.needle.first()?;
        let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
        let n = self.needle.len();
        loop {
            let rest = self.hay.get(self.pos..)?;
            if rest.len() < n {
                self.pos = self.hay.len();
                return None;
            }
            let window = &rest[..rest.len() - n + 1];
            let found = if lo == up { memchr(lo, window) } else { memchr2(lo, up, window) };
            let at = self.pos + found?;
            self.pos = at + 1;
            if self.hay.get(at..at + n).is_some_and(|w| w.eq_ignore_ascii_case(self.needle)) {
                return Some(at);
            }
        }
    }
}

/// First ASCII case-insensitive occurrence of `needle` in `hay` (`Some(0)`
/// for an empty needle).
pub fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    AsciiCiMatches::new(hay, needle).next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// kql-semantics.md §2 case table (LHS, needle, case-sensitive, expected `has`).
    #[test]
    fn has_case_table() {
        let cases: &[(&str, &str, bool, bool)] = &[
            ("North America", "america", false, true), // whole term, case-insensitive (has-operator.md)
            ("North America", "amer", false, false),   // prefix of a term is not a term
            ("North America", "America", true, true),  // has_cs (has-cs-operator.md)
            ("North America", "america", true, false), // has_cs is case-sensitive
            (r"C:\Windows\System32\cmd.exe", "cmd.exe", false, true), // phrase aligned on `\` and end
            (r"C:\Windows\System32\xcmd.exe", "cmd.exe", false, false), // `x` before the match is a term char
            ("https://server.action1.com/agent", "server.action1.com", false, true),
            ("agent.server.action1.community", "server.action1.com", false, false),
            ("Level Software, Inc.", "Level Software, Inc", false, true),
            ("Level Software Inc", "Level Software, Inc", false, false), // separators match literally [not in docs]
            ("ad67d136-c1db-4f9f", "c1db", false, true),
            ("ad67d136-c1db-4f9f", "c1", false, false), // short needles are still whole-term matched (§1)
            ("", "cmd", false, false),                  // empty LHS has no terms
        ];
        for &(hay, needle, cs, want) in cases {
            assert_eq!(has(hay, needle, cs), want, "{hay:?} has{} {needle:?}", if cs { "_cs" } else { "" });
        }
    }

    /// §1: the doc's own tokenisation example; `_` and non-ASCII letters separate terms.
    #[test]
    fn terms_of_the_doc_example() {
        let hay = "id: ad67d136-c1db;FooBar3rd";
        for t in ["id", "ad67d136", "c1db", "FooBar3rd", "foobar3rd"] {
            assert!(has(hay, t, false), "{t}");
        }
        assert!(!has(hay, "FooBar", false));
        assert!(has("snake_case", "case", false)); // `_` is a separator [not in docs]
        assert!(has("caféteria", "caf", false)); // `é` is a separator [not in docs]
    }

    /// kql-semantics.md §3 case table.
    #[test]
    fn prefix_suffix_case_table() {
        assert!(has_prefix("North America", "ame", false));
        assert!(!has_prefix("North America", "mer", false));
        assert!(has_suffix("North America", "ica", false));
        assert!(!has_suffix("North America", "americ", false));
        assert!(!has_suffix("North America", "icA", true)); // hassuffix_cs
        assert!(has_suffix("North America", "icA", false));
        // §3 multi-term: boundary dropped at the end (prefix) / start (suffix) [not in docs].
        assert!(has_prefix("https://server.action1.community", "server.action1.com", false));
        assert!(!has_prefix("https://xserver.action1.com", "server.action1", false));
        assert!(has_suffix("agent.myserver.action1.com", "server.action1.com", false));
    }

    /// §2: leading/trailing punctuation in the needle needs no boundary on that side.
    #[test]
    fn punctuation_at_needle_ends_is_literal() {
        assert!(has(r"C:\Users\x\AppData\Local\Temp\a.exe", r"\temp\", false));
        assert!(has("evil.exe", ".exe", false));
        assert!(!has("evil.exe2", ".exe", false));
    }

    /// Non-ASCII needles fold with simple Unicode lowercase (§5's rule).
    #[test]
    fn non_ascii_needle_case_insensitive() {
        assert!(has("ÉCOLE x", "école x", false));
        assert!(!has("ÉCOLE x", "école x", true));
    }

    /// Overlapping occurrences are all tried: the first `a.a` in `xa.a.a` is
    /// not aligned, the second (overlapping) one is.
    #[test]
    fn overlapping_candidates_are_tried() {
        assert!(has("xa.a.a", "a.a", true));
        assert!(has("xa.a.a", "A.A", false));
        assert_eq!(overlapping(b"aaaa", b"aa").collect::<Vec<_>>(), vec![0, 1, 2]);
    }

    #[test]
    fn ascii_ci_find_overlapping_and_bounds() {
        assert_eq!(AsciiCiMatches::new(b"aAaA", b"aa").collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(find_ascii_ci(b"FabriKam", b"brik"), Some(2));
        assert_eq!(find_ascii_ci(b"ab", b"abc"), None);
        assert_eq!(find_ascii_ci(b"", b""), Some(0));
    }

    /// Reference model of §1–3 for single-term needles: tokenise, compare terms.
    fn terms(s: &str) -> Vec<String> {
        s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_string).collect()
    }

    /// Reference model of the §2 phrase rule: try every byte offset.
    fn naive_phrase(hay: &str, needle: &str, s: bool, e: bool) -> bool {
        naive(hay.to_ascii_lowercase().into_bytes(), needle.to_ascii_lowercase().into_bytes(), s, e)
    }

    fn naive_phrase_cs(hay: &str, needle: &str) -> bool {
        naive(hay.as_bytes().to_vec(), needle.as_bytes().to_vec(), true, true)
    }

    fn naive(h: Vec<u8>, n: Vec<u8>, s: bool, e: bool) -> bool {
        (0..=h.len()).any(|i| {
            h.get(i..i + n.len()) == Some(&n[..])
                && (!s || !is_term_byte(n[0]) || i == 0 || !is_term_byte(h[i - 1]))
                && (!e || !is_term_byte(n[n.len() - 1]) || h.get(i + n.len()).is_none_or(|&b| !is_term_byte(b)))
        })
    }

    proptest! {
        #[test]
        fn single_term_matches_reference(hay in "[aAbB0é_ .\\\\-]{0,24}", needle in "[aAbB0]{1,4}") {
            let ts = terms(&hay);
            let lo = needle.to_ascii_lowercase();
            prop_assert_eq!(has(&hay, &needle, false), ts.iter().any(|t| t.eq_ignore_ascii_case(&needle)));
            prop_assert_eq!(has(&hay, &needle, true), ts.contains(&needle));
            prop_assert_eq!(has_prefix(&hay, &needle, false), ts.iter().any(|t| t.to_ascii_lowercase().starts_with(&lo)));
            prop_assert_eq!(has_suffix(&hay, &needle, false), ts.iter().any(|t| t.to_ascii_lowercase().ends_with(&lo)));
        }

        #[test]
        fn phrases_match_reference(hay in "[aAbB0 .\\\\-]{0,24}", needle in "[aAbB0 .\\\\-]{1,6}") {
            prop_assert_eq!(has(&hay, &needle, false), naive_phrase(&hay, &needle, true, true));
            prop_assert_eq!(has(&hay, &needle, true), naive_phrase_cs(&hay, &needle));
            prop_assert_eq!(has_prefix(&hay, &needle, false), naive_phrase(&hay, &needle, true, false));
            prop_assert_eq!(has_suffix(&hay, &needle, false), naive_phrase(&hay, &needle, false, true));
        }

        #[test]
        fn never_panics_on_any_text(hay in any::<String>(), needle in any::<String>(), cs in any::<bool>()) {
            let _ = (has(&hay, &needle, cs), has_prefix(&hay, &needle, cs), has_suffix(&hay, &needle, cs));
        }
    }
}
