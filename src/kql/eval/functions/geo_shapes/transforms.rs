//! Shape transforms: densify (planar edges to geodesics), simplify and
//! buffer. Doc pages: geo-line-densify-function.md,
//! geo-polygon-densify-function.md, geo-line-simplify-function.md,
//! geo-polygon-simplify-function.md, geo-simplify-polygons-array-function.md,
//! geo-line-buffer-function.md, geo-polygon-buffer-function.md.

use geo::algorithm::buffer::{BufferStyle, LineCap, LineJoin};
use geo::{Buffer, LineString, MultiLineString, MultiPolygon, Polygon, SimplifyIdx};

use super::super::FnCtx;
use super::super::args::{arg, dynamic, real};
use super::geojson::{line_points, lines_json, polygon_points, polygons_json};
use super::measures::{line_arg, polygon_arg};
use super::planar::Frame;
use super::setops::{merged, polygons_array};
use super::sphere::{RADIUS, angle, tessellate, to_v3};
use crate::data::Value;

/// The densified output's point limit (the doc's constraint).
const MAX_POINTS: usize = 10_485_760;

/// A tolerance argument `i` (default 10 m) within `range`, in meters.
fn tolerance(a: &[Value], i: usize, range: std::ops::RangeInclusive<f64>) -> Option<f64> {
    let t = if matches!(arg(a, i), Value::Null) && a.len() <= i { 10.0 } else { real(a, i)? };
    range.contains(&t).then_some(t)
}

/// The `preserve_crossing` argument `i` (default false).
fn preserve_crossing(a: &[Value], i: usize) -> Option<bool> {
    match arg(a, i) {
        Value::Null if a.len() <= i => Some(false),
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

/// A path densified edge by edge. An edge crossing the antimeridian is the
/// short way round; its new points keep longitudes past ±180 only with
/// `preserve_crossing`.
fn densify_path(l: &LineString, tol: f64, preserve: bool, budget: &mut usize) -> Option<LineString> {
    let mut out = vec![*l.0.first()?];
    for w in l.0.windows(2) {
        let (pa, mut pb) = (*out.last()?, w[1]);
        if pb.x - pa.x > 180.0 {
            pb.x -= 360.0;
        } else if pa.x - pb.x > 180.0 {
            pb.x += 360.0;
        }
        let start = out.len();
        if !tessellate(pa, pb, tol / RADIUS, &mut out, *budget) {
            return None;
        }
        if !preserve {
            for c in &mut out[start..] {
                c.x = wrap(c.x);
            }
        }
    }
    *budget = budget.checked_sub(out.len())?;
    Some(LineString::new(out))
}

/// A longitude brought back into [-180, 180].
fn wrap(x: f64) -> f64 {
    if x > 180.0 {
        x - 360.0
    } else if x < -180.0 {
        x + 360.0
    } else {
        x
    }
}

/// `geo_line_densify(line[, tolerance = 10[, preserve_crossing = false]])`.
pub fn line_densify(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(m), Some(tol), Some(keep)) = (line_arg(a, 0), tolerance(a, 1, 0.1..=10_000.0), preserve_crossing(a, 2))
    else {
        return Ok(Value::Null);
    };
    let mut budget = MAX_POINTS;
    let out: Option<Vec<_>> = m.0.iter().map(|l| densify_path(l, tol, keep, &mut budget)).collect();
    Ok(out.map_or(Value::Null, |ls| dynamic(lines_json(&MultiLineString::new(ls)))))
}

/// `geo_polygon_densify(polygon[, tolerance = 10[, preserve_crossing = false]])`.
pub fn polygon_densify(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(m), Some(tol), Some(keep)) =
        (polygon_arg(a, 0), tolerance(a, 1, 0.1..=10_000.0), preserve_crossing(a, 2))
    else {
        return Ok(Value::Null);
    };
    let mut budget = MAX_POINTS;
    let mut ring = |r: &LineString| densify_path(r, tol, keep, &mut budget);
    let out: Option<Vec<Polygon>> = m
        .0
        .iter()
        .map(|p| Some(Polygon::new(ring(p.exterior())?, p.interiors().iter().map(&mut ring).collect::<Option<_>>()?)))
        .collect();
    Ok(out.map_or(Value::Null, |ps| dynamic(polygons_json(&MultiPolygon::new(ps)))))
}

/// Whether a path has a vertex at least `tol` meters from its first one
/// (else simplification collapses it to a point).
fn spans(l: &LineString, tol: f64) -> bool {
    let Some(&first) = l.0.first() else { return false };
    let o = to_v3(first);
    l.0.iter().any(|&c| angle(o, to_v3(c)) * RADIUS >= tol)
}

/// A path simplified by Douglas–Peucker in the gnomonic plane (where the
/// distance to an edge is its distance on the sphere to first order): the
/// kept vertices are the input's own, unchanged.
fn simplify_path(frame: &Frame, l: &LineString, tol: f64) -> LineString {
    let planar = LineString::new(l.0.iter().map(|&c| frame.0.project(to_v3(c))).collect());
    LineString::new(planar.simplify_idx(tol / RADIUS).into_iter().map(|i| l.0[i]).collect())
}

/// Lines simplified: vertices within `tol` meters of the simplified edges
/// go. `None` when a line collapses to a point.
fn simplify_lines(m: &MultiLineString, tol: f64) -> Option<MultiLineString> {
    let frame = Frame::around(line_points(m))?;
    let out: Vec<LineString> = m.0.iter().map(|l| simplify_path(&frame, l, tol)).collect();
    out.iter().zip(&m.0).all(|(s, l)| s.0.len() >= 2 && spans(l, tol)).then(|| MultiLineString::new(out))
}

/// Polygons simplified like lines, rings in their input order; a hole that
/// collapses goes, a shell that collapses makes the result `None`.
fn simplify_polygons(m: &MultiPolygon, tol: f64) -> Option<MultiPolygon> {
    let frame = Frame::around(polygon_points(m))?;
    let ring = |r: &LineString| Some(simplify_path(&frame, r, tol)).filter(|s| s.0.len() >= 4 && spans(r, tol));
    let ps: Option<Vec<Polygon>> =
        m.0.iter()
            .map(|p| Some(Polygon::new(ring(p.exterior())?, p.interiors().iter().filter_map(ring).collect())))
            .collect();
    ps.map(MultiPolygon::new)
}

/// `geo_line_simplify(line[, tolerance = 10])`; tolerance in [0, 7,800,000] m.
pub fn line_simplify(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(m), Some(tol)) = (line_arg(a, 0), tolerance(a, 1, 0.0..=7_800_000.0)) else { return Ok(Value::Null) };
    Ok(simplify_lines(&m, tol).map_or(Value::Null, |s| dynamic(lines_json(&s))))
}

/// `geo_polygon_simplify(polygon[, tolerance = 10])`.
pub fn polygon_simplify(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(m), Some(tol)) = (polygon_arg(a, 0), tolerance(a, 1, 0.0..=7_800_000.0)) else {
        return Ok(Value::Null);
    };
    Ok(simplify_polygons(&m, tol).map_or(Value::Null, |s| dynamic(polygons_json(&s))))
}

/// `geo_simplify_polygons_array(polygons[, tolerance = 10])`: every polygon
/// simplified, then merged into one (Multi)Polygon.
pub fn simplify_polygons_array(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(m), Some(tol)) = (polygons_array(a), tolerance(a, 1, 0.0..=7_800_000.0)) else {
        return Ok(Value::Null);
    };
    let out = simplify_polygons(&m, tol).and_then(|s| merged(&s));
    Ok(out.map_or(Value::Null, |s| dynamic(polygons_json(&s))))
}

/// The buffer style for `radius` meters with arcs within `tol` meters of
/// the true circle, in the plane's radians.
fn style(radius: f64, tol: f64) -> BufferStyle<f64> {
    // A chord of a circle of radius r spanning angle θ sags r(1 − cos(θ/2)).
    let step = 2.0 * (1.0 - tol.min(radius * 0.999) / radius).acos();
    BufferStyle::new(radius / RADIUS).line_join(LineJoin::Round(step)).line_cap(LineCap::Round(step))
}

/// Buffer arguments `1` (radius, positive) and `2` (tolerance, default 10,
/// at least a millionth of the radius).
fn buffer_args(a: &[Value]) -> Option<(f64, f64)> {
    let r = real(a, 1).filter(|r| r.is_finite() && *r > 0.0)?;
    let t = tolerance(a, 2, 0.0..=f64::MAX).filter(|t| *t >= r * 1e-6)?;
    Some((r, t))
}

/// `geo_line_buffer(line, radius[, tolerance = 10])`.
pub fn line_buffer(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(m), Some((r, t))) = (line_arg(a, 0), buffer_args(a)) else { return Ok(Value::Null) };
    let Some(frame) = Frame::around(line_points(&m)) else { return Ok(Value::Null) };
    let out = frame.unpolygons(&frame.lines(&m).buffer_with_style(style(r, t)));
    Ok(dynamic(polygons_json(&out)))
}

/// `geo_polygon_buffer(polygon, radius[, tolerance = 10])`.
pub fn polygon_buffer(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(m), Some((r, t))) = (polygon_arg(a, 0), buffer_args(a)) else { return Ok(Value::Null) };
    let Some(frame) = Frame::around(polygon_points(&m)) else { return Ok(Value::Null) };
    let out = frame.unpolygons(&frame.polygons(&m).buffer_with_style(style(r, t)));
    Ok(dynamic(polygons_json(&out)))
}
