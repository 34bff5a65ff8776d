//! Reading and writing the GeoJSON shapes of Kusto's geo functions. This is
//! the one GeoJSON reader: the shape functions, the S2 and H3 coverings and
//! the `geo_*_lookup` plugins all read through it. It keeps the validation
//! rules of the doc pages (geo-point-in-polygon-function.md, "Polygon
//! definition and constraints"; geo-line-length-function.md, "LineString
//! definition"): positions are `[longitude, latitude]` in range, edges are
//! shorter than 180°, lines have two distinct positions, rings are closed with
//! at least four entries and three distinct vertices. Any rule broken gives
//! `None`, which the functions turn into null.

use geo::{Coord, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use serde_json::{Map, Value as Json};

use super::super::args::{arg, dynamic};
use super::sphere::{V3, dot, to_v3};
use crate::data::Value;

/// The JSON of a shape value (Kusto takes shapes as `dynamic` only; the
/// type check rejects other types before a call, and a lookup table's
/// non-dynamic cell is no shape).
pub fn shape_json(v: &Value) -> Option<&Json> {
    match v {
        Value::Dynamic(j) => Some(&**j),
        _ => None,
    }
}

/// The JSON of shape argument `i`.
pub fn json_arg(a: &[Value], i: usize) -> Option<&Json> {
    shape_json(arg(a, i))
}

/// A valid coordinate pair (longitude in [-180, 180], latitude in [-90, 90]).
pub fn valid(lon: f64, lat: f64) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

/// One `[longitude, latitude]` position within the valid ranges.
fn position(j: &Json) -> Option<Coord> {
    let [x, y] = j.as_array()?.as_slice() else { return None };
    let (x, y) = (x.as_f64()?, y.as_f64()?);
    valid(x, y).then_some(Coord { x, y })
}

/// An array of positions.
fn positions(j: &Json) -> Option<Vec<Coord>> {
    j.as_array()?.iter().map(position).collect()
}

/// Whether every edge is shorter than 180° (an edge between antipodes has
/// no defined direction).
fn edges_defined(c: &[Coord]) -> bool {
    c.windows(2).all(|w| dot(to_v3(w[0]), to_v3(w[1])) > -1.0 + 1e-15)
}

/// How many distinct positions `c` holds (`-0.0` and `0.0` are one value).
fn distinct(c: &[Coord]) -> usize {
    let mut keys: Vec<(u64, u64)> = c.iter().map(|p| ((p.x + 0.0).to_bits(), (p.y + 0.0).to_bits())).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

/// A LineString's coordinates: at least two positions, two of them distinct.
fn line(j: &Json) -> Option<LineString> {
    let c = positions(j)?;
    (c.len() >= 2 && edges_defined(&c) && c.iter().any(|p| *p != c[0])).then(|| LineString::new(c))
}

/// A LinearRing: at least four positions, the last equal to the first, at
/// least three distinct vertices.
fn ring(j: &Json) -> Option<LineString> {
    let c = positions(j)?;
    if c.len() < 4 || c.first() != c.last() || !edges_defined(&c) {
        return None;
    }
    (distinct(&c[..c.len() - 1]) >= 3).then(|| LineString::new(c))
}

/// A polygon's rings: the shell, then holes.
fn polygon(j: &Json) -> Option<Polygon> {
    let mut rings = j.as_array()?.iter().map(ring).collect::<Option<Vec<_>>>()?.into_iter();
    let shell = rings.next()?;
    Some(Polygon::new(shell, rings.collect()))
}

/// The `type` and `coordinates` of a GeoJSON geometry.
fn parts(j: &Json) -> Option<(&str, &Json)> {
    let o = j.as_object()?;
    Some((o.get("type")?.as_str()?, o.get("coordinates")?))
}

/// A LineString or MultiLineString.
pub fn lines(j: &Json) -> Option<MultiLineString> {
    match parts(j)? {
        ("LineString", c) => Some(MultiLineString::new(vec![line(c)?])),
        ("MultiLineString", c) => {
            let ls = c.as_array()?.iter().map(line).collect::<Option<Vec<_>>>()?;
            (!ls.is_empty()).then(|| MultiLineString::new(ls))
        }
        _ => None,
    }
}

/// A Polygon or MultiPolygon; rings come back closed, holes after their shell.
pub fn polygons(j: &Json) -> Option<MultiPolygon> {
    match parts(j)? {
        ("Polygon", c) => Some(MultiPolygon::new(vec![polygon(c)?])),
        ("MultiPolygon", c) => {
            let ps = c.as_array()?.iter().map(polygon).collect::<Option<Vec<_>>>()?;
            (!ps.is_empty()).then(|| MultiPolygon::new(ps))
        }
        _ => None,
    }
}

/// Every vertex of the lines, as unit vectors.
pub fn line_points(m: &MultiLineString) -> impl Iterator<Item = V3> + Clone + '_ {
    m.0.iter().flat_map(|l| l.0.iter().map(|&c| to_v3(c)))
}

/// Every vertex of the polygons, as unit vectors.
pub fn polygon_points(m: &MultiPolygon) -> impl Iterator<Item = V3> + Clone + '_ {
    m.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.iter().map(|&c| to_v3(c)))
}

/// A JSON number for a coordinate: integral values as integers (`[2,45]`,
/// as Kusto prints them), others as the shortest round-trip real.
fn num(v: f64) -> Json {
    if v.fract() == 0.0 && v.abs() < 1e15 { Json::from(v as i64) } else { Json::from(v) }
}

/// `[lng, lat]`.
fn pos(c: Coord) -> Json {
    Json::Array(vec![num(c.x), num(c.y)])
}

/// Positions of a line or ring.
fn path(l: &LineString) -> Json {
    Json::Array(l.0.iter().map(|&c| pos(c)).collect())
}

/// Rings of a polygon.
fn rings(p: &Polygon) -> Json {
    Json::Array(std::iter::once(p.exterior()).chain(p.interiors()).map(path).collect())
}

/// `{"type": kind, "coordinates": coords}`.
fn geometry(kind: &str, coords: Json) -> Json {
    let mut m = Map::new();
    m.insert("type".into(), Json::from(kind));
    m.insert("coordinates".into(), coords);
    Json::Object(m)
}

/// A GeoJSON Point.
pub fn point_json(c: Coord) -> Json {
    geometry("Point", pos(c))
}

/// A GeoJSON LineString, or MultiLineString for more than one line.
pub fn lines_json(m: &MultiLineString) -> Json {
    match m.0.as_slice() {
        [l] => geometry("LineString", path(l)),
        ls => geometry("MultiLineString", Json::Array(ls.iter().map(path).collect())),
    }
}

/// A GeoJSON Polygon, or MultiPolygon for more than one polygon.
pub fn polygons_json(m: &MultiPolygon) -> Json {
    match m.0.as_slice() {
        [p] => geometry("Polygon", rings(p)),
        ps => geometry("MultiPolygon", Json::Array(ps.iter().map(rings).collect())),
    }
}

/// A result made of points, lines and polygons: the one kind present as its
/// GeoJSON geometry (single or multi), several kinds as a
/// GeometryCollection, nothing as an empty GeometryCollection.
pub fn collection(points: &MultiPoint, lines: &MultiLineString, polys: &MultiPolygon) -> Value {
    let mut parts = Vec::new();
    match points.0.as_slice() {
        [] => {}
        [p] => parts.push(point_json(p.0)),
        ps => parts.push(geometry("MultiPoint", Json::Array(ps.iter().map(|p: &Point| pos(p.0)).collect()))),
    }
    if !lines.0.is_empty() {
        parts.push(lines_json(lines));
    }
    if !polys.0.is_empty() {
        parts.push(polygons_json(polys));
    }
    if parts.len() == 1 {
        return dynamic(parts.remove(0));
    }
    let mut m = Map::new();
    m.insert("type".into(), Json::from("GeometryCollection"));
    m.insert("geometries".into(), Json::Array(parts));
    dynamic(Json::Object(m))
}
