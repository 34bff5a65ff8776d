//! S2 cell functions over the `s2` crate: a point's cell token, a cell's
//! centre, corners and neighbors, and fixed-level coverings of polygons
//! (`geo_s2_cover.rs`). Tokens are the S2 hex tokens (`89c259`): the cell
//! id in hex without trailing zeros, at most 16 characters.

use s2::cell::Cell;
use s2::cellid::CellID;
use s2::latlng::LatLng;

use super::args::{Kind, check, long, real, sf, text};
use super::geo::{coords, point, polygon, string_array};
use super::geo_s2_cover::{MAX_CELLS, cover, cover_lines};
use super::geo_shapes::{json_arg, lines, polygons};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf(
        "geo_point_to_s2cell",
        &[],
        2,
        3,
        |t| check(t, &[Kind::Num, Kind::Num, Kind::Integer], DataType::String),
        to_s2cell,
    ),
    sf("geo_s2cell_to_central_point", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), center),
    sf("geo_s2cell_neighbors", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), neighbors),
    sf("geo_s2cell_to_polygon", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), to_polygon),
    sf(
        "geo_polygon_to_s2cells",
        &[],
        1,
        3,
        |t| check(t, &[Kind::Dyn, Kind::Integer, Kind::Num], DataType::Dynamic),
        polygon_to_s2cells,
    ),
    sf(
        "geo_line_to_s2cells",
        &[],
        1,
        3,
        |t| check(t, &[Kind::Dyn, Kind::Integer, Kind::Num], DataType::Dynamic),
        line_to_s2cells,
    ),
];

/// The deepest S2 level (leaf cells, about 1 cm).
const MAX_LEVEL: i64 = 30;

/// The cell of an S2 token: 1 to 16 hex digits naming a valid cell.
pub(super) fn parse_token(token: &str) -> Option<CellID> {
    if !(1..=16).contains(&token.len()) || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let id = CellID::from_token(token);
    id.is_valid().then_some(id)
}

/// The level argument `i` (default 11), when within 0..=30.
fn level(a: &[Value], i: usize) -> Option<u64> {
    let l = if a.len() > i { long(a, i)? } else { 11 };
    (0..=MAX_LEVEL).contains(&l).then_some(l as u64)
}

/// (longitude, latitude) in degrees of an S2 point.
pub(super) fn lon_lat(p: impl Into<LatLng>) -> (f64, f64) {
    let ll = p.into();
    (ll.lng.deg(), ll.lat.deg())
}

/// `geo_point_to_s2cell(lon, lat[, level = 11])`: the empty string for
/// invalid coordinates or levels.
fn to_s2cell(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(p), Some(level)) = (coords(a, 0), level(a, 2)) else { return Ok(Value::str("")) };
    let id = CellID::from(LatLng::from_degrees(p.y(), p.x())).parent(level);
    Ok(Value::str(&id.to_token()))
}

/// `geo_s2cell_to_central_point(token)`: the cell's centre as a GeoJSON point.
fn center(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    Ok(parse_token(&text(a, 0)).map_or(Value::Null, |id| {
        let (lon, lat) = lon_lat(id);
        point(lon, lat)
    }))
}

/// `geo_s2cell_neighbors(token)`: the cells of the same level that share an
/// edge or a corner, in S2's order (`AppendAllNeighbors`); a cell at a cube
/// corner has 7, each listed once.
fn neighbors(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(id) = parse_token(&text(a, 0)) else { return Ok(Value::Null) };
    let mut out: Vec<CellID> = Vec::with_capacity(8);
    for n in id.all_neighbors(id.level()) {
        if n != id && !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(string_array(out.into_iter().map(|n| n.to_token())))
}

/// `geo_s2cell_to_polygon(token)`: the cell's four corners, counterclockwise
/// (S2's vertex order), as a closed GeoJSON polygon.
fn to_polygon(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(id) = parse_token(&text(a, 0)) else { return Ok(Value::Null) };
    let ring: Vec<(f64, f64)> = Cell::from(id).vertices().into_iter().map(lon_lat).collect();
    Ok(polygon(&ring))
}

/// `geo_polygon_to_s2cells(polygon[, level = 11[, radius = 0]])`: the tokens
/// of every cell of `level` that meets the polygon (or comes within `radius`
/// meters of it), ordered by cell id; null for an invalid polygon, level or
/// radius, or when more than 65,536 cells would be needed.
fn polygon_to_s2cells(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(shape), Some((level, radius))) = (json_arg(a, 0).and_then(polygons), level_radius(a)) else {
        return Ok(Value::Null);
    };
    Ok(tokens(cover(&shape, level, radius, MAX_CELLS)))
}

/// `geo_line_to_s2cells(line[, level = 11[, radius = 0]])`: the tokens of
/// every cell of `level` that a (multi)line's geodesic edges pass through, or
/// that comes within `radius` meters of them, ordered by cell id; null as for
/// polygons.
fn line_to_s2cells(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(lines), Some((level, radius))) = (json_arg(a, 0).and_then(lines), level_radius(a)) else {
        return Ok(Value::Null);
    };
    Ok(tokens(cover_lines(&lines.0, level, radius, MAX_CELLS)))
}

/// The covering functions' `level` (argument 1, default 11) and `radius`
/// (argument 2, default 0, finite and not negative); `None` when either is
/// invalid.
fn level_radius(a: &[Value]) -> Option<(u64, f64)> {
    let radius = if a.len() > 2 { real(a, 2)? } else { 0.0 };
    (radius >= 0.0 && radius.is_finite()).then_some((level(a, 1)?, radius))
}

/// A covering's cells as tokens; null when there is none (too many cells).
fn tokens(ids: Option<Vec<CellID>>) -> Value {
    ids.map_or(Value::Null, |ids| string_array(ids.into_iter().map(|c| c.to_token())))
}
