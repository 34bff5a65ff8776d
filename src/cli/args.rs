//! Command-line arguments: one clap definition for every face of kqlhunt.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// kqlhunt — run Sentinel hunting rules over exported Defender events, locally.
///
/// With no subcommand it opens the interactive hunt (TUI). With no --rules or
/// --events it uses the bundled rules/ and samples/ (those of the working
/// folder when it has both, else the read-only copies compiled in) and pins
/// the clock to the newest sample event.
#[derive(Debug, Parser)]
#[command(name = "kqlhunt", version, about, long_about = None)]
pub struct Cli {
    /// Inputs shared by the hunting commands.
    #[command(flatten)]
    pub inputs: Inputs,
    /// What to do (default: the TUI).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where rules and events come from, and the session clock.
#[derive(Debug, Clone, Args, Default)]
pub struct Inputs {
    /// Rule files or folders (*.yaml, *.yml; recursive). Default: bundled rules/.
    #[arg(long = "rules", short = 'r', global = true, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Event files or folders (JSONL, JSON, CSV, .gz). Default: bundled samples/.
    #[arg(long = "events", short = 'e', global = true, value_name = "PATH")]
    pub events: Vec<PathBuf>,
    /// Table name for event files whose table cannot be told from their content or name.
    #[arg(long, global = true, value_name = "NAME")]
    pub table: Option<String>,
    /// The session clock for now()/ago(): an ISO-8601 time, or `latest` (newest event loaded).
    #[arg(long, global = true, value_name = "T|latest")]
    pub now: Option<String>,
    /// Exclusion overlay file (YAML keyed by rule id), merged with the rules' own.
    #[arg(long = "exclusions-file", global = true, value_name = "FILE")]
    pub exclusions_file: Option<PathBuf>,
    /// Folder where `externaldata` finds its files (by the URL's file name).
    #[arg(long, global = true, value_name = "DIR")]
    pub externaldata: Option<PathBuf>,
    /// Let `externaldata` download its URLs over HTTP(S), cached by URL in
    /// $XDG_CACHE_HOME/kqlhunt/externaldata (or ~/.cache/...) for offline runs.
    #[arg(long = "allow-network", global = true)]
    pub allow_network: bool,
    /// Most memory the loaded events may take (e.g. 512M, 8G); loading stops with an error past it.
    /// The same size separately bounds what a query's joins, summarize, mv-expand and make-series
    /// hold. Default: half of the physical memory.
    #[arg(long = "max-memory", global = true, value_name = "SIZE", value_parser = parse_size)]
    pub max_memory: Option<u64>,
    /// Run each rule's query where the data lives and tune locally over its hit rows:
    /// `defender` (Advanced Hunting API), `sentinel:WORKSPACE_ID` (Log Analytics) or
    /// `adx:CLUSTER_URL/DATABASE`. Token from KQLHUNT_TOKEN, else `az account get-access-token`.
    #[arg(long, global = true, value_name = "SOURCE", value_parser = parse_source)]
    pub source: Option<crate::data::remote::Service>,
    /// The remote service's address (sovereign clouds, proxies, tests); with --source.
    #[arg(long, global = true, value_name = "URL", requires = "source")]
    pub endpoint: Option<String>,
    /// Folder for the remote results (one Advanced Hunting API JSON per rule and a manifest;
    /// reopen offline with --events DIR). Default: $XDG_CACHE_HOME/kqlhunt/remote/...
    #[arg(long = "save-remote", global = true, value_name = "DIR", requires = "source")]
    pub save_remote: Option<PathBuf>,
}

/// `--source`: `defender`, `sentinel:WORKSPACE_ID` or `adx:CLUSTER_URL/DATABASE`.
pub fn parse_source(s: &str) -> Result<crate::data::remote::Service, String> {
    crate::data::remote::Service::parse(s).map_err(|e| e.to_string())
}

/// A size in bytes: a number with an optional binary suffix K, M, G or T (`512M`, `8G`).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (digits, shift) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let shift = match c.to_ascii_uppercase() {
                'K' => 10,
                'M' => 20,
                'G' => 30,
                'T' => 40,
                _ => return Err(format!("{s:?}: unknown size suffix {c:?} (use K, M, G or T)")),
            };
            (&t[..i], shift)
        }
        _ => (t, 0),
    };
    let n: u64 = digits.trim().parse().map_err(|_| format!("{s:?}: not a size (e.g. 512M, 8G)"))?;
    n.checked_mul(1 << shift).filter(|&b| b > 0).ok_or_else(|| format!("{s:?}: size out of range"))
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned text table.
    #[default]
    Table,
    /// JSON.
    Json,
    /// CSV.
    Csv,
    /// Markdown.
    Md,
    /// YAML (export only).
    Yaml,
    /// A self-contained HTML page (impact only).
    Html,
}

/// A `--format` parser that accepts only the formats a command writes, so
/// `run --format yaml` is a usage error (exit 2) that lists the valid ones.
fn formats(allowed: &'static [&'static str]) -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(allowed).try_map(|s| Format::from_str(&s, true))
}

/// The headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run rules; per rule, its device groups with hits before → after exclusions.
    Run(HuntArgs),
    /// Per rule and exclusion: hits hidden alone and uniquely, over-broad flags.
    Impact(ImpactArgs),
    /// Run one ad-hoc KQL query over the events.
    Query(QueryArgs),
    /// The raw events behind a rule's device group or ReportId.
    Events(EventsArgs),
    /// Least-frequency analysis: each distinct value of a column with its hits, devices, hidden hits, first/last seen.
    Stack(StackArgs),
    /// Validate rule files and .kql queries without events.
    Check(CheckArgs),
    /// Propose an exclusion filter that hides hits marked as false positives.
    Suggest(SuggestArgs),
    /// Print a rule's effective KQL (its query with active exclusions applied), or the tuning as an overlay.
    Export(ExportArgs),
    /// Convert rule-catalogue text (the seeds' format) into rule YAML.
    Import(ImportArgs),
    /// Generate deterministic sample events.
    Samples(SamplesArgs),
    /// Write the bundled rules/ and samples/ into DIR (never over an existing file).
    Init(InitArgs),
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to write rules/ and samples/ into (created when missing).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// Arguments of `run` and `impact`.
#[derive(Debug, Args)]
pub struct HuntArgs {
    /// Only these rules (name or id; repeatable).
    #[arg(long = "rule", value_name = "NAME|ID")]
    pub rule: Vec<String>,
    /// Which exclusions are active: all, none, saved (as in the files), or a comma list of names.
    #[arg(long, default_value = "saved", value_name = "all|none|saved|NAME,...")]
    pub exclusions: String,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = formats(&["table", "json", "csv", "md"]))]
    pub format: Format,
}

/// Arguments of `impact`: those of `run`, and `--format html`.
#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// Only these rules (name or id; repeatable).
    #[arg(long = "rule", value_name = "NAME|ID")]
    pub rule: Vec<String>,
    /// Which exclusions are active: all, none, saved (as in the files), or a comma list of names.
    #[arg(long, default_value = "saved", value_name = "all|none|saved|NAME,...")]
    pub exclusions: String,
    /// Output format; html is one self-contained page (`> report.html`).
    #[arg(long, default_value = "table", value_parser = formats(&["table", "json", "csv", "md", "html"]))]
    pub format: Format,
}

/// An ad-hoc query, as `query` and `stack` take it: its text, or a file.
#[derive(Debug, Args)]
pub struct QueryText {
    /// The query text (or use --file).
    pub query: Option<String>,
    /// Read the query from a file.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// Arguments of `query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query.
    #[command(flatten)]
    pub text: QueryText,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = formats(&["table", "json", "csv", "md"]))]
    pub format: Format,
}

/// Arguments of `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// The rule (name or id).
    #[arg(long, value_name = "NAME|ID")]
    pub rule: String,
    /// The device (DeviceName or DeviceId).
    #[arg(long, value_name = "NAME|ID")]
    pub device: String,
    /// Only this ReportId.
    #[arg(long, value_name = "ID")]
    pub report: Option<i64>,
    /// Which exclusions are active (as for `run`).
    #[arg(long, default_value = "saved")]
    pub exclusions: String,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = formats(&["table", "json"]))]
    pub format: Format,
}

/// Arguments of `suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The rule (name or id).
    #[arg(long, value_name = "NAME|ID")]
    pub rule: String,
    /// ReportIds of the rule's hits that are false positives.
    #[arg(long = "fp", value_name = "REPORTID[,REPORTID...]", value_delimiter = ',', required = true, num_args = 1..)]
    pub fp: Vec<i64>,
    /// Which exclusions are active (as for `run`): hits they already hide do not count against a proposal.
    #[arg(long, default_value = "saved", value_name = "all|none|saved|NAME,...")]
    pub exclusions: String,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = formats(&["table", "json"]))]
    pub format: Format,
}

/// Arguments of `stack`.
#[derive(Debug, Args)]
pub struct StackArgs {
    /// Stack this rule's hits (name or id); without it, stack a query's result.
    #[arg(long, value_name = "NAME|ID")]
    pub rule: Option<String>,
    /// The column to stack.
    #[arg(long, value_name = "COLUMN")]
    pub by: String,
    /// Which exclusions are active, for the `hidden` counts (as for `run`).
    #[arg(long, default_value = "saved", value_name = "all|none|saved|NAME,...")]
    pub exclusions: String,
    /// The query to stack the result of, as `kqlhunt query` takes it (without --rule).
    #[command(flatten)]
    pub text: QueryText,
    /// Output format.
    #[arg(long, default_value = "table", value_parser = formats(&["table", "json", "csv", "md"]))]
    pub format: Format,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rule files, .kql files or folders (default: bundled rules/).
    pub paths: Vec<PathBuf>,
    /// Write safe repairs back to the files.
    #[arg(long)]
    pub fix: bool,
    /// Output format (table = one line per problem).
    #[arg(long, default_value = "table", value_parser = formats(&["table", "json"]))]
    pub format: Format,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export the effective KQL (query with active exclusions).
    #[arg(long)]
    pub effective: bool,
    /// Export the current tuning (exclusions on/off, changed or added relative to the rule files,
    /// an --exclusions-file included) as an overlay file: to FILE, or stdout without one.
    #[arg(long, value_name = "FILE", num_args = 0..=1, conflicts_with = "effective")]
    pub overlay: Option<Option<PathBuf>>,
    /// With --overlay FILE: replace FILE when it exists (never replaced without it).
    #[arg(long, requires = "overlay")]
    pub force: bool,
    /// Only these rules (name or id).
    #[arg(long = "rule", value_name = "NAME|ID")]
    pub rule: Vec<String>,
    /// Which exclusions are active (as for `run`).
    #[arg(long, default_value = "saved")]
    pub exclusions: String,
    /// Output format: table (plain KQL) or yaml (a Sentinel rule).
    #[arg(long, default_value = "table", value_parser = formats(&["table", "yaml"]))]
    pub format: Format,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Catalogue text files to convert.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Folder to write rule YAML into (default: print to stdout).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Field map for translating the catalogue's pseudo-filters (default: the bundled rules/fieldmap.yaml).
    #[arg(long, value_name = "FILE")]
    pub fieldmap: Option<PathBuf>,
}

/// Arguments of `samples`.
#[derive(Debug, Args)]
pub struct SamplesArgs {
    /// Output folder.
    #[arg(long, short = 'o', default_value = "samples", value_name = "DIR")]
    pub out: PathBuf,
    /// DeviceProcessEvents rows (other tables scale with it).
    #[arg(long, default_value_t = 4000)]
    pub rows: usize,
    /// Random seed (same seed → same bytes).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write only JSONL (for benchmarks) instead of the mixed bundled formats.
    #[arg(long)]
    pub jsonl_only: bool,
    /// The estate simulated: `demo` (the bundled samples: 70 devices, few
    /// distinct values) or `enterprise` (about 2,000 devices, 3,000 accounts,
    /// thousands of hashes, ~90 % unique command lines, unique ReportIds and
    /// ProcessIds, three columns newer than the schema; see docs/samples.md).
    #[arg(long, value_enum, default_value_t = SampleProfile::Demo)]
    pub profile: SampleProfile,
    /// Write every table in one format instead of the bundled mix: `jsonl`,
    /// `api` (Advanced Hunting API JSON), `streaming` (streaming-API records)
    /// or `csv` (portal CSV); for comparing formats on the same rows.
    #[arg(long, value_enum, conflicts_with = "jsonl_only")]
    pub format: Option<SampleFormat>,
    /// Gzip the files of `--format`.
    #[arg(long, requires = "format")]
    pub gzip: bool,
}

/// The one format `samples --format` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SampleFormat {
    /// JSON Lines.
    Jsonl,
    /// An Advanced Hunting API response.
    Api,
    /// Streaming-API records.
    Streaming,
    /// The portal's CSV export.
    Csv,
}

/// The estate `samples` simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SampleProfile {
    /// The bundled samples' 70-device office.
    #[default]
    Demo,
    /// About 2,000 devices with a real estate's cardinality.
    Enterprise,
}
