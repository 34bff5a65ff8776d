//! Geohash cell functions over the `geohash` crate: a point's geohash, a
//! geohash's centre, rectangle and eight neighbors. Geohashes have 1 to 18
//! characters; invalid ones give null (or the empty string where the doc page
//! says "empty result").

use super::args::{Kind, check, long, sf, text};
use super::geo::{coords, point, polygon, string_array};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf(
        "geo_point_to_geohash",
        &[],
        2,
        3,
        |t| check(t, &[Kind::Num, Kind::Num, Kind::Integer], DataType::String),
        to_geohash,
    ),
    sf("geo_geohash_to_central_point", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), geohash_center),
    sf("geo_geohash_neighbors", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), neighbors),
    sf("geo_geohash_to_polygon", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), to_polygon),
];

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

/// The geohash in argument 0 when it has 1 to 18 valid characters.
fn valid(a: &[Value]) -> Option<String> {
    let h = text(a, 0);
    ((1..=18).contains(&h.len()) && geohash::decode_bbox(&h).is_ok()).then(|| h.into_owned())
}

/// The neighbor offsets (longitude, latitude steps) in the order of
/// geo-geohash-neighbors-function.md: `sunny` gives sunnt, sunpj, sunnx,
/// sunpn, sunnv, sunpp, sunnz, sunnw (SW, NW, SE, N, W, NE, E, S).
const ORDER: [(f64, f64); 8] =
    [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (0.0, 1.0), (-1.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, -1.0)];

/// `geo_geohash_neighbors(hash)`: the geohashes of the same length around
/// it. Longitude wraps at the antimeridian; there is nothing beyond a pole,
/// so a geohash on the top or bottom row has five neighbors.
fn neighbors(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(h) = valid(a) else { return Ok(Value::Null) };
    let Ok((c, w, ht)) = geohash::decode(&h) else { return Ok(Value::Null) };
    let mut out: Vec<String> = Vec::with_capacity(8);
    for (dx, dy) in ORDER {
        let lat = c.y + dy * 2.0 * ht;
        if !(-90.0..=90.0).contains(&lat) {
            continue;
        }
        let lon = (c.x + dx * 2.0 * w + 180.0).rem_euclid(360.0) - 180.0;
        if let Ok(n) = geohash::encode(geohash::Coord { x: lon, y: lat }, h.len())
            && n != h
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    Ok(string_array(out))
}

/// `geo_geohash_to_polygon(hash)`: the geohash rectangle, counterclockwise
/// from its south-west corner.
fn to_polygon(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(r) = valid(a).and_then(|h| geohash::decode_bbox(&h).ok()) else { return Ok(Value::Null) };
    let (lo, hi) = (r.min(), r.max());
    Ok(polygon(&[(lo.x, lo.y), (hi.x, lo.y), (hi.x, hi.y), (lo.x, hi.y)]))
}
