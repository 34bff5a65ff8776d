//! The Microsoft Defender (MDE) Advanced Hunting table schemas, built into
//! the binary so kqlhunt never depends on files outside its own crate.

use std::sync::OnceLock;

use super::table::Field;
use super::value::DataType;

const MDE_TABLES_JSON: &str = include_str!("mde-tables.json");

/// One known table and its columns, in schema order.
#[derive(Clone, Debug)]
pub struct TableSchema {
    /// The table name.
    pub name: String,
    /// The columns.
    pub fields: Vec<Field>,
}

impl TableSchema {
    /// The type of a column, by exact name.
    pub fn column_type(&self, name: &str) -> Option<DataType> {
        self.fields.iter().find(|f| f.name == name).map(|f| f.dtype)
    }
}

/// All known MDE table schemas.
pub fn mde_tables() -> &'static [TableSchema] {
    static TABLES: OnceLock<Vec<TableSchema>> = OnceLock::new();
    TABLES.get_or_init(|| parse_schemas(MDE_TABLES_JSON))
}

/// The schema of a known table, by exact name.
pub fn table_schema(name: &str) -> Option<&'static TableSchema> {
    mde_tables().iter().find(|t| t.name == name)
}

/// The known type of a column name in any MDE table, for columns of files
/// whose table is unknown.
pub fn any_column_type(name: &str) -> Option<DataType> {
    mde_tables().iter().find_map(|t| t.column_type(name))
}

/// The known table whose columns best match `columns`, with the share of
/// `columns` it knows (0.0–1.0). Ties go to the table with fewer columns.
pub fn best_match<'a>(columns: impl IntoIterator<Item = &'a str> + Clone) -> Option<(&'static TableSchema, f64)> {
    let total = columns.clone().into_iter().count();
    if total == 0 {
        return None;
    }
    mde_tables()
        .iter()
        .map(|t| {
            let hits = columns.clone().into_iter().filter(|c| t.column_type(c).is_some()).count();
            // Prefer more shared columns, then the tighter schema.
            let extra = t.fields.len().saturating_sub(hits);
            (t, hits, extra)
        })
        .filter(|(_, hits, _)| *hits > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(t, hits, _)| (t, hits as f64 / total as f64))
}

fn parse_schemas(text: &str) -> Vec<TableSchema> {
    #[derive(serde::Deserialize)]
    struct Col {
        name: String,
        #[serde(rename = "type")]
        dtype: String,
    }
    // The file is part of the crate and checked by a test; a parse failure
    // here is a build defect, so an empty list is the safe fallback.
    let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).unwrap_or_default();
    parsed
        .into_iter()
        .map(|(name, cols)| {
            let cols: Vec<Col> = serde_json::from_value(cols).unwrap_or_default();
            let fields = cols
                .into_iter()
                .map(|c| Field { dtype: DataType::from_name(&c.dtype).unwrap_or(DataType::String), name: c.name })
                .collect();
            TableSchema { name, fields }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_schema_parses() {
        let dpe = table_schema("DeviceProcessEvents").expect("DeviceProcessEvents");
        assert_eq!(dpe.column_type("Timestamp"), Some(DataType::DateTime));
        assert_eq!(dpe.column_type("ReportId"), Some(DataType::Long));
        assert!(mde_tables().len() >= 10);
    }

    #[test]
    fn best_match_prefers_the_table_with_the_columns() {
        let (t, share) = best_match(["Timestamp", "RemoteUrl", "RemoteIP", "DeviceName"]).unwrap();
        assert_eq!(t.name, "DeviceNetworkEvents");
        assert_eq!(share, 1.0);
        let (t, _) = best_match(["Timestamp", "Signer", "IsSigned"]).unwrap();
        assert_eq!(t.name, "DeviceFileCertificateInfo");
    }
}
