//! Units conversion: `convert_angle`, `convert_energy`, `convert_force`,
//! `convert_length`, `convert_mass`, `convert_speed`, `convert_temperature`,
//! `convert_volume` (convert-*-function.md). Each unit the pages list has its
//! size in one base unit of its family; a conversion goes through the base.
//! Kusto names the units as the UnitsNet library does; the sizes below are
//! the SI definitions of those units (written here from the standards, since
//! no Rust crate names units the way Kusto does). An unknown unit gives null.

use std::f64::consts::PI;

use super::ScalarFn;
use super::args::{Kind, check, real, sf, text};
use crate::data::{DataType, Value};

/// One unit: its name and its size in the family's base unit.
type Unit = (&'static str, f64);

const DEG_PER_RAD: f64 = 180.0 / PI;

/// Angles, in degrees. `Tilt` (the sine of the angle) is not linear: see [`angle`].
const ANGLE: &[Unit] = &[
    ("Arcminute", 1.0 / 60.0),
    ("Arcsecond", 1.0 / 3600.0),
    ("Centiradian", 1e-2 * DEG_PER_RAD),
    ("Deciradian", 1e-1 * DEG_PER_RAD),
    ("Degree", 1.0),
    ("Gradian", 0.9),
    ("Microdegree", 1e-6),
    ("Microradian", 1e-6 * DEG_PER_RAD),
    ("Millidegree", 1e-3),
    ("Milliradian", 1e-3 * DEG_PER_RAD),
    ("Nanodegree", 1e-9),
    ("Nanoradian", 1e-9 * DEG_PER_RAD),
    ("NatoMil", 360.0 / 6400.0),
    ("Radian", DEG_PER_RAD),
    ("Revolution", 360.0),
];

const BTU: f64 = 1055.05585262;
const EV: f64 = 1.602176565e-19;

/// Energy, in joules.
const ENERGY: &[Unit] = &[
    ("BritishThermalUnit", BTU),
    ("Calorie", 4.184),
    ("DecathermEc", 1.05505585262e9),
    ("DecathermImperial", 1.05505585257348e9),
    ("DecathermUs", 1.054804e9),
    ("ElectronVolt", EV),
    ("Erg", 1e-7),
    ("FootPound", 1.355817948),
    ("GigabritishThermalUnit", BTU * 1e9),
    ("GigaelectronVolt", EV * 1e9),
    ("Gigajoule", 1e9),
    ("GigawattDay", 86_400e9),
    ("GigawattHour", 3_600e9),
    ("HorsepowerHour", 2.6845195377e6),
    ("Joule", 1.0),
    ("KilobritishThermalUnit", BTU * 1e3),
    ("Kilocalorie", 4184.0),
    ("KiloelectronVolt", EV * 1e3),
    ("Kilojoule", 1e3),
    ("KilowattDay", 86_400e3),
    ("KilowattHour", 3_600e3),
    ("MegabritishThermalUnit", BTU * 1e6),
    ("Megacalorie", 4.184e6),
    ("MegaelectronVolt", EV * 1e6),
    ("Megajoule", 1e6),
    ("MegawattDay", 86_400e6),
    ("MegawattHour", 3_600e6),
    ("Millijoule", 1e-3),
    ("TeraelectronVolt", EV * 1e12),
    ("TerawattDay", 86_400e12),
    ("TerawattHour", 3_600e12),
    ("ThermEc", 1.05505585262e8),
    ("ThermImperial", 1.05505585257348e8),
    ("ThermUs", 1.054804e8),
    ("WattDay", 86_400.0),
    ("WattHour", 3_600.0),
];

/// Force, in newtons.
const FORCE: &[Unit] = &[
    ("Decanewton", 10.0),
    ("Dyn", 1e-5),
    ("KilogramForce", 9.80665),
    ("Kilonewton", 1e3),
    ("KiloPond", 9.80665),
    ("KilopoundForce", 4448.2216152605),
    ("Meganewton", 1e6),
    ("Micronewton", 1e-6),
    ("Millinewton", 1e-3),
    ("Newton", 1.0),
    ("OunceForce", 4.4482216152605 / 16.0),
    ("Poundal", 0.138254954376),
    ("PoundForce", 4.4482216152605),
    ("ShortTonForce", 8896.443230521),
    ("TonneForce", 9806.65),
];

const INCH: f64 = 0.0254;
const LIGHT_YEAR: f64 = 9.46073047258e15;
const PARSEC: f64 = 3.08567758128e16;
const US_SURVEY_FOOT: f64 = 1200.0 / 3937.0;

/// Length, in meters.
const LENGTH: &[Unit] = &[
    ("Angstrom", 1e-10),
    ("AstronomicalUnit", 1.4959787070e11),
    ("Centimeter", 1e-2),
    ("Chain", 20.1168),
    ("DataMile", 1828.8),
    ("Decameter", 10.0),
    ("Decimeter", 0.1),
    ("DtpPica", INCH / 6.0),
    ("DtpPoint", INCH / 72.0),
    ("Fathom", 1.8288),
    ("Foot", 0.3048),
    ("Hand", 0.1016),
    ("Hectometer", 100.0),
    ("Inch", INCH),
    ("KilolightYear", LIGHT_YEAR * 1e3),
    ("Kilometer", 1e3),
    ("Kiloparsec", PARSEC * 1e3),
    ("LightYear", LIGHT_YEAR),
    ("MegalightYear", LIGHT_YEAR * 1e6),
    ("Megaparsec", PARSEC * 1e6),
    ("Meter", 1.0),
    ("Microinch", INCH * 1e-6),
    ("Micrometer", 1e-6),
    ("Mil", INCH * 1e-3),
    ("Mile", 1609.344),
    ("Millimeter", 1e-3),
    ("Nanometer", 1e-9),
    ("NauticalMile", 1852.0),
    ("Parsec", PARSEC),
    ("PrinterPica", INCH * 12.0 / 72.27),
    ("PrinterPoint", INCH / 72.27),
    ("Shackle", 27.432),
    ("SolarRadius", 6.95510000e8),
    ("Twip", INCH / 1440.0),
    ("UsSurveyFoot", US_SURVEY_FOOT),
    ("Yard", 0.9144),
];

const POUND: f64 = 0.45359237;

/// Mass, in kilograms.
const MASS: &[Unit] = &[
    ("Centigram", 1e-5),
    ("Decagram", 1e-2),
    ("Decigram", 1e-4),
    ("EarthMass", 5.9722e24),
    ("Grain", 64.79891e-6),
    ("Gram", 1e-3),
    ("Hectogram", 0.1),
    ("Kilogram", 1.0),
    ("Kilopound", POUND * 1e3),
    ("Kilotonne", 1e6),
    ("LongHundredweight", POUND * 112.0),
    ("LongTon", POUND * 2240.0),
    ("Megapound", POUND * 1e6),
    ("Megatonne", 1e9),
    ("Microgram", 1e-9),
    ("Milligram", 1e-6),
    ("Nanogram", 1e-12),
    ("Ounce", POUND / 16.0),
    ("Pound", POUND),
    ("ShortHundredweight", POUND * 100.0),
    ("ShortTon", POUND * 2000.0),
    ("Slug", 14.593902937206364),
    ("SolarMass", 1.98947e30),
    ("Stone", POUND * 14.0),
    ("Tonne", 1e3),
];

/// Speed, in meters per second.
const SPEED: &[Unit] = &[
    ("CentimeterPerHour", 1e-2 / 3600.0),
    ("CentimeterPerMinute", 1e-2 / 60.0),
    ("CentimeterPerSecond", 1e-2),
    ("DecimeterPerMinute", 1e-1 / 60.0),
    ("DecimeterPerSecond", 1e-1),
    ("FootPerHour", 0.3048 / 3600.0),
    ("FootPerMinute", 0.3048 / 60.0),
    ("FootPerSecond", 0.3048),
    ("InchPerHour", INCH / 3600.0),
    ("InchPerMinute", INCH / 60.0),
    ("InchPerSecond", INCH),
    ("KilometerPerHour", 1e3 / 3600.0),
    ("KilometerPerMinute", 1e3 / 60.0),
    ("KilometerPerSecond", 1e3),
    ("Knot", 1852.0 / 3600.0),
    ("MeterPerHour", 1.0 / 3600.0),
    ("MeterPerMinute", 1.0 / 60.0),
    ("MeterPerSecond", 1.0),
    ("MicrometerPerMinute", 1e-6 / 60.0),
    ("MicrometerPerSecond", 1e-6),
    ("MilePerHour", 1609.344 / 3600.0),
    ("MillimeterPerHour", 1e-3 / 3600.0),
    ("MillimeterPerMinute", 1e-3 / 60.0),
    ("MillimeterPerSecond", 1e-3),
    ("NanometerPerMinute", 1e-9 / 60.0),
    ("NanometerPerSecond", 1e-9),
    ("UsSurveyFootPerHour", US_SURVEY_FOOT / 3600.0),
    ("UsSurveyFootPerMinute", US_SURVEY_FOOT / 60.0),
    ("UsSurveyFootPerSecond", US_SURVEY_FOOT),
    ("YardPerHour", 0.9144 / 3600.0),
    ("YardPerMinute", 0.9144 / 60.0),
    ("YardPerSecond", 0.9144),
];

const FT3: f64 = 0.028316846592;
const US_GALLON: f64 = 3.785411784e-3;
const IMP_GALLON: f64 = 4.54609e-3;

/// Volume, in cubic meters.
const VOLUME: &[Unit] = &[
    // Kusto's acre-foot is 1/0.000810714 m³ (the page's 0.0009728568 for 1.2 m³), not the exact 1233.48183754752.
    ("AcreFoot", 1.0 / 0.000810714),
    ("AuTablespoon", 2e-5),
    ("BoardFoot", FT3 / 12.0),
    ("Centiliter", 1e-5),
    ("CubicCentimeter", 1e-6),
    ("CubicDecimeter", 1e-3),
    ("CubicFoot", FT3),
    ("CubicHectometer", 1e6),
    ("CubicInch", 1.6387064e-5),
    ("CubicKilometer", 1e9),
    ("CubicMeter", 1.0),
    ("CubicMicrometer", 1e-18),
    ("CubicMile", 4.168_181_825_440_58e9),
    ("CubicMillimeter", 1e-9),
    ("CubicYard", 0.764554857984),
    ("Decaliter", 1e-2),
    ("DecausGallon", US_GALLON * 10.0),
    ("Deciliter", 1e-4),
    ("DeciusGallon", US_GALLON / 10.0),
    ("HectocubicFoot", FT3 * 100.0),
    ("HectocubicMeter", 100.0),
    ("Hectoliter", 0.1),
    ("HectousGallon", US_GALLON * 100.0),
    ("ImperialBeerBarrel", IMP_GALLON * 36.0),
    ("ImperialGallon", IMP_GALLON),
    ("ImperialOunce", IMP_GALLON / 160.0),
    ("ImperialPint", IMP_GALLON / 8.0),
    ("KilocubicFoot", FT3 * 1e3),
    ("KilocubicMeter", 1e3),
    ("KiloimperialGallon", IMP_GALLON * 1e3),
    ("Kiloliter", 1.0),
    ("KilousGallon", US_GALLON * 1e3),
    ("Liter", 1e-3),
    ("MegacubicFoot", FT3 * 1e6),
    ("MegaimperialGallon", IMP_GALLON * 1e6),
    ("Megaliter", 1e3),
    ("MegausGallon", US_GALLON * 1e6),
    ("MetricCup", 2.5e-4),
    ("MetricTeaspoon", 5e-6),
    ("Microliter", 1e-9),
    ("Milliliter", 1e-6),
    ("OilBarrel", US_GALLON * 42.0),
    ("UkTablespoon", 1.5e-5),
    ("UsBeerBarrel", US_GALLON * 31.0),
    ("UsCustomaryCup", US_GALLON / 16.0),
    ("UsGallon", US_GALLON),
    ("UsLegalCup", 2.4e-4),
    ("UsOunce", US_GALLON / 128.0),
    ("UsPint", US_GALLON / 8.0),
    ("UsQuart", US_GALLON / 4.0),
    ("UsTablespoon", US_GALLON / 256.0),
    ("UsTeaspoon", US_GALLON / 768.0),
];

/// The size of `name` in `units` (unit names compare case-insensitively).
fn size(units: &[Unit], name: &str) -> Option<f64> {
    units.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, s)| *s)
}

/// A linear conversion through the base unit; null for an unknown unit.
fn linear(units: &[Unit], a: &[Value]) -> Value {
    let (Some(v), Some(from), Some(to)) = (real(a, 0), size(units, &text(a, 1)), size(units, &text(a, 2))) else {
        return Value::Null;
    };
    Value::Real(tidy(v * from / to))
}

/// Rounds to 15 significant digits, the precision of the unit sizes, so a
/// conversion prints as Kusto's does (432000, not 431999.99999999994).
fn tidy(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{x:.14e}").parse().unwrap_or(x)
}

/// Angles: linear, except `Tilt`, the sine of the angle.
fn angle(a: &[Value]) -> Value {
    let tilt = |i: usize| text(a, i).eq_ignore_ascii_case("Tilt");
    let Some(v) = real(a, 0) else { return Value::Null };
    let degrees = if tilt(1) {
        v.asin().to_degrees()
    } else {
        match size(ANGLE, &text(a, 1)) {
            Some(s) => v * s,
            None => return Value::Null,
        }
    };
    if tilt(2) {
        return Value::Real(tidy(degrees.to_radians().sin()));
    }
    size(ANGLE, &text(a, 2)).map_or(Value::Null, |s| Value::Real(tidy(degrees / s)))
}

/// A temperature unit: kelvins from a value, and the value from kelvins.
type Scale = (&'static str, fn(f64) -> f64, fn(f64) -> f64);

const TEMPERATURE: &[Scale] = &[
    ("DegreeCelsius", |c| c + 273.15, |k| k - 273.15),
    ("DegreeDelisle", |d| 373.15 - d * 2.0 / 3.0, |k| (373.15 - k) * 1.5),
    ("DegreeFahrenheit", |f| (f + 459.67) * 5.0 / 9.0, |k| k * 9.0 / 5.0 - 459.67),
    ("DegreeNewton", |n| n * 100.0 / 33.0 + 273.15, |k| (k - 273.15) * 33.0 / 100.0),
    ("DegreeRankine", |r| r * 5.0 / 9.0, |k| k * 9.0 / 5.0),
    ("DegreeReaumur", |r| r * 5.0 / 4.0 + 273.15, |k| (k - 273.15) * 4.0 / 5.0),
    ("DegreeRoemer", |r| (r - 7.5) * 40.0 / 21.0 + 273.15, |k| (k - 273.15) * 21.0 / 40.0 + 7.5),
    ("Kelvin", |k| k, |k| k),
    ("MillidegreeCelsius", |m| m / 1000.0 + 273.15, |k| (k - 273.15) * 1000.0),
    ("SolarTemperature", |s| s * 5778.0, |k| k / 5778.0),
];

fn temperature(a: &[Value]) -> Value {
    let scale = |i: usize| {
        let name = text(a, i);
        TEMPERATURE.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(&name)).copied()
    };
    match (real(a, 0), scale(1), scale(2)) {
        (Some(v), Some((_, to_kelvin, _)), Some((_, _, from_kelvin))) => Value::Real(tidy(from_kelvin(to_kelvin(v)))),
        _ => Value::Null,
    }
}

fn ret(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Num, Kind::Text, Kind::Text], DataType::Real)
}

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("convert_angle", &[], 3, 3, ret, |a, _| Ok(angle(a))),
    sf("convert_energy", &[], 3, 3, ret, |a, _| Ok(linear(ENERGY, a))),
    sf("convert_force", &[], 3, 3, ret, |a, _| Ok(linear(FORCE, a))),
    sf("convert_length", &[], 3, 3, ret, |a, _| Ok(linear(LENGTH, a))),
    sf("convert_mass", &[], 3, 3, ret, |a, _| Ok(linear(MASS, a))),
    sf("convert_speed", &[], 3, 3, ret, |a, _| Ok(linear(SPEED, a))),
    sf("convert_temperature", &[], 3, 3, ret, |a, _| Ok(temperature(a))),
    sf("convert_volume", &[], 3, 3, ret, |a, _| Ok(linear(VOLUME, a))),
];
