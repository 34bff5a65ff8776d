//! The fast split of JSON documents (an Advanced Hunting API response, a
//! `{"records":[...]}` file, an array of events): the reading thread only
//! finds where each element of `Results`/`records`/the array starts and ends
//! ([`super::doc_scan`]); the parser threads check and parse the elements
//! and count their lines, renumbered as batches are merged.
//!
//! Every element is checked as serde's split of the whole document checks
//! it, so what loads and every problem stay the same. Anything else — a
//! broken element, something unexpected between elements, a document key
//! written with escapes, an object with no container — stops the split:
//! the caller reads the text with serde as before, passing over the
//! elements already routed, so the error and everything after it are
//! serde's, at the same line and column.

use super::api_schema::declare_schema;
use super::doc_scan::Scan;
use super::flat::FlatScanner;
use super::json::{is_json, route_element};
use super::parallel::{Routed, route_batches};
use super::router::Router;

/// Deepest nesting of a document's own values (`Schema`, `Stats`...) read
/// here: serde counts depth from the document's top, a value parsed alone
/// from its own; deeper ones go to serde, which limits depth to 128.
const MAX_HEADER_DEPTH: usize = 64;

/// An element: its bytes, and where the bytes since the element before it
/// start (their line ends count towards its line).
struct ElementAt {
    from: usize,
    start: usize,
    end: usize,
}

/// Routes the documents of `bytes` (without a BOM). `Err(n)` when the
/// split stopped before the end: serde must read the whole text, passing
/// over the first `n` container elements. `release` gets offsets before
/// which the bytes are read for good.
pub(crate) fn split_documents(router: &mut Router, bytes: &[u8], release: &mut dyn FnMut(usize)) -> Result<(), usize> {
    let mut split = Split { scan: Scan::new(bytes, 0), lines: 0, from: 0, items: 0 };
    loop {
        split.scan.skip_ws();
        let read = match split.scan.peek() {
            None => return Ok(()),
            Some(b'[') => {
                router.shapes.array = true;
                split.container(router, release)
            }
            Some(b'{') => split.object(router, release),
            Some(_) => false,
        };
        if !read {
            return Err(split.items);
        }
    }
}

/// A split in progress.
struct Split<'a> {
    scan: Scan<'a>,
    /// Line ends before `from`.
    lines: u64,
    /// The end of the last element pushed (0 before the first).
    from: usize,
    /// Elements routed.
    items: usize,
}

impl<'a> Split<'a> {
    /// A top-level object holding at least one container, read whole
    /// (true), or not (false).
    fn object(&mut self, router: &mut Router, release: &mut dyn FnMut(usize)) -> bool {
        self.scan.at += 1;
        let mut routed = false;
        if self.scan.eat(b'}') {
            return false;
        }
        loop {
            let Some(key) = self.scan.plain_key() else { return false };
            match key {
                "records" | "Results" | "results" => {
                    self.scan.skip_ws();
                    if self.scan.peek() != Some(b'[') {
                        return false;
                    }
                    if key == "records" {
                        router.shapes.records = true;
                    } else {
                        router.shapes.api = true;
                    }
                    if !self.container(router, release) {
                        return false;
                    }
                    routed = true;
                }
                _ => {
                    let Some(value) = self.document_value() else { return false };
                    if matches!(key, "Schema" | "schema") {
                        // A schema after the rows changes how serde reads later ones.
                        if routed {
                            return false;
                        }
                        declare_schema(router, &value);
                    }
                }
            }
            if !self.scan.eat(b',') {
                return self.scan.eat(b'}') && routed;
            }
        }
    }

    /// One of the document's own values, parsed (and so checked) as serde
    /// reads it in the document.
    fn document_value(&mut self) -> Option<serde_json::Value> {
        let found = self.scan.value()?;
        if found.depth > MAX_HEADER_DEPTH {
            return None;
        }
        let text = std::str::from_utf8(self.scan.bytes.get(found.start..found.end)?).ok()?;
        serde_json::from_str(text).ok()
    }

    /// The container at `[`, its elements routed on the parser threads:
    /// true when it was read to its `]`.
    fn container(&mut self, router: &mut Router, release: &mut dyn FnMut(usize)) -> bool {
        self.scan.at += 1;
        if self.scan.eat(b']') {
            return true;
        }
        let bytes = self.scan.bytes;
        let route = |router: &mut Router, flat: &mut FlatScanner<'a>, batch: &[ElementAt], first_line: u64| {
            route_batch(router, flat, bytes, batch, first_line)
        };
        let Split { scan, lines, from, .. } = self;
        let (mut pushed, mut closed) = (0, false);
        let stopped = route_batches(
            router,
            lines,
            &FlatScanner::default,
            &route,
            |push| {
                while let Some(found) = scan.value() {
                    let element = ElementAt { from: *from, start: found.start, end: found.end };
                    let size = found.end - *from;
                    *from = found.end;
                    pushed += 1;
                    if !push(element, size) || !scan.eat(b',') {
                        closed = scan.eat(b']');
                        return;
                    }
                }
            },
            &mut |last| release(last.end),
        );
        match stopped {
            Some(routed) => self.items += routed,
            None => self.items += pushed,
        }
        stopped.is_none() && closed
    }
}

/// Routes a batch of elements, the bytes before its first element starting
/// on `first_line`; stops at an element that is not JSON.
fn route_batch<'a>(
    router: &mut Router,
    flat: &mut FlatScanner<'a>,
    bytes: &'a [u8],
    batch: &[ElementAt],
    first_line: u64,
) -> Routed {
    let newlines =
        |from: usize, to: usize| bytes.get(from..to).map_or(0, |b| memchr::memchr_iter(b'\n', b).count()) as u64;
    let mut lines = 0;
    for (i, element) in batch.iter().enumerate() {
        lines += newlines(element.from, element.start);
        let text = bytes.get(element.start..element.end).unwrap_or_default();
        if !route_element_bytes(router, flat, first_line + lines, text) {
            return Routed { lines, stopped_after: Some(i) };
        }
        lines += newlines(element.start, element.end);
    }
    Routed { lines, stopped_after: None }
}

/// Routes one element; false when it is not JSON.
fn route_element_bytes<'a>(router: &mut Router, flat: &mut FlatScanner<'a>, line: u64, bytes: &'a [u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(text) => route_element(router, flat, line, text, false),
        Err(_) => {
            // Serde reads the document with each invalid sequence replaced:
            // the element is a bad row, unless that text is not JSON either.
            let (text, _) = decode_utf8(bytes.to_vec());
            let json = is_json(&text);
            if json {
                router.skip_row(line, "invalid UTF-8".to_string());
            }
            json
        }
    }
}

/// The text of `bytes`, with each invalid UTF-8 sequence replaced by U+FFFD
/// and its offset in the text listed, so the event holding it can be skipped.
pub(crate) fn decode_utf8(bytes: Vec<u8>) -> (String, Vec<usize>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, Vec::new()),
        Err(e) => {
            let bytes = e.into_bytes();
            let mut text = String::with_capacity(bytes.len() + 16);
            let mut bad = Vec::new();
            for chunk in bytes.utf8_chunks() {
                text.push_str(chunk.valid());
                if !chunk.invalid().is_empty() {
                    bad.push(text.len());
                    text.push(char::REPLACEMENT_CHARACTER);
                }
            }
            (text, bad)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load::budget::Budget;
    use crate::data::load::builder::Inference;
    use crate::data::load::router::FileContext;

    fn split(doc: &str) -> (Result<(), usize>, Router) {
        let ctx = FileContext {
            path: "t.json".into(),
            file_name: "DeviceProcessEvents.json".into(),
            option_table: None,
            inference: Inference::FromValue,
        };
        let mut router = Router::new(ctx, Budget::new(None));
        let result = split_documents(&mut router, doc.as_bytes(), &mut |_| {});
        (result, router)
    }

    #[test]
    fn invalid_utf8_is_replaced_and_located() {
        let (text, bad) = decode_utf8(b"ab\xffc\xe2\x82".to_vec());
        assert_eq!(text, "ab\u{fffd}c\u{fffd}");
        assert_eq!(bad, vec![2, 6]);
    }

    #[test]
    fn documents_of_every_shape_are_split_here() {
        let docs = [
            "{\"Schema\":[{\"Name\":\"A\",\"Type\":\"Int64\"}],\n\"Results\":[{\"A\":1},\n42,{\"A\":\"]\"}],\"Stats\":{}}",
            "{\"records\":[{\"category\":\"AdvancedHunting-DeviceInfo\",\"properties\":{\"A\":1}}]} [{\"A\":2}]",
            "[]{\"results\":[]}",
        ];
        for doc in docs {
            let (result, router) = split(doc);
            assert_eq!(result, Ok(()), "{doc}");
            assert!(router.rows_loaded() > 0 || doc.starts_with("[]"), "{doc}");
        }
        let (_, router) = split(docs[0]);
        assert_eq!(router.problems[0].line, Some(3), "42 is on line 3");
    }

    #[test]
    fn the_split_stops_at_what_it_does_not_expect_after_the_elements_routed() {
        for (doc, routed) in [
            ("{\"Results\":[{\"A\":1},{\"A\":tru}]}", 1),
            ("{\"Results\":[{\"A\":1} {\"A\":2}]}", 1),
            ("{\"Results\":[{\"A\":1},]}", 1),
            ("{\"Results\":[{\"A\":1}]}x", 1),
            ("{\"A\":1}", 0),
            ("{\"Results\":[{\"A\":1}],\"Schema\":[]}", 1),
            ("{\"R\\u0065sults\":[{\"A\":1}]}", 0),
            ("{\"Results\":5}", 0),
        ] {
            assert_eq!(split(doc).0, Err(routed), "{doc}");
        }
    }
}
