//! The `Schema` of an Advanced Hunting API response (also Graph's and Log
//! Analytics'): column names with their types, declared before the rows.

use crate::data::value::DataType;

use super::router::Router;

/// Takes an AH API `Schema` (`[{"Name":..,"Type":..}]`); false when it is not one.
pub(crate) fn declare_schema(router: &mut Router, schema: &serde_json::Value) -> bool {
    let Some(columns) = schema.as_array() else { return false };
    let mut parsed = Vec::with_capacity(columns.len());
    for col in columns {
        let get = |k: &str, alt: &str| col.get(k).or_else(|| col.get(alt)).and_then(|v| v.as_str());
        match (get("Name", "name"), get("Type", "type").map(api_type)) {
            (Some(name), Some(Some(dtype))) => parsed.push((name, dtype)),
            _ => return false,
        }
    }
    for (name, dtype) in parsed {
        router.declare(name, dtype);
    }
    router.shapes.api = true;
    true
}

/// A type name of an AH API / Graph / Log Analytics schema (`Int64`,
/// `System.String`, `Object`, `SByte`...).
fn api_type(name: &str) -> Option<DataType> {
    let lower = name.to_ascii_lowercase();
    let base = lower.strip_prefix("system.").unwrap_or(&lower);
    match base {
        "object" => Some(DataType::Dynamic),
        "sbyte" => Some(DataType::Bool),
        "int16" | "uint16" => Some(DataType::Int),
        "single" => Some(DataType::Real),
        "data.sqltypes.sqldecimal" => Some(DataType::Decimal),
        other => DataType::from_name(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_type_names() {
        assert_eq!(api_type("Int64"), Some(DataType::Long));
        assert_eq!(api_type("System.String"), Some(DataType::String));
        assert_eq!(api_type("Object"), Some(DataType::Dynamic));
        assert_eq!(api_type("SByte"), Some(DataType::Bool));
        assert_eq!(api_type("DateTime"), Some(DataType::DateTime));
        assert_eq!(api_type("Nonsense"), None);
    }
}
