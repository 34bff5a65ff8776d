//! `geo_from_wkt`: well-known text to GeoJSON, parsed by the georust `wkt`
//! crate. Points, lines, polygons, their multi forms and geometry
//! collections convert; empty, 3D/measured and malformed text gives null.

use serde_json::{Map, Value as Json};
use wkt::Wkt;
use wkt::types::{Coord, LineString, Polygon};

use super::args::{Kind, check, dynamic, sf, text};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] =
    &[sf("geo_from_wkt", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), from_wkt)];

/// `geo_from_wkt(wkt)`: the shape as GeoJSON, or null.
fn from_wkt(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let parsed = text(a, 0).trim().parse::<Wkt<f64>>().ok();
    Ok(parsed.and_then(|w| geometry(&w)).map_or(Value::Null, dynamic))
}

/// A GeoJSON object `{"type": kind, key: value}`.
fn object(kind: &str, key: &str, value: Json) -> Json {
    let mut m = Map::new();
    m.insert("type".into(), Json::from(kind));
    m.insert(key.into(), value);
    Json::Object(m)
}

/// A 2D position with valid longitude and latitude.
fn position(c: &Coord<f64>) -> Option<Json> {
    if c.z.is_some() || c.m.is_some() || !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y) {
        return None;
    }
    Some(Json::Array(vec![Json::from(c.x), Json::from(c.y)]))
}

/// A line's positions; at least two.
fn line(l: &LineString<f64>) -> Option<Json> {
    let pts = l.coords().iter().map(position).collect::<Option<Vec<_>>>()?;
    (pts.len() >= 2).then_some(Json::Array(pts))
}

/// A polygon's rings; each closed with at least four positions.
fn polygon(p: &Polygon<f64>) -> Option<Json> {
    let rings = p
        .rings()
        .iter()
        .map(|r| (r.coords().len() >= 4 && r.coords().first() == r.coords().last()).then(|| line(r)).flatten())
        .collect::<Option<Vec<_>>>()?;
    (!rings.is_empty()).then_some(Json::Array(rings))
}

/// Any non-empty list of parts.
fn parts<T>(items: &[T], f: impl Fn(&T) -> Option<Json>) -> Option<Json> {
    let v = items.iter().map(f).collect::<Option<Vec<_>>>()?;
    (!v.is_empty()).then_some(Json::Array(v))
}

/// The GeoJSON of one WKT geometry.
fn geometry(w: &Wkt<f64>) -> Option<Json> {
    Some(match w {
        Wkt::Point(p) => object("Point", "coordinates", position(p.coord()?)?),
        Wkt::LineString(l) => object("LineString", "coordinates", line(l)?),
        Wkt::Polygon(p) => object("Polygon", "coordinates", polygon(p)?),
        Wkt::MultiPoint(m) => object("MultiPoint", "coordinates", parts(m.points(), |p| position(p.coord()?))?),
        Wkt::MultiLineString(m) => object("MultiLineString", "coordinates", parts(m.line_strings(), line)?),
        Wkt::MultiPolygon(m) => object("MultiPolygon", "coordinates", parts(m.polygons(), polygon)?),
        Wkt::GeometryCollection(g) => object("GeometryCollection", "geometries", parts(g.geometries(), geometry)?),
    })
}
