//! Where an `externaldata` URL's bytes come from: a copy in `--externaldata
//! DIR`, the download cache, or (with `--allow-network`) the URL itself.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use crate::kql::error::{ErrorCode, KqlError};
use crate::kql::eval::Result;
use crate::kql::eval::session::Session;
use crate::kql::span::Span;

use super::external_cache::{CacheEntry, FRESH_FOR};

/// Largest file `externaldata` reads or downloads.
pub(super) const MAX_EXTERNAL_BYTES: u64 = 512 << 20;
/// Longest wait to connect to a server.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// Longest a whole download may take.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);

/// The file name at the end of a URL (query string and fragment dropped).
pub(super) fn url_file_name(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or("").rsplit('/').next().unwrap_or("")
}

/// The bytes of `url`, in this order: the copy in `--externaldata DIR`; with
/// `--allow-network` a cached copy younger than [`FRESH_FOR`], else a fresh
/// download (then cached), else — the download failed — the stale cached
/// copy, with a note in `notes`; offline, a cached copy of any age.
pub(super) fn external_bytes(session: &Session, url: &str, span: Span, notes: &mut Vec<String>) -> Result<Vec<u8>> {
    let file = url_file_name(url);
    let local = session.externaldata_dir.as_deref().map(|dir| dir.join(file));
    if let Some(path) = &local
        && !file.is_empty()
        && !file.contains("..")
        && path.is_file()
    {
        return read_capped(path, span);
    }
    let cached = session.externaldata_cache.as_deref().map(|dir| CacheEntry::new(dir, url, file));
    if session.allow_network {
        if let Some(entry) = &cached
            && entry.age().is_some_and(|age| age < FRESH_FOR)
            && let Ok(bytes) = read_capped(&entry.data, span)
        {
            return Ok(bytes);
        }
        let bytes = match download_cancellable(session, url, span) {
            Ok(bytes) => bytes,
            Err(e) if e.code == ErrorCode::Cancelled => return Err(e),
            Err(e) => {
                // A stale copy beats no answer; the note says how stale.
                let stale = cached.as_ref().and_then(|c| Some((c.age()?, read_capped(&c.data, span).ok()?)));
                let Some((age, bytes)) = stale else { return Err(e) };
                // `e.message` already names the URL: "externaldata: URL: HTTP 503 ...".
                notes.push(format!(
                    "{} (download failed); using the cached copy from {} ago",
                    e.message,
                    age_text(age)
                ));
                return Ok(bytes);
            }
        };
        if let Some(entry) = &cached {
            // A cache that cannot be written costs only a later download.
            let _ = entry.store(url, &bytes);
        }
        return Ok(bytes);
    }
    if let Some(entry) = &cached
        && entry.data.is_file()
    {
        return read_capped(&entry.data, span);
    }
    Err(match &local {
        Some(path) => KqlError::external_data(
            span,
            format!("externaldata: {url}: no copy at {} and no cached download", path.display()),
        )
        .with_help(format!("pass --allow-network to download it, or copy it into --externaldata DIR as '{file}'")),
        None => KqlError::service_only(
            span,
            format!(
                "externaldata would download {url}: pass --allow-network to fetch it (cached for offline runs), or --externaldata DIR with a copy of '{file}'"
            ),
        ),
    })
}

/// Reads a local file, refusing one over [`MAX_EXTERNAL_BYTES`].
fn read_capped(path: &Path, span: Span) -> Result<Vec<u8>> {
    let fail = |e: std::io::Error| KqlError::external_data(span, format!("externaldata: {}: {e}", path.display()));
    let meta = std::fs::metadata(path).map_err(fail)?;
    if meta.len() > MAX_EXTERNAL_BYTES {
        return Err(KqlError::external_data(
            span,
            format!("externaldata: {} is larger than {} MiB", path.display(), MAX_EXTERNAL_BYTES >> 20),
        ));
    }
    std::fs::read(path).map_err(fail)
}

/// [`download`] on a worker thread, so the session's cancel flag (Esc,
/// Ctrl-C) stops the wait at once, not only the timeouts.
fn download_cancellable(session: &Session, url: &str, span: Span) -> Result<Vec<u8>> {
    let owned = url.to_string();
    match crate::data::http::run_cancellable(&session.cancel, &mut |()| {}, move |_| download(&owned, span)) {
        Ok(result) => result,
        Err(crate::data::http::Cancelled) => Err(KqlError::cancelled(span, format!("externaldata: {url}: cancelled"))),
    }
}

/// `3 h`, `2 d`: an age in its largest whole unit.
fn age_text(age: Duration) -> String {
    let s = age.as_secs();
    match s {
        _ if s >= 86_400 => format!("{} d", s / 86_400),
        _ if s >= 3_600 => format!("{} h", s / 3_600),
        _ if s >= 60 => format!("{} min", s / 60),
        _ => format!("{s} s"),
    }
}

/// Downloads `url` over HTTP(S), whole, within the timeouts and the size cap.
fn download(url: &str, span: Span) -> Result<Vec<u8>> {
    let fail = |what: String| KqlError::external_data(span, format!("externaldata: {url}: {what}"));
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase()).unwrap_or_default();
    if scheme != "http" && scheme != "https" {
        return Err(KqlError::arguments(
            span,
            format!("externaldata: {url}: only http and https URLs can be downloaded"),
        ));
    }
    let agent = crate::data::http::agent(CONNECT_TIMEOUT, Some(DOWNLOAD_TIMEOUT), None);
    let response = agent.get(url).call().map_err(|e| fail(crate::data::http::describe(&e)))?;
    let status = response.status();
    if !status.is_success() {
        let reason = status.canonical_reason().unwrap_or("");
        return Err(fail(format!("HTTP {} {reason}", status.as_u16()).trim_end().to_string()));
    }
    let too_large = || fail(format!("the download is larger than {} MiB", MAX_EXTERNAL_BYTES >> 20));
    let mut body = response.into_body();
    if body.content_length().is_some_and(|n| n > MAX_EXTERNAL_BYTES) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    let read = body.with_config().limit(MAX_EXTERNAL_BYTES).reader().read_to_end(&mut bytes);
    match read.map_err(ureq::Error::from) {
        Ok(_) => Ok(bytes),
        Err(ureq::Error::BodyExceedsLimit(_)) => Err(too_large()),
        Err(e) => Err(fail(crate::data::http::describe(&e))),
    }
}
