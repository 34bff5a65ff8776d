//! Measures of lines and polygons on Kusto's sphere: lengths, perimeters,
//! areas, centroids, distances, closest points, and positions along a line.
//! Doc pages: geo-line-length-function.md, geo-polygon-area-function.md,
//! geo-polygon-perimeter-function.md, geo-polygon-centroid-function.md,
//! geo-line-centroid-function.md, geo-distance-point-to-line-function.md,
//! geo-distance-point-to-polygon-function.md,
//! geo-closest-point-on-line-function.md,
//! geo-closest-point-on-polygon-function.md,
//! geo-line-interpolate-point-function.md, geo-line-locate-point-function.md.

use geo::{
    Contains, Coord, Distance, Geodesic, HaversineMeasure, Length, LineString, MultiLineString, MultiPolygon, Point,
};

use super::super::FnCtx;
use super::super::args::{arg, dynamic, real};
use std::cell::RefCell;
use std::rc::Rc;

use geo::Validation;
use std::sync::Arc;

use serde_json::Value as Json;

use super::geojson::{json_arg, lines, point_json, polygon_points, polygons, valid};
use super::planar::{Frame, rings};
use super::setops::merged;
use super::sphere::{
    RADIUS, V3, add, angle, closest_on_arc, norm, ring_area, ring_centroid, slerp, to_coord, to_v3, unit,
};
use crate::data::Value;

/// Haversine lengths on Kusto's sphere.
const SPHERE: HaversineMeasure = HaversineMeasure::new(RADIUS);

/// A valid coordinate from arguments `i` and `i + 1`.
pub fn coord_arg(a: &[Value], i: usize) -> Option<Coord> {
    let (x, y) = (real(a, i)?, real(a, i + 1)?);
    valid(x, y).then_some(Coord { x, y })
}

/// The line argument `i`.
pub fn line_arg(a: &[Value], i: usize) -> Option<MultiLineString> {
    lines(json_arg(a, i)?)
}

/// A validated polygon argument with its gnomonic frame and planar image.
pub struct Prepared {
    /// The polygons, in longitude/latitude.
    pub m: MultiPolygon,
    /// The frame about them.
    pub frame: Frame,
    /// Their image in the frame's plane.
    pub planar: MultiPolygon,
}

/// A cache slot: a polygon argument and what it prepared to.
type Slot = Option<(Arc<Json>, Option<Rc<Prepared>>)>;

thread_local! {
    /// The last polygon argument prepared, by identity: a query's constant
    /// polygon is one shared value, so per-row calls (`where
    /// geo_point_in_polygon(...)`) parse, validate and project it once.
    static LAST_POLYGON: RefCell<Slot> = const { RefCell::new(None) };
}

/// The polygon argument `i`, validated and projected.
pub fn prepared_polygon(a: &[Value], i: usize) -> Option<Rc<Prepared>> {
    let Value::Dynamic(j) = arg(a, i) else { return None };
    let hit = LAST_POLYGON.with(|c| c.borrow().as_ref().filter(|(k, _)| Arc::ptr_eq(k, j)).map(|(_, v)| v.clone()));
    if let Some(v) = hit {
        return v;
    }
    let v = valid_polygons(j).map(Rc::new);
    LAST_POLYGON.with(|c| *c.borrow_mut() = Some((Arc::clone(j), v.clone())));
    v
}

/// The polygon argument `i`, validated.
pub fn polygon_arg(a: &[Value], i: usize) -> Option<MultiPolygon> {
    prepared_polygon(a, i).map(|p| p.m.clone())
}

/// Polygons that follow the doc's rules beyond the GeoJSON shape: no ring
/// crosses itself or another ring, holes lie inside their shell (checked by
/// `geo` in the gnomonic plane, where edges are the great-circle arcs).
fn valid_polygons(j: &Json) -> Option<Prepared> {
    let m = polygons(j)?;
    let frame = Frame::around(polygon_points(&m))?;
    let planar = frame.polygons(&m);
    planar.0.iter().all(|p| p.is_valid()).then_some(Prepared { m, frame, planar })
}

/// A real result, or null.
fn real_or_null(v: Option<f64>) -> Result<Value, String> {
    Ok(v.map_or(Value::Null, Value::Real))
}

/// A point result, or null.
fn point_or_null(c: Option<Coord>) -> Result<Value, String> {
    Ok(c.map_or(Value::Null, |c| dynamic(point_json(c))))
}

/// `geo_line_length(line)`: meters along the great-circle edges.
pub fn line_length(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    real_or_null(line_arg(a, 0).map(|m| SPHERE.length(&m)))
}

/// The polygons as one region: a MultiPolygon's members unioned (Kusto
/// measures the area they cover, counting overlaps once).
fn region(m: MultiPolygon) -> Option<MultiPolygon> {
    if m.0.len() == 1 { Some(m) } else { merged(&m) }
}

/// `geo_polygon_perimeter(polygon)`: meters around every ring of the region.
pub fn polygon_perimeter(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let r = polygon_arg(a, 0).and_then(region);
    real_or_null(r.map(|m| m.0.iter().flat_map(rings).map(|r| SPHERE.length(r)).sum()))
}

/// Unit vectors of a ring.
fn ring_v3(r: &LineString) -> Vec<V3> {
    r.0.iter().map(|&c| to_v3(c)).collect()
}

/// `geo_polygon_area(polygon)`: square meters. Each ring bounds the smaller
/// of the two regions it divides the sphere into, so its orientation does
/// not matter: shells add, holes subtract.
pub fn polygon_area(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let r = polygon_arg(a, 0).and_then(region);
    real_or_null(r.map(|m| {
        let steradians: f64 =
            m.0.iter()
                .map(|p| {
                    let hole: f64 = p.interiors().iter().map(|h| ring_area(&ring_v3(h)).abs()).sum();
                    ring_area(&ring_v3(p.exterior())).abs() - hole
                })
                .sum();
        steradians * RADIUS * RADIUS
    }))
}

/// `geo_polygon_centroid(polygon)`: the centre of mass of the region's
/// surface, projected on the sphere.
pub fn polygon_centroid(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(m) = polygon_arg(a, 0) else { return Ok(Value::Null) };
    let Some(frame) = Frame::around(polygon_points(&m)) else { return Ok(Value::Null) };
    // Oriented (shells counter-clockwise) for the signed centroid integral.
    let Some(r) = (if m.0.len() == 1 { Some(frame.unpolygons(&frame.polygons(&m))) } else { merged(&m) }) else {
        return Ok(Value::Null);
    };
    let sum = r.0.iter().flat_map(rings).fold([0.0; 3], |s, ring| add(s, ring_centroid(&ring_v3(ring)), 1.0));
    point_or_null((norm(sum) > 0.0).then(|| to_coord(unit(sum))))
}

/// `geo_line_centroid(line)`: the length-weighted mean of the edges'
/// midpoints on the sphere.
pub fn line_centroid(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(m) = line_arg(a, 0) else { return Ok(Value::Null) };
    let sum = m.0.iter().flat_map(|l| l.0.windows(2)).fold([0.0; 3], |s, w| {
        let (p, q) = (to_v3(w[0]), to_v3(w[1]));
        let mid = add(p, q, 1.0);
        if norm(mid) == 0.0 { s } else { add(s, unit(mid), angle(p, q)) }
    });
    let first = m.0.first().and_then(|l| l.0.first()).copied();
    // A line of one repeated point has no length: its centroid is that point.
    point_or_null(if norm(sum) > 0.0 { Some(to_coord(unit(sum))) } else { first })
}

/// The point of the lines closest to `p`, and its angular distance.
fn closest_on_lines<'a>(p: V3, lines: impl Iterator<Item = &'a LineString>) -> Option<(V3, f64)> {
    let mut best: Option<(V3, f64)> = None;
    for l in lines {
        for w in l.0.windows(2) {
            let q = closest_on_arc(p, to_v3(w[0]), to_v3(w[1]));
            let d = angle(p, q);
            if best.is_none_or(|(_, b)| d < b) {
                best = Some((q, d));
            }
        }
    }
    best
}

/// Whether the prepared region contains `c` (interior, as Kusto's polygons
/// need not contain their boundary; a point too far away to project is not
/// in it).
pub fn region_contains(p: &Prepared, c: Coord) -> bool {
    p.frame.coord(c).is_some_and(|q| p.planar.contains(&q))
}

/// The closest point (and distance) of the polygon argument to the point argument.
fn closest_on_polygon(a: &[Value]) -> Option<(Coord, f64)> {
    let (c, p) = (coord_arg(a, 0)?, prepared_polygon(a, 2)?);
    if region_contains(&p, c) {
        return Some((c, 0.0));
    }
    let (q, d) = closest_on_lines(to_v3(c), p.m.0.iter().flat_map(rings))?;
    Some((to_coord(q), d * RADIUS))
}

/// The closest point (and distance) of the line argument to the point argument.
fn closest_on_line(a: &[Value]) -> Option<(Coord, f64)> {
    let (c, m) = (coord_arg(a, 0)?, line_arg(a, 2)?);
    let (q, d) = closest_on_lines(to_v3(c), m.0.iter())?;
    // The input point itself when it lies on the line, not its round trip.
    Some((if d == 0.0 { c } else { to_coord(q) }, d * RADIUS))
}

/// `geo_distance_point_to_line(lon, lat, line)`: meters.
pub fn distance_to_line(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    real_or_null(closest_on_line(a).map(|(_, d)| d))
}

/// `geo_closest_point_on_line(lon, lat, line)`.
pub fn closest_point_on_line(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    point_or_null(closest_on_line(a).map(|(c, _)| c))
}

/// `geo_distance_point_to_polygon(lon, lat, polygon)`: meters, 0 inside.
pub fn distance_to_polygon(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    real_or_null(closest_on_polygon(a).map(|(_, d)| d))
}

/// `geo_closest_point_on_polygon(lon, lat, polygon)`: the point itself inside.
pub fn closest_point_on_polygon(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    point_or_null(closest_on_polygon(a).map(|(c, _)| c))
}

/// A single LineString argument (these two functions take no MultiLineString).
fn single_line(a: &[Value]) -> Option<Vec<V3>> {
    let m = line_arg(a, 0)?;
    match m.0.as_slice() {
        [l] => Some(l.0.iter().map(|&c| to_v3(c)).collect()),
        _ => None,
    }
}

/// `geo_line_interpolate_point(line, fraction)`: the point at that fraction
/// of the line's length; fraction in [0, 1].
pub fn interpolate_point(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(pts), Some(f)) = (single_line(a), real(a, 1)) else { return Ok(Value::Null) };
    if !(0.0..=1.0).contains(&f) {
        return Ok(Value::Null);
    }
    // The ends are the input's own vertices, not their round trip.
    let ends = line_arg(a, 0).and_then(|m| Some((*m.0.first()?.0.first()?, *m.0.first()?.0.last()?)));
    if let Some((first, last)) = ends.filter(|_| f == 0.0 || f == 1.0) {
        return point_or_null(Some(if f == 0.0 { first } else { last }));
    }
    let total: f64 = pts.windows(2).map(|w| angle(w[0], w[1])).sum();
    let mut left = f * total;
    for w in pts.windows(2) {
        let len = angle(w[0], w[1]);
        if left <= len && len > 0.0 {
            return point_or_null(Some(to_coord(slerp(w[0], w[1], left / len))));
        }
        left -= len;
    }
    point_or_null(pts.last().map(|&p| to_coord(p)))
}

/// `geo_line_locate_point(line, lon, lat[, use_spheroid])`: the fraction of
/// the line's length before its point closest to (lon, lat), lengths on the
/// sphere, or on the WGS-84 ellipsoid (Karney's geodesics) with `true`.
pub fn locate_point(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(pts), Some(c)) = (single_line(a), coord_arg(a, 1)) else { return Ok(Value::Null) };
    let spheroid = match arg(a, 3) {
        Value::Null => false,
        Value::Bool(b) => *b,
        _ => return Ok(Value::Null),
    };
    let length = |u: V3, v: V3| {
        if spheroid { Geodesic.distance(Point(to_coord(u)), Point(to_coord(v))) } else { angle(u, v) }
    };
    let p = to_v3(c);
    let (mut best, mut before, mut walked) = (f64::INFINITY, 0.0, 0.0);
    for w in pts.windows(2) {
        let q = closest_on_arc(p, w[0], w[1]);
        let d = angle(p, q);
        if d < best {
            (best, before) = (d, walked + length(w[0], q));
        }
        walked += length(w[0], w[1]);
    }
    real_or_null((walked > 0.0).then(|| before / walked))
}
