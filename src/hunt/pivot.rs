//! Pivot queries: from one value of one column, the KQL that finds the same
//! value in every loaded table, or the events of one device around one
//! time. Both are plain text the user sees and can edit before it runs, and
//! both read `union withsource=SourceTable`, so each row says where it came from.

use crate::data::table::Database;
use crate::data::time::format_datetime;
use crate::data::{DataType, Value};
use crate::kql::quote;

use super::timeline::TICKS_PER_HOUR;

/// Column-name endings that make a kind of value (`InitiatingProcessSHA1`
/// is a SHA1, `RemoteIP` an IP address): a value pivots onto every column
/// of its kind. Longer endings first, so `AccountName` wins over `Name`-like ones.
const KINDS: &[&str] = &[
    "SHA256",
    "SHA1",
    "MD5",
    "IPAddress",
    "IP",
    "AccountUpn",
    "AccountSid",
    "AccountObjectId",
    "AccountDomain",
    "AccountName",
    "DeviceName",
    "DeviceId",
    "FolderPath",
    "FileName",
    "CommandLine",
    "RemoteUrl",
    "ProcessId",
    "RegistryKey",
    "ReportId",
];

/// The kind of a column (its [`KINDS`] ending), if it has one.
pub fn column_kind(column: &str) -> Option<&'static str> {
    KINDS.iter().copied().find(|k| column.ends_with(k))
}

/// Every loaded table's name and columns (name, type), in load order.
fn schemas(db: &Database) -> Vec<(&str, Vec<(&str, DataType)>)> {
    db.tables().iter().map(|t| (t.name(), t.fields().iter().map(|f| (f.name.as_str(), f.dtype)).collect())).collect()
}

/// The query finding `value` (from column `column`) in every loaded table:
/// on the columns of the same kind (`=~` for text, `==` otherwise), or, when
/// the column has no known kind, with `has` over every string column.
/// `None` when the value is empty or no table has a column to look in.
pub fn same_value(db: &Database, column: &str, value: &Value) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::String(s) if s.trim().is_empty() => return None,
        v => crate::kql::eval::functions::convert::display_text(v).into_owned(),
    };
    let tables = schemas(db);
    let kind = column_kind(column);
    // (column, type) pairs to test; a name typed differently in two tables
    // would be split by the union, so it is left out.
    let mut cols: Vec<(&str, DataType)> = Vec::new();
    for (_, fields) in &tables {
        for &(name, dtype) in fields {
            let wanted = match kind {
                Some(k) => column_kind(name) == Some(k),
                None => dtype == DataType::String,
            };
            if wanted && !cols.iter().any(|(n, _)| *n == name) {
                cols.push((name, dtype));
            }
        }
    }
    cols.retain(|(name, dtype)| tables.iter().all(|(_, fields)| fields.iter().all(|(n, t)| n != name || t == dtype)));
    let tests: Vec<String> = cols
        .iter()
        .filter_map(|&(name, dtype)| match (kind, dtype) {
            (None, _) => Some(format!("{name} has {}", quote::string(&text))),
            (Some(_), DataType::String | DataType::Guid) => Some(format!("{name} =~ {}", quote::string(&text))),
            (Some(_), DataType::Long | DataType::Int | DataType::Real | DataType::Decimal) => {
                text.parse::<f64>().ok().map(|_| format!("{name} == {text}"))
            }
            (Some(_), _) => None,
        })
        .collect();
    if tests.is_empty() {
        return None;
    }
    let used: Vec<&str> = tables
        .iter()
        .filter(|(_, fields)| fields.iter().any(|(n, _)| cols.iter().any(|(c, _)| c == n)))
        .map(|(t, _)| *t)
        .collect();
    Some(format!(
        "union withsource=SourceTable {}\n| where {}\n{}",
        used.join(", "),
        tests.join("\n    or "),
        sort_clause(&tables, &used, "desc"),
    ))
}

/// The query for one device's events in every loaded table with a
/// `Timestamp`, from an hour before `at` to an hour after: by `DeviceId`
/// when there is one, else by `DeviceName`.
pub fn device_window(db: &Database, device_id: Option<&str>, device_name: Option<&str>, at: i64) -> Option<String> {
    let (col, test) = match (device_id.filter(|s| !s.is_empty()), device_name.filter(|s| !s.is_empty())) {
        (Some(id), _) => ("DeviceId", format!("DeviceId == {}", quote::string(id))),
        (None, Some(name)) => ("DeviceName", format!("DeviceName =~ {}", quote::string(name))),
        (None, None) => return None,
    };
    let tables = schemas(db);
    let has = |fields: &Vec<(&str, DataType)>, name: &str, t: DataType| fields.contains(&(name, t));
    let used: Vec<&str> = tables
        .iter()
        .filter(|(_, f)| has(f, "Timestamp", DataType::DateTime) && f.iter().any(|(n, _)| *n == col))
        .map(|(t, _)| *t)
        .collect();
    if used.is_empty() {
        return None;
    }
    let (from, to) = (at.saturating_sub(TICKS_PER_HOUR), at.saturating_add(TICKS_PER_HOUR));
    Some(format!(
        "union withsource=SourceTable {}\n| where Timestamp between (datetime({}) .. datetime({}))\n| where {test}\n| sort by Timestamp asc",
        used.join(", "),
        format_datetime(from),
        format_datetime(to),
    ))
}

/// `| sort by Timestamp <dir>` when every used table has a datetime `Timestamp`.
fn sort_clause(tables: &[(&str, Vec<(&str, DataType)>)], used: &[&str], dir: &str) -> String {
    let all =
        tables.iter().filter(|(t, _)| used.contains(t)).all(|(_, f)| f.contains(&("Timestamp", DataType::DateTime)));
    if all { format!("| sort by Timestamp {dir}") } else { String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::{Field, Table};

    fn db() -> Database {
        let t = |name: &str, cols: &[(&str, DataType)]| {
            let fields: Vec<Field> = cols.iter().map(|(n, d)| Field { name: n.to_string(), dtype: *d }).collect();
            Table::empty(name, &fields)
        };
        let mut db = Database::default();
        db.insert(t(
            "DeviceProcessEvents",
            &[
                ("Timestamp", DataType::DateTime),
                ("DeviceId", DataType::String),
                ("SHA1", DataType::String),
                ("InitiatingProcessSHA1", DataType::String),
                ("InitiatingProcessId", DataType::Long),
            ],
        ));
        db.insert(t(
            "DeviceNetworkEvents",
            &[
                ("Timestamp", DataType::DateTime),
                ("RemoteIP", DataType::String),
                ("InitiatingProcessId", DataType::Int),
            ],
        ));
        db.insert(t("Other", &[("Note", DataType::String)]));
        db
    }

    #[test]
    fn a_sha1_pivots_onto_every_sha1_column() {
        let q = same_value(&db(), "InitiatingProcessSHA1", &Value::str("AB\"c")).unwrap();
        assert_eq!(
            q,
            "union withsource=SourceTable DeviceProcessEvents\n| where SHA1 =~ \"AB\\\"c\"\n    or InitiatingProcessSHA1 =~ \"AB\\\"c\"\n| sort by Timestamp desc"
        );
        assert_eq!(column_kind("LocalIP"), Some("IP"));
        assert_eq!(column_kind("InitiatingProcessAccountName"), Some("AccountName"));
    }

    #[test]
    fn an_unknown_column_falls_back_to_has_over_string_columns() {
        let q = same_value(&db(), "sha", &Value::str("x")).unwrap();
        assert!(q.starts_with("union withsource=SourceTable DeviceProcessEvents, DeviceNetworkEvents, Other\n"), "{q}");
        assert!(q.contains("| where DeviceId has \"x\"\n    or SHA1 has \"x\""), "{q}");
        assert!(q.contains("Note has \"x\"") && !q.contains("sort by"), "Other has no Timestamp: {q}");
        assert_eq!(same_value(&db(), "SHA1", &Value::Null), None);
        assert_eq!(same_value(&db(), "SHA1", &Value::str(" ")), None);
    }

    #[test]
    fn columns_typed_differently_across_tables_are_left_out() {
        assert_eq!(same_value(&db(), "InitiatingProcessId", &Value::Long(443)), None);
    }

    #[test]
    fn device_window_spans_two_hours() {
        let at = crate::data::time::parse_datetime("2026-11-20T12:00:00Z").unwrap();
        let q = device_window(&db(), Some("d1"), Some("pc"), at).unwrap();
        assert_eq!(
            q,
            "union withsource=SourceTable DeviceProcessEvents\n| where Timestamp between (datetime(2026-11-20T11:00:00Z) .. datetime(2026-11-20T13:00:00Z))\n| where DeviceId == \"d1\"\n| sort by Timestamp asc"
        );
        assert_eq!(device_window(&db(), None, None, at), None);
    }
}
