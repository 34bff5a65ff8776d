//! Tests of the adaptive string storage.

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
