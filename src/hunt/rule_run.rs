//! One rule's run: parse, evaluate to the hit point, exclusion masks, and
//! everything derived from the active set — recomputed from the stored hit
//! rows on every toggle, never by re-parsing or re-scanning the table.

use crate::data::Bitmap;
use crate::kql::KqlError;
use crate::kql::eval::{Frame, Session, Staged};
use crate::rules::effective::{hit_point, splice_offset};
use crate::rules::{Exclusion, Rule};

use super::error::{HuntError, RuleError};
use super::groups::{self, DeviceGroup, Hits};
use super::impact::{self, Impact};

/// An exclusion as the hunt sees it.
#[derive(Clone, Debug)]
pub struct ExclusionRun {
    /// Which hits its filter matches (`None`: no filter, or the filter failed).
    pub mask: Option<Bitmap>,
    /// Why the filter could not be used (renders with a caret under the filter text).
    pub error: Option<RuleError>,
}

impl ExclusionRun {
    /// Whether it hides hits when `enabled`: only with a filter that
    /// evaluated to a mask (the one definition, surfaced as
    /// [`super::view::active`]).
    pub fn active(&self, enabled: bool) -> bool {
        enabled && self.mask.is_some()
    }
}

/// A rule's parse/run state.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleStatus {
    /// Ran; the hit count says whether it found anything.
    Ok,
    /// Failed to parse or run; the error renders with a caret under the query.
    Error(RuleError),
}

/// The parts of the run kept to recompute outputs over a subset of hits.
#[derive(Debug)]
struct Stage {
    query: String,
    staged: Staged,
    hit: usize,
    frame: Frame,
}

/// Everything the faces show about one rule.
#[derive(Debug)]
pub struct RuleRun {
    /// Parse/run status.
    pub status: RuleStatus,
    /// The table the hit rows come from, when they map to one.
    pub table: Option<String>,
    /// The hit rows.
    pub hits: Hits,
    /// Device groups, with after-exclusion counts for the active set.
    pub groups: Vec<DeviceGroup>,
    /// Per exclusion (same order as the rule's), its filter mask.
    pub exclusions: Vec<ExclusionRun>,
    /// Per exclusion, its impact under the active set.
    pub impact: Vec<Impact>,
    /// Hits hidden by the active exclusions.
    pub hidden: Bitmap,
    /// Byte offset in the query where exclusions are spliced.
    pub splice_at: usize,
    /// Where the hit rows came from, when a remote source ran the query.
    pub remote: Option<RemoteHits>,
    /// Known tables the query read that have no events loaded: with none of
    /// their rows, "no hits" says nothing about them.
    pub unloaded: Vec<String>,
    stage: Option<Stage>,
}

/// A rule whose hit rows a remote source returned (`--source`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteHits {
    /// The source, as `--source` named it.
    pub source: String,
    /// The query sent.
    pub query: String,
    /// The service stopped at a limit: at most this many rows came back.
    pub capped: Option<usize>,
    /// The service's words about the cap, or why the window was not applied.
    pub note: Option<String>,
}

impl RuleRun {
    /// Runs `rule` against the session.
    pub fn new(rule: &Rule, session: &Session) -> RuleRun {
        RuleRun::finish(rule, stage(&rule.query, session))
    }

    /// The run of `rule` whose hit rows `hits` a remote source returned:
    /// the query's `let` statements run locally, the rest of the pipeline
    /// resumes over `hits`, and everything after (masks, groups, impact,
    /// output) is what it is over local files. `Err`: the remote query failed.
    pub fn from_hits(rule: &Rule, session: &Session, hits: Result<Frame, KqlError>, remote: RemoteHits) -> RuleRun {
        let staged = hits.and_then(|frame| {
            let staged = Staged::prepare(session, &rule.query)?;
            let hit = hit_point(&staged);
            Ok(Stage { query: rule.query.clone(), staged, hit, frame })
        });
        let mut run = RuleRun::finish(rule, staged);
        run.remote = Some(remote);
        run
    }

    fn finish(rule: &Rule, staged: Result<Stage, KqlError>) -> RuleRun {
        let mut run = RuleRun {
            status: RuleStatus::Ok,
            table: None,
            hits: Hits::default(),
            groups: Vec::new(),
            exclusions: Vec::new(),
            impact: Vec::new(),
            hidden: Bitmap::default(),
            splice_at: rule.query.len(),
            remote: None,
            unloaded: Vec::new(),
            stage: None,
        };
        // A rule is OK only if its whole query runs: a `summarize` naming a
        // column the table lacks fails in Sentinel too, whatever the hits.
        let staged = staged.and_then(|mut st| {
            let all = st.frame.clone();
            st.staged.resume(all, st.hit).map(|_| st)
        });
        match staged {
            Ok(st) => {
                run.table = st.frame.source().map(str::to_string);
                run.unloaded = st.staged.unloaded_tables().to_vec();
                let (hits, groups) = groups::collect(&st.frame);
                run.hits = hits;
                run.groups = groups;
                run.splice_at = splice_offset(&rule.query, &st.staged);
                run.stage = Some(st);
            }
            Err(e) => run.status = RuleStatus::Error(RuleError::new(e, &rule.query)),
        }
        run.exclusions = rule.exclusions.iter().map(|e| run.exclusion_run(e)).collect();
        run.recompute(&enabled_of(&rule.exclusions));
        run
    }

    /// The run of `rule` before its events are loaded: no hit, nothing to evaluate.
    pub fn pending(rule: &Rule) -> RuleRun {
        let mut run = RuleRun {
            status: RuleStatus::Ok,
            table: None,
            hits: Hits::default(),
            groups: Vec::new(),
            exclusions: rule.exclusions.iter().map(|_| ExclusionRun { mask: None, error: None }).collect(),
            impact: Vec::new(),
            hidden: Bitmap::default(),
            splice_at: rule.query.len(),
            stage: None,
            remote: None,
            unloaded: Vec::new(),
        };
        run.recompute(&enabled_of(&rule.exclusions));
        run
    }

    /// A copy for work on another thread (a suggestion): its stage's
    /// evaluations stop once `cancel` is set.
    pub fn fork(&self, cancel: std::sync::Arc<std::sync::atomic::AtomicBool>) -> RuleRun {
        let stage = self.stage.as_ref().map(|st| Stage {
            query: st.query.clone(),
            staged: st.staged.fork(cancel),
            hit: st.hit,
            frame: st.frame.clone(),
        });
        RuleRun {
            status: self.status.clone(),
            table: self.table.clone(),
            hits: self.hits.clone(),
            groups: self.groups.clone(),
            exclusions: self.exclusions.clone(),
            impact: self.impact.clone(),
            hidden: self.hidden.clone(),
            splice_at: self.splice_at,
            stage,
            remote: self.remote.clone(),
            unloaded: self.unloaded.clone(),
        }
    }

    /// What both faces say when the query read known tables with no events
    /// loaded: its counts say nothing about them.
    pub fn unloaded_note(&self) -> Option<String> {
        unloaded_note(&self.unloaded)
    }

    /// Number of hits before exclusions.
    pub fn hits_before(&self) -> usize {
        self.hits.len()
    }

    /// Number of hits left after the active exclusions.
    pub fn hits_after(&self) -> usize {
        self.hits.len() - self.hidden.count_ones()
    }

    /// The rows at the hit point, one per hit (what exclusion filters see),
    /// when the rule ran.
    pub fn hit_frame(&self) -> Option<&Frame> {
        self.stage.as_ref().map(|st| &st.frame)
    }

    /// Evaluates one exclusion's filter over the hit rows.
    pub fn exclusion_run(&mut self, e: &Exclusion) -> ExclusionRun {
        match (&e.filter, &mut self.stage) {
            (Some(f), Some(st)) if !f.trim().is_empty() => match st.staged.mask(&st.frame, f) {
                Ok(mask) => ExclusionRun { mask: Some(mask), error: None },
                Err(err) => ExclusionRun { mask: None, error: Some(RuleError::new(err, f)) },
            },
            _ => ExclusionRun { mask: None, error: None },
        }
    }

    /// How many hits `filter` would hide (for a live preview while typing).
    pub fn preview(&mut self, filter: &str) -> Result<usize, HuntError> {
        Ok(self.preview_mask(filter)?.count_ones())
    }

    /// Which hits `filter` would hide (matches), evaluated over the hit
    /// frame as an exclusion filter is (the rule's `let` names in scope).
    pub fn preview_mask(&mut self, filter: &str) -> Result<Bitmap, HuntError> {
        match &mut self.stage {
            Some(st) => Ok(st.staged.mask(&st.frame, filter).map_err(|e| RuleError::new(e, filter))?),
            None => Err(HuntError::RuleFailed),
        }
    }

    /// Recomputes the hidden mask, group counts and impact for the enabled set.
    pub fn recompute(&mut self, enabled: &[bool]) {
        let active: Vec<bool> = self.exclusions.iter().zip(enabled).map(|(e, on)| e.active(*on)).collect();
        let mut hidden = Bitmap::zeros(self.hits.len());
        for (e, on) in self.exclusions.iter().zip(&active) {
            if *on && let Some(m) = &e.mask {
                hidden.or_with(m);
            }
        }
        groups::apply_hidden(&self.hits, &mut self.groups, &hidden);
        let masks: Vec<Option<&Bitmap>> = self.exclusions.iter().map(|e| e.mask.as_ref()).collect();
        self.impact = impact::compute(&self.hits, &self.groups, &masks, &active);
        self.hidden = hidden;
    }

    /// The rule's own output: over all hits (`after == false`) or over the
    /// hits left after the active exclusions.
    pub fn output(&mut self, after: bool) -> Result<Frame, HuntError> {
        let hidden = self.hidden.clone();
        let Some(st) = &mut self.stage else {
            return Err(match &self.status {
                RuleStatus::Error(e) => HuntError::Kql(e.clone()),
                RuleStatus::Ok => HuntError::NoOutput,
            });
        };
        let frame = if after {
            let keep: Vec<u32> = (0..st.frame.len() as u32).filter(|&i| !hidden.get(i as usize)).collect();
            st.frame.take_rows(&keep)
        } else {
            st.frame.clone()
        };
        Ok(st.staged.resume(frame, st.hit).map_err(|e| RuleError::new(e, &st.query))?)
    }

    /// Positions (into the hits) of one device group's hits that are hidden.
    pub fn hidden_in(&self, group: usize) -> Vec<u32> {
        self.groups
            .get(group)
            .map(|g| g.hits.iter().copied().filter(|&h| self.hidden.get(h as usize)).collect())
            .unwrap_or_default()
    }
}

/// The note for `tables`, known tables read with no events loaded (`None`
/// when there are none).
pub fn unloaded_note(tables: &[String]) -> Option<String> {
    match tables {
        [] => None,
        [t] => Some(format!("no {t} events are loaded: the rule saw no data there, so its count says nothing")),
        _ => Some(format!(
            "no {} events are loaded: the rule saw no data there, so its count says nothing",
            tables.join(" or ")
        )),
    }
}

/// The enabled flags of a rule's exclusions.
pub fn enabled_of(ex: &[Exclusion]) -> Vec<bool> {
    ex.iter().map(|e| e.enabled).collect()
}

fn stage(query: &str, session: &Session) -> Result<Stage, KqlError> {
    let mut staged = Staged::prepare(session, query)?;
    let hit = hit_point(&staged);
    let frame = staged.run_to(hit)?;
    Ok(Stage { query: query.to_string(), staged, hit, frame })
}
