//! Lazy columns against eager ones: every golden case that reads the
//! bundled samples, the bundled rules and queries over columns no rule
//! reads give the same output when the samples load with only `Timestamp`
//! decoded (the other columns decode on demand) as when they load whole.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kqlhunt::data::Database;
use kqlhunt::data::load::{LoadOptions, load_paths};
use kqlhunt::kql::eval::{Evaluator, Session};
use libtest_mimic::{Failed, Trial};

/// Queries that read columns lazily in every way the evaluator can: whole
/// (filter, group, sort, join key), gathered at the output rows, row by row.
const QUERIES: &[&str] = &[
    "DeviceProcessEvents | take 5",
    "DeviceProcessEvents | where FileName =~ 'powershell.exe' | take 3",
    "DeviceProcessEvents | summarize n = count() by SHA256 | order by n desc, SHA256 asc | take 5",
    "DeviceProcessEvents | where ProcessCommandLine has 'http' | project Timestamp, DeviceName, MD5, ProcessCommandLine | order by Timestamp asc | take 4",
    "DeviceProcessEvents | order by InitiatingProcessCommandLine asc, ReportId asc | project ReportId, InitiatingProcessCommandLine | take 3",
    "DeviceProcessEvents | extend L = strlen(ProcessCommandLine) | top 3 by L desc | project ReportId, L, AccountSid",
    "DeviceProcessEvents | distinct ProcessIntegrityLevel | order by ProcessIntegrityLevel asc",
    "DeviceProcessEvents | summarize dcount(InitiatingProcessSHA1), max(FileSize), min(ProcessCreationTime)",
    "DeviceProcessEvents | project-away ProcessCommandLine | take 2",
    "DeviceProcessEvents | extend b = pack_all() | project b | take 1",
    "DeviceProcessEvents | take 20 | join kind=inner (DeviceNetworkEvents | take 50) on DeviceId | project DeviceId, SHA256, RemoteUrl | take 5",
    "DeviceProcessEvents | where isnotempty(AdditionalFields) | project AdditionalFields | take 3",
    "DeviceProcessEvents | sample 0 | union (DeviceProcessEvents | take 2) | project AccountName, AccountDomain",
    "DeviceProcessEvents | count",
    "search in (DeviceProcessEvents, DeviceNetworkEvents) \"LTSVC\" | order by ReportId asc | take 3",
    "DeviceProcessEvents | search \"powershell\" | order by ReportId asc | project ReportId, FileName | take 3",
    // A pivot: a union copies every column of every leg (decoded together, one read per table).
    "union withsource=SourceTable DeviceProcessEvents, DeviceNetworkEvents | where DeviceName startswith 'srv-' | order by ReportId asc, SourceTable asc | take 4",
    "DeviceProcessEvents | serialize | extend r = row_number() | where r % 97 == 0 | project r, InitiatingProcessParentFileName",
];

/// The samples, every column decoded at load (`None`) or only `Timestamp`;
/// `only`: just these file names of the samples folder.
fn samples(eager: Option<&[&str]>, only: Option<&[&str]>) -> Arc<Database> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let paths: Vec<PathBuf> = match only {
        Some(names) => names.iter().map(|n| dir.join(n)).collect(),
        None => vec![dir],
    };
    let opts = LoadOptions {
        eager_columns: eager.map(|e| e.iter().map(|s| s.to_string()).collect()),
        ..LoadOptions::default()
    };
    Arc::new(load_paths(&paths, &opts, &mut |_| {}).database)
}

fn run(db: &Arc<Database>, text: &str, now: i64) -> String {
    let q = match kqlhunt::kql::parse(text) {
        Ok(q) => q,
        Err(e) => return e.render(text),
    };
    match Evaluator::new(Session::new(db.clone(), now)).run(&q) {
        Ok(frame) => kqlhunt::kql::print::table::typed_text(&frame),
        Err(e) => e.render(text),
    }
}

/// The golden queries that read the samples, and the bundled rules' queries.
fn queries(cases: &[PathBuf]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = QUERIES.iter().map(|q| (q.to_string(), q.to_string())).collect();
    for path in cases {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if super::directive(&text, "events") == Some("samples") {
            out.push((path.display().to_string(), text));
        }
    }
    let rules = kqlhunt::rules::RuleSet::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")], None);
    for rule in rules.rules {
        out.push((rule.name.clone(), rule.query.clone()));
    }
    out
}

/// The trial: lazy and eager agree on every query, over the whole samples
/// folder (each of its tables gets a file other than plain JSON Lines:
/// every column decodes at load) and over its JSON Lines file alone (its
/// table stays lazy).
pub fn trial(cases: Vec<PathBuf>) -> Trial {
    Trial::test("lazy_columns_match_eager", move || {
        let now = kqlhunt::data::time::parse_datetime(super::DEFAULT_NOW).expect("now");
        let plain: &[&str] = &["DeviceProcessEvents.jsonl"];
        for only in [None, Some(plain)] {
            let eager = samples(None, only);
            let shared = samples(Some(&["Timestamp"]), only);
            for (name, text) in queries(&cases) {
                // Over the plain file, a fresh lazy load per query, so no
                // query sees a column another decoded (the folder's tables
                // decode at load: one load serves every query).
                let lazy = if only.is_some() { samples(Some(&["Timestamp"]), only) } else { shared.clone() };
                let lazy_at_start = lazy.get("DeviceProcessEvents").map_or(0, |t| t.undecoded().len());
                if only.is_some() && lazy_at_start < 40 {
                    return Err(Failed::from(format!(
                        "only {lazy_at_start} lazy columns: the test reads nothing lazily"
                    )));
                }
                let (want, got) = (run(&eager, &text, now), run(&lazy, &text, now));
                if want != got {
                    return Err(Failed::from(format!("{name} ({only:?}):\n--- eager\n{want}\n--- lazy\n{got}")));
                }
            }
        }
        Ok(())
    })
}
