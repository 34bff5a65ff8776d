//! Planted events for the five seed rules: true positives, benign
//! look-alikes for each false-positive scenario, near misses that only a naive
//! substring match would hit, and rule-matching events outside the window.
//!
//! Each planted row carries its [`Role`], so the manifest can say what a
//! correct engine must find without running one.

mod agents;
mod filters;
mod remote_tools;
mod tools;

use super::catalog::{Account, Catalog};
use super::certificate::{CertSpec, certificate_row};
use super::clock::{MINUTE, NOW, SPAN, WINDOW_START};
use super::network::{NetSpec, network_row};
use super::process::{ProcSpec, process_row};
use super::rng::Rng;
use super::row::{Layout, Row};
use super::{Event, Layouts};
use crate::data::{TICKS_PER_DAY, TICKS_PER_SECOND};

pub use filters::{ExclusionCase, RULES, RuleCase, rule_case};

/// The seed rules the samples exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleKey {
    /// `02481117-…` LiteManager - Create Process (DeviceProcessEvents).
    LiteManager,
    /// `3bd4f4fb-…` Level - File Signature (DeviceFileCertificateInfo).
    Level,
    /// `a2d8dde6-…` mRemoteNG - Create Process (DeviceProcessEvents).
    MRemoteNg,
    /// `7da76b41-…` Action1 - Network Connection (DeviceNetworkEvents).
    Action1,
    /// `83f7b313-…` ConnectWise - Create Process (DeviceProcessEvents).
    ConnectWise,
}

/// Why a row was planted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Matches the rule inside its window; no scenario explains it.
    TruePositive,
    /// Matches the rule inside its window, but is the benign activity of the
    /// rule's false-positive scenario with this index.
    LookAlike(usize),
    /// Would match a naive substring test, but not Kusto's `has` term rules.
    NearMiss,
    /// Matches the rule's predicate but is older than its 5-day window.
    OutsideWindow,
}

/// One planted event.
pub struct Planted {
    /// The rule it is planted for.
    pub rule: RuleKey,
    /// Why.
    pub role: Role,
    /// The event.
    pub event: Event,
}

/// When, relative to the rules' window, a planted event happens.
#[derive(Clone, Copy, Debug)]
enum When {
    /// Anywhere in the last 5 days (but not in the final two minutes).
    Inside,
    /// Within a minute after the window opens (`between` is inclusive).
    JustInside,
    /// Within five minutes before the window opens.
    JustOutside,
    /// On day 6 or 7.
    Outside,
}

/// Collects planted events.
struct Planter<'c> {
    catalog: &'c Catalog,
    layouts: &'c Layouts,
    rng: Rng,
    out: Vec<Planted>,
}

impl<'c> Planter<'c> {
    fn time(&mut self, when: When) -> i64 {
        let frac = self.rng.range(0, TICKS_PER_SECOND - 1);
        match when {
            When::Inside => NOW - self.rng.range(2 * MINUTE, 5 * TICKS_PER_DAY - 3 * MINUTE),
            When::JustInside => WINDOW_START + self.rng.range(1, 59) * TICKS_PER_SECOND + frac,
            When::JustOutside => WINDOW_START - self.rng.range(1, 300) * TICKS_PER_SECOND + frac - TICKS_PER_SECOND,
            When::Outside => (NOW - SPAN) + self.rng.range(MINUTE, 2 * TICKS_PER_DAY - 10 * MINUTE),
        }
    }

    /// The `k`-th device whose name starts with `stem` (wrapping).
    fn device(&self, stem: &str, k: usize) -> usize {
        let all = self.catalog.devices_with_stem(stem);
        if all.is_empty() { 0 } else { all[k % all.len()] }
    }

    fn owner(&self, device: usize) -> &'c Account {
        &self.catalog.users[self.catalog.devices[device].owner]
    }

    fn push(&mut self, rule: RuleKey, role: Role, device: usize, time: i64, row: Row) {
        self.out.push(Planted { rule, role, event: Event { device, time, row } });
    }

    fn process(&mut self, rule: RuleKey, role: Role, spec: ProcSpec<'_>) {
        let row = process_row(&self.layouts.process, self.catalog, &mut self.rng, &spec);
        self.push(rule, role, spec.device, spec.time, row);
    }

    fn network(&mut self, rule: RuleKey, role: Role, spec: NetSpec<'_>) {
        let row = network_row(&self.layouts.network, self.catalog, &mut self.rng, &spec);
        self.push(rule, role, spec.device, spec.time, row);
    }

    fn certificate(&mut self, rule: RuleKey, role: Role, spec: CertSpec) {
        let row = certificate_row(&self.layouts.certificate, self.catalog, &spec);
        self.push(rule, role, spec.device, spec.time, row);
    }
}

/// Every planted event for a seed, sorted by time. The number of events and
/// their roles are the same for every seed; devices, times and details vary.
pub fn plant(catalog: &Catalog, layouts: &Layouts, seed: u64) -> Vec<Planted> {
    let mut p = Planter { catalog, layouts, rng: Rng::derive(seed, "scenarios"), out: Vec::new() };
    remote_tools::lite_manager(&mut p);
    remote_tools::mremoteng(&mut p);
    remote_tools::connectwise(&mut p);
    agents::action1(&mut p);
    agents::level(&mut p);
    p.out.sort_by_key(|x| x.event.time);
    p.out
}

/// The layout a rule's table uses.
pub fn layout_of(layouts: &Layouts, rule: RuleKey) -> &Layout {
    match rule {
        RuleKey::Level => &layouts.certificate,
        RuleKey::Action1 => &layouts.network,
        RuleKey::LiteManager | RuleKey::MRemoteNg | RuleKey::ConnectWise => &layouts.process,
    }
}
