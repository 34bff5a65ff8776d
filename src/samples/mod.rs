//! The deterministic sample-event generator behind `kqlhunt samples` and the
//! bundled `samples/` folder.
//!
//! It writes realistic `DeviceProcessEvents`, `DeviceNetworkEvents` and
//! `DeviceFileCertificateInfo` exports (every schema column, in schema order)
//! over the 7 days before a fixed "now", with background noise plus planted
//! events for the five seed rules: true positives, benign look-alikes for
//! each false-positive scenario, near misses that only a naive substring
//! match would hit, and matches outside the rules' 5-day window. The same
//! seed gives the same bytes, forever: the PRNG is our own ([`rng`]).
//!
//! Rows stream to buffered writers in time order, so a million rows need no
//! more memory than a thousand.

mod arguments;
pub mod binaries;
pub mod catalog;
pub mod certificate;
mod chunks;
pub mod clock;
pub mod estate;
mod gzip;
mod ids;
pub mod manifest;
pub mod network;
mod pipeline;
pub mod process;
mod readme;
pub mod rng;
pub mod row;
pub mod scenarios;
pub mod write;

use std::io;
use std::path::{Path, PathBuf};

pub use estate::Profile;
pub use manifest::{ExclusionManifest, FileManifest, Manifest, RuleManifest};
pub use write::Format;

use catalog::Catalog;
use clock::{NOW, SPAN};
use row::{Cell, Layout, Row};
use scenarios::Planted;

use crate::data::TICKS_PER_DAY;

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// A table the generator needs is missing from the bundled schemas.
    #[error("table {0} is not in the bundled MDE schemas")]
    UnknownTable(&'static str),
    /// `--rows` is too small to hold the planted scenarios.
    #[error("--rows {rows} is too small: the planted scenarios need at least {min} DeviceProcessEvents rows")]
    TooFewRows {
        /// What was asked.
        rows: usize,
        /// The least that works.
        min: usize,
    },
    /// Writing a file failed.
    #[error("writing {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// `DeviceProcessEvents` rows; network events are half as many, certificates a fifth.
    pub rows: usize,
    /// The seed.
    pub seed: u64,
    /// One `<Table>.jsonl` per table instead of the bundled mix of formats.
    pub jsonl_only: bool,
    /// The estate simulated.
    pub profile: Profile,
    /// One file per table in this format instead of the bundled mix (wins
    /// over `jsonl_only`); for measuring each format on the same rows.
    pub format: Option<Format>,
    /// Gzip the files of `format`.
    pub gzip: bool,
    /// Formatter threads (`None`: one per core). The bytes never depend on it.
    pub threads: Option<usize>,
}

impl Default for Options {
    /// The invocation that made the bundled `samples/` folder.
    fn default() -> Options {
        Options {
            rows: 4000,
            seed: 1,
            jsonl_only: false,
            profile: Profile::Demo,
            format: None,
            gzip: false,
            threads: None,
        }
    }
}

/// How far generation is, for a progress display.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// The table being written.
    pub table: &'static str,
    /// Rows of that table written so far.
    pub rows: usize,
    /// Rows of that table in all.
    pub total: usize,
    /// Rows of every table written so far.
    pub all_rows: usize,
    /// Rows of every table in all.
    pub all_total: usize,
}

/// Rows between two progress reports.
const PROGRESS_EVERY: usize = 1 << 14;

/// A generated event and the device it belongs to.
#[derive(Clone, Debug)]
pub struct Event {
    /// Index of the device in the catalogue.
    pub device: usize,
    /// `Timestamp` in ticks.
    pub time: i64,
    /// The row (its `ReportId` is assigned when it is written).
    pub row: Row,
}

/// A source of background events.
pub trait Noise {
    /// An ordinary event at `time`.
    fn event(&mut self, time: i64) -> Event;

    /// Starts the random streams of chunk `chunk` of the table, so chunks
    /// can be made on any thread in any order (see [`generate`]).
    fn restart(&mut self, seed: u64, chunk: u64);
}

/// The layouts of the three generated tables.
pub struct Layouts {
    /// `DeviceProcessEvents`.
    pub process: Layout,
    /// `DeviceNetworkEvents`.
    pub network: Layout,
    /// `DeviceFileCertificateInfo`.
    pub certificate: Layout,
}

impl Layouts {
    /// Looks the three schemas up.
    pub fn new() -> Result<Layouts, SampleError> {
        Layouts::for_profile(Profile::Demo)
    }

    /// The layouts a profile writes (the enterprise one adds columns newer
    /// than the bundled schema to `DeviceProcessEvents`).
    pub fn for_profile(profile: Profile) -> Result<Layouts, SampleError> {
        let newer = match profile {
            Profile::Demo => &[][..],
            Profile::Enterprise => estate::NEWER_PROCESS_COLUMNS,
        };
        Ok(Layouts {
            process: Layout::with_extra("DeviceProcessEvents", newer)?,
            network: Layout::of("DeviceNetworkEvents")?,
            certificate: Layout::of("DeviceFileCertificateInfo")?,
        })
    }
}

/// One planned output file: rows of `table` at or after `from` (and before
/// the next newer file's `from`) go into it.
struct FilePlan {
    name: String,
    format: Format,
    gzip: bool,
    /// gzip level, 0–9.
    level: u8,
    from: i64,
}

impl FilePlan {
    /// The bundled mix's files: gzipped at the best level, as they always were.
    fn bundled(name: &str, format: Format, gzip: bool, from: i64) -> FilePlan {
        FilePlan { name: name.to_string(), format, gzip, level: 9, from }
    }
}

/// The files of a table, newest slice first.
fn plan(table: &str, options: &Options) -> Vec<FilePlan> {
    if let Some(format) = options.format {
        let ext = match format {
            Format::Jsonl => ".jsonl",
            Format::AhApi => ".json",
            Format::Streaming => "-streaming.json",
            Format::PortalCsv => ".csv",
        };
        let gz = if options.gzip { ".gz" } else { "" };
        // gzip's own default level, as exports compressed by hand have.
        let level = 6;
        return vec![FilePlan { name: format!("{table}{ext}{gz}"), format, gzip: options.gzip, level, from: i64::MIN }];
    }
    if options.jsonl_only {
        return vec![FilePlan::bundled(&format!("{table}.jsonl"), Format::Jsonl, false, i64::MIN)];
    }
    match table {
        // The last day readable as JSON Lines; the six before as
        // gzipped streaming records (both days 6–7, outside the rules'
        // window, and days 2–5, inside it).
        "DeviceProcessEvents" => vec![
            FilePlan::bundled("DeviceProcessEvents.jsonl", Format::Jsonl, false, NOW - TICKS_PER_DAY),
            FilePlan::bundled("DeviceProcessEvents-streaming.json.gz", Format::Streaming, true, i64::MIN),
        ],
        "DeviceNetworkEvents" => vec![
            FilePlan::bundled("DeviceNetworkEvents.json", Format::AhApi, false, NOW - TICKS_PER_DAY),
            FilePlan::bundled("DeviceNetworkEvents-older.jsonl.gz", Format::Jsonl, true, i64::MIN),
        ],
        _ => vec![FilePlan::bundled("DeviceFileCertificateInfo.csv", Format::PortalCsv, false, i64::MIN)],
    }
}

/// Rows of each table for `rows` process events.
fn table_rows(rows: usize) -> [usize; 3] {
    [rows, rows / 2, rows / 5]
}

/// Generates the sample set into `dir` (created if missing) and returns its
/// manifest. Existing files of the same names are replaced; others are left alone.
pub fn generate(options: &Options, dir: &Path) -> Result<Manifest, SampleError> {
    generate_with_progress(options, dir, &mut |_| {})
}

/// [`generate`], calling `progress` every few thousand rows.
pub fn generate_with_progress(
    options: &Options,
    dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Manifest, SampleError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SampleError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let layouts = Layouts::for_profile(options.profile)?;
    let catalog = match options.profile {
        Profile::Demo => Catalog::new(options.seed),
        Profile::Enterprise => estate::enterprise_catalog(options.seed),
    };
    let planted = scenarios::plant(&catalog, &layouts, options.seed);
    let tables: [&Layout; 3] = [&layouts.process, &layouts.network, &layouts.certificate];
    // Each table needs room for its planted rows plus the background row pinned at NOW.
    let need: Vec<usize> = tables
        .iter()
        .map(|l| planted.iter().filter(|p| std::ptr::eq(scenarios::layout_of(&layouts, p.rule), *l)).count() + 1)
        .collect();
    let min = (0..).find(|n: &usize| table_rows(*n).iter().zip(&need).all(|(have, need)| have >= need)).unwrap_or(0);
    if options.rows < min {
        return Err(SampleError::TooFewRows { rows: options.rows, min });
    }
    let totals = table_rows(options.rows);
    let all_total = totals.iter().sum();
    let mut before = 0;
    let mut files = Vec::new();
    for (t, layout) in tables.iter().enumerate() {
        let mine: Vec<&Planted> =
            planted.iter().filter(|p| std::ptr::eq(scenarios::layout_of(&layouts, p.rule), *layout)).collect();
        let background = totals[t] - mine.len();
        let catalog = &catalog;
        let new_noise = || -> Box<dyn Noise + '_> {
            match (t, options.profile) {
                (0, Profile::Enterprise) => {
                    Box::new(estate::EnterpriseProcessNoise::new(layout, catalog, options.seed))
                }
                (0, Profile::Demo) => Box::new(process::ProcessNoise::new(layout, catalog, options.seed)),
                (1, _) => Box::new(network::NetworkNoise::new(layout, catalog, options.seed)),
                _ => Box::new(certificate::CertificateNoise::new(layout, catalog, options.seed)),
            }
        };
        let plans = plan(layout.table, options);
        let table = Table { layout, catalog, plans: &plans, planted: &mine, options };
        let mut overall = |p: Progress| progress(Progress { all_rows: before + p.rows, all_total, ..p });
        files.extend(write_table(dir, &table, &new_noise, background, &mut overall)?);
        before += totals[t];
    }
    let manifest = Manifest::new(options.seed, &layouts, &planted, files);
    let readme = dir.join("README.md");
    std::fs::write(&readme, readme::render(&manifest, options)).map_err(io_err(&readme))?;
    Ok(manifest)
}

/// What [`write_table`] writes.
struct Table<'a> {
    layout: &'a Layout,
    catalog: &'a Catalog,
    plans: &'a [FilePlan],
    planted: &'a [&'a Planted],
    options: &'a Options,
}

/// Streams one table: background rows evenly over the 7 days, planted rows
/// merged in time order, each routed to its file by time. The enterprise
/// profile makes its rows in parallel chunks ([`chunks`]); the demo profile
/// makes them in order on this thread, so the bundled samples keep their bytes.
fn write_table<'c>(
    dir: &Path,
    table: &Table,
    new_noise: &(dyn Fn() -> Box<dyn Noise + 'c> + Sync),
    background: usize,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<FileManifest>, SampleError> {
    let Table { layout, plans, planted, options, .. } = *table;
    let total = background + planted.len();
    let mut files = Vec::with_capacity(plans.len());
    for p in plans {
        let path = dir.join(&p.name);
        let sink = write::Sink::create(&path, p.format, p.gzip.then_some(p.level), layout)
            .map_err(|source| SampleError::Io { path: path.clone(), source })?;
        files.push((path, sink));
    }
    let mut shown = 0;
    let mut report = |rows: usize| {
        if rows / PROGRESS_EVERY > shown / PROGRESS_EVERY {
            shown = rows;
            progress(Progress { table: layout.table, rows, total, all_rows: rows, all_total: total });
        }
    };
    match options.profile {
        Profile::Enterprise => chunks::write_table(table, &mut files, new_noise, background, &mut report)?,
        Profile::Demo => write_in_order(table, &mut files, new_noise().as_mut(), background, &mut report)?,
    }
    progress(Progress { table: layout.table, rows: total, total, all_rows: total, all_total: total });
    let mut out = Vec::new();
    for ((path, sink), p) in files.into_iter().zip(plans) {
        let rows = sink.rows();
        sink.finish().map_err(|source| SampleError::Io { path, source })?;
        out.push(FileManifest { name: p.name.clone(), table: layout.table, format: p.format, gzip: p.gzip, rows });
    }
    Ok(out)
}

/// Makes a table's rows in order on this thread (the demo profile: its
/// random streams run through the whole table) and has them formatted and
/// written on others.
fn write_in_order(
    table: &Table,
    files: &mut [(PathBuf, write::Sink)],
    noise: &mut dyn Noise,
    background: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<(), SampleError> {
    let Table { layout, catalog, plans, planted, options } = *table;
    let seed = options.seed;
    let report_col = layout.position("ReportId");
    let mut reports = ids::ReportIds::new(catalog, layout.table, seed);
    let mut written = 0;
    pipeline::write_files(layout, files, options.threads, |out| {
        let mut emit = |Event { device, time, mut row }: Event| -> bool {
            if let Some(i) = report_col {
                row.cells[i] = Cell::Long(reports.next(device));
            }
            written += 1;
            progress(written);
            out.emit(chunks::file_of(plans, time), row)
        };
        let mut jitter = rng::Rng::derive(seed, &format!("jitter:{}", layout.table));
        let mut pending = planted.iter().peekable();
        let step = i128::from(SPAN) / background.max(1) as i128;
        for i in 0..background {
            // Slot i ends at NOW - SPAN + (i+1)·step; the last event is exactly NOW.
            let end = i128::from(NOW - SPAN) + (i as i128 + 1) * i128::from(SPAN) / background as i128;
            let back = if i + 1 == background { 0 } else { jitter.below(step.max(1) as u64) as i128 };
            let time = (end - back) as i64;
            while let Some(p) = pending.next_if(|p| p.event.time <= time) {
                if !emit(p.event.clone()) {
                    return Ok(());
                }
            }
            if !emit(noise.event(time)) {
                return Ok(());
            }
        }
        for p in pending {
            if !emit(p.event.clone()) {
                return Ok(());
            }
        }
        Ok(())
    })
}
