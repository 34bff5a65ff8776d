//! The on-disk cache of downloaded `externaldata` files, keyed by URL: one
//! data file named by a hash of the URL and the URL's file name, beside a
//! small JSON file with the URL and the time it was fetched. Files are
//! written to a temporary name and renamed, so a cut download never counts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

/// How long a cached copy is used without asking the server again, when
/// the network is allowed (offline, any age is used).
pub(super) const FRESH_FOR: Duration = Duration::from_secs(60 * 60);

/// A URL's place in the cache folder.
pub(super) struct CacheEntry {
    /// The downloaded bytes.
    pub data: PathBuf,
    /// The JSON beside it: the URL and when it was fetched.
    pub meta: PathBuf,
}

impl CacheEntry {
    /// Where `url` (whose file name is `file`) is cached under `dir`.
    pub fn new(dir: &Path, url: &str, file: &str) -> CacheEntry {
        let digest = Sha256::digest(url.as_bytes());
        let hash: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        let name = format!("{hash}-{}", safe_file_name(file));
        CacheEntry { data: dir.join(&name), meta: dir.join(format!("{name}.meta.json")) }
    }

    /// The cached bytes' age, when there is a cached copy.
    pub fn age(&self) -> Option<Duration> {
        let modified = std::fs::metadata(&self.data).ok()?.modified().ok()?;
        Some(SystemTime::now().duration_since(modified).unwrap_or_default())
    }

    /// Stores `bytes` fetched from `url`: temp files first, then renames,
    /// the data last so a reader never sees data without its complete bytes.
    pub fn store(&self, url: &str, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(dir) = self.data.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let fetched = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let meta = serde_json::json!({ "url": url, "fetched": fetched, "bytes": bytes.len() });
        write_atomically(&self.meta, meta.to_string().as_bytes())?;
        write_atomically(&self.data, bytes)
    }
}

/// Writes `path` through a temporary sibling and a rename.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    renamed
}

/// The URL's file name reduced to characters safe in any file system.
fn safe_file_name(file: &str) -> String {
    let name: String = file
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .take(80)
        .collect();
    if name.trim_matches('.').is_empty() { "data".to_string() } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differ_by_url_and_keep_the_file_name() {
        let dir = Path::new("/c");
        let a = CacheEntry::new(dir, "https://a.example/x/iocs.csv", "iocs.csv");
        let b = CacheEntry::new(dir, "https://b.example/x/iocs.csv", "iocs.csv");
        assert_ne!(a.data, b.data);
        let name = a.data.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        assert!(name.ends_with("-iocs.csv") && name.len() == 16 + 1 + 8, "{name}");
        assert!(a.meta.to_string_lossy().ends_with("-iocs.csv.meta.json"));
    }

    #[test]
    fn unsafe_names_are_replaced() {
        assert_eq!(safe_file_name("a b/..\\c.txt"), "a_b_.._c.txt");
        assert_eq!(safe_file_name(".."), "data");
        assert_eq!(safe_file_name(""), "data");
    }
}
