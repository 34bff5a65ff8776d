//! The GeoJSON polygon reader of the cell-covering functions
//! (`geo_polygon_to_s2cells`, `geo_polygon_to_h3cells`), with the validation
//! rules of Kusto's polygon definition (geo-point-in-polygon-function.md):
//! `Polygon` or `MultiPolygon`; each ring has at least four positions, the
//! first equal to the last, and at least three distinct vertices; every
//! position is `[longitude, latitude]` with longitude in [-180, 180] and
//! latitude in [-90, 90]. Anything else is invalid (the callers give null).

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value as Json;

use crate::data::Value;

/// The polygon or multipolygon in a dynamic GeoJSON value, or `None` when
/// it is not a valid one. Rings come back closed, holes after their shell.
pub(crate) fn parse_polygon(v: &Value) -> Option<MultiPolygon<f64>> {
    let Value::Dynamic(j) = v else { return None };
    let obj = j.as_object()?;
    let coords = obj.get("coordinates")?;
    match obj.get("type")?.as_str()? {
        "Polygon" => Some(MultiPolygon::new(vec![polygon(coords)?])),
        "MultiPolygon" => {
            let polys = coords.as_array()?.iter().map(polygon).collect::<Option<Vec<_>>>()?;
            (!polys.is_empty()).then(|| MultiPolygon::new(polys))
        }
        _ => None,
    }
}

/// The lines of a dynamic GeoJSON `LineString` or `MultiLineString`, or
/// `None` when it is not a valid one: each line has at least two positions,
/// at least two of them distinct, all within the valid ranges.
pub(crate) fn parse_lines(v: &Value) -> Option<Vec<Vec<Coord<f64>>>> {
    let Value::Dynamic(j) = v else { return None };
    let obj = j.as_object()?;
    let coords = obj.get("coordinates")?;
    let lines = match obj.get("type")?.as_str()? {
        "LineString" => vec![line(coords)?],
        "MultiLineString" => coords.as_array()?.iter().map(line).collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    (!lines.is_empty()).then_some(lines)
}

/// A line of at least two distinct valid positions.
fn line(j: &Json) -> Option<Vec<Coord<f64>>> {
    let pts = j.as_array()?.iter().map(position).collect::<Option<Vec<_>>>()?;
    pts.iter().any(|p| *p != pts[0]).then_some(pts)
}

/// A polygon: a shell ring and any number of hole rings.
fn polygon(j: &Json) -> Option<Polygon<f64>> {
    let mut rings = j.as_array()?.iter().map(ring);
    let shell = rings.next()??;
    let holes = rings.collect::<Option<Vec<_>>>()?;
    Some(Polygon::new(shell, holes))
}

/// A closed ring of valid positions with at least three distinct vertices.
fn ring(j: &Json) -> Option<LineString<f64>> {
    let pts = j.as_array()?.iter().map(position).collect::<Option<Vec<_>>>()?;
    if pts.len() < 4 || pts.first() != pts.last() {
        return None;
    }
    let mut distinct: Vec<Coord<f64>> = Vec::with_capacity(pts.len());
    for p in &pts[..pts.len() - 1] {
        if !distinct.contains(p) {
            distinct.push(*p);
        }
    }
    (distinct.len() >= 3).then(|| LineString::new(pts))
}

/// A `[longitude, latitude]` position within the valid ranges.
fn position(j: &Json) -> Option<Coord<f64>> {
    let [x, y] = j.as_array()?.as_slice() else { return None };
    let (x, y) = (x.as_f64()?, y.as_f64()?);
    ((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)).then_some(Coord { x, y })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<MultiPolygon<f64>> {
        parse_polygon(&Value::Dynamic(std::sync::Arc::new(serde_json::from_str(text).unwrap_or(Json::Null))))
    }

    #[test]
    fn reads_polygons_and_multipolygons_and_rejects_invalid_rings() {
        let p = parse(r#"{"type":"Polygon","coordinates":[[[0,0],[0,50],[100,50],[0,0]]]}"#);
        assert_eq!(p.map(|m| m.0[0].exterior().0.len()), Some(4));
        let m = parse(
            r#"{"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,0]]],[[[10,10],[12,10],[12,12],[10,10]],[[11,10.5],[11.5,11],[11,11],[11,10.5]]]]}"#,
        );
        assert_eq!(m.map(|m| (m.0.len(), m.0[1].interiors().len())), Some((2, 1)));
        for bad in [
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}"#, // too few positions
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1]]]}"#, // not closed
            r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0],[0,0]]]}"#, // two distinct vertices
            r#"{"type":"Polygon","coordinates":[[[0,0],[200,1],[1,0],[0,0]]]}"#, // longitude out of range
            r#"{"type":"Polygon","coordinates":[]}"#,
            r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#,
            r#"{"type":"MultiPolygon","coordinates":[]}"#,
            r#""not a polygon""#,
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn reads_lines_and_rejects_degenerate_ones() {
        let lines =
            |t: &str| parse_lines(&Value::Dynamic(std::sync::Arc::new(serde_json::from_str(t).unwrap_or(Json::Null))));
        assert_eq!(lines(r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#).map(|l| l[0].len()), Some(2));
        assert_eq!(
            lines(r#"{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3],[4,4]]]}"#).map(|l| l.len()),
            Some(2)
        );
        for bad in [
            r#"{"type":"LineString","coordinates":[[[0,0],[0,0]]]}"#, // the geo-line-to-s2cells page's invalid line
            r#"{"type":"LineString","coordinates":[[0,0],[0,0]]}"#,
            r#"{"type":"LineString","coordinates":[[0,0]]}"#,
            r#"{"type":"LineString","coordinates":[[0,0],[0,95]]}"#,
        ] {
            assert!(lines(bad).is_none(), "{bad}");
        }
    }
}
