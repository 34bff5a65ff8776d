//! CSV with a header row: the Defender portal export (UTF-8 BOM, CRLF) and
//! the Log Analytics export (`Timestamp [UTC]` headers, US time forms).
//! Quoted fields may span lines; cells are text typed by their column.

use std::borrow::Cow;
use std::io::Read;

use super::convert::Raw;
use super::detect::normalize_header;
use super::router::{Router, StagedRow};

/// Records between progress ticks.
const TICK_EVERY: usize = 8192;

/// Loads CSV from `reader`, calling `tick` now and then.
pub(crate) fn load_csv(router: &mut Router, reader: &mut dyn Read, tick: &mut dyn FnMut()) {
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let header: Vec<String> = match csv.read_byte_record(&mut record) {
        Ok(true) => record.iter().map(|h| normalize_header(&String::from_utf8_lossy(h)).to_string()).collect(),
        Ok(false) => return,
        Err(e) => return router.problem(Some(1), format!("cannot read the header row: {e}")),
    };
    let mut since_tick = 0;
    while !router.over_budget() {
        match csv.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                router.problem(Some(line), format!("read error: {e}; the rest of the file is lost"));
                break;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        match stage(&header, &record) {
            Ok(row) => router.route(line, row),
            Err(reason) => router.skip_row(line, reason),
        }
        since_tick += 1;
        if since_tick == TICK_EVERY {
            since_tick = 0;
            tick();
        }
    }
    tick();
}

/// The fields of one record, named by the header.
fn stage<'a>(header: &'a [String], record: &'a csv::ByteRecord) -> Result<StagedRow<'a>, String> {
    if record.len() != header.len() {
        return Err(format!("expected {} fields (as in the header), found {}", header.len(), record.len()));
    }
    let mut fields = Vec::with_capacity(header.len());
    for (name, cell) in header.iter().zip(record.iter()) {
        let text = std::str::from_utf8(cell)
            .map_err(|e| format!("invalid UTF-8 in column {name} at byte {}", e.valid_up_to() + 1))?;
        fields.push((Cow::Borrowed(name.as_str()), Raw::Str(Cow::Borrowed(text))));
    }
    Ok(StagedRow { fields, ..StagedRow::default() })
}
