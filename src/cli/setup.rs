//! The CLI's side of a session: options from the command line, a progress
//! bar on stderr, Ctrl-C as the cancel flag, load problems printed to stderr.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::data::load::Progress;
use crate::session::{self, Events, LoadFor, Loaded, Options};

use super::args::Inputs;

impl Inputs {
    /// The session options for these inputs, keeping only the rules `select`
    /// names (all when empty), with a fresh cancel flag.
    pub fn options(&self, select: &[String]) -> Options {
        Options {
            rules: self.rules.clone(),
            events: self.events.clone(),
            table: self.table.clone(),
            now: self.now.clone(),
            exclusions_file: self.exclusions_file.clone(),
            externaldata: self.externaldata.clone(),
            allow_network: self.allow_network,
            max_memory: self.max_memory,
            select_rules: select.to_vec(),
            cancel: Default::default(),
            remote: self.source.clone().map(|service| session::remote::RemoteSource {
                service,
                endpoint: self.endpoint.clone(),
                save_dir: self.save_remote.clone(),
            }),
        }
    }
}

/// The session options for a headless command: as [`Inputs::options`], with
/// Ctrl-C setting the cancel flag (installed now, before any load).
pub fn options(inputs: &Inputs, select: &[String]) -> Options {
    Options { cancel: cancel_on_ctrl_c(), ..inputs.options(select) }
}

/// Loads the selected rules, then the events for them with a progress bar,
/// runs the rules and prints load problems to stderr.
pub fn load_hunt(opts: &Options) -> anyhow::Result<Loaded> {
    let rules = session::rules_for_hunt(opts)?;
    let events = load_events(opts, LoadFor::Rules(&rules.rules))?;
    let loaded = session::hunt_over(opts, events, rules)?;
    report_problems(&loaded)?;
    Ok(loaded)
}

/// Loads the events for `purpose` with a progress bar on stderr when it is a terminal.
pub fn load_events(opts: &Options, purpose: LoadFor) -> anyhow::Result<Events> {
    let bar = std::cell::RefCell::new(ProgressBar::new());
    // Waits (throttling) are always told on stderr: a silent pause looks like a hang.
    let events = session::load_events_noting(opts, purpose, &mut |p| bar.borrow_mut().update(&p), &mut |note| {
        bar.borrow_mut().finish();
        let _ = writeln!(std::io::stderr(), "kqlhunt: {}", crate::data::text::inert(note));
    });
    bar.borrow_mut().finish();
    Ok(events?)
}

/// Prints rule-loading problems and event-loading problems to stderr.
fn report_problems(loaded: &Loaded) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    for p in &loaded.hunt.rule_set().problems {
        writeln!(err, "kqlhunt: rule: {p}").context("writing to stderr")?;
    }
    for w in &loaded.hunt.rule_set().overlay_warnings {
        writeln!(err, "kqlhunt: warning: {}", crate::data::text::inert(&w.to_string())).context("writing to stderr")?;
    }
    for p in loaded.events.report.problem_lines() {
        writeln!(err, "kqlhunt: events: {p}").context("writing to stderr")?;
    }
    Ok(())
}

/// A progress bar on stderr, shown only when stderr is a terminal and the
/// load has taken over half a second, so pipes and quick loads stay clean.
struct ProgressBar {
    start: Instant,
    tty: bool,
    shown: bool,
    last: Instant,
}

impl ProgressBar {
    fn new() -> ProgressBar {
        let now = Instant::now();
        ProgressBar { start: now, tty: std::io::stderr().is_terminal(), shown: false, last: now }
    }

    fn update(&mut self, p: &Progress) {
        if !self.tty
            || self.start.elapsed() < Duration::from_millis(500)
            || self.last.elapsed() < Duration::from_millis(100)
        {
            return;
        }
        self.last = Instant::now();
        self.shown = true;
        let frac = if p.bytes_total == 0 { 1.0 } else { p.bytes_done as f64 / p.bytes_total as f64 };
        let width = 30;
        let filled = ((frac * width as f64) as usize).min(width);
        let name = crate::data::text::inert(p.file);
        let _ = write!(
            std::io::stderr(),
            "\r\x1b[2Kloading [{}{}] {:>3.0}%  {}",
            "#".repeat(filled),
            " ".repeat(width - filled),
            frac * 100.0,
            name
        );
    }

    fn finish(&mut self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

/// A flag set by Ctrl-C, for the session's cancel flag: the running query stops at
/// its next operator (or join step). A second Ctrl-C exits at once. The
/// handler is installed on the first call; later calls share its flag.
pub fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let handler_flag = flag.clone();
        let installed = ctrlc::set_handler(move || {
            if handler_flag.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
        if let Err(e) = installed {
            eprintln!("kqlhunt: Ctrl-C will not cancel queries: {e}");
        }
        flag
    })
    .clone()
}

/// The exit outcome of a hunting command over rules `idx`: failed (exit 2)
/// when a rule file failed to load or a selected rule failed to parse or
/// run, whatever else printed; else hits when any rule has hits after
/// exclusions.
pub fn outcome(hunt: &crate::hunt::Hunt, idx: &[usize]) -> super::Outcome {
    use crate::hunt::RuleStatus;
    let runs = || idx.iter().filter_map(|&i| hunt.get(i)).map(|(_, run)| run);
    let files = hunt.rule_set().problems.len();
    let rules = runs().filter(|r| matches!(r.status, RuleStatus::Error(_))).count();
    if files > 0 || rules > 0 {
        // Counted: in a long output the errors are far apart.
        let mut what = Vec::new();
        if files > 0 {
            what.push(format!("{files} rule file{} failed to load", plural(files)));
        }
        if rules > 0 {
            what.push(format!("{rules} rule{} failed to parse or run", plural(rules)));
        }
        eprintln!("kqlhunt: {} (the errors are printed above); exit 2", what.join(", "));
        super::Outcome::Failed
    } else if runs().any(|r| r.hits_after() > 0) {
        super::Outcome::Hits
    } else {
        super::Outcome::NoHits
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
