//! Set operations on lines and polygons: intersections and unions, computed
//! by `geo` (i_overlay) in the gnomonic plane so that edges stay great-circle
//! arcs. Doc pages: geo-intersection-2lines-function.md,
//! geo-intersection-2polygons-function.md,
//! geo-intersection-line-with-polygon-function.md,
//! geo-union-lines-array-function.md, geo-union-polygons-array-function.md.

use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{
    BooleanOps, BoundingRect, Coord, Distance, Euclidean, Line, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon, unary_union,
};
use serde_json::Value as Json;

use super::super::FnCtx;
use super::super::args::arg;
use super::super::args::dynamic;
use super::geojson::{collection, line_points, lines, lines_json, polygon_points, polygons, polygons_json};
use super::measures::{line_arg, polygon_arg};
use super::planar::{Frame, rings};
use super::refine::Inputs;
use crate::data::Value;

/// The members of a MultiPolygon unioned on the sphere (shells
/// counter-clockwise, holes clockwise); `None` past a hemisphere.
pub fn merged(m: &MultiPolygon) -> Option<MultiPolygon> {
    let frame = Frame::around(polygon_points(m))?;
    let planar = frame.polygons(m);
    let inputs = Inputs::new(frame, m.0.iter().flat_map(rings));
    Some(inputs.polygons(&unary_union(planar.0.iter())))
}

/// The edges of lines as planar segments.
fn segments<'a>(ls: impl Iterator<Item = &'a LineString>) -> Vec<Line> {
    ls.flat_map(|l| l.lines()).filter(|s| s.start != s.end).collect()
}

/// The overlap of two segments that lie on one line to within `eps` (the
/// projection of collinear sphere points is collinear only to rounding), in
/// the direction of `s`; `None` when they are not collinear.
fn collinear_overlap(s: Line, t: Line, eps: f64) -> Option<Option<Line>> {
    let d = s.delta();
    let len = d.x.hypot(d.y);
    let off = |c: Coord| ((c.x - s.start.x) * d.y - (c.y - s.start.y) * d.x).abs() / len;
    if len == 0.0 || off(t.start) > eps || off(t.end) > eps {
        return None;
    }
    let at = |c: Coord| ((c.x - s.start.x) * d.x + (c.y - s.start.y) * d.y) / (len * len);
    let (u, v) = (at(t.start), at(t.end));
    let (lo, hi) = (u.min(v).max(0.0), u.max(v).min(1.0));
    let point = |f: f64| {
        if f <= 0.0 {
            s.start
        } else if f >= 1.0 {
            s.end
        } else {
            s.start + d * f
        }
    };
    Some(((hi - lo) * len > eps).then(|| Line::new(point(lo), point(hi))))
}

/// Where two sets of planar segments meet: crossing or touching points, and
/// overlapping pieces (each in the direction of its segment in `a`).
fn meets(a: &[Line], b: &[Line], eps: f64) -> (Vec<Coord>, Vec<Line>) {
    let (mut points, mut overlaps) = (Vec::new(), Vec::new());
    for s in a {
        let sb = s.bounding_rect();
        for t in b {
            let tb = t.bounding_rect();
            if sb.max().x + eps < tb.min().x
                || tb.max().x + eps < sb.min().x
                || sb.max().y + eps < tb.min().y
                || tb.max().y + eps < sb.min().y
            {
                continue;
            }
            if let Some(o) = collinear_overlap(*s, *t, eps) {
                overlaps.extend(o);
                continue;
            }
            match line_intersection(*s, *t) {
                Some(LineIntersection::SinglePoint { intersection, .. }) => points.push(intersection),
                Some(LineIntersection::Collinear { intersection: o }) => {
                    let (d, e) = (s.delta(), o.delta());
                    let forward = d.x * e.x + d.y * e.y >= 0.0;
                    overlaps.push(if forward { o } else { Line::new(o.end, o.start) });
                }
                None => {}
            }
        }
    }
    (points, overlaps)
}

/// Chains segments into lines: identical segments (either direction) once,
/// consecutive segments joined where exactly two meet end to end. Used for
/// unions of lines and the overlapping parts of intersections.
pub fn stitch(segs: &[Line]) -> MultiLineString {
    let key = |c: Coord| (c.x.to_bits(), c.y.to_bits());
    let mut unique: Vec<Line> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in segs {
        let (a, b) = (key(s.start), key(s.end));
        if a != b && seen.insert(if a <= b { (a, b) } else { (b, a) }) {
            unique.push(*s);
        }
    }
    let mut degree: std::collections::HashMap<(u64, u64), usize> = std::collections::HashMap::new();
    for s in &unique {
        *degree.entry(key(s.start)).or_default() += 1;
        *degree.entry(key(s.end)).or_default() += 1;
    }
    let mut used = vec![false; unique.len()];
    let mut out = Vec::new();
    for i in 0..unique.len() {
        if used[i] {
            continue;
        }
        used[i] = true;
        let mut chain = vec![unique[i].start, unique[i].end];
        // Extend at the end, then at the start, through vertices of degree two.
        for forward in [true, false] {
            loop {
                let end = if forward { chain[chain.len() - 1] } else { chain[0] };
                if degree.get(&key(end)) != Some(&2) || chain.first() == chain.last() {
                    break;
                }
                let next = (0..unique.len())
                    .find(|&j| !used[j] && (key(unique[j].start) == key(end) || key(unique[j].end) == key(end)));
                let Some(j) = next else { break };
                used[j] = true;
                let s = unique[j];
                let other = if key(s.start) == key(end) { s.end } else { s.start };
                if forward { chain.push(other) } else { chain.insert(0, other) }
            }
        }
        out.push(LineString::new(chain));
    }
    MultiLineString::new(out)
}

/// Distinct points not within `eps` of the lines or the polygons.
fn isolated(points: Vec<Coord>, lines: &MultiLineString, area: &MultiPolygon, eps: f64) -> Vec<Coord> {
    let mut out: Vec<Coord> = Vec::new();
    for c in points {
        let p = Point(c);
        let near_line = !lines.0.is_empty() && Euclidean.distance(lines, &p) <= eps;
        let near_area = !area.0.is_empty() && Euclidean.distance(area, &p) <= eps;
        if !near_line && !near_area && !out.iter().any(|q| Euclidean.distance(*q, c) <= eps) {
            out.push(c);
        }
    }
    out
}

/// A length below which planar results are the same point: well above the
/// error of i_overlay's snapping (about 1e-9 of the shapes' extent), well
/// below any real feature (a millimetre at city scale).
fn tolerance(m: &MultiLineString, p: &MultiPolygon) -> f64 {
    let span = |r: Option<geo::Rect>| r.map_or(0.0, |r| r.width().max(r.height()));
    1e-7 * span(m.bounding_rect()).max(span(p.bounding_rect())).max(1e-9)
}

/// The sphere result of planar parts.
fn result(inputs: &Inputs, points: &[Coord], ls: &MultiLineString, ps: &MultiPolygon) -> Value {
    let pts = MultiPoint::new(points.iter().map(|&c| Point(inputs.point(c))).collect());
    collection(&pts, &inputs.lines(ls), &inputs.polygons(ps))
}

/// `geo_intersection_2lines(line1, line2)`: crossing points and shared pieces.
pub fn intersection_2lines(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(l1), Some(l2)) = (line_arg(a, 0), line_arg(a, 1)) else { return Ok(Value::Null) };
    let Some(frame) = Frame::around(line_points(&l1).chain(line_points(&l2))) else { return Ok(Value::Null) };
    let (p1, p2) = (frame.lines(&l1), frame.lines(&l2));
    let eps = tolerance(&p1, &MultiPolygon::new(vec![]));
    let (points, overlaps) = meets(&segments(p1.0.iter()), &segments(p2.0.iter()), eps);
    let shared = stitch(&overlaps);
    let points = isolated(points, &shared, &MultiPolygon::new(vec![]), eps);
    let inputs = Inputs::new(frame, l1.0.iter().chain(&l2.0));
    Ok(result(&inputs, &points, &shared, &MultiPolygon::new(vec![])))
}

/// `geo_intersection_2polygons(polygon1, polygon2)`: the common area, plus
/// the points and edges where the boundaries only touch.
pub fn intersection_2polygons(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(m1), Some(m2)) = (polygon_arg(a, 0), polygon_arg(a, 1)) else { return Ok(Value::Null) };
    let Some(frame) = Frame::around(polygon_points(&m1).chain(polygon_points(&m2))) else { return Ok(Value::Null) };
    let (p1, p2) = (frame.polygons(&m1), frame.polygons(&m2));
    let area = p1.intersection(&p2);
    let eps = tolerance(&MultiLineString::new(vec![]), &p1);
    let (points, overlaps) = meets(&segments(p1.0.iter().flat_map(rings)), &segments(p2.0.iter().flat_map(rings)), eps);
    let edges: Vec<Line> = overlaps
        .into_iter()
        .filter(|s| area.0.is_empty() || Euclidean.distance(&area, &Point(s.start + s.delta() / 2.0)) > eps)
        .collect();
    let shared = stitch(&edges);
    let points = isolated(points, &shared, &area, eps);
    let inputs = Inputs::new(frame, m1.0.iter().chain(&m2.0).flat_map(rings));
    Ok(result(&inputs, &points, &shared, &area))
}

/// `geo_intersection_line_with_polygon(line, polygon)`: the parts of the
/// line inside the polygon.
pub fn intersection_line_with_polygon(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(l), Some(m)) = (line_arg(a, 0), polygon_arg(a, 1)) else { return Ok(Value::Null) };
    let Some(frame) = Frame::around(line_points(&l).chain(polygon_points(&m))) else { return Ok(Value::Null) };
    let inside = frame.polygons(&m).clip(&frame.lines(&l), false);
    let inputs = Inputs::new(frame, l.0.iter().chain(m.0.iter().flat_map(rings)));
    Ok(result(&inputs, &[], &inside, &MultiPolygon::new(vec![])))
}

/// The members of an array argument, each parsed by `parse`.
fn members<T>(a: &[Value], parse: impl Fn(&Json) -> Option<T>) -> Option<Vec<T>> {
    let Value::Dynamic(j) = arg(a, 0) else { return None };
    let items = j.as_array()?;
    (!items.is_empty()).then_some(())?;
    items.iter().map(parse).collect()
}

/// `geo_union_lines_array(lines)`: the lines merged, shared edges once.
pub fn union_lines_array(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(all) = members(a, lines) else { return Ok(Value::Null) };
    let merged = stitch(&segments(all.iter().flat_map(|m| m.0.iter())));
    Ok(dynamic(lines_json(&merged)))
}

/// All the polygons of an array argument as one MultiPolygon.
pub fn polygons_array(a: &[Value]) -> Option<MultiPolygon> {
    let all = members(a, polygons)?;
    Some(MultiPolygon::new(all.into_iter().flat_map(|m| m.0).collect::<Vec<Polygon>>()))
}

/// `geo_union_polygons_array(polygons)`: the area the polygons cover.
pub fn union_polygons_array(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    Ok(polygons_array(a).and_then(|m| merged(&m)).map_or(Value::Null, |u| dynamic(polygons_json(&u))))
}
