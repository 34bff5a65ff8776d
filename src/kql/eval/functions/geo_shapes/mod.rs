//! Kusto's geo functions on lines and polygons (GeoJSON `LineString`,
//! `MultiLineString`, `Polygon`, `MultiPolygon`). Kusto computes on a sphere
//! with great-circle edges (S2); see [`sphere`] for how this maps onto the
//! georust crates. Invalid shapes, coordinates or parameters give null.

mod geojson;
mod measures;
mod planar;
mod predicates;
mod refine;
mod setops;
mod sphere;
mod transforms;

#[cfg(test)]
mod tests;

/// The one GeoJSON reader, for the cell coverings and the lookup plugins too.
pub(crate) use geojson::{json_arg, lines, polygons, shape_json};

use super::ScalarFn;
use super::args::{Kind, check, sf};
use crate::data::DataType;

use Kind::{Bool, Dyn, Num};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("geo_line_length", &[], 1, 1, |t| check(t, &[Dyn], DataType::Real), measures::line_length),
    sf("geo_polygon_area", &[], 1, 1, |t| check(t, &[Dyn], DataType::Real), measures::polygon_area),
    sf("geo_polygon_perimeter", &[], 1, 1, |t| check(t, &[Dyn], DataType::Real), measures::polygon_perimeter),
    sf("geo_polygon_centroid", &[], 1, 1, |t| check(t, &[Dyn], DataType::Dynamic), measures::polygon_centroid),
    sf("geo_line_centroid", &[], 1, 1, |t| check(t, &[Dyn], DataType::Dynamic), measures::line_centroid),
    sf(
        "geo_distance_point_to_line",
        &[],
        3,
        3,
        |t| check(t, &[Num, Num, Dyn], DataType::Real),
        measures::distance_to_line,
    ),
    sf(
        "geo_distance_point_to_polygon",
        &[],
        3,
        3,
        |t| check(t, &[Num, Num, Dyn], DataType::Real),
        measures::distance_to_polygon,
    ),
    sf(
        "geo_closest_point_on_line",
        &[],
        3,
        3,
        |t| check(t, &[Num, Num, Dyn], DataType::Dynamic),
        measures::closest_point_on_line,
    ),
    sf(
        "geo_closest_point_on_polygon",
        &[],
        3,
        3,
        |t| check(t, &[Num, Num, Dyn], DataType::Dynamic),
        measures::closest_point_on_polygon,
    ),
    sf(
        "geo_line_interpolate_point",
        &[],
        2,
        2,
        |t| check(t, &[Dyn, Num], DataType::Dynamic),
        measures::interpolate_point,
    ),
    sf(
        "geo_line_locate_point",
        &[],
        3,
        4,
        |t| check(t, &[Dyn, Num, Num, Bool], DataType::Real),
        measures::locate_point,
    ),
    sf("geo_point_in_polygon", &[], 3, 3, |t| check(t, &[Num, Num, Dyn], DataType::Bool), predicates::point_in_polygon),
    sf("geo_intersects_2lines", &[], 2, 2, |t| check(t, &[Dyn], DataType::Bool), predicates::intersects_2lines),
    sf("geo_intersects_2polygons", &[], 2, 2, |t| check(t, &[Dyn], DataType::Bool), predicates::intersects_2polygons),
    sf(
        "geo_intersects_line_with_polygon",
        &[],
        2,
        2,
        |t| check(t, &[Dyn], DataType::Bool),
        predicates::intersects_line_with_polygon,
    ),
    sf("geo_intersection_2lines", &[], 2, 2, |t| check(t, &[Dyn], DataType::Dynamic), setops::intersection_2lines),
    sf(
        "geo_intersection_2polygons",
        &[],
        2,
        2,
        |t| check(t, &[Dyn], DataType::Dynamic),
        setops::intersection_2polygons,
    ),
    sf(
        "geo_intersection_line_with_polygon",
        &[],
        2,
        2,
        |t| check(t, &[Dyn], DataType::Dynamic),
        setops::intersection_line_with_polygon,
    ),
    sf("geo_union_lines_array", &[], 1, 1, |t| check(t, &[Dyn], DataType::Dynamic), setops::union_lines_array),
    sf("geo_union_polygons_array", &[], 1, 1, |t| check(t, &[Dyn], DataType::Dynamic), setops::union_polygons_array),
    sf("geo_line_densify", &[], 1, 3, |t| check(t, &[Dyn, Num, Bool], DataType::Dynamic), transforms::line_densify),
    sf(
        "geo_polygon_densify",
        &[],
        1,
        3,
        |t| check(t, &[Dyn, Num, Bool], DataType::Dynamic),
        transforms::polygon_densify,
    ),
    sf("geo_line_simplify", &[], 1, 2, |t| check(t, &[Dyn, Num], DataType::Dynamic), transforms::line_simplify),
    sf("geo_polygon_simplify", &[], 1, 2, |t| check(t, &[Dyn, Num], DataType::Dynamic), transforms::polygon_simplify),
    sf(
        "geo_simplify_polygons_array",
        &[],
        1,
        2,
        |t| check(t, &[Dyn, Num], DataType::Dynamic),
        transforms::simplify_polygons_array,
    ),
    sf("geo_line_buffer", &[], 2, 3, |t| check(t, &[Dyn, Num, Num], DataType::Dynamic), transforms::line_buffer),
    sf("geo_polygon_buffer", &[], 2, 3, |t| check(t, &[Dyn, Num, Num], DataType::Dynamic), transforms::polygon_buffer),
];
