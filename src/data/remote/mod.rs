//! Remote sources: run a query where the data lives — the Defender
//! Advanced Hunting API, a Log Analytics (Sentinel) workspace, or an Azure
//! Data Explorer database — and receive its rows as an Advanced Hunting API
//! document (the loader's own shape, and the cache's). The protocols as
//! Microsoft documents them; responses are read as a stream ([`stream`]).

pub mod auth;
pub mod client;
pub mod error;
pub mod stream;
mod writer;

pub use auth::{Token, token};
pub use client::{Client, Fetched, Request, Wait};
pub use error::RemoteError;

/// Where the rules run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Service {
    /// The Microsoft Defender Advanced Hunting API.
    Defender,
    /// A Log Analytics workspace (Microsoft Sentinel), by workspace id.
    LogAnalytics {
        /// The workspace id (a GUID).
        workspace: String,
    },
    /// An Azure Data Explorer database.
    Adx {
        /// `https://CLUSTER.REGION.kusto.windows.net`.
        cluster: String,
        /// The database name.
        database: String,
    },
}

/// The Defender API's documented row cap per query.
pub const DEFENDER_ROW_CAP: usize = 100_000;

impl Service {
    /// Parses `--source`: `defender`, `sentinel:WORKSPACE_ID`, `adx:CLUSTER_URL/DATABASE`.
    pub fn parse(s: &str) -> Result<Service, RemoteError> {
        let bad = || RemoteError::BadSource(s.to_string());
        let (kind, rest) = s.split_once(':').unwrap_or((s, ""));
        match kind.to_ascii_lowercase().as_str() {
            "defender" if rest.is_empty() => Ok(Service::Defender),
            "sentinel" | "loganalytics" if !rest.trim().is_empty() && !rest.contains('/') => {
                Ok(Service::LogAnalytics { workspace: rest.trim().to_string() })
            }
            "adx" => {
                let (cluster, database) = rest.trim_end_matches('/').rsplit_once('/').ok_or_else(bad)?;
                let has_scheme = cluster.starts_with("https://") || cluster.starts_with("http://");
                let host = cluster.split_once("://").map(|(_, h)| h).unwrap_or("");
                if !has_scheme || host.is_empty() || host.contains('/') || database.is_empty() {
                    return Err(bad());
                }
                Ok(Service::Adx { cluster: cluster.to_string(), database: database.to_string() })
            }
            _ => Err(bad()),
        }
    }

    /// Its name in messages.
    pub fn name(&self) -> &'static str {
        match self {
            Service::Defender => "Defender Advanced Hunting API",
            Service::LogAnalytics { .. } => "Log Analytics",
            Service::Adx { .. } => "Azure Data Explorer",
        }
    }

    /// `defender`, `sentinel:ID`, `adx:URL/DB`: what `--source` was.
    pub fn label(&self) -> String {
        match self {
            Service::Defender => "defender".to_string(),
            Service::LogAnalytics { workspace } => format!("sentinel:{workspace}"),
            Service::Adx { cluster, database } => format!("adx:{cluster}/{database}"),
        }
    }

    /// The public service address (`--endpoint` overrides it).
    pub fn default_endpoint(&self) -> String {
        match self {
            Service::Defender => "https://api.security.microsoft.com".to_string(),
            Service::LogAnalytics { .. } => "https://api.loganalytics.io".to_string(),
            Service::Adx { cluster, .. } => cluster.clone(),
        }
    }

    /// The token's resource (audience).
    pub fn resource(&self) -> String {
        match self {
            Service::Defender => "https://api.security.microsoft.com".to_string(),
            Service::LogAnalytics { .. } => "https://api.loganalytics.io".to_string(),
            Service::Adx { cluster, .. } => cluster.clone(),
        }
    }

    /// The permission the API needs, as a 403 and the README say it.
    pub fn permission(&self) -> &'static str {
        match self {
            Service::Defender => {
                "AdvancedHunting.Read.All (application) or AdvancedHunting.Read (delegated) on the Microsoft Threat Protection API, and for a user a role that can view the data (device groups apply)"
            }
            Service::LogAnalytics { .. } => {
                "Data.Read on the Log Analytics API (the Log Analytics Reader or Microsoft Sentinel Reader role on the workspace)"
            }
            Service::Adx { .. } => "the Viewer role on the database (or AllDatabasesViewer on the cluster)",
        }
    }

    /// The row cap the service applies silently, when it has one.
    pub fn row_cap(&self) -> Option<usize> {
        match self {
            Service::Defender => Some(DEFENDER_ROW_CAP),
            _ => None,
        }
    }

    /// The name of the time column the service's tables carry.
    pub fn time_column(&self) -> &'static str {
        match self {
            Service::LogAnalytics { .. } => "TimeGenerated",
            _ => "Timestamp",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse() {
        assert_eq!(Service::parse("defender").unwrap(), Service::Defender);
        assert_eq!(Service::parse("sentinel:abc-123").unwrap(), Service::LogAnalytics { workspace: "abc-123".into() });
        assert_eq!(
            Service::parse("adx:https://c.westeurope.kusto.windows.net/Hunt").unwrap(),
            Service::Adx { cluster: "https://c.westeurope.kusto.windows.net".into(), database: "Hunt".into() }
        );
        for bad in ["", "defender:x", "sentinel:", "adx:c/db", "adx:https://c", "splunk"] {
            assert!(matches!(Service::parse(bad), Err(RemoteError::BadSource(_))), "{bad}");
        }
    }
}
