//! Loading a session: the events (reporting progress to the caller), the
//! rules, the clock, then every selected rule run once.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::data::load::{LoadOptions, LoadReport, LoadResult, Progress, load_paths, load_sources};
use crate::data::time::{format_datetime, parse_datetime};
use crate::data::{Database, TICKS_PER_SECOND, latest_timestamp};
use crate::hunt::Hunt;
use crate::kql::eval::Session;
use crate::rules::RuleSet;

use super::Options;
use super::bundled::{self, Source};
use super::eager::LoadFor;
use super::error::SessionError;

/// How `now()` was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClockSource {
    /// `--now T`.
    Given,
    /// `--now latest`, or the bundled samples: the newest event loaded.
    LatestEvent,
    /// The wall clock at start.
    WallClock,
    /// Remote results: the time they were fetched.
    Fetched,
}

/// The session clock.
#[derive(Clone, Debug)]
pub struct Clock {
    /// `now()` in ticks.
    pub now: i64,
    /// Where it came from.
    pub source: ClockSource,
}

impl Clock {
    /// True when the clock is pinned (not the wall clock).
    pub fn pinned(&self) -> bool {
        self.source != ClockSource::WallClock
    }

    /// `2026-11-20T12:00:00Z (pinned: newest event)`.
    pub fn describe(&self) -> String {
        let why = match self.source {
            ClockSource::Given => "pinned by --now",
            ClockSource::LatestEvent => "pinned to the newest event",
            ClockSource::WallClock => "wall clock",
            ClockSource::Fetched => "pinned to when the remote results were fetched",
        };
        format!("{} ({why})", format_datetime(self.now))
    }
}

/// Events loaded for a command.
pub struct Events {
    /// The tables.
    pub db: Arc<Database>,
    /// What happened while loading.
    pub report: LoadReport,
    /// The paths loaded.
    pub paths: Vec<PathBuf>,
    /// How long loading took.
    pub elapsed: Duration,
    /// Remote results (`--source`, or a results folder given as `--events`):
    /// where each rule's hit rows are.
    pub remote: Option<super::results::RemoteSet>,
}

/// Loads the event files named in `inputs` (the bundled samples when none:
/// see [`bundled::source`]) for `purpose` (it decides which columns decode
/// now), reporting progress to `progress`. An error when no row at all could
/// be read, or when the load stopped at the memory budget; a bad file among
/// good ones is only a problem in the report. The faces call
/// [`super::start::load_events`], which also handles remote sources.
pub fn load_files(
    inputs: &Options,
    purpose: LoadFor,
    progress: &mut dyn FnMut(Progress),
) -> Result<Events, SessionError> {
    let max_memory = inputs.max_memory.or_else(default_max_memory);
    let eager_columns = purpose.eager_columns();
    let opts = LoadOptions { table: inputs.table.clone(), max_memory, eager_columns };
    let start = Instant::now();
    let (paths, result) = match (inputs.events.is_empty(), bundled::source()) {
        (false, _) => (inputs.events.clone(), load_paths(&inputs.events, &opts, progress)),
        (true, Source::Folders { samples, .. }) => (vec![samples.clone()], load_paths(&[samples], &opts, progress)),
        (true, Source::Embedded) => (vec![PathBuf::from("(bundled) samples")], load_embedded(&opts, progress)),
    };
    if inputs.cancel.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(SessionError::Cancelled);
    }
    if let Some(why) = &result.report.stopped {
        return Err(SessionError::MemoryBudget(why.clone()));
    }
    if result.report.rows_loaded() == 0 {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        let first = result.report.problem_lines().into_iter().next().or_else(|| {
            result.report.files.is_empty().then(|| "no event files there (JSON Lines, JSON, CSV, .gz)".to_string())
        });
        return Err(SessionError::NoEvents { paths: names.join(", "), first });
    }
    Ok(Events { db: Arc::new(result.database), report: result.report, paths, elapsed: start.elapsed(), remote: None })
}

/// Loads the compiled-in sample events.
fn load_embedded(opts: &LoadOptions, progress: &mut dyn FnMut(Progress)) -> LoadResult {
    let events = bundled::sample_events();
    let sources: Vec<(&str, &[u8])> = events.iter().map(|(name, bytes)| (name.as_str(), *bytes)).collect();
    load_sources(&sources, opts, progress)
}

/// An error when `session` was cancelled (Ctrl-C) while it ran.
pub fn check_cancelled(session: &Session) -> Result<(), SessionError> {
    if session.cancelled() {
        return Err(SessionError::Cancelled);
    }
    Ok(())
}

/// An error naming the first of `paths` that does not exist or cannot be
/// read, so a typo is exit 2 rather than "no hits".
pub fn check_paths(what: &'static str, paths: &[PathBuf]) -> Result<(), SessionError> {
    for path in paths {
        let readable = std::fs::metadata(path).and_then(|m| {
            if m.is_dir() { std::fs::read_dir(path).map(|_| ()) } else { std::fs::File::open(path).map(|_| ()) }
        });
        if let Err(reason) = readable {
            return Err(SessionError::Input { what, path: path.clone(), reason });
        }
    }
    Ok(())
}

/// Half of the physical memory (`MemTotal` of /proc/meminfo); `None` where unknown.
pub fn default_max_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024) / 2)
}

/// The clock for `inputs` over the loaded tables.
pub fn clock(inputs: &Options, db: &Database) -> Result<Clock, SessionError> {
    let latest = || latest_timestamp(db);
    match inputs.now.as_deref() {
        Some("latest") => match latest() {
            Some(now) => Ok(Clock { now, source: ClockSource::LatestEvent }),
            None => Err(SessionError::Clock("--now latest: no event with a Timestamp was loaded".into())),
        },
        Some(t) => match parse_datetime(t) {
            Some(now) => Ok(Clock { now, source: ClockSource::Given }),
            None => Err(SessionError::Clock(format!(
                "--now {t}: not a date/time (use ISO-8601, e.g. 2026-11-20T12:00:00Z, or 'latest')"
            ))),
        },
        // The bundled demo pins the clock so its 5-day windows always have hits.
        None if inputs.events.is_empty() => Ok(Clock {
            now: latest().unwrap_or_else(wall_clock),
            source: if latest().is_some() { ClockSource::LatestEvent } else { ClockSource::WallClock },
        }),
        None => Ok(Clock { now: wall_clock(), source: ClockSource::WallClock }),
    }
}

fn wall_clock() -> i64 {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    d.as_secs() as i64 * TICKS_PER_SECOND + i64::from(d.subsec_nanos() / 100)
}

/// Loads the rules named in `inputs` (the bundled rules when none: see
/// [`bundled::source`]; the compiled-in ones are read-only); an error when a
/// named rule path or the overlay file is missing.
pub fn load_rules(inputs: &Options) -> Result<RuleSet, SessionError> {
    check_paths("--rules", &inputs.rules)?;
    check_paths("--exclusions-file", inputs.exclusions_file.as_slice())?;
    let overlay = inputs.exclusions_file.as_deref();
    Ok(match (inputs.rules.is_empty(), bundled::source()) {
        (false, _) => RuleSet::load(&inputs.rules, overlay),
        (true, Source::Folders { rules, .. }) => RuleSet::load(&[rules], overlay),
        (true, Source::Embedded) => RuleSet::from_texts(&bundled::rule_texts(), overlay),
    })
}

/// Everything a hunting command needs.
pub struct Loaded {
    /// The session with every rule run.
    pub hunt: Hunt,
    /// The events' load report.
    pub events: Events,
    /// The clock.
    pub clock: Clock,
}

/// Runs every rule of `rules` (the [`selected_rules`] of `inputs`) over the
/// event files' tables `events` (loaded with [`load_files`]).
pub fn hunt_files(inputs: &Options, events: Events, rules: RuleSet) -> Result<Loaded, SessionError> {
    let clock = clock(inputs, &events.db)?;
    let session = eval_session(inputs, &events.db, &clock);
    let hunt = Hunt::new(rules, session.clone());
    check_cancelled(&session)?;
    Ok(Loaded { hunt, events, clock })
}

/// The rules of `inputs` that a hunt runs: loaded, and only the selected
/// ones; an error when not one rule file loads.
pub fn selected_rules(inputs: &Options) -> Result<RuleSet, SessionError> {
    let mut rules = load_rules(inputs)?;
    if rules.rules.is_empty() && !rules.problems.is_empty() {
        let first = rules.problems.first().map(|p| p.to_string()).unwrap_or_default();
        return Err(SessionError::NoRules(first));
    }
    rules.retain_selected(&inputs.select_rules)?;
    Ok(rules)
}

/// The user's cache folder for `externaldata` downloads:
/// `$XDG_CACHE_HOME/kqlhunt/externaldata`, else `~/.cache/kqlhunt/externaldata`.
/// `None` when neither variable names an absolute folder.
pub fn externaldata_cache_dir() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    let base = std::env::var_os("XDG_CACHE_HOME")
        .and_then(absolute)
        .or_else(|| std::env::var_os("HOME").and_then(absolute).map(|home| home.join(".cache")))?;
    Some(base.join("kqlhunt").join("externaldata"))
}

/// The one place a face's evaluation session is set up: the loaded tables,
/// the clock, the `externaldata` folder and the cancel flag of `inputs`.
pub fn eval_session(inputs: &Options, db: &Arc<Database>, clock: &Clock) -> Session {
    let mut session = Session::new(db.clone(), clock.now);
    session.externaldata_dir = inputs.externaldata.clone();
    session.allow_network = inputs.allow_network;
    session.externaldata_cache = externaldata_cache_dir();
    session.cancel = inputs.cancel.clone();
    session.limits.max_memory = inputs.max_memory.or_else(default_max_memory);
    session
}
