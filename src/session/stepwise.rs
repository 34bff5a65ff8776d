//! Loading a session step by step, for a face that shows the rules at once
//! and fills in their counts as they come: the rules first
//! ([`super::selected_rules`]), then on a worker thread the events (with
//! progress), then each rule's run as it finishes. The face keeps the
//! [`crate::hunt::Hunt::pending`] hunt and applies each [`Step`] to it.

use std::time::{Duration, Instant};

use crate::data::load::LoadReport;
use crate::hunt::RuleRun;
use crate::kql::eval::Session;
use crate::rules::Rule;

use super::Options;
use super::eager::LoadFor;
use super::error::SessionError;
use super::load::{Clock, clock, eval_session};
use super::remote_open::{remote_clock, remote_run};
use super::start::load_events;

/// Least time between two progress steps (a screen redraws no faster).
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

/// One step of a stepwise load.
pub enum Step {
    /// Bytes of the event files read of their total, and the file being read.
    Progress {
        /// Bytes read (compressed, as stored).
        done: u64,
        /// Bytes of all the event files.
        total: u64,
        /// The file being read.
        file: String,
        /// Rows read so far.
        rows: u64,
    },
    /// The events are in; the rules run next.
    Events(Box<EventsIn>),
    /// Rule `.0` (its index in the rule set) ran.
    Ran(usize, Box<RuleRun>),
    /// Every rule ran.
    Done,
    /// The events could not be loaded: nothing to hunt over.
    Failed(SessionError),
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Step::Progress { .. } => "Step::Progress",
            Step::Events(_) => "Step::Events",
            Step::Ran(..) => "Step::Ran",
            Step::Done => "Step::Done",
            Step::Failed(_) => "Step::Failed",
        })
    }
}

/// The loaded events, as a hunt and the status bar want them.
pub struct EventsIn {
    /// The session the rules run over (and ad-hoc queries).
    pub session: Session,
    /// What happened while loading.
    pub report: LoadReport,
    /// How long the load took.
    pub elapsed: Duration,
    /// The clock.
    pub clock: Clock,
}

/// Loads the events of `inputs`, then runs `rules` one by one (the rules of
/// [`super::selected_rules`], in its order), handing each step to `step` as
/// it happens. Stops between steps once `inputs.cancel` is set, and inside
/// a rule's evaluation (the session's cancel flag is the same).
pub fn load_stepwise(inputs: &Options, rules: &[Rule], step: &mut dyn FnMut(Step)) {
    let cancelled = || inputs.cancel.load(std::sync::atomic::Ordering::Relaxed);
    let mut last = Instant::now();
    let events = load_events(inputs, LoadFor::Rules(rules), &mut |p| {
        if last.elapsed() >= PROGRESS_EVERY {
            last = Instant::now();
            step(Step::Progress { done: p.bytes_done, total: p.bytes_total, file: p.file.to_string(), rows: p.rows });
        }
    });
    // Saved or fetched remote results pin the clock to the fetch.
    let timed = events.and_then(|e| {
        let clock = match &e.remote {
            Some(set) => remote_clock(inputs, &e.db, set)?,
            None => clock(inputs, &e.db)?,
        };
        Ok((clock, e))
    });
    let (clock, events) = match timed {
        Ok(e) => e,
        Err(e) => return step(Step::Failed(e)),
    };
    let session = eval_session(inputs, &events.db, &clock);
    let loaded = EventsIn { session: session.clone(), report: events.report, elapsed: events.elapsed, clock };
    step(Step::Events(Box::new(loaded)));
    for (i, rule) in rules.iter().enumerate() {
        if cancelled() {
            return;
        }
        // Over remote results a rule resumes from its own hit rows.
        let run = match &events.remote {
            Some(set) => remote_run(rule, &session, &events.db, set),
            None => RuleRun::new(rule, &session),
        };
        step(Step::Ran(i, Box::new(run)));
    }
    step(Step::Done);
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;

    use super::*;
    use crate::session::{load_hunt, selected_rules};

    fn steps(opts: &Options) -> Vec<Step> {
        let rules = selected_rules(opts).unwrap();
        let mut out = Vec::new();
        load_stepwise(opts, &rules.rules, &mut |s| out.push(s));
        out
    }

    #[test]
    fn each_rule_arrives_with_the_counts_of_a_whole_load() {
        let opts = Options::default();
        let whole = load_hunt(&opts, &mut |_| {}).unwrap().hunt;
        let got = steps(&opts);
        assert!(matches!(got.first(), Some(Step::Progress { .. } | Step::Events(_))), "{:?}", got.first());
        assert!(matches!(got.last(), Some(Step::Done)));
        let ran: Vec<(usize, usize, usize)> = got
            .iter()
            .filter_map(|s| match s {
                Step::Ran(i, run) => Some((*i, run.hits_before(), run.hits_after())),
                _ => None,
            })
            .collect();
        let want: Vec<(usize, usize, usize)> = (0..whole.len())
            .map(|i| whole.get(i).map(|(_, r)| (i, r.hits_before(), r.hits_after())).unwrap())
            .collect();
        assert_eq!(ran, want);
        assert!(want.iter().any(|w| w.1 > 0), "some rule has hits");
    }

    #[test]
    fn a_cancelled_load_runs_no_rule() {
        let opts = Options::default();
        opts.cancel.store(true, Ordering::Relaxed);
        let got = steps(&opts);
        assert!(got.iter().all(|s| !matches!(s, Step::Ran(..) | Step::Done)));
        assert!(matches!(got.last(), Some(Step::Failed(SessionError::Cancelled))));
    }
}
