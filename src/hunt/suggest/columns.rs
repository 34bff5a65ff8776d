//! How far a column can be trusted in a filter that must keep working on
//! tomorrow's events, and how its values compare. The weights that follow
//! from a column's [`Trust`] are in [`super::score`].

use crate::data::DataType;

/// How a filter over a column ages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Never used: one event's identity (ReportId, process ids, times) or a
    /// type a literal cannot name plainly (dynamic). A filter on it hides the
    /// marked rows today and no false positive ever again.
    Never,
    /// Hashes, SIDs, GUIDs and other ids: they match the same thing, but
    /// change with every build or machine and read as noise.
    Brittle,
    /// Command lines: readable, but arguments move between runs.
    Volatile,
    /// Any other column.
    Neutral,
    /// What analysts write exclusions with: file names, folders, accounts,
    /// parent processes, signers, URLs, product names.
    Preferred,
}

/// The trust of column `name` of type `dtype`.
pub fn trust(name: &str, dtype: DataType) -> Trust {
    let lower = name.to_ascii_lowercase();
    let ends = |s: &str| lower.ends_with(s);
    let numeric = dtype.is_numeric();
    if matches!(dtype, DataType::DateTime | DataType::Timespan | DataType::Dynamic | DataType::Real | DataType::Decimal)
        || lower == "reportid"
        || (numeric && ends("id"))
    {
        return Trust::Never;
    }
    if lower.contains("sha1")
        || lower.contains("sha256")
        || lower.contains("md5")
        || ends("hash")
        || ends("sid")
        || ends("id")
        || ends("guid")
        || dtype == DataType::Guid
    {
        return Trust::Brittle;
    }
    if ends("commandline") {
        return Trust::Volatile;
    }
    const PREFERRED: &[&str] =
        &["filename", "folderpath", "accountname", "accountdomain", "accountupn", "url", "signer", "productname"];
    if PREFERRED.iter().any(|p| ends(p)) || lower.contains("versioninfo") {
        return Trust::Preferred;
    }
    Trust::Neutral
}

/// True when values of the column are compared case-insensitively
/// (`=~`, `in~`): names, paths, accounts and command lines on Windows are.
/// Ids and hashes compare exactly.
pub fn case_insensitive(trust: Trust) -> bool {
    !matches!(trust, Trust::Brittle | Trust::Never)
}

/// True when prefixes and suffixes of the column's values read naturally
/// (paths, command lines, URLs), judged by its name or its values.
pub fn path_like(name: &str, values: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("path") || lower.ends_with("commandline") || lower.ends_with("url") || {
        values.iter().all(|v| v.contains('\\') || v.contains('/'))
    }
}

/// True for text that looks machine-made: a hex run of 16 or more (hashes,
/// device ids), a GUID, or a long token mixing letters and digits
/// (base64, random names). Such a value makes a brittle filter.
pub fn high_entropy(s: &str) -> bool {
    let core: String = s.chars().filter(|c| !matches!(c, '-' | '{' | '}')).collect();
    if core.len() >= 16 && core.chars().all(|c| c.is_ascii_hexdigit()) {
        return true;
    }
    let token = s.len() >= 20 && !s.contains([' ', '\\', '/', '.']);
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let letters = s.chars().filter(char::is_ascii_alphabetic).count();
    token && digits * 4 >= s.len() && letters * 4 >= s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_never_used_and_ids_are_brittle() {
        assert_eq!(trust("ReportId", DataType::Long), Trust::Never);
        assert_eq!(trust("InitiatingProcessId", DataType::Long), Trust::Never);
        assert_eq!(trust("Timestamp", DataType::DateTime), Trust::Never);
        assert_eq!(trust("AdditionalFields", DataType::Dynamic), Trust::Never);
        assert_eq!(trust("DeviceId", DataType::String), Trust::Brittle);
        assert_eq!(trust("SHA256", DataType::String), Trust::Brittle);
        assert_eq!(trust("AccountSid", DataType::String), Trust::Brittle);
        assert_eq!(trust("ProcessCommandLine", DataType::String), Trust::Volatile);
        assert_eq!(trust("InitiatingProcessFileName", DataType::String), Trust::Preferred);
        assert_eq!(trust("FolderPath", DataType::String), Trust::Preferred);
        assert_eq!(trust("RemotePort", DataType::Int), Trust::Neutral);
    }

    #[test]
    fn machine_made_text_is_high_entropy() {
        assert!(high_entropy("fae8fc96661221d0d9ce4ea2669187b90253bf767596e36e9183432a04874c14"));
        assert!(high_entropy("{6F9619FF-8B86-D011-B42D-00C04FC964FF}"));
        assert!(high_entropy("aGVsbG8gd29ybGQ1234567Zx9"));
        assert!(!high_entropy("ROMServer.exe"));
        assert!(!high_entropy(r"C:\Program Files (x86)\LiteManager Pro - Server\ROMServer.exe"));
        assert!(!high_entropy("deploy"));
    }
}
