//! Geospatial point functions on Kusto's spherical Earth: distances (with
//! `geo`), circles, azimuths, angles and point buffers, and the GeoJSON
//! helpers the cell modules (`geo_s2`, `geo_h3`, `geo_geohash`) share.
//! Coordinates are longitude then latitude in degrees (WGS-84); invalid
//! coordinates give null.

use geo::{Distance, Geodesic, HaversineMeasure, Point};
use serde_json::{Map, Value as Json};

use super::args::{Kind, arg, check, dynamic, real, sf};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf(
        "geo_distance_2points",
        &[],
        4,
        5,
        |t| check(t, &[Kind::Num, Kind::Num, Kind::Num, Kind::Num, Kind::Bool], DataType::Real),
        distance,
    ),
    sf("geo_point_in_circle", &[], 5, 5, |t| check(t, &[Kind::Num], DataType::Bool), in_circle),
    sf("geo_azimuth", &[], 4, 4, |t| check(t, &[Kind::Num], DataType::Real), azimuth),
    sf("geo_angle", &[], 6, 6, |t| check(t, &[Kind::Num], DataType::Real), angle),
    sf("geo_point_buffer", &[], 3, 4, |t| check(t, &[Kind::Num], DataType::Dynamic), buffer),
];

/// The sphere of Kusto's spherical distances: radius 6,371,010 m (the
/// documented Seattle–Los Angeles distance, 1546754.35197381 m, is the
/// haversine distance on this sphere; GRS80's mean radius gives 1546754.06).
const SPHERE: HaversineMeasure = HaversineMeasure::new(EARTH_RADIUS);

/// The radius in meters of Kusto's spherical Earth (see [`SPHERE`]).
pub(crate) const EARTH_RADIUS: f64 = 6_371_010.0;

/// A valid (longitude, latitude) from arguments `i` and `i + 1`.
pub(super) fn coords(a: &[Value], i: usize) -> Option<Point> {
    let (lon, lat) = (real(a, i)?, real(a, i + 1)?);
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then(|| Point::new(lon, lat))
}

/// A GeoJSON point.
pub(super) fn point(lon: f64, lat: f64) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), Json::from("Point"));
    m.insert("coordinates".into(), Json::Array(vec![Json::from(lon), Json::from(lat)]));
    dynamic(Json::Object(m))
}

/// A GeoJSON polygon of one ring of (longitude, latitude) vertices, closed
/// here by repeating the first vertex as RFC 7946 requires.
pub(super) fn polygon(ring: &[(f64, f64)]) -> Value {
    let mut coords: Vec<Json> = ring.iter().map(|&(x, y)| Json::Array(vec![Json::from(x), Json::from(y)])).collect();
    if let Some(first) = coords.first().cloned() {
        coords.push(first);
    }
    let mut m = Map::new();
    m.insert("type".into(), Json::from("Polygon"));
    m.insert("coordinates".into(), Json::Array(vec![Json::Array(coords)]));
    dynamic(Json::Object(m))
}

/// A dynamic array of strings.
pub(super) fn string_array(items: impl IntoIterator<Item = String>) -> Value {
    dynamic(Json::Array(items.into_iter().map(Json::from).collect()))
}

/// `geo_distance_2points(lon1, lat1, lon2, lat2[, use_spheroid])`: meters on
/// the sphere, or on the WGS-84 ellipsoid (Karney's geodesic) with `true`.
fn distance(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(p), Some(q)) = (coords(a, 0), coords(a, 2)) else { return Ok(Value::Null) };
    Ok(Value::Real(match arg(a, 4) {
        Value::Bool(true) => Geodesic.distance(p, q),
        _ => SPHERE.distance(p, q),
    }))
}

/// `geo_point_in_circle(lon, lat, center_lon, center_lat, radius)`: a
/// spherical cap; null for invalid coordinates or a radius that is not positive.
fn in_circle(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(p), Some(c), Some(r)) = (coords(a, 0), coords(a, 2), real(a, 4)) else { return Ok(Value::Null) };
    if r.is_nan() || r <= 0.0 {
        return Ok(Value::Null);
    }
    Ok(Value::Bool(SPHERE.distance(p, c) <= r))
}

/// The initial bearing (radians, clockwise from north, in [0, 2π)) of the
/// great circle from `p` to `q`; `None` for equal or antipodal points, where
/// no direction is defined.
fn bearing(p: Point, q: Point) -> Option<f64> {
    let (l1, f1, l2, f2) = (p.x().to_radians(), p.y().to_radians(), q.x().to_radians(), q.y().to_radians());
    let d = l2 - l1;
    let (y, x) = (d.sin() * f2.cos(), f1.cos() * f2.sin() - f1.sin() * f2.cos() * d.cos());
    // Equal points give y = x = 0; antipodal ones too (up to rounding, hence
    // the check on the central angle).
    let central = (f1.sin() * f2.sin() + f1.cos() * f2.cos() * d.cos()).clamp(-1.0, 1.0).acos();
    if p == q || central < 1e-15 || std::f64::consts::PI - central < 1e-12 {
        return None;
    }
    Some(y.atan2(x).rem_euclid(std::f64::consts::TAU))
}

/// `geo_azimuth(lon1, lat1, lon2, lat2)`: the direction of the geodesic from
/// point 1 to point 2, radians clockwise from true north.
fn azimuth(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(p), Some(q)) = (coords(a, 0), coords(a, 2)) else { return Ok(Value::Null) };
    Ok(bearing(p, q).map_or(Value::Null, Value::Real))
}

/// `geo_angle(p1, p2, p3)`: the angle at p2, clockwise from line [p2, p1] to
/// line [p2, p3], in [0, 2π).
fn angle(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(p1), Some(p2), Some(p3)) = (coords(a, 0), coords(a, 2), coords(a, 4)) else { return Ok(Value::Null) };
    let (Some(b1), Some(b3)) = (bearing(p2, p1), bearing(p2, p3)) else { return Ok(Value::Null) };
    Ok(Value::Real((b3 - b1).rem_euclid(std::f64::consts::TAU)))
}

/// `geo_point_buffer(lon, lat, radius[, tolerance = 10])`: a polygon whose
/// vertices lie on the circle of `radius` meters, with enough of them that
/// no edge strays more than `tolerance` meters inside the circle. Null for a
/// radius that is not positive, or that reaches a quarter of the way round
/// the Earth (the ring would enclose more than a hemisphere, which a Kusto
/// polygon cannot express), and for a tolerance below 0.0001 % of the
/// radius; a tolerance above the radius is lowered to just below it.
fn buffer(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let tol = if a.len() > 3 { real(a, 3) } else { Some(10.0) };
    let (Some(c), Some(r), Some(tol)) = (coords(a, 0), real(a, 2), tol) else { return Ok(Value::Null) };
    let delta = r / EARTH_RADIUS;
    if !(r > 0.0 && delta < std::f64::consts::FRAC_PI_2 && tol.is_finite() && tol >= r * 1e-6) {
        return Ok(Value::Null);
    }
    let tol = tol.min(r * (1.0 - 1e-9));
    // An edge of a regular n-gon inscribed in the circle comes within
    // r·cos(π/n) of the centre.
    let n = (std::f64::consts::PI / (1.0 - tol / r).acos()).ceil().max(4.0) as usize;
    let (lon, lat) = (c.x().to_radians(), c.y().to_radians());
    let ring: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            // Counterclockwise: bearings decrease from north.
            let th = -(i as f64) * std::f64::consts::TAU / n as f64;
            let f2 = (lat.sin() * delta.cos() + lat.cos() * delta.sin() * th.cos()).clamp(-1.0, 1.0).asin();
            let l2 = lon + (th.sin() * delta.sin() * lat.cos()).atan2(delta.cos() - lat.sin() * f2.sin());
            let l2 = (l2 + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU) - std::f64::consts::PI;
            (l2.to_degrees(), f2.to_degrees())
        })
        .collect();
    Ok(polygon(&ring))
}
