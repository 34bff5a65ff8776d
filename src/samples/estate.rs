//! The `enterprise` profile: an estate with a real one's cardinality.
//!
//! The demo profile (the bundled `samples/` folder) has 70 devices, 55
//! accounts, one build of each binary and command lines drawn from a few
//! templates, so a 200 k-row export holds 39 distinct SHA256 values. That
//! flatters a loader that dictionary-encodes everything. This profile keeps
//! the demo's planted scenarios and named devices and adds, per
//! `DeviceProcessEvents` row (documented in `docs/samples.md`):
//!
//! - about 2,000 devices (the demo's 70 and 1,930 more, a tenth servers);
//! - about 3,000 domain accounts;
//! - many builds of each binary (`SHA1`/`SHA256`/`MD5` by file and build,
//!   thousands of distinct values, skewed towards the newest builds);
//! - about 90 % unique `ProcessCommandLine` values (run-specific arguments
//!   appended the way Chromium, PowerShell, msiexec and services show them);
//! - unique `ProcessId` and `ReportId` values (set as rows are written, so
//!   planted rows' too);
//! - nulls where Defender leaves them (`AdditionalFields` always,
//!   `InitiatingProcessParentFileName` when the grandparent had exited);
//! - three columns newer than the bundled schema: `InitiatingProcessSessionId`,
//!   `CreatedProcessSessionId`, `InitiatingProcessUniqueId`.

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::arguments::run_arguments;
use super::catalog::{Account, Catalog, DOMAIN_SID, Device};
use super::process::ProcessNoise;
use super::rng::Rng;
use super::row::{Cell, Layout};
use super::{Event, Noise};
use crate::data::DataType;

/// Which estate the generator simulates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// The bundled samples: a 70-device office, few distinct values.
    #[default]
    Demo,
    /// About 2,000 devices with a real estate's cardinality (see the module doc).
    Enterprise,
}

/// Devices of the enterprise estate.
pub const DEVICES: usize = 2_000;

/// Domain accounts of the enterprise estate.
pub const ACCOUNTS: usize = 3_000;

/// Builds per binary; a row's build is skewed towards the first (newest) ones.
const BUILDS: u64 = 400;

/// Columns Defender exports that the bundled schema does not list yet.
pub const NEWER_PROCESS_COLUMNS: &[(&str, DataType)] = &[
    ("InitiatingProcessSessionId", DataType::Long),
    ("CreatedProcessSessionId", DataType::Long),
    ("InitiatingProcessUniqueId", DataType::Long),
];

const SITES: &[&str] = &["nyc", "lon", "fra", "sgp", "syd", "tor", "par", "mad", "ams", "chi", "sea", "blr"];
const ROLES: &[&str] = &["app", "web", "sql", "file", "print", "rds", "ctx", "hv", "bkp", "mq"];
const INITIALS: &[u8] = b"abcdefghijklmnoprstvwz";
const SURNAMES: &[&str] = &[
    "smith",
    "johnson",
    "williams",
    "brown",
    "jones",
    "garcia",
    "miller",
    "davis",
    "rodriguez",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "wilson",
    "anderson",
    "thomas",
    "taylor",
    "moore",
    "jackson",
    "martin",
    "lee",
    "perez",
    "thompson",
    "white",
    "harris",
    "sanchez",
    "clark",
    "ramirez",
    "lewis",
    "robinson",
    "walker",
    "young",
    "allen",
    "king",
    "wright",
    "scott",
    "torres",
    "nguyen",
    "hill",
    "flores",
    "green",
    "adams",
    "nelson",
    "baker",
    "hall",
    "rivera",
    "campbell",
    "mitchell",
    "carter",
    "roberts",
    "gomez",
    "phillips",
    "evans",
    "turner",
    "diaz",
    "parker",
    "cruz",
    "edwards",
    "collins",
    "reyes",
    "stewart",
    "morris",
    "morales",
    "murphy",
    "cook",
    "rogers",
    "gutierrez",
    "ortiz",
    "morgan",
    "cooper",
    "peterson",
    "bailey",
    "reed",
    "kelly",
    "howard",
    "ramos",
    "kim",
    "cox",
    "ward",
    "richardson",
    "watson",
    "brooks",
    "chavez",
    "wood",
    "james",
    "bennett",
    "gray",
    "mendoza",
    "ruiz",
    "hughes",
    "price",
    "alvarez",
    "castillo",
    "sanders",
    "patel",
    "myers",
    "long",
    "ross",
    "foster",
    "jimenez",
    "schmidt",
    "muller",
    "schneider",
    "fischer",
    "weber",
    "meyer",
    "wagner",
    "becker",
    "schulz",
    "hoffmann",
    "dubois",
    "lefevre",
    "moreau",
    "laurent",
    "rossi",
    "russo",
    "ferrari",
    "esposito",
    "bianchi",
    "romano",
    "tanaka",
    "suzuki",
    "watanabe",
    "ito",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "chen",
    "wang",
    "li",
    "zhang",
    "liu",
    "singh",
    "kumar",
    "sharma",
    "gupta",
    "khan",
    "ali",
    "novak",
    "kowalski",
    "nowak",
    "wojcik",
    "jensen",
    "nielsen",
    "hansen",
    "andersen",
    "larsen",
    "berg",
    "lindqvist",
    "virtanen",
    "korhonen",
    "silva",
    "santos",
    "oliveira",
    "souza",
];

/// The demo catalogue grown to an enterprise: its devices and accounts
/// first (the planted scenarios name them), then generated ones.
pub fn enterprise_catalog(seed: u64) -> Catalog {
    let mut catalog = Catalog::new(seed);
    let mut rng = Rng::derive(seed, "enterprise-catalog");
    let mut taken: std::collections::HashSet<String> = catalog.users.iter().map(|u| u.name.to_string()).collect();
    let mut rid = 10_000;
    'people: for s in SURNAMES {
        for &i in INITIALS {
            if catalog.users.len() >= ACCOUNTS {
                break 'people;
            }
            let name = format!("{}{s}", char::from(i));
            // A second person of the same name gets a number, as AD admins do.
            let name = if taken.contains(&name) { format!("{name}{}", rng.range(2, 9)) } else { name };
            if taken.insert(name.clone()) {
                rid += 1 + rng.below(3) as u32;
                catalog.users.push(domain_user(&mut rng, &name, rid));
            }
        }
    }
    let first_new = catalog.devices.len();
    for i in first_new..DEVICES {
        let n = i - first_new;
        let server = n % 10 == 9;
        let site = SITES[n % SITES.len()];
        let name = if server {
            format!("srv-{}-{}{:03}", site, ROLES[(n / 10) % ROLES.len()], n / 10 / ROLES.len() + 1)
        } else {
            format!("lt-{site}-{:04}", n / SITES.len() + 1)
        };
        let report_base = match rng.below(3) {
            0 => rng.range(100_000_000_000_000_000, 900_000_000_000_000_000),
            1 => rng.range(1_000_000_000, 90_000_000_000),
            _ => rng.range(10_000, 9_000_000),
        };
        catalog.devices.push(Device {
            name: format!("{name}.contoso.local").into(),
            id: rng.hex(40).into(),
            server,
            owner: rng.below(catalog.users.len() as u64) as usize,
            ip: format!("10.{}.{}.{}", 30 + i / 60_000, (i / 240) % 250, 10 + i % 240).into(),
            report_base,
        });
    }
    catalog.refresh_servers();
    catalog
}

fn domain_user(rng: &mut Rng, name: &str, rid: u32) -> Account {
    Account {
        domain: super::catalog::DOMAIN,
        name: name.into(),
        sid: format!("{DOMAIN_SID}-{rid}").into(),
        upn: format!("{name}@contoso.com").into(),
        object_id: rng.guid().into(),
        builtin: false,
    }
}

/// The hashes of one build of a binary: SHA1, SHA256, MD5.
type Hashes = [Arc<str>; 3];

/// Background process creations with an enterprise's variety: the demo's
/// chains, then per-row builds, run-specific arguments, unique ids and the
/// newer columns.
pub struct EnterpriseProcessNoise<'c> {
    inner: ProcessNoise<'c>,
    layout: &'c Layout,
    rng: Rng,
    /// Hashes already made, by the address of the catalogue's file name and
    /// the build (a cache: the values are fixed by name and build, so any
    /// thread may keep its own, and hashing an address is cheaper than a name).
    hashes: FxHashMap<(usize, u64), Hashes>,
    at: Positions,
}

/// Column positions the noise rewrites.
#[derive(Default)]
struct Positions {
    file: usize,
    parent_file: usize,
    grandparent_file: usize,
    command: usize,
    hashes: [usize; 3],
    parent_hashes: [usize; 3],
    account: usize,
    parent_account: usize,
    newer: [usize; 3],
}

impl<'c> EnterpriseProcessNoise<'c> {
    /// A noise source over `layout` (the process layout with the newer columns).
    pub fn new(layout: &'c Layout, catalog: &'c Catalog, seed: u64) -> EnterpriseProcessNoise<'c> {
        let p = |c: &str| layout.position(c).unwrap_or(usize::MAX);
        let at = Positions {
            file: p("FileName"),
            parent_file: p("InitiatingProcessFileName"),
            grandparent_file: p("InitiatingProcessParentFileName"),
            command: p("ProcessCommandLine"),
            hashes: [p("SHA1"), p("SHA256"), p("MD5")],
            parent_hashes: [p("InitiatingProcessSHA1"), p("InitiatingProcessSHA256"), p("InitiatingProcessMD5")],
            account: p("AccountName"),
            parent_account: p("InitiatingProcessAccountName"),
            newer: [p("InitiatingProcessSessionId"), p("CreatedProcessSessionId"), p("InitiatingProcessUniqueId")],
        };
        EnterpriseProcessNoise {
            inner: ProcessNoise::new(layout, catalog, seed),
            layout,
            rng: Rng::derive(seed, "enterprise-process"),
            hashes: FxHashMap::default(),
            at,
        }
    }

    /// The hashes of a build of `file`: Zipf-like, so a few builds are on
    /// most devices and a long tail on a few.
    fn build_hashes(&mut self, file: &'static str) -> &Hashes {
        let r = self.rng.below(BUILDS);
        let build = r * r / BUILDS;
        self.hashes.entry((file.as_ptr() as usize, build)).or_insert_with(|| {
            let mut h = Rng::new(super::rng::fnv1a(file) ^ build.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            [h.hex(40).into(), h.hex(64).into(), h.hex(32).into()]
        })
    }
}

fn text(row: &[Cell], at: usize) -> &str {
    row.get(at).map_or("", Cell::text)
}

/// The catalogue's `&'static` text of a cell the noise set from a binary.
fn static_text(row: &[Cell], at: usize) -> &'static str {
    match row.get(at) {
        Some(Cell::Str(Cow::Borrowed(s))) => s,
        _ => "unknown.exe",
    }
}

fn set(row: &mut [Cell], at: usize, cell: Cell) {
    if let Some(c) = row.get_mut(at) {
        *c = cell;
    }
}

impl Noise for EnterpriseProcessNoise<'_> {
    fn event(&mut self, time: i64) -> Event {
        let mut event = self.inner.event(time);
        let at = &self.at;
        let cells = &mut event.row.cells;
        let (file, parent) = (static_text(cells, at.file), static_text(cells, at.parent_file));
        let (hashes, parent_hashes) = (at.hashes, at.parent_hashes);
        for (columns, file) in [(hashes, file), (parent_hashes, parent)] {
            let build = self.build_hashes(file);
            for (&column, hash) in columns.iter().zip(build) {
                set(cells, column, Cell::Shared(hash.clone()));
            }
        }
        let at = &self.at;
        if self.rng.chance(90) {
            // The run's arguments go on the end of the command line, in place.
            let command = match cells.get_mut(at.command) {
                Some(Cell::Str(Cow::Owned(command))) => std::mem::take(command),
                Some(other) => other.text().to_string(),
                None => String::new(),
            };
            let mut command = command;
            run_arguments(&mut command, file, &mut self.rng);
            set(cells, at.command, Cell::from(command));
        }
        // The grandparent is gone (MDE leaves the name null) for a few.
        if self.rng.chance(4) {
            set(cells, at.grandparent_file, Cell::Null);
        }
        let session = |name: &str, rng: &mut Rng| match name {
            "system" | "local service" | "network service" => 0,
            _ => rng.range(1, 6),
        };
        let child_session = session(text(cells, at.account), &mut self.rng);
        let parent_session = session(text(cells, at.parent_account), &mut self.rng);
        set(cells, at.newer[0], Cell::Long(parent_session));
        set(cells, at.newer[1], Cell::Long(child_session));
        let unique_id = self.rng.range(1 << 40, 1 << 52);
        set(cells, at.newer[2], Cell::Long(unique_id));
        debug_assert_eq!(cells.len(), self.layout.fields.len());
        event
    }

    fn restart(&mut self, seed: u64, chunk: u64) {
        self.inner.restart(seed, chunk);
        self.rng = Rng::derive_chunk(seed, "enterprise-process", chunk);
    }
}

/// The `n`-th unique ProcessId: an odd multiplier permutes the low 24
/// bits, so ids repeat only after 16 M rows; Windows ids are multiples of 4.
pub fn unique_process_id(n: u64) -> i64 {
    4 * ((n.wrapping_mul(0x9E37_79B1) & 0xFF_FFFF) as i64 + 1)
}
