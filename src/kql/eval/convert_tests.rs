use super::*;

fn dynj(text: &str) -> Value {
    Value::Dynamic(Arc::new(serde_json::from_str(text).unwrap_or(Json::Null)))
}

/// `tostringfunction.md` + kql-semantics.md §7: null → "", strings have no null.
#[test]
fn tostring_rules() {
    assert_eq!(to_string(&Value::Null), "");
    assert_eq!(to_string(&Value::Long(-5)), "-5");
    assert_eq!(to_string(&Value::Bool(true)), "true");
    assert_eq!(to_string(&Value::DateTime(0)), "1970-01-01T00:00:00.0000000Z"); // always 7 digits
    assert_eq!(display_text(&Value::DateTime(0)), "1970-01-01T00:00:00Z");
    assert_eq!(to_string(&Value::Timespan(TICKS_PER_DAY + TICKS_PER_SECOND)), "1.00:00:01");
    assert_eq!(to_string(&dynj(r#""x""#)), "x"); // dynamic string: no quotes
    assert_eq!(to_string(&dynj(r#"{"a":[1,"b"]}"#)), r#"{"a":[1,"b"]}"#);
    assert_eq!(to_string(&dynj("null")), "");
}

/// .NET `double.ToString()` forms, which Kusto prints for `real`.
#[test]
fn real_text() {
    assert_eq!(format_real(1.0), "1");
    assert_eq!(format_real(0.1), "0.1");
    assert_eq!(format_real(-2.5), "-2.5");
    assert_eq!(format_real(1e15), "1E+15");
    assert_eq!(format_real(123456789012345.0), "123456789012345");
    assert_eq!(format_real(0.0001), "0.0001");
    assert_eq!(format_real(0.00001), "1E-05");
    assert_eq!(format_real(f64::NAN), "NaN");
    assert_eq!(format_real(f64::NEG_INFINITY), "-Infinity");
}

/// The brief's conversion rules: `tolong("abc")` = null, `toint(2.7)` = 2 (truncation).
#[test]
fn numeric_conversions() {
    assert_eq!(to_long(&Value::str("abc")), None);
    assert_eq!(to_long(&Value::str(" 42 ")), Some(42));
    assert_eq!(to_int(&Value::Real(2.7)), Some(2));
    assert_eq!(to_int(&Value::Real(-2.7)), Some(-2));
    assert_eq!(to_int(&Value::Long(1 << 40)), None);
    assert_eq!(to_long(&Value::Real(f64::NAN)), None);
    assert_eq!(to_long(&Value::Real(1e30)), None);
    assert_eq!(to_long(&dynj("7")), Some(7));
    assert_eq!(to_long(&dynj("[7]")), None);
    assert_eq!(to_real(&Value::str("1.5")), Some(1.5));
    assert_eq!(to_real(&Value::str("inf")), None);
    assert_eq!(to_real(&Value::Long(3)), Some(3.0));
}

/// `toboolfunction.md`: "true"/"false" text, non-zero numbers.
#[test]
fn bool_conversions() {
    assert_eq!(to_bool(&Value::str("true")), Some(true));
    assert_eq!(to_bool(&Value::str("FALSE")), Some(false));
    assert_eq!(to_bool(&Value::str("yes")), None);
    assert_eq!(to_bool(&Value::Long(2)), Some(true));
    assert_eq!(to_bool(&dynj("false")), Some(false));
}

/// kql-semantics.md §9: timespan text forms, 100 ns resolution.
#[test]
fn timespan_text() {
    assert_eq!(
        parse_timespan("1.02:03:04.5"),
        Some(TICKS_PER_DAY + (2 * 3600 + 3 * 60 + 4) * TICKS_PER_SECOND + 5_000_000)
    );
    assert_eq!(parse_timespan("00:30:00"), Some(1800 * TICKS_PER_SECOND));
    assert_eq!(parse_timespan("-00:00:01"), Some(-TICKS_PER_SECOND));
    assert_eq!(parse_timespan("1.5h"), Some(5400 * TICKS_PER_SECOND));
    assert_eq!(parse_timespan("100ms"), Some(1_000_000));
    assert_eq!(parse_timespan("10microsecond"), Some(100));
    assert_eq!(parse_timespan("1tick"), Some(1));
    assert_eq!(parse_timespan("25:00:00"), None);
    assert_eq!(parse_timespan("abc"), None);
    assert_eq!(parse_timespan("99999999999999999d"), None);
    assert_eq!(to_timespan(&Value::str(&format_timespan(-123_456_789))), Some(-123_456_789));
}

#[test]
fn datetime_conversions() {
    assert_eq!(to_datetime(&Value::str("1970-01-02")), Some(TICKS_PER_DAY));
    assert_eq!(to_datetime(&dynj(r#""1970-01-02T00:00:00Z""#)), Some(TICKS_PER_DAY));
    assert_eq!(to_datetime(&Value::str("nope")), None);
}

/// Storage coercion: numeric widening, strings never null.
#[test]
fn coercion() {
    assert!(matches!(coerce(&Value::Long(2), DataType::Real), Value::Real(f) if f == 2.0));
    assert_eq!(coerce(&Value::Null, DataType::String).as_str(), Some(""));
    assert!(coerce(&Value::Null, DataType::Long).is_null());
    assert!(matches!(coerce(&Value::Long(1), DataType::Dynamic), Value::Dynamic(_)));
}
