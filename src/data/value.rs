//! Scalar types and values shared by the store and the KQL evaluator.

use std::fmt;
use std::sync::Arc;

pub use super::decimal::Decimal;

/// Ticks (100 ns) per second, Kusto's datetime/timespan resolution.
pub const TICKS_PER_SECOND: i64 = 10_000_000;
/// Ticks per day.
pub const TICKS_PER_DAY: i64 = 86_400 * TICKS_PER_SECOND;

/// A Kusto scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataType {
    /// `bool`
    Bool,
    /// `int` (32-bit)
    Int,
    /// `long` (64-bit)
    Long,
    /// `real` (f64)
    Real,
    /// `datetime`: i64 ticks since 1970-01-01 UTC
    DateTime,
    /// `timespan`: i64 ticks
    Timespan,
    /// `string` (dictionary-encoded in the store)
    String,
    /// `guid`, kept as its text
    Guid,
    /// `dynamic`: JSON
    Dynamic,
    /// `decimal`: 128-bit decimal, 38 significant digits
    Decimal,
}

impl DataType {
    /// The Kusto name of the type, as `getschema` and the analyzer print it.
    pub fn name(self) -> &'static str {
        match self {
            DataType::Bool => "bool",
            DataType::Int => "int",
            DataType::Long => "long",
            DataType::Real => "real",
            DataType::DateTime => "datetime",
            DataType::Timespan => "timespan",
            DataType::String => "string",
            DataType::Guid => "guid",
            DataType::Dynamic => "dynamic",
            DataType::Decimal => "decimal",
        }
    }

    /// Parses a Kusto type name, including the documented aliases
    /// (`boolean`, `double`, `date`, `time`, `uniqueid`).
    pub fn from_name(name: &str) -> Option<DataType> {
        Some(match name.to_ascii_lowercase().as_str() {
            "bool" | "boolean" => DataType::Bool,
            "int" | "int32" => DataType::Int,
            "long" | "int64" => DataType::Long,
            "real" | "double" => DataType::Real,
            "decimal" => DataType::Decimal,
            "datetime" | "date" => DataType::DateTime,
            "timespan" | "time" => DataType::Timespan,
            "string" => DataType::String,
            "guid" | "uniqueid" => DataType::Guid,
            "dynamic" => DataType::Dynamic,
            _ => return None,
        })
    }

    /// True for the numeric types (`int`, `long`, `real`, `decimal`).
    pub fn is_numeric(self) -> bool {
        matches!(self, DataType::Int | DataType::Long | DataType::Real | DataType::Decimal)
    }

    /// True for types stored as text (`string`, `guid`).
    pub fn is_text(self) -> bool {
        matches!(self, DataType::String | DataType::Guid)
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One scalar value. `Null` is typed by the column or expression it comes
/// from; Kusto strings have no null (a missing string is `""`).
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// A null of any non-string type.
    #[default]
    Null,
    /// `bool`
    Bool(bool),
    /// `int`
    Int(i32),
    /// `long`
    Long(i64),
    /// `real`
    Real(f64),
    /// `datetime`, ticks since the Unix epoch, UTC
    DateTime(i64),
    /// `timespan`, ticks
    Timespan(i64),
    /// `string` or `guid`
    String(Arc<str>),
    /// `dynamic`
    Dynamic(Arc<serde_json::Value>),
    /// `decimal`
    Decimal(Decimal),
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::String(Arc::from(s))
    }

    /// True for `Null` (a dynamic JSON `null` counts as null too, as in Kusto).
    pub fn is_null(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Dynamic(v) => v.is_null(),
            _ => false,
        }
    }

    /// The text of a string value, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The type of a non-null value (`None` for `Null`).
    pub fn data_type(&self) -> Option<DataType> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(_) => DataType::Bool,
            Value::Int(_) => DataType::Int,
            Value::Long(_) => DataType::Long,
            Value::Real(_) => DataType::Real,
            Value::DateTime(_) => DataType::DateTime,
            Value::Timespan(_) => DataType::Timespan,
            Value::String(_) => DataType::String,
            Value::Dynamic(_) => DataType::Dynamic,
            Value::Decimal(_) => DataType::Decimal,
        })
    }
}
