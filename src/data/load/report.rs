//! What a load did: per file (format, tables and how each was decided, rows
//! loaded and skipped, values nulled), per table (rows, time span), and the
//! problems found, the first few verbatim.

use std::fmt;

use crate::data::time::format_datetime;

/// How many problems a report keeps verbatim; the rest are only counted.
pub const MAX_PROBLEMS_KEPT: usize = 20;

/// The event format of a file, as detected from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON event per line.
    JsonLines,
    /// A JSON array of events.
    JsonArray,
    /// An Advanced Hunting API response (`{"Schema":[...],"Results":[...]}`).
    AdvancedHuntingApi,
    /// Defender streaming-API / Event Hub records (`category` + `properties`).
    StreamingRecords,
    /// CSV with a header row.
    Csv,
    /// Nothing kqlhunt can read (the file was skipped).
    Unknown,
}

impl Format {
    /// A short human name.
    pub fn name(self) -> &'static str {
        match self {
            Format::JsonLines => "JSON Lines",
            Format::JsonArray => "JSON array",
            Format::AdvancedHuntingApi => "Advanced Hunting API response",
            Format::StreamingRecords => "streaming-API records",
            Format::Csv => "CSV",
            Format::Unknown => "unknown format",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which rule decided the table of a file's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableRule {
    /// The streaming record's `category` (`AdvancedHunting-<Table>`).
    Category,
    /// A `Type` or `Table` field naming a known table.
    TypeField,
    /// A known table name at the start of the file name.
    FileName,
    /// The `--table` option.
    Option,
    /// The known schema that best matches the file's columns.
    SchemaMatch,
    /// None matched: the table is named after the file.
    FileStem,
}

impl TableRule {
    /// A short human phrase.
    pub fn describe(self) -> &'static str {
        match self {
            TableRule::Category => "from record category",
            TableRule::TypeField => "from Type/Table field",
            TableRule::FileName => "from file name",
            TableRule::Option => "from --table",
            TableRule::SchemaMatch => "best schema match",
            TableRule::FileStem => "no known table; named after the file",
        }
    }
}

/// One table fed by one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileTable {
    /// The table name.
    pub table: String,
    /// How the table was decided.
    pub rule: TableRule,
    /// Rows this file added to the table.
    pub rows: usize,
}

/// What happened to one input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// The file as the user named it (or as found under a named directory).
    pub path: String,
    /// The format detected.
    pub format: Format,
    /// True when the file was gzip-compressed.
    pub gzip: bool,
    /// The tables it fed.
    pub tables: Vec<FileTable>,
    /// Rows loaded.
    pub rows_loaded: usize,
    /// Rows skipped (malformed).
    pub rows_skipped: usize,
    /// Values that could not be converted to their column type and became null.
    pub values_nulled: usize,
    /// Problems of this file (including the unreadable/unknown-format kind).
    pub problems: usize,
}

/// One loaded table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableReport {
    /// The table name.
    pub name: String,
    /// Its rows.
    pub rows: usize,
    /// Its columns.
    pub columns: usize,
    /// Oldest and newest `Timestamp` (ticks), when the table has one.
    pub time_span: Option<(i64, i64)>,
}

/// One problem found in the input: `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub path: String,
    /// The 1-based line, when the problem is at a line.
    pub line: Option<u64>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// The summary of a load.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// One entry per input file, in load order.
    pub files: Vec<FileReport>,
    /// One entry per table, in the database's order.
    pub tables: Vec<TableReport>,
    /// The first [`MAX_PROBLEMS_KEPT`] problems, in load order, and every
    /// read error that ended a file early.
    pub problems: Vec<Problem>,
    /// All problems, including those not kept.
    pub problems_total: usize,
    /// Why the load stopped before the end (the memory budget), if it did.
    pub stopped: Option<String>,
}

impl LoadReport {
    /// Rows loaded across all files.
    pub fn rows_loaded(&self) -> usize {
        self.files.iter().map(|f| f.rows_loaded).sum()
    }

    /// Rows skipped across all files.
    pub fn rows_skipped(&self) -> usize {
        self.files.iter().map(|f| f.rows_skipped).sum()
    }

    /// Values nulled across all files.
    pub fn values_nulled(&self) -> usize {
        self.files.iter().map(|f| f.values_nulled).sum()
    }

    /// The kept problems as `file:line: message` lines.
    pub fn problem_lines(&self) -> Vec<String> {
        self.problems.iter().map(ToString::to_string).collect()
    }

    /// Records a problem: kept verbatim while fewer than the cap, always counted.
    pub(crate) fn add_problem(&mut self, problem: Problem) {
        if self.problems.len() < MAX_PROBLEMS_KEPT {
            self.problems.push(problem);
        }
        self.problems_total += 1;
    }

    /// Adds the problem that ended a file early (a read error): kept even
    /// past [`MAX_PROBLEMS_KEPT`], since it explains the problems before it.
    pub(crate) fn add_last_problem(&mut self, problem: Problem) {
        self.problems.push(problem);
        self.problems_total += 1;
    }
}

impl fmt::Display for LoadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Loaded {} row{} from {} file{} into {} table{}; {} rows skipped, {} values nulled.",
            self.rows_loaded(),
            plural(self.rows_loaded()),
            self.files.len(),
            plural(self.files.len()),
            self.tables.len(),
            plural(self.tables.len()),
            self.rows_skipped(),
            self.values_nulled(),
        )?;
        if let Some(why) = &self.stopped {
            writeln!(f, "  {why}")?;
        }
        for file in &self.files {
            let gz = if file.gzip { ", gzip" } else { "" };
            write!(f, "  {} ({}{gz}): {} row{}", file.path, file.format, file.rows_loaded, plural(file.rows_loaded))?;
            if file.rows_skipped > 0 {
                write!(f, ", {} skipped", file.rows_skipped)?;
            }
            if file.values_nulled > 0 {
                write!(f, ", {} values nulled", file.values_nulled)?;
            }
            let tables: Vec<String> = file
                .tables
                .iter()
                .map(|t| format!("{} ({}, {} row{})", t.table, t.rule.describe(), t.rows, plural(t.rows)))
                .collect();
            if !tables.is_empty() {
                write!(f, " -> {}", tables.join(", "))?;
            }
            writeln!(f)?;
        }
        for table in &self.tables {
            write!(f, "  table {}: {} row{}, {} columns", table.name, table.rows, plural(table.rows), table.columns)?;
            if let Some((min, max)) = table.time_span {
                write!(f, ", {} .. {}", format_datetime(min), format_datetime(max))?;
            }
            writeln!(f)?;
        }
        if self.problems_total > 0 {
            writeln!(f, "{} problem{}:", self.problems_total, plural(self.problems_total))?;
            for p in &self.problems {
                writeln!(f, "  {p}")?;
            }
            let more = self.problems_total - self.problems.len();
            if more > 0 {
                writeln!(f, "  ... and {more} more")?;
            }
        }
        Ok(())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_problems_and_counts_all() {
        let mut r = LoadReport::default();
        for i in 0..25 {
            r.add_problem(Problem { path: "a.jsonl".into(), line: Some(i + 1), message: "bad".into() });
        }
        r.add_problem(Problem { path: "dir".into(), line: None, message: "unreadable".into() });
        assert_eq!(r.problems.len(), MAX_PROBLEMS_KEPT);
        assert_eq!(r.problems_total, 26);
        assert_eq!(r.problems[0].to_string(), "a.jsonl:1: bad");
        assert!(r.to_string().contains("... and 6 more"), "{r}");
    }
}
