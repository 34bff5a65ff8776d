//! Geospatial functions over well-kept crates: distances and circles with
//! `geo`, geohash cells with `geohash`, H3 cells with `h3o`. Coordinates are
//! longitude then latitude in degrees (WGS-84); invalid coordinates, cells
//! or resolutions give null (or the empty string where the doc page says
//! "empty result").

use geo::{Distance, Geodesic, HaversineMeasure, Point};
use h3o::{CellIndex, LatLng, Resolution};
use serde_json::{Map, Value as Json};

use super::args::{Kind, arg, check, dynamic, long, real, sf, text};
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
    sf(
        "geo_point_to_geohash",
        &[],
        2,
        3,
        |t| check(t, &[Kind::Num, Kind::Num, Kind::Integer], DataType::String),
        to_geohash,
    ),
    sf("geo_geohash_to_central_point", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), geohash_center),
    sf(
        "geo_point_to_h3cell",
        &[],
        2,
        3,
        |t| check(t, &[Kind::Num, Kind::Num, Kind::Integer], DataType::String),
        to_h3cell,
    ),
    sf(
        "geo_h3cell_to_central_point",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::Dynamic),
        |a, _| Ok(cell(a).map_or(Value::Null, |c| point(LatLng::from(c).lng(), LatLng::from(c).lat()))),
    ),
    sf(
        "geo_h3cell_level",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::Int),
        |a, _| Ok(cell(a).map_or(Value::Null, |c| Value::Int(i32::from(u8::from(c.resolution()))))),
    ),
    sf("geo_h3cell_parent", &[], 1, 2, |t| check(t, &[Kind::Text, Kind::Integer], DataType::String), parent),
    sf("geo_h3cell_children", &[], 1, 2, |t| check(t, &[Kind::Text, Kind::Integer], DataType::Dynamic), children),
];

/// The sphere of Kusto's spherical distances: radius 6,371,010 m (the
/// documented Seattle–Los Angeles distance, 1546754.35197381 m, is the
/// haversine distance on this sphere; GRS80's mean radius gives 1546754.06).
const SPHERE: HaversineMeasure = HaversineMeasure::new(6_371_010.0);

/// A valid (longitude, latitude) from arguments `i` and `i + 1`.
fn coords(a: &[Value], i: usize) -> Option<Point> {
    let (lon, lat) = (real(a, i)?, real(a, i + 1)?);
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then(|| Point::new(lon, lat))
}

/// A GeoJSON point.
fn point(lon: f64, lat: f64) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), Json::from("Point"));
    m.insert("coordinates".into(), Json::Array(vec![Json::from(lon), Json::from(lat)]));
    dynamic(Json::Object(m))
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

/// `geo_point_to_geohash(lon, lat[, accuracy = 5])`; accuracy 1..18.
fn to_geohash(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let acc = if a.len() > 2 { long(a, 2) } else { Some(5) };
    let (Some(p), Some(acc)) = (coords(a, 0), acc.filter(|n| (1..=18).contains(n))) else {
        return Ok(Value::str(""));
    };
    Ok(Value::str(&geohash::encode(p.0, acc as usize).unwrap_or_default()))
}

/// `geo_geohash_to_central_point(hash)`: the centre of a 1..18-character geohash.
fn geohash_center(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let h = text(a, 0);
    if !(1..=18).contains(&h.len()) {
        return Ok(Value::Null);
    }
    Ok(geohash::decode(&h).map_or(Value::Null, |(c, _, _)| point(c.x, c.y)))
}

/// `geo_point_to_h3cell(lon, lat[, resolution = 6])`; resolution 0..15.
fn to_h3cell(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let res = if a.len() > 2 { long(a, 2) } else { Some(6) };
    let res = res.and_then(|r| u8::try_from(r).ok()).and_then(|r| Resolution::try_from(r).ok());
    let (Some(p), Some(res)) = (coords(a, 0), res) else { return Ok(Value::str("")) };
    Ok(LatLng::new(p.y(), p.x()).map_or(Value::str(""), |ll| Value::str(&ll.to_cell(res).to_string())))
}

/// The H3 cell token in argument 0.
fn cell(a: &[Value]) -> Option<CellIndex> {
    text(a, 0).parse::<CellIndex>().ok()
}

/// A resolution argument `i`, or one level from `cell`'s (`step` ±1) when absent.
fn resolution(a: &[Value], i: usize, c: CellIndex, step: i64) -> Option<Resolution> {
    let r = if a.len() > i { long(a, i)? } else { i64::from(u8::from(c.resolution())) + step };
    Resolution::try_from(u8::try_from(r).ok()?).ok()
}

/// `geo_h3cell_parent(cell[, resolution])`: the parent one level up by default.
fn parent(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let p = cell(a).and_then(|c| c.parent(resolution(a, 1, c, -1)?));
    Ok(Value::str(&p.map(|p| p.to_string()).unwrap_or_default()))
}

/// `geo_h3cell_children(cell[, resolution])`: the children one level down by
/// default, at most 5 levels down (the doc's limit).
fn children(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(c) = cell(a) else { return Ok(Value::Null) };
    let Some(res) = resolution(a, 1, c, 1) else { return Ok(Value::Null) };
    let depth = i32::from(u8::from(res)) - i32::from(u8::from(c.resolution()));
    if !(0..=5).contains(&depth) {
        return Ok(Value::Null);
    }
    Ok(dynamic(Json::Array(c.children(res).map(|k| Json::from(k.to_string())).collect())))
}
