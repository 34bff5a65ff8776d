//! A scanner of JSON structure, for splitting a document into its elements
//! on the reading thread: it follows strings (with their escapes) and
//! nesting depth only, and finds where each value ends. It validates
//! nothing else: each element is parsed, and so checked, on a parser thread.
//! Anything it does not expect ends its part, and serde reads the rest.

use super::flat::quote_or_backslash;

/// A position in a JSON text.
pub(crate) struct Scan<'a> {
    /// The text.
    pub bytes: &'a [u8],
    /// The offset of the next byte to look at.
    pub at: usize,
}

/// A value found by [`Scan::value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// Its first byte.
    pub start: usize,
    /// Just past its last byte.
    pub end: usize,
    /// The deepest nesting of arrays and objects in it (0 for a scalar).
    pub depth: usize,
}

impl<'a> Scan<'a> {
    /// A scan of `bytes` from offset `at`.
    pub(crate) fn new(bytes: &'a [u8], at: usize) -> Self {
        Scan { bytes, at }
    }

    /// The byte at the scan's position, if any.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Steps over JSON whitespace.
    pub(crate) fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Steps over `byte` after whitespace; false (not moving past the
    /// whitespace's end) when another byte is there.
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    /// A key without escapes, control bytes or invalid UTF-8 (what every
    /// document key is) and the `:` after it; `None` for anything else.
    pub(crate) fn plain_key(&mut self) -> Option<&'a str> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        let end = quote_or_backslash(self.bytes, self.at + 1)?;
        let key = self.bytes.get(self.at + 1..end)?;
        if self.bytes[end] != b'"' || key.iter().any(|&b| b < 0x20) {
            return None;
        }
        self.at = end + 1;
        let key = std::str::from_utf8(key).ok()?;
        self.eat(b':').then_some(key)
    }

    /// The value at the scan's position (after whitespace), the scan moved
    /// past it. A string ends at its closing quote, an array or object at
    /// the bracket that closes it (by depth, whatever its kind), a scalar
    /// before the next `,`, `]`, `}` or whitespace. `None` when the text ends
    /// first, or no value can start here.
    pub(crate) fn value(&mut self) -> Option<Found> {
        self.skip_ws();
        let start = self.at;
        let (end, depth) = match *self.bytes.get(start)? {
            b'"' => (string_end(self.bytes, start + 1)?, 0),
            b'{' | b'[' => nested_end(self.bytes, start)?,
            b',' | b':' | b']' | b'}' => return None,
            _ => {
                let len = self.bytes[start..].iter().take_while(|&&b| !is_scalar_end(b)).count();
                (start + len, 0)
            }
        };
        self.at = end;
        Some(Found { start, end, depth })
    }
}

/// True for the bytes that end a scalar.
fn is_scalar_end(b: u8) -> bool {
    matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
}

/// Just past the closing quote of the string whose content starts at `from`.
fn string_end(b: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = quote_or_backslash(b, from)?;
        if b[at] == b'"' {
            return Some(at + 1);
        }
        // An escape: the byte after the backslash is never the string's end.
        from = at + 2;
    }
}

/// Just past the bracket closing the array or object at `start`, and the
/// deepest nesting inside.
fn nested_end(b: &[u8], start: usize) -> Option<(usize, usize)> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut at = start;
    loop {
        match *b.get(at)? {
            b'"' => at = string_end(b, at + 1)?,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
                at += 1;
            }
            b'}' | b']' => {
                depth -= 1;
                at += 1;
                if depth == 0 {
                    return Some((at, deepest));
                }
            }
            _ => at += 1,
        }
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(scanned(doc), Some(expected.to_vec()));
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
        let text = || {
            proptest::string::string_regex(r#"[a-z\]\[\}\{"\\:, \n\t\u{e9}\u{1F600}]{0,12}"#)
                .unwrap_or_else(|e| panic!("{e}"))
        };
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
                .map(|e| if pretty { serde_json::to_string_pretty(e) } else { serde_json::to_string(e) }.unwrap_or_default())
                .collect();
            let doc = format!("{{{gap}\"Results\"{gap}:{gap}[{gap}{}{gap}]{gap}}}", texts.join(&format!("{gap},{gap}")));
            let serde = serde_split(&doc);
            prop_assert_eq!(scanned(&doc), Some(serde));
        }
    }
}
