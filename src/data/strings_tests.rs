//! Tests of the adaptive string storage and its builder.

use super::*;

fn texts(c: &StrColumn) -> Vec<&str> {
    (0..c.len()).map(|r| c.get(r)).collect()
}

#[test]
fn repeating_values_keep_a_dictionary_unique_ones_turn_plain() {
    let repeating: Vec<String> = (0..10_000).map(|i| format!("dev-{}", i % 300)).collect();
    let c = StrColumn::from_strs(repeating.iter().map(String::as_str));
    assert_eq!(c.dictionary().map(|(_, d)| d.len()), Some(300));
    assert_eq!(texts(&c), repeating);
    let unique: Vec<String> = (0..10_000).map(|i| format!("cmd /c run {i}")).collect();
    let c = StrColumn::from_strs(unique.iter().map(String::as_str));
    assert!(c.dictionary().is_none());
    assert_eq!(texts(&c), unique);
    assert_eq!(c.get(10_000), "");
    assert_eq!(c.gather(&[3, 1]).get(0), "cmd /c run 3");
}

#[test]
fn append_of_every_pair_of_shapes_keeps_every_row() {
    let unique: Vec<String> = (0..5_000).map(|i| format!("u{i}")).collect();
    let few: Vec<String> = (0..5_000).map(|i| format!("f{}", i % 7)).collect();
    let build = |v: &[String]| {
        let mut b = StrBuilder::default();
        v.iter().for_each(|s| b.push(s));
        b
    };
    for (a, b) in [(&unique, &few), (&few, &unique), (&unique, &unique), (&few, &few)] {
        let mut x = build(a);
        x.append(build(b));
        let c = x.finish();
        let want: Vec<&str> = a.iter().chain(b.iter()).map(String::as_str).collect();
        assert_eq!(texts(&c), want);
        if let Some((_, d)) = c.dictionary() {
            let mut vals: Vec<&str> = d.values().iter().map(|v| &**v).collect();
            vals.sort_unstable();
            vals.dedup();
            assert_eq!(vals.len(), d.len(), "a merged dictionary stays deduplicated");
        }
    }
}

#[test]
fn hints_and_codes_work_in_both_shapes() {
    let mut b = StrBuilder::with_hint(StrHint::Plain);
    let x = b.intern("x");
    b.push_code(x);
    b.push_n("y", 2);
    assert_eq!(b.hint(), StrHint::Plain);
    assert_eq!(texts(&b.finish()), ["x", "y", "y"]);
    let mut d = StrBuilder::dictionary_only();
    (0..5_000).for_each(|i| d.push(&i.to_string()));
    assert_eq!(d.hint(), StrHint::Dict(5_000));
}

/// A chunk of rows for the property test: values from a small or a large
/// alphabet (so both dictionary and plain builders occur), pushed one by
/// one, `n` at a time, or by code.
fn chunk_strategy() -> impl proptest::strategy::Strategy<Value = (Vec<(String, usize)>, u8)> {
    use proptest::prelude::*;
    let value = prop_oneof![
        "[ab]{0,2}".prop_map(String::from),
        "[a-zé]{0,3}".prop_map(String::from),
        any::<u32>().prop_map(|n| format!("unique-{n}")),
    ];
    (proptest::collection::vec((value, 0usize..3), 0..3000), any::<u8>())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

    /// Building chunks with any hint and merging them in order gives the
    /// rows pushed, and a dictionary result stays deduplicated (equal codes
    /// exactly when equal strings).
    #[test]
    fn chunks_built_and_merged_keep_every_row(chunks in proptest::collection::vec(chunk_strategy(), 1..5)) {
        let mut want: Vec<String> = Vec::new();
        let mut merged: Option<StrBuilder> = None;
        for (rows, mode) in chunks {
            let hint = match (mode % 3, &merged) {
                (0, Some(m)) => m.hint(),
                (1, _) => StrHint::Plain,
                _ => StrHint::Dict(usize::from(mode)),
            };
            let mut b = if mode % 7 == 6 { StrBuilder::dictionary_only() } else { StrBuilder::with_hint(hint) };
            for (s, how) in &rows {
                match how {
                    0 => b.push(s),
                    1 => b.push_n(s, 2),
                    _ => {
                        let code = b.intern(s);
                        b.push_code(code);
                    }
                }
                let times = if *how == 1 { 2 } else { 1 };
                want.extend(std::iter::repeat_n(s.clone(), times));
            }
            proptest::prop_assert_eq!(b.len(), want.len() - merged.as_ref().map_or(0, StrBuilder::len));
            match &mut merged {
                Some(m) => m.append(b),
                None => merged = Some(b),
            }
        }
        let column = merged.unwrap_or_default().finish();
        proptest::prop_assert_eq!(texts(&column), want.iter().map(String::as_str).collect::<Vec<_>>());
        if let Some((codes, dict)) = column.dictionary() {
            let mut seen = std::collections::HashMap::new();
            for (row, &code) in codes.iter().enumerate() {
                proptest::prop_assert_eq!(&**dict.get(code), want[row].as_str());
                proptest::prop_assert_eq!(*seen.entry(want[row].as_str()).or_insert(code), code);
            }
            let distinct: std::collections::HashSet<&str> = dict.values().iter().map(|v| &**v).collect();
            proptest::prop_assert_eq!(distinct.len(), dict.len());
        }
    }
}
