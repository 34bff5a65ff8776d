//! Helpers shared by the rules tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// Writes `text` to `dir/name` (creating folders) and returns the path.
pub fn put(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

/// A temporary folder.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// The crate's own folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A hunting rule as the Azure-Sentinel repository writes them.
pub const HUNTING: &str = r#"id: 0b8a8a4f-9c5e-4a4f-8c1d-3f4a1d2e5b6c
name: Rare process spawned by Office
description: |
  'Office applications spawning uncommon children.'
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - DeviceProcessEvents
tactics:
  - Execution
  - Persistence
relevantTechniques:
  - T1204
  - T1547
query: |
  DeviceProcessEvents
  | where InitiatingProcessFileName in~ ("winword.exe", "excel.exe")
  | where FileName =~ "cmd.exe"
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: DeviceName
version: 1.0.1
metadata:
  source:
    kind: Community
"#;
