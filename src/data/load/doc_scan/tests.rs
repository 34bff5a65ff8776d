use proptest::prelude::*;
use serde_json::value::RawValue;

use super::*;

/// The elements of `{"Results":[...]}` found by the scanner, as text.
fn scanned(doc: &str) -> Option<Vec<&str>> {
    let mut scan = Scan::new(doc.as_bytes(), 0);
    if !scan.eat(b'{') || scan.plain_key()? != "Results" || !scan.eat(b'[') {
        return None;
    }
    let mut found = Vec::new();
    if scan.eat(b']') {
        return Some(found);
    }
    loop {
        let value = scan.value()?;
        found.push(&doc[value.start..value.end]);
        if !scan.eat(b',') {
            return scan.eat(b']').then_some(found);
        }
    }
}

/// The elements as serde's split finds them.
fn serde_split(doc: &str) -> Vec<&str> {
    #[derive(serde::Deserialize)]
    struct Doc<'a> {
        #[serde(borrow, rename = "Results")]
        results: Vec<&'a RawValue>,
    }
    let doc: Doc = serde_json::from_str(doc).unwrap();
    doc.results.into_iter().map(RawValue::get).collect()
}

#[test]
fn strings_hold_brackets_quotes_and_escapes() {
    let doc = r#"{"Results":[{"a":"]}\"[{","b":["x\\",{"c":"\\\""}]} , "}]" ,[[1,2],{}],-1.5e3,null,"\u005d"]}"#;
    let expected =
        [r#"{"a":"]}\"[{","b":["x\\",{"c":"\\\""}]}"#, r#""}]""#, "[[1,2],{}]", "-1.5e3", "null", r#""\u005d""#];
    assert_eq!(scanned(doc).unwrap(), expected);
    assert_eq!(serde_split(doc), expected);
}

#[test]
fn depth_counts_the_deepest_nesting() {
    let mut scan = Scan::new(br#"[{"a":[[]]},{}] 7"#, 0);
    assert_eq!(scan.value().map(|f| f.depth), Some(4));
    assert_eq!(scan.value(), Some(Found { start: 16, end: 17, depth: 0 }));
}

#[test]
fn an_unfinished_value_or_a_key_with_an_escape_is_not_found() {
    for text in [r#"{"a":"b}"#, r#"["\"]"#, "[[]", r#""abc\"#] {
        assert_eq!(Scan::new(text.as_bytes(), 0).value(), None, "{text}");
    }
    assert_eq!(Scan::new(br#""R\u0065sults":["#, 0).plain_key(), None);
    assert_eq!(Scan::new(b"\"a\tb\":1", 0).plain_key(), None);
    assert_eq!(Scan::new(br#" "Results" : ["#, 0).plain_key(), Some("Results"));
}

/// A JSON value whose strings are full of the bytes a split must not
/// mistake for structure.
fn value() -> impl Strategy<Value = serde_json::Value> {
    let text = || proptest::string::string_regex(r#"[a-z\]\[\}\{"\\:, \n\t\u{e9}\u{1F600}]{0,12}"#).unwrap();
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e6f64..1e6).prop_map(serde_json::Value::from),
        text().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 24, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::vec((text(), inner), 0..5)
                .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn element_ranges_are_serdes(elements in prop::collection::vec(value(), 0..8), pretty in any::<bool>(), gap in "[ \t\r\n]{0,3}") {
        let texts: Vec<String> = elements
            .iter()
            .map(|e| if pretty { serde_json::to_string_pretty(e) } else { serde_json::to_string(e) }.unwrap())
            .collect();
        let doc = format!("{{{gap}\"Results\"{gap}:{gap}[{gap}{}{gap}]{gap}}}", texts.join(&format!("{gap},{gap}")));
        let serde = serde_split(&doc);
        prop_assert_eq!(scanned(&doc), Some(serde));
    }
}
