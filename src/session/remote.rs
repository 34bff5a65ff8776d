//! `--source`: each selected rule's query (to its hit point, in its own
//! time window) runs on the remote service; its hit rows are saved as one
//! Advanced Hunting API document per rule, beside a manifest, in the folder
//! `--save-remote DIR` names or the user's cache folder. That folder is then
//! opened like any saved results ([`super::remote_open`]), so a live run and
//! a later `--events DIR` offline run see the very same rows.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::data::load::Progress;
use crate::data::remote::{Client, RemoteError, Request, Service, Wait, token};
use crate::data::time::format_datetime;
use crate::rules::Rule;
use crate::rules::remote::{WindowBy, plan};

use super::Options;
use super::error::SessionError;
use super::load::Events;
use super::remote_open;
use super::results::{Entry, MANIFEST, Manifest};

/// `--source` and its companions.
#[derive(Clone, Debug)]
pub struct RemoteSource {
    /// The service.
    pub service: Service,
    /// `--endpoint`: the service's address, for sovereign clouds and tests.
    pub endpoint: Option<String>,
    /// `--save-remote DIR`: where the results go (else the cache folder).
    pub save_dir: Option<PathBuf>,
}

/// The user's cache folder for remote results:
/// `$XDG_CACHE_HOME/kqlhunt/remote`, else `~/.cache/kqlhunt/remote`.
pub fn remote_cache_dir() -> Option<PathBuf> {
    super::load::externaldata_cache_dir().and_then(|d| d.parent().map(|p| p.join("remote")))
}

/// Fetches the hits of every rule of `rules` (the selected ones) from `src`,
/// saves them, and opens them. `notice` hears waits (throttling) the user should see.
pub fn fetch(
    inputs: &Options,
    src: &RemoteSource,
    rules: &[Rule],
    progress: &mut dyn FnMut(Progress),
    notice: &mut dyn FnMut(&str),
) -> Result<Events, SessionError> {
    if !inputs.events.is_empty() {
        return Err(SessionError::Conflict(
            "--source runs the rules remotely; --events names local files (to reopen saved results, pass only --events DIR)"
                .into(),
        ));
    }
    let start = std::time::Instant::now();
    let service = &src.service;
    let token = token(&service.resource())?;
    let client = Client::new(service.clone(), src.endpoint.clone(), token, inputs.cancel.clone());
    let fetched = chrono::Utc::now();
    let dir = match &src.save_dir {
        Some(d) => d.clone(),
        None => remote_cache_dir()
            .ok_or_else(|| SessionError::Conflict("no cache folder (HOME is not set): pass --save-remote DIR".into()))?
            .join(slug(&service.label()))
            .join(format!("{}-{}", fetched.format("%Y%m%dT%H%M%S%.3fZ"), std::process::id())),
    };
    let write_err = |path: &Path, reason: std::io::Error| SessionError::Write { path: path.to_path_buf(), reason };
    std::fs::create_dir_all(&dir).map_err(|e| write_err(&dir, e))?;
    let pinned = match inputs.now.as_deref() {
        None | Some("latest") => None,
        Some(t) => Some(crate::data::time::parse_datetime(t).ok_or_else(|| {
            SessionError::Clock(format!("--now {t}: not a date/time (use ISO-8601, e.g. 2026-11-20T12:00:00Z)"))
        })?),
    };
    let by = match service {
        Service::LogAnalytics { .. } => WindowBy::Timespan,
        _ => WindowBy::Where(service.time_column()),
    };
    let total = rules.len() as u64;
    let mut entries = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let label = format!("{}: {}", service.label(), rule.name);
        progress(Progress { bytes_done: i as u64, bytes_total: total, file: &label, rows: 0 });
        let table = rule.source_tables.first().cloned().unwrap_or_else(|| "Results".to_string());
        let mut entry = Entry {
            id: rule.id.clone(),
            name: rule.name.clone(),
            table: table.clone(),
            file: None,
            query: String::new(),
            timespan: None,
            rows: 0,
            capped: None,
            note: None,
            error: None,
        };
        let p = match plan(rule, by, pinned) {
            Ok(p) => p,
            Err(e) => {
                // The local run reports the parse error with its caret.
                entry.error = Some(e.to_string());
                entries.push(entry);
                continue;
            }
        };
        entry.query = p.query.clone();
        entry.timespan = p.timespan.clone();
        entry.note = p.note.clone();
        let name = format!("{table}-{:03}-{}.json", i + 1, slug(&rule.name));
        let path = dir.join(&name);
        let partial = dir.join(format!("{name}.partial"));
        let file = std::fs::File::create(&partial).map_err(|e| write_err(&partial, e))?;
        let req = Request { query: p.query, timespan: p.timespan, query_now: pinned.map(format_datetime) };
        let mut on_wait = |w: Wait| match w {
            Wait::Throttled { seconds, attempt } => notice(&format!(
                "{}: throttled (HTTP 429); waiting {seconds} s before try {attempt} ({})",
                service.name(),
                rule.name
            )),
        };
        match client.run(&req, Box::new(std::io::BufWriter::with_capacity(1 << 16, file)), &mut on_wait) {
            Ok(got) => {
                std::fs::rename(&partial, &path).map_err(|e| write_err(&path, e))?;
                entry.file = Some(name);
                entry.rows = got.rows;
                entry.capped = got.capped;
                if got.note.is_some() {
                    entry.note = got.note;
                }
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                if matches!(e, RemoteError::Cancelled) {
                    return Err(SessionError::Cancelled);
                }
                if !e.is_per_query() {
                    return Err(e.into());
                }
                entry.error = Some(e.to_string());
            }
        }
        entries.push(entry);
    }
    progress(Progress { bytes_done: total, bytes_total: total, file: &service.label(), rows: 0 });
    let manifest = Manifest {
        kqlhunt_remote: 1,
        source: service.label(),
        fetched: fetched.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        rules: entries,
    };
    write_manifest(&dir, &manifest).map_err(|e| write_err(&dir.join(MANIFEST), e))?;
    notice(&format!("remote results saved in {0}; reopen them offline with --events {0}", dir.display()));
    let mut events = remote_open::open(inputs, &dir, progress)?;
    events.elapsed = start.elapsed();
    Ok(events)
}

/// Writes the manifest through a temporary file and a rename.
fn write_manifest(dir: &Path, m: &Manifest) -> std::io::Result<()> {
    let tmp = dir.join(format!("{MANIFEST}.partial"));
    let text = serde_json::to_string_pretty(m).map_err(std::io::Error::other)?;
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, dir.join(MANIFEST))
}

/// A name reduced to characters safe in any file system.
fn slug(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' })
        .take(60)
        .collect();
    let out = out.trim_matches('-').to_string();
    if out.is_empty() { "rule".into() } else { out }
}
