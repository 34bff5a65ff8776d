//! The geo shape functions against figures the doc pages print, to the
//! digits printed (data-explorer/kusto/query/geo-*-function.md), and the
//! validation rules that make a shape null.

use std::sync::Arc;

use serde_json::{Value as Json, json};

use super::super::{FnCtx, lookup};
use crate::data::Value;

fn call(name: &str, args: &[Value]) -> Value {
    let f = lookup(name).unwrap_or_else(|| panic!("no function {name}"));
    (f.eval)(args, &FnCtx::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn dy(j: Json) -> Value {
    Value::Dynamic(Arc::new(j))
}

fn r(x: f64) -> Value {
    Value::Real(x)
}

fn real(v: Value) -> f64 {
    match v {
        Value::Real(x) => x,
        other => panic!("not a real: {other:?}"),
    }
}

fn json_of(v: Value) -> Json {
    match v {
        Value::Dynamic(j) => (*j).clone(),
        other => panic!("not dynamic: {other:?}"),
    }
}

/// Asserts `x` matches the documented number `doc` to 12 significant digits.
fn close(x: f64, doc: &str) {
    let d: f64 = doc.parse().unwrap_or(f64::NAN);
    assert!((x - d).abs() <= 1e-12 * d.abs().max(1.0), "{x} vs documented {doc}");
}

fn point(v: Value) -> (f64, f64) {
    let j = json_of(v);
    assert_eq!(j["type"], "Point");
    (j["coordinates"][0].as_f64().unwrap_or(f64::NAN), j["coordinates"][1].as_f64().unwrap_or(f64::NAN))
}

/// The Central Park quadrilateral of the polygon pages.
fn park() -> Value {
    dy(json!({"type":"Polygon","coordinates":[[[-73.9495,40.7969],[-73.95807266235352,40.80068603561921],
        [-73.98201942443848,40.76825672305777],[-73.97317886352539,40.76455136505513],[-73.9495,40.7969]]]}))
}

#[test]
fn polygon_measures_match_the_documented_digits() {
    // geo-polygon-area-function.md, geo-polygon-perimeter-function.md, geo-polygon-centroid-function.md
    close(real(call("geo_polygon_area", &[park()])), "3475207.28346606");
    close(real(call("geo_polygon_perimeter", &[park()])), "9930.30149604938");
    let (x, y) = point(call("geo_polygon_centroid", &[park()]));
    close(x, "-73.965735689907618");
    close(y, "40.782550538057812");
}

#[test]
fn line_measures_match_the_documented_digits() {
    // geo-line-length-function.md, geo-line-centroid-function.md, geo-line-interpolate-point-function.md,
    // geo-line-locate-point-function.md
    let line = dy(json!({"type":"LineString","coordinates":[[-73.95796, 40.80042], [-73.97317, 40.764486]]}));
    let (x, y) = point(call("geo_line_centroid", std::slice::from_ref(&line)));
    close(x, "-73.965567057230942");
    close(y, "40.782453249627416");
    let (x, y) = point(call("geo_line_interpolate_point", &[line.clone(), r(0.25)]));
    close(x, "-73.961764043218281");
    close(y, "40.791436687257232");
    close(real(call("geo_line_locate_point", &[line, r(-73.965), r(40.792)])), "0.25560135100307552");
    let three = dy(json!({"type":"LineString","coordinates":[[-73.95807266235352,40.800426144169315],
        [-73.94966125488281,40.79691751000055],[-73.97317886352539,40.764486356930334]]}));
    close(real(call("geo_line_length", &[three])), "4922.48016992081");
}

#[test]
fn densify_bisects_until_the_midpoints_agree() {
    // geo-line-densify-function.md: a 1°×1° diagonal takes 8 pieces at the default 10 m;
    // geo-polygon-densify-function.md: a 1° edge along latitude 10 takes 4, a meridian none.
    let j = json_of(call("geo_line_densify", &[dy(json!({"type":"LineString","coordinates":[[50,50],[51,51]]}))]));
    assert_eq!(j["coordinates"].as_array().map(Vec::len), Some(9));
    assert_eq!(j["coordinates"][1], json!([50.125, 50.125]));
    let sq = dy(json!({"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,11],[10,10]]]}));
    let j = json_of(call("geo_polygon_densify", std::slice::from_ref(&sq)));
    assert_eq!(j["coordinates"][0].as_array().map(Vec::len), Some(11));
    assert!(call("geo_polygon_densify", &[sq, Value::Long(0)]).is_null());
}

#[test]
fn rings_that_break_the_rules_are_null() {
    // geo-point-in-polygon-function.md, "Polygon definition and constraints".
    let bad = [
        json!({"type":"Polygon","coordinates":[[[0,0],[10,10],[10,10],[0,0]]]}), // two distinct vertices
        json!({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}),     // not closed
        json!({"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}), // crosses itself
        json!({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,95],[0,0]]]}),    // latitude past 90
        json!({"type":"Polygon"}),
        json!({"type":"LineString","coordinates":[[0,0],[1,1]]}),
    ];
    for b in bad {
        assert!(call("geo_polygon_area", &[dy(b.clone())]).is_null(), "{b}");
    }
    assert!(call("geo_point_in_polygon", &[r(200.0), r(1.0), park()]).is_null());
    assert!(call("geo_line_length", &[dy(json!({"type":"LineString","coordinates":[[1,1]]}))]).is_null());
    // An edge between antipodes has no direction.
    assert!(call("geo_line_length", &[dy(json!({"type":"LineString","coordinates":[[0,0],[180,0]]}))]).is_null());
}

#[test]
fn a_polygon_across_the_antimeridian_is_the_small_one() {
    let p = dy(json!({"type":"Polygon","coordinates":[[[179,-1],[-179,-1],[-179,1],[179,1],[179,-1]]]}));
    assert!(matches!(call("geo_point_in_polygon", &[r(180.0), r(0.0), p.clone()]), Value::Bool(true)));
    assert!(matches!(call("geo_point_in_polygon", &[r(0.0), r(0.0), p.clone()]), Value::Bool(false)));
    // About 2°×2° at the equator: 222 km × 222 km.
    let area = real(call("geo_polygon_area", &[p]));
    assert!((area / 4.9e10 - 1.0).abs() < 0.02, "{area}");
}

#[test]
fn crossings_are_exact_great_circle_intersections() {
    // geo-intersection-2lines-function.md
    let a = dy(json!({"type":"LineString","coordinates":[[-73.978929,40.785155],[-73.980903,40.782621]]}));
    let b = dy(json!({"type":"LineString","coordinates":[[-73.985195,40.788275],[-73.974552,40.779761]]}));
    let (x, y) = point(call("geo_intersection_2lines", &[a, b]));
    close(x, "-73.979837116670978");
    close(y, "40.783989289772165");
}

#[test]
fn the_reader_takes_polygons_and_multipolygons_and_rejects_invalid_rings() {
    // geo-point-in-polygon-function.md, "Polygon definition and constraints".
    use super::geojson::polygons;
    let p = polygons(&json!({"type":"Polygon","coordinates":[[[0,0],[0,50],[100,50],[0,0]]]}));
    assert_eq!(p.map(|m| m.0[0].exterior().0.len()), Some(4));
    let m = polygons(&json!({"type":"MultiPolygon","coordinates":[[[[0,0],[2,0],[2,2],[0,0]]],
        [[[10,10],[12,10],[12,12],[10,10]],[[11,10.5],[11.5,11],[11,11],[11,10.5]]]]}));
    assert_eq!(m.map(|m| (m.0.len(), m.0[1].interiors().len())), Some((2, 1)));
    for bad in [
        json!({"type":"Polygon","coordinates":[[[0,0],[1,1]]]}), // too few positions
        json!({"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1]]]}), // not closed
        json!({"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0],[0,0]]]}), // two distinct vertices
        json!({"type":"Polygon","coordinates":[[[0,0],[1,1],[-0.0,0],[0,0]]]}), // -0 and 0 are one vertex
        json!({"type":"Polygon","coordinates":[[[0,0],[200,1],[1,0],[0,0]]]}), // longitude out of range
        json!({"type":"Polygon","coordinates":[[[0,0,5],[1,1,5],[1,0,5],[0,0,5]]]}), // not [longitude, latitude]
        json!({"type":"Polygon","coordinates":[[[0,0],[180,0],[0,1],[0,0]]]}), // an edge between antipodes
        json!({"type":"Polygon","coordinates":[]}),
        json!({"type":"LineString","coordinates":[[0,0],[1,1]]}),
        json!({"type":"MultiPolygon","coordinates":[]}),
        json!("not a polygon"),
    ] {
        assert!(polygons(&bad).is_none(), "{bad}");
    }
}

#[test]
fn the_reader_takes_lines_and_rejects_degenerate_ones() {
    // geo-line-length-function.md, "LineString definition and constraints".
    use super::geojson::lines;
    assert_eq!(lines(&json!({"type":"LineString","coordinates":[[0,0],[1,1]]})).map(|l| l.0[0].0.len()), Some(2));
    let multi = json!({"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3],[4,4]]]});
    assert_eq!(lines(&multi).map(|l| l.0.len()), Some(2));
    for bad in [
        json!({"type":"LineString","coordinates":[[[0,0],[0,0]]]}), // the geo-line-to-s2cells page's invalid line
        json!({"type":"LineString","coordinates":[[0,0],[0,0]]}),
        json!({"type":"LineString","coordinates":[[0,0]]}),
        json!({"type":"LineString","coordinates":[[0,0],[0,95]]}),
        json!({"type":"LineString","coordinates":[[0,0],[180,0]]}),
    ] {
        assert!(lines(&bad).is_none(), "{bad}");
    }
}

#[test]
fn the_cell_coverings_read_shapes_with_the_same_rules() {
    // A ring with an edge between antipodes is no polygon for any function.
    let antipodes = dy(json!({"type":"Polygon","coordinates":[[[0,0],[180,0],[0,1],[0,0]]]}));
    assert!(call("geo_polygon_to_s2cells", std::slice::from_ref(&antipodes)).is_null());
    assert!(call("geo_polygon_to_h3cells", &[antipodes]).is_null());
    let point_line = dy(json!({"type":"LineString","coordinates":[[0,0],[0,0]]}));
    assert!(call("geo_line_to_s2cells", std::slice::from_ref(&point_line)).is_null());
    assert!(call("geo_line_length", &[point_line]).is_null());
}
