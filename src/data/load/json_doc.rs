//! Whole-file JSON documents: an Advanced Hunting API response, a
//! `{"records":[...]}` streaming-API file, a JSON array, a pretty-printed
//! event, or several of these one after another.

use std::io::Read;

use serde_json::value::RawValue;

use super::detect::UTF8_BOM;
use super::json::{JsonText, bare_message, describe_error};
use super::router::Router;

/// Loads one or more JSON documents read whole from `reader`.
pub(crate) fn load_json_document(router: &mut Router, reader: &mut dyn Read) {
    // The document is held whole while it is parsed: it counts against the budget.
    let room = router.budget().remaining();
    let mut bytes = Vec::new();
    let read_error = reader.take(room.saturating_add(1)).read_to_end(&mut bytes).err();
    let held = bytes.len() as u64;
    router.budget().hold(held);
    if held > room {
        return router
            .problem(None, format!("a JSON document larger than {} MiB does not fit the memory budget", room >> 20));
    }
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    let (text, bad_utf8) = decode_utf8(bytes);
    parse_documents(router, &text, &bad_utf8);
    router.budget().release(held);
    if let Some(e) = read_error {
        router.problem(None, format!("read error: {e}; the rest of the file is lost"));
    }
}

/// The text of `bytes`, with each invalid UTF-8 sequence replaced by U+FFFD
/// and its offset in the text listed, so the event holding it can be skipped.
fn decode_utf8(bytes: Vec<u8>) -> (String, Vec<usize>) {
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

fn parse_documents(router: &mut Router, text: &str, bad_utf8: &[usize]) {
    let mut json = JsonText::new(router, text, 1, bad_utf8);
    // A first pass splits the top-level values as raw slices, so each value's
    // start (and line) is known.
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
    loop {
        let before = values.byte_offset();
        match values.next() {
            None => return,
            Some(Ok(raw)) => {
                let start = (raw.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
                let mut de = serde_json::Deserializer::from_str(raw.get());
                match json.parse_value(&mut de) {
                    Ok(Some(row)) => json.route_at(start, row),
                    Ok(None) => {}
                    Err(e) => {
                        let line = json.line_at(start);
                        json.router.skip_row(line, describe_error(&e));
                    }
                }
            }
            Some(Err(error)) => {
                // Broken somewhere inside: read the value again event by event so
                // the events before the break still load, then stop.
                let start = before + text.get(before..).map_or(0, |t| t.len() - t.trim_start().len());
                if let Some(rest) = text.get(start..) {
                    let mut de = serde_json::Deserializer::from_str(rest);
                    if let Ok(Some(row)) = json.parse_value(&mut de) {
                        json.route_at(start, row);
                    }
                }
                let message = format!(
                    "invalid JSON at column {}: {}; the rest of the file is skipped",
                    error.column(),
                    bare_message(&error)
                );
                json.router.skip_row(error.line() as u64, message);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_replaced_and_located() {
        let (text, bad) = decode_utf8(b"ab\xffc\xe2\x82".to_vec());
        assert_eq!(text, "ab\u{fffd}c\u{fffd}");
        assert_eq!(bad, vec![2, 6]);
    }
}
