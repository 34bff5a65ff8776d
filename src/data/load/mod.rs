//! Event loaders: every Defender export format (JSON Lines, Advanced Hunting
//! API JSON, streaming-API records, JSON arrays, portal and Log Analytics
//! CSV, gzip of any), from files, directories or bytes, into typed tables.
//!
//! Bad input never aborts a load: malformed rows are skipped, values that do
//! not fit their column become null, unreadable files are passed over, and
//! each is reported as `file:line: reason` in the [`LoadReport`].
//!
//! ```no_run
//! use kqlhunt::data::load::{LoadOptions, load_paths};
//! let result = load_paths(&["events/".into()], &LoadOptions::default(), &mut |_| {});
//! eprint!("{}", result.report);
//! ```

mod api_schema;
mod budget;
mod builder;
mod convert;
mod counting;
mod csv;
mod detect;
mod doc_scan;
mod doc_split;
mod flat;
mod gunzip;
mod input;
mod json;
mod json_doc;
mod jsonl;
mod lazy_choice;
mod lazy_decode;
mod mapped;
mod parallel;
mod report;
mod router;
mod sink;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::data::column::Column;
use crate::data::table::{Database, Table};

pub use report::{FileReport, FileTable, Format, LoadReport, MAX_PROBLEMS_KEPT, Problem, TableReport, TableRule};

use budget::Budget;
use builder::Keep;
use builder::{Inference, TableBuilder};
use detect::{Detected, detect_format};
use input::{Opened, Resumed, collect_files, open_file, open_reader, read_head};
use router::{FileContext, Router};

/// Bytes read to detect a file's format.
const DETECT_HEAD: usize = 1 << 20;

/// How to load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The table of files whose table cannot be told from their content or
    /// name (`--table`).
    pub table: Option<String>,
    /// Most bytes the loaded tables may take (estimated as they are built);
    /// past it the load stops and [`LoadReport::stopped`] says why. `None`: no limit.
    pub max_memory: Option<u64>,
    /// The columns to decode while loading (`None`: all). The other columns
    /// of a known table's schema, in plain (not gzip) JSON Lines files, are
    /// lazy: each row's place in its file is kept and they decode on first
    /// use (see [`crate::data::lazy`]). Only files named `.jsonl` or `.ndjson`
    /// have lazy columns, and only when no other kind of file in the load is
    /// named for the same table; other formats decode every column.
    pub eager_columns: Option<Vec<String>>,
}

/// How far a load is, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    /// Bytes of input (as stored, compressed or not) read so far.
    pub bytes_done: u64,
    /// Bytes of all inputs.
    pub bytes_total: u64,
    /// The file being read.
    pub file: &'a str,
    /// Rows read so far, all files (counted in batches of about a thousand).
    pub rows: u64,
}

/// The tables loaded, and what happened.
#[derive(Clone, Debug, Default)]
pub struct LoadResult {
    /// The tables.
    pub database: Database,
    /// The summary: per file, per table, problems.
    pub report: LoadReport,
}

/// Loads every file named by `paths` (directories recursively). Never fails
/// as a whole: what could not be read is in the report.
pub fn load_paths(paths: &[PathBuf], opts: &LoadOptions, progress: &mut dyn FnMut(Progress)) -> LoadResult {
    let mut load = Load::new(opts);
    let (files, problems) = collect_files(paths);
    // Per table: a table another kind of file feeds too decodes every column.
    let may_be_lazy = lazy_choice::lazy_files(&files, opts.table.as_deref());
    for p in problems {
        load.report.add_problem(Problem { path: p.path.display().to_string(), line: None, message: p.message });
    }
    let bytes_total = files.iter().map(|f| f.size).sum();
    let read = load.budget.rows_read();
    let rows = || read.load(std::sync::atomic::Ordering::Relaxed);
    let mut bytes_before = 0;
    for (file, may_be_lazy) in files.iter().zip(may_be_lazy) {
        if load.report.stopped.is_some() {
            break;
        }
        let display = file.path.display().to_string();
        let mut tick = |done: u64| {
            progress(Progress { bytes_done: bytes_before + done, bytes_total, file: &display, rows: rows() })
        };
        tick(0);
        match open_file(&file.path) {
            Ok(opened) => {
                let lazy = may_be_lazy.then(|| load.lazy_file(&file.path, &display, &opened)).flatten();
                // A large plain file is parsed from memory maps (no copy);
                // it is mapped only if it turns out to be JSON Lines or a
                // JSON document.
                let mapped = (!opened.gzip).then_some(file.path.as_path());
                load.source(&display, file_name_of(&file.path), opened, lazy, mapped, &mut tick)
            }
            Err(e) => load.unreadable(&display, format!("cannot read: {e}")),
        }
        bytes_before += file.size;
        progress(Progress { bytes_done: bytes_before, bytes_total, file: &display, rows: rows() });
    }
    load.finish()
}

/// Loads one input held in memory; `name` stands for its file name (table
/// detection, report).
pub fn load_bytes(name: &str, bytes: &[u8], opts: &LoadOptions) -> LoadResult {
    load_sources(&[(name, bytes)], opts, &mut |_| {})
}

/// Loads several inputs held in memory, each a `(name, bytes)` pair, into
/// one database, as [`load_paths`] loads files: `name` stands for the file's
/// path (table detection by its file name, progress, problems).
pub fn load_sources(sources: &[(&str, &[u8])], opts: &LoadOptions, progress: &mut dyn FnMut(Progress)) -> LoadResult {
    let mut load = Load::new(opts);
    let bytes_total = sources.iter().map(|(_, b)| b.len() as u64).sum();
    let read = load.budget.rows_read();
    let rows = || read.load(std::sync::atomic::Ordering::Relaxed);
    let mut bytes_before = 0;
    for (name, bytes) in sources {
        if load.report.stopped.is_some() {
            break;
        }
        let mut tick =
            |done: u64| progress(Progress { bytes_done: bytes_before + done, bytes_total, file: name, rows: rows() });
        tick(0);
        match open_reader(*bytes) {
            Ok(opened) => load.source(name, file_name_of(Path::new(name)), opened, None, None, &mut tick),
            Err(e) => load.unreadable(name, format!("cannot read: {e}")),
        }
        bytes_before += bytes.len() as u64;
        progress(Progress { bytes_done: bytes_before, bytes_total, file: name, rows: rows() });
    }
    load.finish()
}

fn file_name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A load in progress: the tables so far, and the report.
struct Load<'o> {
    opts: &'o LoadOptions,
    tables: Vec<TableBuilder>,
    report: LoadReport,
    budget: Budget,
    /// The columns decoded while loading, when not all are.
    keep: Option<Arc<Keep>>,
}

impl<'o> Load<'o> {
    fn new(opts: &'o LoadOptions) -> Self {
        let keep = opts.eager_columns.as_ref().map(|names| Arc::new(Keep::load(names.iter().cloned())));
        Load { opts, tables: Vec::new(), report: LoadReport::default(), budget: Budget::new(opts.max_memory), keep }
    }

    /// The file's identity for lazy columns, when this load has some and the
    /// file is plain (not gzip): its rows can be read again at their places.
    fn lazy_file(&self, path: &Path, display: &str, opened: &Opened) -> Option<Arc<crate::data::lazy::LazyFile>> {
        self.keep.as_ref()?;
        if opened.gzip {
            return None;
        }
        let meta = std::fs::metadata(path).ok()?;
        Some(Arc::new(crate::data::lazy::LazyFile {
            path: path.to_path_buf(),
            display: display.to_string(),
            len: meta.len(),
            modified: meta.modified().ok(),
            file_name: file_name_of(path),
            option_table: self.opts.table.clone(),
            default_table: std::sync::OnceLock::new(),
        }))
    }

    fn unreadable(&mut self, path: &str, message: String) {
        self.report.files.push(empty_file_report(path, Format::Unknown, false, 1));
        self.report.add_problem(Problem { path: path.to_string(), line: None, message });
    }

    /// Detects the format of one opened input and loads it.
    fn source(
        &mut self,
        path: &str,
        file_name: String,
        opened: Opened,
        lazy: Option<Arc<crate::data::lazy::LazyFile>>,
        mappable: Option<&Path>,
        tick: &mut dyn FnMut(u64),
    ) {
        let Opened { mut reader, gzip, consumed } = opened;
        let counted = consumed.clone();
        let mut tick = || tick(consumed.get());
        let (head, head_error) = read_head(&mut reader, DETECT_HEAD);
        let complete = head.len() < DETECT_HEAD;
        let detected = detect_format(&head, complete, &file_name);
        let inference = if detected == Detected::Csv { Inference::String } else { Inference::FromValue };
        let ctx = FileContext { path: path.to_string(), file_name, option_table: self.opts.table.clone(), inference };
        let mut router = Router::new(ctx, self.budget.share());
        let mut content = Resumed::new(head, head_error, reader);
        let format = match detected {
            Detected::Empty => {
                let mut rest = Vec::new();
                if let Err(e) = content.read_to_end(&mut rest) {
                    router.problem(None, format!("read error: {e}"));
                }
                if path.to_ascii_lowercase().contains(".csv") { Format::Csv } else { Format::JsonLines }
            }
            Detected::JsonLines => {
                if let (Some(keep), Some(file)) = (&self.keep, lazy) {
                    router.lazy(keep.clone(), file);
                }
                let mapped = mappable.and_then(mapped::MappedFile::open);
                // Parsed bytes are read bytes when the file is mapped.
                let by_offset = mapped.is_some();
                jsonl::load_json_lines(&mut router, &mut content, mapped, &mut |offset| {
                    if by_offset {
                        counted.raise_to(offset);
                    }
                    tick()
                });
                router.publish_default_table();
                router.json_format(true)
            }
            Detected::JsonDocument => {
                let mapped = mappable.and_then(mapped::MappedFile::open);
                let mapped_len = mapped.as_ref().map(mapped::MappedFile::len);
                json_doc::load_json_document(&mut router, &mut content, mapped);
                // A mapped document is read whole by now.
                mapped_len.into_iter().for_each(|len| counted.raise_to(len));
                router.json_format(false)
            }
            Detected::Csv => {
                csv::load_csv(&mut router, &mut content, &mut tick);
                Format::Csv
            }
            Detected::Unknown => {
                let message = "not a known event format (JSON Lines, JSON, or CSV with a header row); skipped";
                router.problem(None, message.to_string());
                Format::Unknown
            }
        };
        tick();
        router.measure();
        self.absorb(router, format, gzip);
        if self.budget.exceeded() {
            let limit = self.budget.limit();
            let budget = if limit >= 1 << 20 { format!("{} MiB", limit >> 20) } else { format!("{limit} bytes") };
            let why = format!(
                "loading stopped in {path}: the events need more memory than the budget of {budget} \
                 (--max-memory); the tables are incomplete"
            );
            self.report.stopped = Some(why);
        }
    }

    /// Adds a file's tables and counts to the load.
    fn absorb(&mut self, router: Router, format: Format, gzip: bool) {
        let mut file = empty_file_report(&router.context().path, format, gzip, router.problems_total);
        file.rows_loaded = router.rows_loaded();
        file.rows_skipped = router.rows_skipped;
        file.values_nulled = router.values_nulled;
        let unkept = router.problems_total - router.problems.len() - usize::from(router.last_problem.is_some());
        for p in router.problems {
            self.report.add_problem(p);
        }
        self.report.problems_total += unkept;
        if let Some(p) = router.last_problem {
            self.report.add_last_problem(p);
        }
        for (rule, mut table) in router.tables {
            file.tables.push(FileTable { table: table.name().to_string(), rule, rows: table.rows() });
            match self.tables.iter_mut().find(|t| t.name() == table.name()) {
                Some(mine) => {
                    // A table fed by files read lazily and files read whole
                    // decodes the lazy part now: its rows have no other source.
                    if mine.is_lazy() != table.is_lazy() {
                        for b in [&mut *mine, &mut table] {
                            if let Err(e) = lazy_decode::fill_skipped(b) {
                                let path = e.path().to_string();
                                self.report.add_problem(Problem { path, line: None, message: e.to_string() });
                            }
                        }
                    }
                    mine.append(table)
                }
                None => self.tables.push(table),
            }
        }
        self.report.files.push(file);
    }

    fn finish(mut self) -> LoadResult {
        let mut database = Database::default();
        for builder in self.tables {
            let table = builder.finish_with(Some(lazy_decode::decode_lazy));
            self.report.tables.push(table_report(&table));
            database.insert(table);
        }
        LoadResult { database, report: self.report }
    }
}

fn empty_file_report(path: &str, format: Format, gzip: bool, problems: usize) -> FileReport {
    FileReport {
        path: path.to_string(),
        format,
        gzip,
        tables: Vec::new(),
        rows_loaded: 0,
        rows_skipped: 0,
        values_nulled: 0,
        problems,
    }
}

/// Rows, columns and `Timestamp` span of a loaded table.
fn table_report(table: &Table) -> TableReport {
    let time_span = match table.column("Timestamp").map(|c| &**c) {
        Some(Column::DateTime(c)) => {
            let valid = (0..c.values.len()).filter_map(|row| c.get(row));
            valid.fold(None, |span, t| match span {
                None => Some((t, t)),
                Some((lo, hi)) => Some((t.min(lo), t.max(hi))),
            })
        }
        _ => None,
    };
    TableReport { name: table.name().to_string(), rows: table.len(), columns: table.fields().len(), time_span }
}
