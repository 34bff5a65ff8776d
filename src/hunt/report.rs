//! The reports of `run` and `impact`, built from the hunt's view model and
//! serialised as the JSON the README documents ("JSON output"); the CLI's
//! table, CSV and Markdown printers read the same structs. Fields marked
//! `serde(skip)` are for those printers and are not part of the JSON.

use serde::Serialize;

use crate::data::time::format_datetime;

use super::timeline::Timeline;
use super::view::ExclusionState;
use super::{DeviceGroup, Hunt, OVER_BROAD_SHARE, RuleStatus};

/// `run --format json`.
#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    /// The session clock, ISO-8601.
    pub now: String,
    /// True when the clock is pinned (not the wall clock).
    pub now_pinned: bool,
    /// One per selected rule.
    pub rules: Vec<RuleReport>,
    /// Sums over the rules.
    pub totals: Totals,
    /// What the overlay file holds that matches nothing loaded (the rest applied).
    pub warnings: Vec<WarningReport>,
}

/// One warning of the `run` report: a place in a file and what is wrong there.
#[derive(Clone, Debug, Serialize)]
pub struct WarningReport {
    /// The file.
    pub file: String,
    /// Line, 1-based.
    pub line: usize,
    /// Column, 1-based.
    pub column: usize,
    /// A stable code (`orphan-exclusions`, `unknown-exclusion`).
    pub code: &'static str,
    /// The message, without the place.
    pub message: String,
}

/// One rule of the `run` report.
#[derive(Clone, Debug, Serialize)]
pub struct RuleReport {
    /// Rule id, when it has one.
    pub id: Option<String>,
    /// Rule name.
    pub name: String,
    /// The rule file.
    pub path: String,
    /// The table its hits come from.
    pub table: Option<String>,
    /// `ok` or `error`.
    pub status: &'static str,
    /// The rendered parse/run error.
    pub error: Option<String>,
    /// Hits before exclusions.
    pub hits_before: usize,
    /// Hits after the active exclusions.
    pub hits_after: usize,
    /// The remote source that ran the query (`--source`), when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The remote source stopped at this many rows: the hits are incomplete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capped_at: Option<usize>,
    /// Known tables the query read that have no events loaded (its counts
    /// say nothing about them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unloaded_tables: Vec<String>,
    /// Its exclusions, in file order.
    pub exclusions: Vec<ExclusionReport>,
    /// Its device groups.
    pub devices: Vec<DeviceReport>,
    /// How many exclusions are active (see [`super::view::active`]).
    #[serde(skip)]
    pub active: usize,
}

/// One exclusion of the `run` report.
#[derive(Clone, Debug, Serialize)]
pub struct ExclusionReport {
    /// Its name.
    pub name: String,
    /// As set (an enabled one is active only when its filter works).
    pub enabled: bool,
    /// The KQL filter.
    pub filter: Option<String>,
    /// True when it has no filter yet.
    pub needs_filter: bool,
    /// The filter's rendered error.
    pub error: Option<String>,
}

/// One device group of the `run` report.
#[derive(Clone, Debug, Serialize)]
pub struct DeviceReport {
    /// `DeviceName`.
    pub device_name: String,
    /// `DeviceId`.
    pub device_id: String,
    /// Hits before exclusions.
    pub hits_before: usize,
    /// Hits after the active exclusions.
    pub hits_after: usize,
    /// Earliest hit.
    pub first_seen: Option<String>,
    /// Latest hit.
    pub last_seen: Option<String>,
    /// Earliest hit left after exclusions.
    pub first_seen_after: Option<String>,
    /// Latest hit left after exclusions.
    pub last_seen_after: Option<String>,
    /// Distinct ReportIds, in first-seen order.
    pub report_ids: Vec<i64>,
}

/// The `run` report's sums.
#[derive(Clone, Debug, Serialize)]
pub struct Totals {
    /// Rules reported.
    pub rules: usize,
    /// Hits before exclusions, over all rules.
    pub hits_before: usize,
    /// Hits after exclusions, over all rules.
    pub hits_after: usize,
}

/// `impact --format json`.
#[derive(Clone, Debug, Serialize)]
pub struct ImpactReport {
    /// The over-broad threshold, a share of a rule's hits.
    pub over_broad_share: f64,
    /// One per selected rule.
    pub rules: Vec<ImpactRule>,
}

/// One rule of the `impact` report.
#[derive(Clone, Debug, Serialize)]
pub struct ImpactRule {
    /// Rule id, when it has one.
    pub id: Option<String>,
    /// Rule name.
    pub name: String,
    /// Hits before exclusions.
    pub hits_before: usize,
    /// Hits after the active exclusions.
    pub hits_after: usize,
    /// Its exclusions, in file order.
    pub exclusions: Vec<ImpactExclusion>,
    /// The rule's rendered error, when it does not run.
    #[serde(skip)]
    pub error: Option<String>,
    /// Number of device groups.
    #[serde(skip)]
    pub devices: usize,
    /// The table its hits come from (for the HTML report).
    #[serde(skip)]
    pub table: Option<String>,
    /// Hits per hour before and after the active exclusions (HTML chart).
    #[serde(skip)]
    pub timeline: Timeline,
}

/// One exclusion of the `impact` report.
#[derive(Clone, Debug, Serialize)]
pub struct ImpactExclusion {
    /// Its name.
    pub name: String,
    /// As set.
    pub enabled: bool,
    /// The KQL filter.
    pub filter: Option<String>,
    /// Hits its filter matches.
    pub hides_alone: usize,
    /// `hides_alone` as a share of the rule's hits.
    pub hides_alone_share: f64,
    /// Hits no other active exclusion hides.
    pub hides_uniquely: usize,
    /// `hides_uniquely` as a share of the rule's hits.
    pub hides_uniquely_share: f64,
    /// Alone it hides at least `over_broad_share` of the hits.
    pub over_broad: bool,
    /// Why its filter cannot be used ([`ExclusionState::problem`]), or empty.
    pub state: String,
    /// Labels of the devices whose every hit it hides.
    pub devices_gone: Vec<String>,
    /// Its state, for the printers' flag column.
    #[serde(skip)]
    pub flag: ExclusionState,
    /// Why it exists (for the HTML report).
    #[serde(skip)]
    pub description: Option<String>,
}

impl RunReport {
    /// The report over rules `idx` of `hunt`, with the clock as given.
    pub fn new(hunt: &Hunt, idx: &[usize], now: i64, now_pinned: bool) -> RunReport {
        let rules: Vec<RuleReport> = idx.iter().filter_map(|&i| rule_report(hunt, i)).collect();
        let totals = Totals {
            rules: idx.len(),
            hits_before: rules.iter().map(|r| r.hits_before).sum(),
            hits_after: rules.iter().map(|r| r.hits_after).sum(),
        };
        let warnings = hunt
            .rule_set()
            .overlay_warnings
            .iter()
            .map(|w| WarningReport {
                file: w.path.display().to_string(),
                line: w.at.line,
                column: w.at.column,
                code: w.code(),
                message: w.message(),
            })
            .collect();
        RunReport { now: format_datetime(now), now_pinned, rules, totals, warnings }
    }
}

fn rule_report(hunt: &Hunt, i: usize) -> Option<RuleReport> {
    let (rule, run) = hunt.get(i)?;
    let (status, error) = match &run.status {
        RuleStatus::Ok => ("ok", None),
        RuleStatus::Error(e) => ("error", Some(e.clone())),
    };
    Some(RuleReport {
        id: rule.id.clone(),
        name: rule.name.clone(),
        path: rule.path.display().to_string(),
        table: run.table.clone(),
        status,
        error: error.map(|e| e.render()),
        hits_before: run.hits_before(),
        hits_after: run.hits_after(),
        source: run.remote.as_ref().map(|r| r.source.clone()),
        capped_at: run.remote.as_ref().and_then(|r| r.capped),
        unloaded_tables: run.unloaded.clone(),
        exclusions: rule
            .exclusions
            .iter()
            .zip(&run.exclusions)
            .map(|(e, er)| ExclusionReport {
                name: e.name.clone(),
                enabled: e.enabled,
                filter: e.filter.clone(),
                needs_filter: e.needs_filter(),
                error: er.error.as_ref().map(|e| e.render()),
            })
            .collect(),
        devices: run.groups.iter().map(DeviceReport::from).collect(),
        active: hunt.active_count(i),
    })
}

impl From<&DeviceGroup> for DeviceReport {
    fn from(g: &DeviceGroup) -> DeviceReport {
        DeviceReport {
            device_name: g.device_name.clone(),
            device_id: g.device_id.clone(),
            hits_before: g.hits_before(),
            hits_after: g.hits_after,
            first_seen: g.first_seen.map(format_datetime),
            last_seen: g.last_seen.map(format_datetime),
            first_seen_after: g.first_seen_after.map(format_datetime),
            last_seen_after: g.last_seen_after.map(format_datetime),
            report_ids: g.report_ids.clone(),
        }
    }
}

impl ImpactReport {
    /// The report over rules `idx` of `hunt`.
    pub fn new(hunt: &Hunt, idx: &[usize]) -> ImpactReport {
        let rules = idx.iter().filter_map(|&i| impact_rule(hunt, i)).collect();
        ImpactReport { over_broad_share: OVER_BROAD_SHARE, rules }
    }
}

fn impact_rule(hunt: &Hunt, i: usize) -> Option<ImpactRule> {
    let (rule, run) = hunt.get(i)?;
    let exclusions = rule
        .exclusions
        .iter()
        .zip(hunt.exclusion_views(i))
        .map(|(e, v)| ImpactExclusion {
            name: e.name.clone(),
            enabled: v.enabled,
            filter: e.filter.clone(),
            hides_alone: v.impact.alone,
            hides_alone_share: v.impact.alone_share,
            hides_uniquely: v.impact.unique,
            hides_uniquely_share: v.impact.unique_share,
            over_broad: v.impact.over_broad,
            state: v.state.problem().unwrap_or_default(),
            devices_gone: v
                .impact
                .devices_gone
                .iter()
                .filter_map(|&g| run.groups.get(g))
                .map(|g| g.label().to_string())
                .collect(),
            flag: v.state,
            description: e.description.clone(),
        })
        .collect();
    Some(ImpactRule {
        id: rule.id.clone(),
        name: rule.name.clone(),
        hits_before: run.hits_before(),
        hits_after: run.hits_after(),
        exclusions,
        error: match &run.status {
            RuleStatus::Ok => None,
            RuleStatus::Error(e) => Some(e.render()),
        },
        devices: run.groups.len(),
        table: run.table.clone(),
        timeline: run.hourly(None),
    })
}
