//! Per file: sends each parsed row to the table it belongs to (record
//! `category`, a `Type`/`Table` field, else the file's table), and keeps the
//! file's problems and counts.

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::data::lazy::LazyFile;
use crate::data::schema::{best_match, table_schema};
use crate::data::value::DataType;

use super::budget::{Budget, json_bytes};
use super::builder::{Inference, Keep, StringHints, TableBuilder};
use super::convert::Raw;
use super::detect::table_from_file_name;
use super::report::{Format, MAX_PROBLEMS_KEPT, Problem, TableRule};

/// Share of a file's columns a known schema must know to be chosen by match.
const MIN_SCHEMA_MATCH: f64 = 0.5;

/// Category prefix of Defender streaming-API records.
const CATEGORY_PREFIX: &str = "AdvancedHunting-";

/// The fields of one parsed row, borrowing from the input where possible.
#[derive(Debug, Default)]
pub(crate) struct StagedRow<'a> {
    /// Top-level fields, in input order.
    pub fields: Vec<(Cow<'a, str>, Raw<'a>)>,
    /// The `properties` object of a streaming record, when there is one.
    pub properties: Option<Vec<(Cow<'a, str>, Raw<'a>)>>,
    /// The record's `category`, when it has one.
    pub category: Option<String>,
}

/// Which document shapes a file showed, to name its format.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Shapes {
    /// A top-level JSON array.
    pub array: bool,
    /// An AH API `Schema` or `Results`.
    pub api: bool,
    /// Streaming records (`records` wrapper or `category` + `properties`).
    pub records: bool,
}

/// What is known about the file being loaded.
#[derive(Clone, Debug)]
pub(crate) struct FileContext {
    /// The path as reported.
    pub path: String,
    /// The file name (for table detection).
    pub file_name: String,
    /// `--table`.
    pub option_table: Option<String>,
    /// Type inference of unknown columns.
    pub inference: Inference,
}

/// Routes the rows of one file into per-table builders.
#[derive(Debug)]
pub(crate) struct Router {
    ctx: FileContext,
    declared: FxHashMap<String, DataType>,
    default_table: Option<(String, TableRule)>,
    /// The tables this file fed, in first-seen order, with the rule that chose each.
    pub tables: Vec<(TableRule, TableBuilder)>,
    /// The first problems of the file.
    pub problems: Vec<Problem>,
    /// The problem that ended the file early (a read error), if one did:
    /// kept apart from `problems`, so no number of problems before it hides it.
    pub last_problem: Option<Problem>,
    /// All problems of the file (`last_problem` too).
    pub problems_total: usize,
    /// Rows skipped.
    pub rows_skipped: usize,
    /// Values nulled.
    pub values_nulled: usize,
    /// Shapes seen.
    pub shapes: Shapes,
    budget: Budget,
    /// Bytes of the dynamic values routed (the builders hold only pointers to them).
    dynamic_bytes: u64,
    /// How earlier parts of the file stored each table's string columns,
    /// for the builders of a sibling (see `StrHint`).
    string_hints: Arc<FxHashMap<String, StringHints>>,
    /// Which columns the builders decode (`None`: all).
    keep: Option<Arc<Keep>>,
    /// The file whose rows' places the builders record, when skipped columns decode later.
    lazy_file: Option<Arc<LazyFile>>,
    /// The place of the line being routed: byte offset in the file and length.
    line_at: (u64, usize),
}

impl Router {
    /// A router for one file, within the load's `budget`.
    pub(crate) fn new(ctx: FileContext, budget: Budget) -> Router {
        Router {
            ctx,
            declared: FxHashMap::default(),
            default_table: None,
            tables: Vec::new(),
            problems: Vec::new(),
            last_problem: None,
            problems_total: 0,
            rows_skipped: 0,
            values_nulled: 0,
            shapes: Shapes::default(),
            budget,
            dynamic_bytes: 0,
            string_hints: Arc::default(),
            keep: None,
            lazy_file: None,
            line_at: (0, 0),
        }
    }

    /// Decodes only the columns `keep` keeps, recording each row's place in
    /// `file` so the others decode later.
    pub(crate) fn lazy(&mut self, keep: Arc<Keep>, file: Arc<LazyFile>) {
        self.keep = Some(keep);
        self.lazy_file = Some(file);
    }

    /// A decoder of lazy columns: decodes only what `keep` keeps, and sends
    /// rows that name no table where the load sent them.
    pub(crate) fn decode_only(&mut self, keep: Arc<Keep>, default_table: Option<(String, TableRule)>) {
        self.keep = Some(keep);
        if default_table.is_some() {
            self.default_table = default_table;
        }
    }

    /// True when the rows' places are recorded ([`Router::place_line`] matters).
    pub(crate) fn places_rows(&self) -> bool {
        self.lazy_file.is_some()
    }

    /// Sets the place of the line routed next: `len` bytes at byte `offset` of the file.
    pub(crate) fn place_line(&mut self, offset: u64, len: usize) {
        self.line_at = (offset, len);
    }

    /// Tells the lazy file where rows that name no table went (once decided).
    pub(crate) fn publish_default_table(&self) {
        if let (Some(file), Some(table)) = (&self.lazy_file, &self.default_table) {
            let _ = file.default_table.set(table.0.clone());
        }
    }

    /// Rows of table `name` so far.
    pub(crate) fn table_rows(&self, name: &str) -> usize {
        self.tables.iter().find(|(_, t)| t.name() == name).map_or(0, |(_, t)| t.rows())
    }

    /// Takes the builder of table `name`.
    pub(crate) fn take_table(&mut self, name: &str) -> Option<TableBuilder> {
        let i = self.tables.iter().position(|(_, t)| t.name() == name)?;
        Some(self.tables.swap_remove(i).1)
    }

    /// A router for another part of the same file (parallel parsing): same
    /// context, declarations and table decision, nothing loaded yet.
    pub(crate) fn sibling(&self) -> Router {
        let mut r = Router::new(self.ctx.clone(), self.budget.share());
        r.declared = self.declared.clone();
        r.default_table = self.default_table.clone();
        r.keep = self.keep.clone();
        r.lazy_file = self.lazy_file.clone();
        r.string_hints = Arc::new(self.tables.iter().map(|(_, t)| (t.name().to_string(), t.string_hints())).collect());
        r
    }

    /// Declares the type of a column (AH API `Schema`).
    pub(crate) fn declare(&mut self, name: &str, dtype: DataType) {
        self.declared.insert(name.to_string(), dtype);
    }

    /// Records a problem of the file.
    pub(crate) fn problem(&mut self, line: Option<u64>, message: String) {
        if self.problems.len() < MAX_PROBLEMS_KEPT {
            self.problems.push(Problem { path: self.ctx.path.clone(), line, message });
        }
        self.problems_total += 1;
    }

    /// Records a problem that ends the file (a read error), kept even past
    /// [`MAX_PROBLEMS_KEPT`]: it explains the problems before it (a corrupt
    /// gzip stream decodes to garbage lines until the decoder notices).
    pub(crate) fn final_problem(&mut self, line: Option<u64>, message: String, skips_row: bool) {
        self.last_problem = Some(Problem { path: self.ctx.path.clone(), line, message });
        self.problems_total += 1;
        self.rows_skipped += usize::from(skips_row);
    }

    /// Records a row that could not be read.
    pub(crate) fn skip_row(&mut self, line: u64, reason: String) {
        self.rows_skipped += 1;
        self.problem(Some(line), reason);
    }

    /// True once the load holds more than its memory budget: the loaders
    /// stop, and rows routed now are dropped.
    pub(crate) fn over_budget(&self) -> bool {
        self.budget.exceeded()
    }

    /// Accounts for the bytes the builders hold now (also at the end of a file,
    /// so small files count too).
    pub(crate) fn measure(&mut self) {
        let held = self.tables.iter().map(|(_, t)| t.heap_bytes() as u64).sum::<u64>() + self.dynamic_bytes;
        self.budget.account(held);
        self.budget.flush_rows();
    }

    /// The load's memory budget.
    pub(crate) fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Adds one row to its table.
    pub(crate) fn route(&mut self, line: u64, row: StagedRow) {
        if self.budget.exceeded() {
            return;
        }
        let StagedRow { fields, properties, category } = row;
        // `category` names the table only in a streaming record (it has `properties`).
        let (fields, category) = match properties {
            Some(props) => {
                self.shapes.records = true;
                (props, category)
            }
            None => (fields, None),
        };
        let named = match category.as_deref().map(table_of_category).filter(|c| !c.is_empty()) {
            Some(table) => Some((table, TableRule::Category)),
            None => type_field(fields.iter().map(|(k, v)| (k.as_ref(), v))).map(|t| (t, TableRule::TypeField)),
        };
        let index = self.table_index(named, fields.iter().map(|(k, _)| k.as_ref()));
        self.push_row(line, index, fields);
    }

    /// Adds one row of a flat object (see [`super::flat`]) to its table.
    /// `may_name_table`: the row has a `Type` or `Table` key.
    pub(crate) fn route_flat<'f>(
        &mut self,
        line: u64,
        may_name_table: bool,
        fields: impl Iterator<Item = (&'f str, Raw<'f>)> + Clone,
    ) {
        if self.budget.exceeded() {
            return;
        }
        let type_name = may_name_table.then(|| {
            fields.clone().find_map(|(k, v)| match v {
                Raw::Str(Cow::Borrowed(s)) if names_table(k, s) => Some(s),
                _ => None,
            })
        });
        let type_name = type_name.flatten();
        let index = self.table_index(type_name.map(|t| (t, TableRule::TypeField)), fields.clone().map(|(k, _)| k));
        self.push_row(line, index, fields);
    }

    /// Adds one streaming-API record scanned flat (see [`super::flat`]): its
    /// `category` names the table, else a `Type`/`Table` property does, as
    /// [`Router::route`] decides for a record.
    pub(crate) fn route_record<'f>(
        &mut self,
        line: u64,
        category: Option<&str>,
        may_name_table: bool,
        fields: impl Iterator<Item = (&'f str, Raw<'f>)> + Clone,
    ) {
        self.shapes.records = true;
        match category.map(table_of_category).filter(|c| !c.is_empty()) {
            Some(table) if !self.budget.exceeded() => {
                let index = self.table_index(Some((table, TableRule::Category)), fields.clone().map(|(k, _)| k));
                self.push_row(line, index, fields);
            }
            Some(_) => {}
            None => self.route_flat(line, may_name_table, fields),
        }
    }

    /// The builder of the table a row names (or the file's table), added when new.
    fn table_index<'k>(
        &mut self,
        named: Option<(&str, TableRule)>,
        keys: impl Iterator<Item = &'k str> + Clone,
    ) -> usize {
        let (name, rule) = match named {
            Some(named) => named,
            None => {
                let ctx = &self.ctx;
                let (name, rule) = self.default_table.get_or_insert_with(|| default_table(ctx, keys));
                (name.as_str(), *rule)
            }
        };
        match self.tables.iter().position(|(_, t)| t.name() == name) {
            Some(i) => i,
            None => {
                let mut table = TableBuilder::new(name, self.ctx.inference);
                if let Some(hints) = self.string_hints.get(name) {
                    table.use_string_hints(hints.clone());
                }
                if let Some(keep) = &self.keep {
                    table.keep_only(keep.clone(), self.lazy_file.clone());
                }
                self.tables.push((rule, table));
                self.tables.len() - 1
            }
        }
    }

    /// Pushes a row's fields into table `index`, and accounts for them.
    fn push_row<'f, K: AsRef<str>>(&mut self, line: u64, index: usize, fields: impl IntoIterator<Item = (K, Raw<'f>)>) {
        let declared = &self.declared;
        let lookup = |k: &str| declared.get(k).copied();
        let Some((_, table)) = self.tables.get_mut(index) else { return };
        let mut problems = Vec::new();
        let mut row_bytes = 0;
        for (position, (key, raw)) in fields.into_iter().enumerate() {
            row_bytes += match &raw {
                Raw::Json(v) => {
                    let b = json_bytes(v);
                    self.dynamic_bytes += b;
                    b
                }
                Raw::Str(s) => s.len() as u64,
                _ => 8,
            };
            if let Err(p) = table.push_field(position, key.as_ref(), raw, &lookup) {
                problems.push(p);
            }
        }
        table.end_row();
        table.place_row(self.line_at.0, self.line_at.1);
        if self.budget.row(row_bytes) {
            self.measure();
        }
        for p in problems {
            self.values_nulled += 1;
            self.problem(Some(line), p.to_string());
        }
    }

    /// Rows loaded so far.
    pub(crate) fn rows_loaded(&self) -> usize {
        self.tables.iter().map(|(_, t)| t.rows()).sum()
    }

    /// Folds a sibling's rows, problems and counts into this router, after its own.
    /// `line_offset` is added to the sibling's line numbers (it numbered its
    /// part of the file from 1).
    pub(crate) fn absorb(&mut self, mut other: Router, line_offset: u64) {
        other.budget.flush_rows();
        for (rule, table) in other.tables {
            match self.tables.iter_mut().find(|(_, t)| t.name() == table.name()) {
                Some((_, mine)) => mine.append(table),
                None => self.tables.push((rule, table)),
            }
        }
        let unkept = other.problems_total.saturating_sub(other.problems.len());
        for p in other.problems {
            self.problem(p.line.map(|l| l + line_offset), p.message);
        }
        self.problems_total += unkept;
        self.rows_skipped += other.rows_skipped;
        self.values_nulled += other.values_nulled;
        self.shapes.array |= other.shapes.array;
        self.shapes.api |= other.shapes.api;
        self.shapes.records |= other.shapes.records;
        self.dynamic_bytes += other.dynamic_bytes;
        self.budget.absorb(other.budget);
    }

    /// Drops a sibling whose part of the file is read another way, giving
    /// back the budget its rows took.
    pub(crate) fn discard(mut self) {
        self.budget.account(0);
    }

    /// The format the file showed, given it was JSON (`lines`: one value per line,
    /// where an array on a line is just one line's events).
    pub(crate) fn json_format(&self, lines: bool) -> Format {
        if self.shapes.records {
            Format::StreamingRecords
        } else if self.shapes.api {
            Format::AdvancedHuntingApi
        } else if self.shapes.array && !lines {
            Format::JsonArray
        } else {
            Format::JsonLines
        }
    }

    /// The file's context.
    pub(crate) fn context(&self) -> &FileContext {
        &self.ctx
    }
}

/// The table of a file's rows that name none (decided once per file): by
/// file name, `--table`, the schema the keys match, or the file stem.
fn default_table<'k>(ctx: &FileContext, keys: impl Iterator<Item = &'k str> + Clone) -> (String, TableRule) {
    if let Some(t) = table_from_file_name(&ctx.file_name) {
        (t.to_string(), TableRule::FileName)
    } else if let Some(t) = &ctx.option_table {
        (t.clone(), TableRule::Option)
    } else {
        match best_match(keys).filter(|(_, share)| *share >= MIN_SCHEMA_MATCH) {
            Some((schema, _)) => (schema.name.clone(), TableRule::SchemaMatch),
            None => (file_stem_table(&ctx.file_name), TableRule::FileStem),
        }
    }
}

/// `AdvancedHunting-DeviceProcessEvents` → `DeviceProcessEvents`.
fn table_of_category(category: &str) -> &str {
    category.strip_prefix(CATEGORY_PREFIX).unwrap_or(category).trim()
}

/// A `Type` or `Table` field naming a known table.
fn type_field<'f>(mut fields: impl Iterator<Item = (&'f str, &'f Raw<'f>)>) -> Option<&'f str> {
    fields.find_map(|(k, v)| match v {
        Raw::Str(s) if names_table(k, s) => Some(s.as_ref()),
        _ => None,
    })
}

/// True when field `key` with text `value` names a known table (`Type` or `Table`).
fn names_table(key: &str, value: &str) -> bool {
    matches!(key, "Type" | "Table") && table_schema(value).is_some()
}

/// A table name made of the file name without extensions, as an identifier.
fn file_stem_table(file_name: &str) -> String {
    let stem = file_name.split('.').next().unwrap_or(file_name);
    let ident: String = stem.chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if ident.is_empty() { "Events".to_string() } else { ident }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_categories() {
        assert_eq!(file_stem_table("my events-1.jsonl.gz"), "my_events_1");
        assert_eq!(file_stem_table(".jsonl"), "Events");
        assert_eq!(table_of_category("AdvancedHunting-DeviceFileEvents"), "DeviceFileEvents");
    }
}
