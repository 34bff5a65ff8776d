//! Predicates on lines and polygons, decided by `geo` in the gnomonic plane
//! (where the great-circle edges are straight). Doc pages:
//! geo-point-in-polygon-function.md, geo-intersects-2lines-function.md,
//! geo-intersects-2polygons-function.md,
//! geo-intersects-line-with-polygon-function.md.

use geo::Intersects;

use super::super::FnCtx;
use super::geojson::{line_points, polygon_points};
use super::measures::{coord_arg, line_arg, polygon_arg, prepared_polygon, region_contains};
use super::planar::Frame;
use crate::data::Value;

/// A bool result, or null.
fn bool_or_null(b: Option<bool>) -> Result<Value, String> {
    Ok(b.map_or(Value::Null, Value::Bool))
}

/// `geo_point_in_polygon(lon, lat, polygon)`: whether the point is inside
/// (a polygon need not contain its boundary, so the interior decides).
pub fn point_in_polygon(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(c), Some(p)) = (coord_arg(a, 0), prepared_polygon(a, 2)) else { return Ok(Value::Null) };
    bool_or_null(Some(region_contains(&p, c)))
}

/// `geo_intersects_2lines(line1, line2)`.
pub fn intersects_2lines(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(l1), Some(l2)) = (line_arg(a, 0), line_arg(a, 1)) else { return Ok(Value::Null) };
    // Shapes that do not fit in one hemisphere are not supported (null).
    let hit = Frame::around(line_points(&l1).chain(line_points(&l2))).map(|f| f.lines(&l1).intersects(&f.lines(&l2)));
    bool_or_null(hit)
}

/// `geo_intersects_2polygons(polygon1, polygon2)`.
pub fn intersects_2polygons(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(p1), Some(p2)) = (polygon_arg(a, 0), polygon_arg(a, 1)) else { return Ok(Value::Null) };
    let hit = Frame::around(polygon_points(&p1).chain(polygon_points(&p2)))
        .map(|f| f.polygons(&p1).intersects(&f.polygons(&p2)));
    bool_or_null(hit)
}

/// `geo_intersects_line_with_polygon(line, polygon)`.
pub fn intersects_line_with_polygon(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(l), Some(p)) = (line_arg(a, 0), polygon_arg(a, 1)) else { return Ok(Value::Null) };
    let hit = Frame::around(line_points(&l).chain(polygon_points(&p))).map(|f| f.lines(&l).intersects(&f.polygons(&p)));
    bool_or_null(hit)
}
