//! The field map: the rule catalogue's pseudo field names → MDE columns, per
//! table (`rules/fieldmap.yaml`, compiled in as the default; a user file of
//! the same shape replaces it). Every mapped column must exist in the bundled
//! MDE schema of its table, so a typo is a load error, not a filter that
//! never matches.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as Json;

use crate::data::{DataType, schema};
use crate::rules::error::RulesError;
use crate::rules::layout::{self, FilePos};
use crate::rules::yaml;

/// The bundled field map's text.
pub const BUNDLED: &str = include_str!("../../../rules/fieldmap.yaml");

/// What a pseudo field means on one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldEntry {
    /// The MDE column; `None` when the table deliberately has none.
    pub column: Option<String>,
    /// The column's type from the MDE schema (string when the table is unknown).
    pub dtype: DataType,
    /// Why this column (or why none).
    pub why: String,
}

/// Pseudo field → column, per table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldMap {
    tables: BTreeMap<String, BTreeMap<String, FieldEntry>>,
}

impl FieldMap {
    /// The bundled map.
    pub fn bundled() -> Result<FieldMap, RulesError> {
        FieldMap::parse(Path::new("rules/fieldmap.yaml"), BUNDLED)
    }

    /// Reads a field map file.
    pub fn load(path: &Path) -> Result<FieldMap, RulesError> {
        let text = std::fs::read_to_string(path).map_err(|e| RulesError::io(path, e))?;
        FieldMap::parse(path, &text)
    }

    /// Parses field map `text` (named `path` in errors).
    pub fn parse(path: &Path, text: &str) -> Result<FieldMap, RulesError> {
        let doc = yaml::parse(text).map_err(|e| RulesError::yaml(path, &e))?;
        let blocks = layout::top_level_keys(text);
        let at = layout::find_key(&blocks, "fieldmap").map(|b| FilePos::at(text, b.start)).unwrap_or_default();
        let bad = |msg: String| RulesError::invalid(path, at.line.max(1), at.column.max(1), msg);
        let Some(Json::Object(tables)) = doc.get("fieldmap") else {
            return Err(bad("a field map has a top-level `fieldmap:` mapping of tables".into()));
        };
        let mut out = FieldMap::default();
        for (table, fields) in tables {
            let Json::Object(fields) = fields else {
                return Err(bad(format!("fieldmap.{table} must map field names to entries")));
            };
            let known = schema::table_schema(table);
            let mut map = BTreeMap::new();
            for (field, entry) in fields {
                let column = match entry.get("column") {
                    Some(Json::String(c)) => Some(c.clone()),
                    Some(Json::Null) => None,
                    _ => return Err(bad(format!("fieldmap.{table}.{field}: `column` must be a name or null"))),
                };
                let Some(Json::String(why)) = entry.get("why") else {
                    return Err(bad(format!(
                        "fieldmap.{table}.{field}: `why` (the reason for the mapping) is required"
                    )));
                };
                let dtype = match (&column, known) {
                    (Some(c), Some(t)) => t.column_type(c).ok_or_else(|| {
                        bad(format!("fieldmap.{table}.{field}: {table} has no column {c} in the MDE schema"))
                    })?,
                    _ => DataType::String,
                };
                map.insert(field.clone(), FieldEntry { column, dtype, why: why.clone() });
            }
            out.tables.insert(table.clone(), map);
        }
        Ok(out)
    }

    /// What `field` means on `table`, if the map knows it.
    pub fn get(&self, table: &str, field: &str) -> Option<&FieldEntry> {
        self.tables.get(table)?.get(field)
    }

    /// The tables the map covers.
    pub fn tables(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// The fields known for `table`, sorted.
    pub fn fields(&self, table: &str) -> impl Iterator<Item = (&str, &FieldEntry)> {
        self.tables.get(table).into_iter().flatten().map(|(k, v)| (k.as_str(), v))
    }

    /// True when `field` is a pseudo field on any table (tells a field from a word of prose).
    pub fn knows_field(&self, field: &str) -> bool {
        self.tables.values().any(|t| t.contains_key(field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_map_loads_and_matches_the_schema() {
        let m = FieldMap::bundled().unwrap();
        let e = m.get("DeviceProcessEvents", "process.parent_process_name").unwrap();
        assert_eq!(e.column.as_deref(), Some("InitiatingProcessFileName"));
        assert_eq!(m.get("DeviceNetworkEvents", "destination_ip").unwrap().column.as_deref(), Some("RemoteIP"));
        assert_eq!(m.get("DeviceNetworkEvents", "destination_port").unwrap().dtype, DataType::Int);
        assert_eq!(m.get("DeviceFileCertificateInfo", "process.name").unwrap().column, None);
        assert!(m.fields("DeviceProcessEvents").all(|(_, e)| !e.why.trim().is_empty()));
    }

    #[test]
    fn unknown_column_is_an_error_with_position() {
        let text = "# c\nfieldmap:\n  DeviceProcessEvents:\n    process.name: {column: FileNme, why: x}\n";
        let e = FieldMap::parse(Path::new("f.yaml"), text).unwrap_err().to_string();
        assert!(e.starts_with("f.yaml:2:1:") && e.contains("no column FileNme"), "{e}");
    }
}
