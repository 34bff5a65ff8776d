//! Which columns a load decodes, and decoding the others later from the
//! rows' places (see [`crate::data::lazy`]): the rows' lines are read again
//! and go through the same line parser, router and typed sinks as at load,
//! so the values are exactly an eager load's.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::data::column::Column;
use crate::data::lazy::{LazyError, LazyFile, RowLocs};

use super::budget::Budget;
use super::builder::{Inference, Keep, TableBuilder};
use super::detect::UTF8_BOM;
use super::flat::FlatScanner;
use super::jsonl::parse_line;
use super::report::TableRule;
use super::router::{FileContext, Router};
use super::sink::ColumnSink;

/// Bytes read at once when decoding many rows (their lines are mostly adjacent).
const WINDOW: usize = 8 << 20;

/// Rows asked for beyond which lines are read in windows, not one by one.
const WINDOWED_FROM: usize = 64;

/// Decodes columns `names` of table `table` at `rows` (every row when
/// `None`), in that order, from the rows' places.
pub(crate) fn decode_lazy(
    table: &str,
    locs: &RowLocs,
    names: &[&str],
    rows: Option<&[u32]>,
) -> Result<Vec<Column>, LazyError> {
    let (builder, index) = decode_rows(table, locs, names, rows)?;
    let columns = builder.finish_named(names);
    Ok(match index {
        Some(index) => columns.iter().map(|c| c.gather(&index)).collect(),
        None => columns,
    })
}

/// Decodes `builder`'s skipped columns now, from its rows' places, so it
/// can be merged with a builder that decoded every column. When the rows
/// cannot be read again they are null (the table stays whole) and the error
/// says why.
pub(crate) fn fill_skipped(builder: &mut TableBuilder) -> Result<(), LazyError> {
    let Some(locs) = builder.take_locs() else { return Ok(()) };
    let names = builder.skipped_names();
    if names.is_empty() {
        return Ok(());
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let (sinks, result) = match decode_builder(builder.name(), &locs, &refs, None) {
        Ok(decoded) if decoded.rows() == builder.rows() => (decoded.finish_sinks(&refs), Ok(())),
        failed => {
            let nulls = refs.iter().map(|n| {
                let dtype = builder.schema_type(n).unwrap_or(crate::data::DataType::String);
                ColumnSink::with_nulls(Some(dtype), builder.rows())
            });
            let why = match failed {
                Err(e) => e,
                Ok(_) => LazyError::Changed {
                    path: locs.files.first().map(|f| f.display.clone()).unwrap_or_default(),
                    what: "its rows no longer read as they did".into(),
                },
            };
            (nulls.collect(), Err(why))
        }
    };
    for (name, sink) in names.iter().zip(sinks) {
        builder.set_skipped(name, sink);
    }
    result
}

/// Decodes columns `names` of every row, in order, into a builder of
/// exactly the rows `locs` places.
fn decode_builder(
    table: &str,
    locs: &RowLocs,
    names: &[&str],
    rows: Option<&[u32]>,
) -> Result<TableBuilder, LazyError> {
    let (builder, index) = decode_rows(table, locs, names, rows)?;
    match index {
        None => Ok(builder),
        // Only `fill_skipped` asks for a builder, always for every row.
        Some(_) => Err(LazyError::Read { path: table.to_string(), message: "rows out of order".into() }),
    }
}

/// A line to read: its file, place, and where its first row lands in the
/// decoded builder.
struct Line {
    file: usize,
    offset: u64,
    len: u32,
    /// Rows of `table` it held at load.
    rows: u32,
    first: u32,
}

/// Decodes the lines of `rows` once each; returns the builder and, unless
/// its rows are exactly `rows` in order, the index of each asked row in it.
fn decode_rows(
    table: &str,
    locs: &RowLocs,
    names: &[&str],
    rows: Option<&[u32]>,
) -> Result<(TableBuilder, Option<Vec<u32>>), LazyError> {
    let asked: Box<dyn Iterator<Item = usize>> = match rows {
        Some(rows) => Box::new(rows.iter().map(|&r| r as usize).filter(|&r| r < locs.len())),
        None => Box::new(0..locs.len()),
    };
    // Lines in first-asked order; rows of one line are adjacent in the table.
    let mut lines: Vec<Line> = Vec::new();
    let mut line_of: FxHashMap<(usize, u64), usize> = FxHashMap::default();
    let mut want: Vec<(usize, u32)> = Vec::new();
    for r in asked {
        let (file, offset) = (locs.file_of(r), locs.offsets[r]);
        let ordinal = locs.ordinal(r);
        let l = *line_of.entry((file, offset)).or_insert_with(|| {
            lines.push(Line { file, offset, len: locs.lens[r], rows: 0, first: 0 });
            lines.len() - 1
        });
        lines[l].rows = lines[l].rows.max(ordinal + 1);
        want.push((l, ordinal));
    }
    let keep = Arc::new(Keep::only(names));
    let mut merged: Option<TableBuilder> = None;
    let many = want.len() > WINDOWED_FROM;
    for f in 0..locs.files.len() {
        let mine: Vec<usize> = (0..lines.len()).filter(|&l| lines[l].file == f).collect();
        if mine.is_empty() {
            continue;
        }
        let base = merged.as_ref().map_or(0, |b| b.rows()) as u32;
        let builder = decode_file(&locs.files[f], table, &keep, &mut lines, &mine, base, many)?;
        match &mut merged {
            Some(m) => m.append(builder),
            None => merged = Some(builder),
        }
    }
    let builder = merged.unwrap_or_else(|| TableBuilder::new(table, Inference::FromValue));
    let index: Vec<u32> = want.iter().map(|&(l, k)| lines[l].first + k).collect();
    let identity = index.len() == builder.rows() && index.iter().enumerate().all(|(i, &r)| r as usize == i);
    Ok((builder, (!identity).then_some(index)))
}

/// Reads lines `mine` (indices into `lines`) of `file` in order into a
/// builder of `table`, setting each line's first row (`base` + its place).
fn decode_file(
    file: &LazyFile,
    table: &str,
    keep: &Arc<Keep>,
    lines: &mut [Line],
    mine: &[usize],
    base: u32,
    many: bool,
) -> Result<TableBuilder, LazyError> {
    let mut reader = open_unchanged(file)?;
    let ctx = FileContext {
        path: file.display.clone(),
        file_name: file.file_name.clone(),
        option_table: file.option_table.clone(),
        inference: Inference::FromValue,
    };
    let mut router = Router::new(ctx, Budget::new(None));
    let default_table = file.default_table.get().map(|t| (t.clone(), TableRule::FileName));
    router.decode_only(keep.clone(), default_table);
    let mut window: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < mine.len() {
        let first = &lines[mine[i]];
        let size = if many { WINDOW.max(first.len as usize) } else { first.len as usize };
        let size = size.min(file.len.saturating_sub(first.offset) as usize).max(first.len as usize);
        read_at(&mut reader, file, first.offset, size, &mut window)?;
        let window_at = first.offset;
        let mut flat = FlatScanner::default();
        while i < mine.len() {
            let line = &lines[mine[i]];
            let Some(start) = line.offset.checked_sub(window_at).map(|s| s as usize) else { break };
            let end = start + line.len as usize;
            if end > window.len() {
                break;
            }
            let bytes = &window[start..end];
            let bytes = if line.offset == 0 { bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes) } else { bytes };
            let before = router.table_rows(table);
            parse_line(&mut router, &mut flat, 1, bytes);
            let got = router.table_rows(table) - before;
            if got < line.rows as usize {
                let what = format!("the line at byte {} no longer holds that {table} row", line.offset);
                return Err(LazyError::Changed { path: file.display.clone(), what });
            }
            let l = mine[i];
            lines[l].first = base + before as u32;
            i += 1;
        }
    }
    Ok(router.take_table(table).unwrap_or_else(|| TableBuilder::new(table, Inference::FromValue)))
}

/// Opens `file` for reading again, if its size and modification time are
/// still those the load saw.
fn open_unchanged(file: &LazyFile) -> Result<File, LazyError> {
    let read = |e: std::io::Error| LazyError::Read { path: file.display.clone(), message: e.to_string() };
    let f = File::open(&file.path).map_err(read)?;
    let meta = f.metadata().map_err(read)?;
    if meta.len() != file.len {
        let what = format!("{} bytes then, {} now", file.len, meta.len());
        return Err(LazyError::Changed { path: file.display.clone(), what });
    }
    if meta.modified().ok() != file.modified {
        return Err(LazyError::Changed { path: file.display.clone(), what: "modified since".into() });
    }
    Ok(f)
}

/// Reads `size` bytes at `offset` into `buf`.
fn read_at(f: &mut File, file: &LazyFile, offset: u64, size: usize, buf: &mut Vec<u8>) -> Result<(), LazyError> {
    let read = |e: std::io::Error| LazyError::Read { path: file.display.clone(), message: e.to_string() };
    buf.clear();
    buf.resize(size, 0);
    f.seek(SeekFrom::Start(offset)).map_err(read)?;
    f.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => {
            LazyError::Changed { path: file.display.clone(), what: "it is shorter than it was".into() }
        }
        _ => read(e),
    })
}
