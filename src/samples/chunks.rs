//! The enterprise profile's tables, made in parallel: a table's background
//! rows are cut into chunks of [`CHUNK_ROWS`], each with random streams of
//! its own ([`Rng::derive_chunk`]), and the planted rows go to the chunk
//! whose time slots hold them. A chunk's rows depend only on the seed and
//! the chunk's number, and chunks are written in order, so the same seed and
//! `--rows` give the same bytes on any number of threads.

use std::path::PathBuf;

use super::clock::{NOW, SPAN};
use super::pipeline::{MakeChunk, write_chunks};
use super::rng::Rng;
use super::row::{Cell, Layout, Row};
use super::scenarios::Planted;
use super::write::Sink;
use super::{Event, FilePlan, Noise, SampleError, Table, estate, ids};

/// Background rows per chunk. Fixed, never derived from the thread count:
/// the chunks are what the bytes depend on.
pub(super) const CHUNK_ROWS: usize = 4096;

/// Where each chunk's rows start.
struct Chunks<'a> {
    background: usize,
    planted: &'a [&'a Planted],
    /// `planted[first[k]..first[k + 1]]` are chunk `k`'s planted rows.
    first: Vec<usize>,
}

impl<'a> Chunks<'a> {
    fn new(background: usize, planted: &'a [&'a Planted]) -> Chunks<'a> {
        let count = background.div_ceil(CHUNK_ROWS).max(1);
        let mut first = vec![0];
        // A planted row at or before the end of a chunk's last time slot
        // comes before the next chunk's first background row (whose time is
        // after that end), so it belongs to this chunk or an earlier one.
        first.extend((1..count).map(|k| {
            let end = slot_end(k * CHUNK_ROWS - 1, background);
            planted.partition_point(|p| i128::from(p.event.time) <= end)
        }));
        first.push(planted.len());
        Chunks { background, planted, first }
    }

    fn count(&self) -> usize {
        self.first.len() - 1
    }

    /// The table-wide index of chunk `k`'s first row.
    fn start(&self, k: usize) -> usize {
        k * CHUNK_ROWS + self.first[k]
    }
}

/// The end of background row `i`'s time slot: the 7 days cut into
/// `background` equal slots, the last ending exactly at NOW.
fn slot_end(i: usize, background: usize) -> i128 {
    i128::from(NOW - SPAN) + (i as i128 + 1) * i128::from(SPAN) / background.max(1) as i128
}

/// Writes one enterprise table into `files`: background rows from
/// `new_noise`'s sources, planted rows merged in time order, each row
/// routed to its file by time.
pub(super) fn write_table<'c>(
    table: &Table,
    files: &mut [(PathBuf, Sink)],
    new_noise: &(dyn Fn() -> Box<dyn Noise + 'c> + Sync),
    background: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<(), SampleError> {
    let chunks = Chunks::new(background, table.planted);
    let columns = Columns::of(table.layout);
    let seed = table.options.seed;
    let (jitter, reports) = (format!("jitter:{}", table.layout.table), format!("reports:{}", table.layout.table));
    let report_base = ids::unique_report_base(table.layout.table);
    let (plans, chunks, columns, jitter, reports) = (table.plans, &chunks, &columns, &jitter, &reports);
    let new_maker = || -> Box<MakeChunk<'_>> {
        let mut noise = new_noise();
        Box::new(move |k: usize, out: &mut dyn FnMut(usize, &Row)| {
            noise.restart(seed, k as u64);
            let mut jitter = Rng::derive_chunk(seed, jitter, k as u64);
            let mut report_rng = Rng::derive_chunk(seed, reports, k as u64);
            let mut n = chunks.start(k) as u64;
            let mut emit = |Event { time, mut row, .. }: Event| {
                let cells = &mut row.cells;
                columns.set(cells, columns.report, Cell::Long(ids::unique_report_id(report_base, n, &mut report_rng)));
                columns.set(cells, columns.process_id, Cell::Long(estate::unique_process_id(n)));
                columns.set(cells, columns.additional_fields, Cell::Null);
                n += 1;
                out(file_of(plans, time), &row);
            };
            let background = chunks.background;
            let step = i128::from(SPAN) / background.max(1) as i128;
            let mut pending = chunks.planted[chunks.first[k]..chunks.first[k + 1]].iter().peekable();
            for i in k * CHUNK_ROWS..((k + 1) * CHUNK_ROWS).min(background) {
                let back = if i + 1 == background { 0 } else { jitter.below(step.max(1) as u64) as i128 };
                let time = (slot_end(i, background) - back) as i64;
                while let Some(p) = pending.next_if(|p| p.event.time <= time) {
                    emit(p.event.clone());
                }
                emit(noise.event(time));
            }
            pending.for_each(|p| emit(p.event.clone()));
        })
    };
    write_chunks(table.layout, files, table.options.threads, chunks.count(), &new_maker, progress)
}

/// The file a row at `time` goes to: the newest whose slice starts at or before it.
pub(super) fn file_of(plans: &[FilePlan], time: i64) -> usize {
    plans.iter().position(|p| time >= p.from).unwrap_or(plans.len().saturating_sub(1))
}

/// Columns every enterprise row gets set as it is written.
struct Columns {
    report: Option<usize>,
    /// Unique `ProcessId`s (the process table's own column).
    process_id: Option<usize>,
    /// Null `AdditionalFields`, as Defender leaves them on process creations.
    additional_fields: Option<usize>,
}

impl Columns {
    fn of(layout: &Layout) -> Columns {
        let process = layout.table == "DeviceProcessEvents";
        Columns {
            report: layout.position("ReportId"),
            process_id: layout.position("ProcessId"),
            additional_fields: layout.position("AdditionalFields").filter(|_| process),
        }
    }

    fn set(&self, cells: &mut [Cell], at: Option<usize>, cell: Cell) {
        if let Some(c) = at.and_then(|i| cells.get_mut(i)) {
            *c = cell;
        }
    }
}
