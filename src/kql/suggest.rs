//! "Did you mean" suggestions by edit distance.

/// Levenshtein distance between two strings, case-insensitively, on chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidates closest to `name`, best first: within an edit distance of
/// about a third of the name's length, or containing it / contained in it
/// (so `AccountUpn` suggests `InitiatingProcessAccountUpn`). At most `max`.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<&'a str> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = edit_distance(name, c);
            let cl = c.to_lowercase();
            if d <= limit {
                Some((d, c))
            } else if lower.len() >= 4 && (cl.contains(&lower) || (cl.len() >= 4 && lower.contains(&cl))) {
                Some((limit + 1 + cl.len().abs_diff(lower.len()), c))
            } else {
                None
            }
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// A help text like `did you mean 'A' or 'B'?`, or `None`.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let found = closest(name, candidates, 3);
    match found.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean '{one}'?")),
        many => {
            let quoted: Vec<String> = many.iter().map(|c| format!("'{c}'")).collect();
            Some(format!("did you mean {}?", quoted.join(" or ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("FileName", "filename"), 0);
    }

    #[test]
    fn suggestions() {
        let cols = ["FileName", "FolderPath", "InitiatingProcessAccountUpn", "AccountName"];
        assert_eq!(closest("FileNme", cols, 3), vec!["FileName"]);
        assert_eq!(closest("AccountUpn", cols, 3), vec!["InitiatingProcessAccountUpn"]);
        assert!(closest("Zzzzzz", cols, 3).is_empty());
        assert_eq!(did_you_mean("FolderPth", cols).as_deref(), Some("did you mean 'FolderPath'?"));
    }
}
