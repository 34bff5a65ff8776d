use super::*;

/// A result's text, `null` for `None`.
trait Text {
    fn text(self) -> String;
}

impl Text for Option<Decimal> {
    fn text(self) -> String {
        self.map_or_else(|| "null".into(), |d| d.to_string())
    }
}

fn d(s: &str) -> Decimal {
    Decimal::parse(s).unwrap_or_else(|| panic!("parse {s}"))
}

#[test]
fn parses_and_prints_plain_digits_without_trailing_zeros() {
    assert_eq!(d("1.50").to_string(), "1.5");
    assert_eq!(d("0.0").to_string(), "0");
    assert_eq!(d("-0.25").to_string(), "-0.25");
    assert_eq!(d("1e5").to_string(), "100000");
    assert_eq!(d("1.5E-3").to_string(), "0.0015");
    assert_eq!(d(" +7 ").to_string(), "7");
    assert_eq!(d(".5").to_string(), "0.5");
    for bad in ["", "abc", "NaN", "inf", "1e", "1.2.3", "0x10", "--1", "1e99999"] {
        assert_eq!(Decimal::parse(bad), None, "{bad}");
    }
}

#[test]
fn holds_38_significant_digits_and_no_more() {
    let max = "9".repeat(38);
    assert_eq!(d(&max).to_string(), max);
    assert_eq!(Decimal::parse(&"9".repeat(39)), None);
    assert_eq!(d("0.123456789012345678901234567890123456789").to_string(), "0.12345678901234567890123456789012345679");
    assert_eq!(d("1000000020000000300000004").to_string(), "1000000020000000300000004");
}

#[test]
fn a_real_converts_through_its_17_significant_digits() {
    assert_eq!(Decimal::from_f64(2.2).text(), "2.2000000000000002");
    assert_eq!(Decimal::from_f64(2.3).text(), "2.2999999999999998");
    assert_eq!(Decimal::from_f64(1.5).text(), "1.5");
    assert_eq!(Decimal::from_f64(0.0).text(), "0");
    assert_eq!(Decimal::from_f64(f64::NAN), None);
    assert_eq!(Decimal::from_f64(f64::INFINITY), None);
    assert_eq!(d("1.5").to_f64(), 1.5);
}

#[test]
fn arithmetic_is_exact_and_division_keeps_38_digits() {
    assert_eq!(d("0.1").checked_add(d("0.2")), Some(d("0.3")));
    assert_eq!(d("1.25").checked_sub(d("0.25")).text(), "1");
    assert_eq!(d("1.5").checked_mul(d("1.5")).text(), "2.25");
    assert_eq!(d("1").checked_div(d("3")).text(), format!("0.{}", "3".repeat(38)));
    assert_eq!(d("2").checked_div(d("3")).text(), format!("0.{}7", "6".repeat(37)));
    assert_eq!(d("1").checked_div(Decimal::ZERO), None);
    assert_eq!(d(&"9".repeat(38)).checked_add(d("1")), None);
    assert_eq!(d(&"9".repeat(20)).checked_mul(d(&"9".repeat(20))), None);
}

#[test]
fn modulo_is_never_negative() {
    assert_eq!(d("-7.5").rem_euclid(d("2")).text(), "0.5");
    assert_eq!(d("7.5").rem_euclid(d("-2")).text(), "1.5");
    assert_eq!(d("1").rem_euclid(Decimal::ZERO), None);
}

#[test]
fn rounding_floor_and_ceiling() {
    assert_eq!(d("2.5").round(0).text(), "3");
    assert_eq!(d("-2.5").round(0).text(), "-3");
    assert_eq!(d("1.2345").round(2).text(), "1.23");
    assert_eq!(d("1250").round(-2).text(), "1300");
    assert_eq!(d("-1.5").floor_to(d("1")).text(), "-2");
    assert_eq!(d("7.3").floor_to(d("2.5")).text(), "5");
    assert_eq!(d("1.2").ceiling().text(), "2");
    assert_eq!(d("1").floor_to(Decimal::ZERO), None);
}

#[test]
fn order_and_equality_ignore_the_written_scale() {
    assert_eq!(d("1.10"), d("1.1"));
    assert!(d("1.1") < d("1.25"));
    assert!(d("-3") < d("0.5"));
    assert_eq!(d("12.5").trunc_i64(), Some(12));
    assert_eq!(d("-12.5").trunc_i64(), Some(-12));
}

#[test]
fn a_value_holding_a_decimal_stays_small() {
    assert_eq!(std::mem::size_of::<Decimal>(), 20);
    assert_eq!(std::mem::size_of::<crate::data::Value>(), 24);
    assert_eq!(d("-12345678901234567890.5").to_string(), "-12345678901234567890.5");
}
