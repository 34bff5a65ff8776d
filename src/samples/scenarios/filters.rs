//! The seed rules' false-positive scenarios, with each pseudo-filter
//! translated to KQL (field map of `rules/fieldmap.yaml`: `==`/`!=` on names →
//! `=~`/`!~`, `LIKE "%x%"` → `contains`, `LIKE "%x"` → `endswith`) and the
//! same predicate in plain Rust, so the manifest can count what each
//! exclusion hides without a KQL engine.

use super::RuleKey;
use crate::samples::row::{Layout, Row};

/// A row predicate mirroring a translated filter.
pub type Test = fn(&Layout, &Row) -> bool;

/// One false-positive scenario of a seed rule.
#[derive(Debug)]
pub struct ExclusionCase {
    /// The scenario's title in the seed file.
    pub scenario: &'static str,
    /// The pseudo-filter as the seed writes it (`None`: prose only).
    pub source: Option<&'static str>,
    /// The translated KQL filter (`None`: prose only, needs an analyst).
    pub filter: Option<&'static str>,
    /// The same filter as a Rust predicate.
    pub test: Option<Test>,
}

/// One seed rule.
#[derive(Debug)]
pub struct RuleCase {
    /// Which rule.
    pub key: RuleKey,
    /// The rule's `id`.
    pub id: &'static str,
    /// A short name.
    pub name: &'static str,
    /// Its source table.
    pub table: &'static str,
    /// Its false-positive scenarios, in seed order.
    pub exclusions: &'static [ExclusionCase],
}

fn ci_contains(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(&needle.to_lowercase())
}

fn ci_eq(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

fn ci_ends(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().ends_with(&needle.to_lowercase())
}

fn parent<'r>(l: &Layout, r: &'r Row) -> &'r str {
    r.text(l, "InitiatingProcessFileName")
}
fn cmd<'r>(l: &Layout, r: &'r Row) -> &'r str {
    r.text(l, "ProcessCommandLine")
}
fn user<'r>(l: &Layout, r: &'r Row) -> &'r str {
    r.text(l, "AccountName")
}
fn folder<'r>(l: &Layout, r: &'r Row) -> &'r str {
    r.text(l, "FolderPath")
}

/// Action1's filters all read `name != a && name != b && name != c && ip != d`.
fn action1_keep(l: &Layout, r: &Row, names: [&str; 3], ip: &str) -> bool {
    let p = parent(l, r);
    names.iter().all(|n| !ci_eq(p, n)) && r.text(l, "RemoteIP") != ip
}

/// Prose-only scenario (the seed gives no pseudo-filter).
const fn prose(scenario: &'static str) -> ExclusionCase {
    ExclusionCase { scenario, source: None, filter: None, test: None }
}

/// The five seed rules and their scenarios.
pub static RULES: &[RuleCase] = &[
    RuleCase {
        key: RuleKey::LiteManager,
        id: "02481117-1b9e-4afa-8b88-b3b7e9089c91",
        name: "LiteManager - Create Process",
        table: "DeviceProcessEvents",
        exclusions: &[
            ExclusionCase {
                scenario: "Scheduled Job Execution by LiteManager",
                source: Some(
                    r#"process.parent_process_name != "LiteManager" OR process.command_line contains "scheduled_task""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName !~ "LiteManager" or ProcessCommandLine contains "scheduled_task""#,
                ),
                test: Some(|l, r| !ci_eq(parent(l, r), "LiteManager") || ci_contains(cmd(l, r), "scheduled_task")),
            },
            ExclusionCase {
                scenario: "Admin Task to Deploy Software via LiteManager",
                source: Some(
                    r#"process.command_line contains "software deployment" OR process.user contains "ITAdmin""#,
                ),
                filter: Some(r#"ProcessCommandLine contains "software deployment" or AccountName contains "ITAdmin""#),
                test: Some(|l, r| ci_contains(cmd(l, r), "software deployment") || ci_contains(user(l, r), "ITAdmin")),
            },
            ExclusionCase {
                scenario: "Remote System Monitoring via LiteManager",
                source: Some(
                    r#"process.command_line contains "monitoring" OR process.parent_process_name contains "LiteManager""#,
                ),
                filter: Some(
                    r#"ProcessCommandLine contains "monitoring" or InitiatingProcessFileName contains "LiteManager""#,
                ),
                test: Some(|l, r| ci_contains(cmd(l, r), "monitoring") || ci_contains(parent(l, r), "LiteManager")),
            },
            ExclusionCase {
                scenario: "User-Initiated Remote Support Session",
                source: Some(
                    r#"process.user contains "support_user" OR process.command_line contains "remote support""#,
                ),
                filter: Some(r#"AccountName contains "support_user" or ProcessCommandLine contains "remote support""#),
                test: Some(|l, r| ci_contains(user(l, r), "support_user") || ci_contains(cmd(l, r), "remote support")),
            },
            ExclusionCase {
                scenario: "Automated Patching via LiteManager",
                source: Some(
                    r#"process.command_line contains "patching" OR process.parent_process_name contains "LiteManager""#,
                ),
                filter: Some(
                    r#"ProcessCommandLine contains "patching" or InitiatingProcessFileName contains "LiteManager""#,
                ),
                test: Some(|l, r| ci_contains(cmd(l, r), "patching") || ci_contains(parent(l, r), "LiteManager")),
            },
        ],
    },
    RuleCase {
        key: RuleKey::Level,
        id: "3bd4f4fb-20a9-4491-8bc1-51e55da7fdcc",
        name: "Level - File Signature",
        table: "DeviceFileCertificateInfo",
        exclusions: &[
            prose("Software update deployed with Microsoft Endpoint Manager (MEM)"),
            prose("Kaseya VSA health check"),
            prose("SolarWinds Server & Application Monitor (SAM) reports"),
            prose("Ansible configuration management and patching"),
            prose("LogMeIn remote support session"),
        ],
    },
    RuleCase {
        key: RuleKey::MRemoteNg,
        id: "a2d8dde6-007d-4bea-964d-97bb81006849",
        name: "mRemoteNG - Create Process",
        table: "DeviceProcessEvents",
        exclusions: &[
            prose("Administrator runs a PowerShell update script (Update-Module, Install-Script)"),
            prose("Scheduled monitoring script (PRTG, Nagios, SolarWinds)"),
            prose("Microsoft Endpoint Manager (MEM) agent update"),
            prose("Windows Update over a remote desktop session"),
            prose("Veeam backup script"),
        ],
    },
    RuleCase {
        key: RuleKey::Action1,
        id: "7da76b41-8c1d-4602-91c6-5d99738d38f4",
        name: "Action1 - Network Connection",
        table: "DeviceNetworkEvents",
        exclusions: &[
            ExclusionCase {
                scenario: "SCCM software update via a scheduled task",
                source: Some(
                    r#"process.name != "setup.exe" && process.name != "microsoft-windows-servicemodel-http-activation" && process.name != "sccmclient" && destination_ip != "10.10.10.10""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName !~ "setup.exe" and InitiatingProcessFileName !~ "microsoft-windows-servicemodel-http-activation" and InitiatingProcessFileName !~ "sccmclient" and RemoteIP != "10.10.10.10""#,
                ),
                test: Some(|l, r| {
                    action1_keep(
                        l,
                        r,
                        ["setup.exe", "microsoft-windows-servicemodel-http-activation", "sccmclient"],
                        "10.10.10.10",
                    )
                }),
            },
            ExclusionCase {
                scenario: "SolarWinds Network Configuration Manager synchronisation",
                source: Some(
                    r#"process.name != "ncc.exe" && process.name != "solarwinds" && destination_ip != "10.10.10.20""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName !~ "ncc.exe" and InitiatingProcessFileName !~ "solarwinds" and RemoteIP != "10.10.10.20""#,
                ),
                test: Some(|l, r| action1_keep(l, r, ["ncc.exe", "solarwinds", "ncc.exe"], "10.10.10.20")),
            },
            ExclusionCase {
                scenario: "Altiris agent inventory check",
                source: Some(
                    r#"process.name != "altirisagent.exe" && process.name != "inventory.exe" && destination_ip != "10.10.10.30""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName !~ "altirisagent.exe" and InitiatingProcessFileName !~ "inventory.exe" and RemoteIP != "10.10.10.30""#,
                ),
                test: Some(|l, r| {
                    action1_keep(l, r, ["altirisagent.exe", "inventory.exe", "inventory.exe"], "10.10.10.30")
                }),
            },
            ExclusionCase {
                scenario: "Intune client compliance sync",
                source: Some(
                    r#"process.name != "intunewin32.exe" && process.name != "MicrosoftIntune" && destination_ip != "10.10.10.40""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName !~ "intunewin32.exe" and InitiatingProcessFileName !~ "MicrosoftIntune" and RemoteIP != "10.10.10.40""#,
                ),
                test: Some(|l, r| {
                    action1_keep(l, r, ["intunewin32.exe", "MicrosoftIntune", "MicrosoftIntune"], "10.10.10.40")
                }),
            },
            ExclusionCase {
                scenario: "Kaseya VSA scheduled backup",
                source: Some(
                    r#"process.name != "vsaagent.exe" && process.name != "kaseya" && destination_ip != "10.10.10.50""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName !~ "vsaagent.exe" and InitiatingProcessFileName !~ "kaseya" and RemoteIP != "10.10.10.50""#,
                ),
                test: Some(|l, r| action1_keep(l, r, ["vsaagent.exe", "kaseya", "kaseya"], "10.10.10.50")),
            },
        ],
    },
    RuleCase {
        key: RuleKey::ConnectWise,
        id: "83f7b313-b955-4988-b524-b2da55c67b43",
        name: "ConnectWise - Create Process",
        table: "DeviceProcessEvents",
        exclusions: &[
            ExclusionCase {
                scenario: "Scheduled Job Execution via ConnectWise",
                source: Some(
                    r#"process.parent_process_name == "connectwise" OR process.command_line LIKE "%scheduled_job%""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName =~ "connectwise" or ProcessCommandLine contains "scheduled_job""#,
                ),
                test: Some(|l, r| ci_eq(parent(l, r), "connectwise") || ci_contains(cmd(l, r), "scheduled_job")),
            },
            ExclusionCase {
                scenario: "Admin Task to Deploy Software via ConnectWise",
                source: Some(
                    r#"process.parent_process_name == "connectwise" AND process.file_path LIKE "%software_update%""#,
                ),
                filter: Some(r#"InitiatingProcessFileName =~ "connectwise" and FolderPath contains "software_update""#),
                test: Some(|l, r| ci_eq(parent(l, r), "connectwise") && ci_contains(folder(l, r), "software_update")),
            },
            ExclusionCase {
                scenario: "ConnectWise Agent Service Initialization",
                source: Some(
                    r#"process.parent_process_name == "connectwise_agent" OR process.file_path LIKE "%connectwise_agent.exe""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName =~ "connectwise_agent" or FolderPath endswith "connectwise_agent.exe""#,
                ),
                test: Some(|l, r| {
                    ci_eq(parent(l, r), "connectwise_agent") || ci_ends(folder(l, r), "connectwise_agent.exe")
                }),
            },
            ExclusionCase {
                scenario: "Remote System Monitoring via ConnectWise",
                source: Some(
                    r#"process.parent_process_name == "connectwise" AND process.file_path LIKE "%diagnostic_script%""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName =~ "connectwise" and FolderPath contains "diagnostic_script""#,
                ),
                test: Some(|l, r| ci_eq(parent(l, r), "connectwise") && ci_contains(folder(l, r), "diagnostic_script")),
            },
            ExclusionCase {
                scenario: "ConnectWise Integration with Third-Party Tools",
                source: Some(
                    r#"process.parent_process_name == "connectwise" AND process.file_path LIKE "%third_party_integration%""#,
                ),
                filter: Some(
                    r#"InitiatingProcessFileName =~ "connectwise" and FolderPath contains "third_party_integration""#,
                ),
                test: Some(|l, r| {
                    ci_eq(parent(l, r), "connectwise") && ci_contains(folder(l, r), "third_party_integration")
                }),
            },
        ],
    },
];

/// The case of a rule.
pub fn rule_case(key: RuleKey) -> Option<&'static RuleCase> {
    RULES.iter().find(|r| r.key == key)
}
