//! Whole-file JSON documents: an Advanced Hunting API response, a
//! `{"records":[...]}` streaming-API file, a JSON array, a pretty-printed
//! event, or several of these one after another.
//!
//! A large plain file is mapped whole rather than read (its pages are given
//! back as its elements are merged); the elements of its containers are
//! split by [`super::doc_split`] and parsed on the parser threads, and serde
//! reads whatever that split does not expect.

use std::io::Read;

use serde_json::value::RawValue;

use super::detect::UTF8_BOM;
use super::doc_split::{decode_utf8, split_documents};
use super::json::{JsonText, bare_message, describe_error};
use super::mapped::MappedFile;
use super::router::Router;

/// Bytes given back to the kernel at once, behind the merged elements of a
/// mapped document (a multiple of every page size).
const RELEASE_STEP: usize = 4 << 20;

/// Loads one or more JSON documents: from `mapped` when given (the same
/// file as `reader`, from its first byte), else read whole from `reader`.
pub(crate) fn load_json_document(router: &mut Router, reader: &mut dyn Read, mapped: Option<MappedFile>) {
    // The document is held whole while it is parsed: it counts against the budget.
    let room = router.budget().remaining();
    if let Some(file) = mapped {
        let held = file.len().min(room.saturating_add(1));
        if held <= room
            && let Ok(Some(map)) = file.window(0, usize::MAX)
        {
            router.budget().hold(held);
            parse_mapped(router, &map);
            router.budget().release(held);
            return;
        }
    }
    let mut bytes = Vec::new();
    let read_error = reader.take(room.saturating_add(1)).read_to_end(&mut bytes).err();
    let held = bytes.len() as u64;
    router.budget().hold(held);
    if held > room {
        return router
            .problem(None, format!("a JSON document larger than {} MiB does not fit the memory budget", room >> 20));
    }
    parse_text(router, bytes.strip_prefix(UTF8_BOM).unwrap_or(&bytes), &mut |_| {});
    router.budget().release(held);
    if let Some(e) = read_error {
        router.problem(None, format!("read error: {e}; the rest of the file is lost"));
    }
}

/// Parses a mapped document, giving its pages back behind the elements merged.
fn parse_mapped(router: &mut Router, map: &memmap2::Mmap) {
    let bom = if map.starts_with(UTF8_BOM) { UTF8_BOM.len() } else { 0 };
    let mut released = 0;
    parse_text(router, &map[bom..], &mut |end| {
        let upto = (bom + end) / RELEASE_STEP * RELEASE_STEP;
        if upto > released {
            // SAFETY: the map is read-only and private: dropped pages read
            // the file again if touched, with the same bytes (see
            // `MappedFile::window` for a file changed while it loads).
            let _ =
                unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, released, upto - released) };
            released = upto;
        }
    });
}

/// Parses the documents of `bytes` (without a BOM): split by hand where it
/// can be, read by serde from the start where it cannot.
fn parse_text(router: &mut Router, bytes: &[u8], release: &mut dyn FnMut(usize)) {
    let Err(routed) = split_documents(router, bytes, release) else { return };
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_documents(router, text, &[], routed),
        Err(_) => {
            let (text, bad_utf8) = decode_utf8(bytes.to_vec());
            parse_documents(router, &text, &bad_utf8, routed);
        }
    }
}

/// Parses the documents of `text` with serde, passing over its first
/// `routed` container elements.
fn parse_documents(router: &mut Router, text: &str, bad_utf8: &[usize], routed: usize) {
    let mut json = JsonText::new(router, text, 1, bad_utf8);
    json.skip_elements = routed;
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
