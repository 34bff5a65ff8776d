//! H3 cell functions over `h3o`: a point's cell, a cell's centre, level,
//! parent, children, neighbors, rings and hexagon, and polygon coverings by
//! cell centroid (`h3o`'s tiler). Invalid cells, resolutions or distances
//! give null (or the empty string where the doc page says "empty result").

use h3o::{CellIndex, LatLng, Resolution};
use serde_json::Value as Json;

use super::args::{Kind, check, dynamic, long, real, sf, text};
use super::geo::{coords, point, polygon, string_array};
use super::geo_h3_cover::{MAX_CELLS, cover};
use super::geo_shapes::{json_arg, polygons};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
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
    sf("geo_h3cell_neighbors", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), neighbors),
    sf("geo_h3cell_rings", &[], 2, 2, |t| check(t, &[Kind::Text, Kind::Integer], DataType::Dynamic), rings),
    sf("geo_h3cell_to_polygon", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), to_polygon),
    sf(
        "geo_polygon_to_h3cells",
        &[],
        1,
        3,
        |t| check(t, &[Kind::Dyn, Kind::Integer, Kind::Num], DataType::Dynamic),
        polygon_to_h3cells,
    ),
];

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

/// `geo_h3cell_neighbors(cell)`: the cells at grid distance 1, in H3's
/// `gridDisk` order (six, or five around a pentagon).
fn neighbors(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(c) = cell(a) else { return Ok(Value::Null) };
    let disk: Vec<CellIndex> = c.grid_disk(1);
    Ok(string_array(disk.into_iter().filter(|&n| n != c).map(|n| n.to_string())))
}

/// The largest ring distance geo-h3cell-rings-function.md allows.
const MAX_RING: i64 = 142;

/// `geo_h3cell_rings(cell, distance)`: rings 0 (the cell) to `distance`, each
/// in H3's `gridDiskDistances` order; a cell lost to pentagon distortion is
/// absent.
fn rings(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(c), Some(k)) = (cell(a), long(a, 1).filter(|k| (0..=MAX_RING).contains(k))) else {
        return Ok(Value::Null);
    };
    let mut rings: Vec<Vec<Json>> = vec![Vec::new(); k as usize + 1];
    let disk: Vec<(CellIndex, u32)> = c.grid_disk_distances(k as u32);
    for (n, d) in disk {
        if let Some(ring) = rings.get_mut(d as usize) {
            ring.push(Json::from(n.to_string()));
        }
    }
    Ok(dynamic(Json::Array(rings.into_iter().map(Json::Array).collect())))
}

/// `geo_h3cell_to_polygon(cell)`: the cell boundary (H3's vertex order,
/// counterclockwise) as a closed GeoJSON polygon; edges are straight lines in
/// longitude/latitude, not geodesics.
fn to_polygon(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(c) = cell(a) else { return Ok(Value::Null) };
    let ring: Vec<(f64, f64)> = c.boundary().iter().map(|ll| (ll.lng(), ll.lat())).collect();
    Ok(polygon(&ring))
}

/// `geo_polygon_to_h3cells(polygon[, resolution = 6[, radius = 0]])`: the
/// cells whose centroid is inside the polygon, or within `radius` meters of
/// it; null for an invalid polygon, resolution or radius, or when more than
/// 61,680 cells would be needed.
fn polygon_to_h3cells(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let res = if a.len() > 1 { long(a, 1) } else { Some(6) };
    let res = res.and_then(|r| u8::try_from(r).ok()).and_then(|r| Resolution::try_from(r).ok());
    let radius = if a.len() > 2 { real(a, 2) } else { Some(0.0) };
    let (Some(shape), Some(res), Some(radius)) = (json_arg(a, 0).and_then(polygons), res, radius) else {
        return Ok(Value::Null);
    };
    if !(radius >= 0.0 && radius.is_finite()) {
        return Ok(Value::Null);
    }
    Ok(cover(&shape, res, radius, MAX_CELLS)
        .map_or(Value::Null, |cells| string_array(cells.into_iter().map(|c| c.to_string()))))
}
