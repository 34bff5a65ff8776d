//! H3 coverings of polygons for `geo_polygon_to_h3cells`: the cells whose
//! centroid is inside the polygon (h3o's tiler, H3's `polygonToCells` rule;
//! edges are straight lines in longitude/latitude), plus, with a buffer
//! radius, the cells whose centroid lies within that many meters of the
//! polygon's boundary (measured on the sphere).

use std::collections::HashSet;

use geo::MultiPolygon;
use h3o::geom::{ContainmentMode, TilerBuilder};
use h3o::{CellIndex, LatLng, Resolution};
use s2::edgeutil::distance_from_segment;
use s2::point::Point;

use super::geo::EARTH_RADIUS;
use super::geo_s2_cover::SphericalPolygon;

/// The most tokens a covering may have (geo-polygon-to-h3cells-function.md).
pub(super) const MAX_CELLS: usize = 61_680;

/// The cells of `res` covering the polygon (buffered by `radius_m` meters),
/// without duplicates in the tiler's order; `None` for a polygon h3o rejects
/// or when more than `max` cells would be needed.
pub(super) fn cover(shape: &MultiPolygon<f64>, res: Resolution, radius_m: f64, max: usize) -> Option<Vec<CellIndex>> {
    let mut tiler = TilerBuilder::new(res).containment_mode(ContainmentMode::ContainsCentroid).build();
    tiler.add_batch(shape.0.iter().cloned()).ok()?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for c in tiler.into_coverage() {
        if seen.insert(c) {
            out.push(c);
            if out.len() > max {
                return None;
            }
        }
    }
    if radius_m > 0.0 {
        buffer_cells(shape, res, radius_m, max, &mut seen, &mut out)?;
    }
    Some(out)
}

/// Adds the cells whose centroid is within `radius_m` of the boundary.
fn buffer_cells(
    shape: &MultiPolygon<f64>,
    res: Resolution,
    radius_m: f64,
    max: usize,
    seen: &mut HashSet<CellIndex>,
    out: &mut Vec<CellIndex>,
) -> Option<()> {
    let edges = SphericalPolygon::new(shape)?.edges();
    let r = radius_m / EARTH_RADIUS;
    // Hexagon centres are about 1.5 edge lengths apart across a ring, and no
    // edge is shorter than about 0.6 of the average: the ring distance
    // that reaches `radius_m` from any boundary cell.
    let step = 1.5 * 0.6 * res.edge_length_m();
    let k = (radius_m / step).ceil() + 1.0;
    // The disk within the radius of one boundary point already needs about
    // π r² / cell area cells: over the limit, the answer is null.
    if std::f64::consts::PI * radius_m * radius_m / res.area_m2() > max as f64 || k > 10_000.0 {
        return None;
    }
    let mut tiler = TilerBuilder::new(res).containment_mode(ContainmentMode::IntersectsBoundary).build();
    tiler.add_batch(shape.0.iter().cloned()).ok()?;
    let mut boundary: Vec<CellIndex> = tiler.into_coverage().collect();
    // A polygon smaller than a cell crosses no cell boundary.
    if let Some(c) = shape.0.first().and_then(|p| p.exterior().0.first()) {
        boundary.extend(LatLng::new(c.y, c.x).ok().map(|ll| ll.to_cell(res)));
    }
    let mut tried: HashSet<CellIndex> = HashSet::new();
    for b in boundary {
        for c in b.grid_disk::<Vec<_>>(k as u32) {
            if seen.contains(&c) || !tried.insert(c) {
                continue;
            }
            let ll = LatLng::from(c);
            let p = Point::from(s2::latlng::LatLng::from_degrees(ll.lat(), ll.lng()));
            if edges.iter().any(|(a, b)| distance_from_segment(&p, a, b).rad() <= r) {
                seen.insert(c);
                out.push(c);
                if out.len() > max {
                    return None;
                }
            }
        }
    }
    Some(())
}
