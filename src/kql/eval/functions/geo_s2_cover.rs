//! Polygons on the sphere (S2 semantics: geodesic edges, each ring encloses
//! the smaller of the two regions it bounds) and their fixed-level S2 cell
//! coverings, as `geo_polygon_to_s2cells` needs.
//!
//! The `s2` crate gives cells, points and the robust edge predicates but has
//! no polygon type or polygon region for its coverer, so the loop
//! containment (S2Loop's crossing-parity rule) and the cell/polygon relation
//! are written here on top of those predicates. A fixed-level covering is
//! computed directly, top-down, instead of through `RegionCoverer`: only the
//! polygon edges that touch a cell are passed on to its children, so the
//! work grows with the boundary, and the 65,536-cell limit is checked before
//! a level is expanded.

use geo::MultiPolygon;
use s2::cell::Cell;
use s2::cellid::CellID;
use s2::edge_crossings::{Crossing, EdgeCrosser, crossing_sign};
use s2::edgeutil::distance_from_segment;
use s2::latlng::LatLng;
use s2::point::{Point, ordered_ccw, point_area};
use s2::predicates::sign;

use super::geo::EARTH_RADIUS;

/// The most tokens a covering may have (geo-polygon-to-s2cells-function.md).
pub(super) const MAX_CELLS: usize = 65_536;

/// A polygon or multipolygon on the sphere: a point is inside when an odd
/// number of its loops contain it (a hole is a loop inside its shell).
pub(crate) struct SphericalPolygon {
    loops: Vec<Loop>,
}

/// One ring, counterclockwise around its interior.
struct Loop {
    v: Vec<Point>,
    /// Whether `Point::origin()` is inside (the reference of the parity count).
    origin_inside: bool,
}

impl Loop {
    /// The ring from closed (longitude, latitude) positions, oriented so that
    /// its interior is the smaller region; `None` with fewer than three
    /// distinct consecutive vertices.
    fn new(ring: &[geo::Coord<f64>]) -> Option<Loop> {
        let mut v: Vec<Point> = Vec::with_capacity(ring.len());
        for c in ring {
            let p = Point::from(LatLng::from_degrees(c.y, c.x));
            if v.last() != Some(&p) {
                v.push(p);
            }
        }
        while v.len() > 1 && v.first() == v.last() {
            v.pop();
        }
        if v.len() < 3 {
            return None;
        }
        // The signed area of the fan from v[0]: positive when the ring runs
        // counterclockwise around the smaller region.
        let area: f64 = (1..v.len() - 1)
            .map(|i| {
                let a = point_area(&v[0], &v[i], &v[i + 1]);
                if sign(&v[0], &v[i], &v[i + 1]) { a } else { -a }
            })
            .sum();
        if area < 0.0 {
            v.reverse();
        }
        let mut l = Loop { v, origin_inside: false };
        // As S2Loop::InitOriginAndBound: vertex 1 is inside when the interior
        // wedge at it (counterclockwise from v2 to v0) contains a direction
        // just off the loop; fix the reference to agree.
        let v1_inside = ordered_ccw(&l.v[1].ortho(), &l.v[0], &l.v[2], &l.v[1]);
        if v1_inside != l.contains(&l.v[1]) {
            l.origin_inside = true;
        }
        Some(l)
    }

    /// Whether `p` is inside, by the parity of crossings from the origin.
    fn contains(&self, p: &Point) -> bool {
        let origin = Point::origin();
        let mut crosser = EdgeCrosser::new(&origin, p);
        let mut inside = self.origin_inside;
        let n = self.v.len();
        for i in 0..n {
            if crosser.edge_or_vertex_crossing(&self.v[i], &self.v[(i + 1) % n]) {
                inside = !inside;
            }
        }
        inside
    }

    fn edges(&self) -> impl Iterator<Item = (Point, Point)> + '_ {
        let n = self.v.len();
        (0..n).map(move |i| (self.v[i], self.v[(i + 1) % n]))
    }
}

impl SphericalPolygon {
    /// The spherical reading of a parsed GeoJSON (multi)polygon.
    pub(crate) fn new(shape: &MultiPolygon<f64>) -> Option<SphericalPolygon> {
        let mut loops = Vec::new();
        for p in shape {
            loops.push(Loop::new(&p.exterior().0)?);
            for hole in p.interiors() {
                loops.push(Loop::new(&hole.0)?);
            }
        }
        Some(SphericalPolygon { loops })
    }

    /// Whether the point is inside.
    pub(crate) fn contains(&self, p: &Point) -> bool {
        self.loops.iter().filter(|l| l.contains(p)).count() % 2 == 1
    }

    /// Every edge of every loop.
    pub(super) fn edges(&self) -> Vec<(Point, Point)> {
        self.loops.iter().flat_map(Loop::edges).collect()
    }
}

/// The S2 point of a (longitude, latitude) in degrees.
pub(crate) fn point_at(lon: f64, lat: f64) -> Point {
    Point::from(LatLng::from_degrees(lat, lon))
}

impl SphericalPolygon {
    /// The distance in radians from `p` to the polygon: 0 inside, else to
    /// the nearest edge.
    pub(crate) fn distance(&self, p: &Point) -> f64 {
        if self.contains(p) {
            return 0.0;
        }
        self.loops
            .iter()
            .flat_map(Loop::edges)
            .map(|(a, b)| distance_from_segment(p, &a, &b).rad())
            .fold(f64::INFINITY, f64::min)
    }
}

/// The distance (radians) between two geodesic segments that do not cross.
fn segment_distance(a: &(Point, Point), b: &(Point, Point)) -> f64 {
    [
        distance_from_segment(&a.0, &b.0, &b.1),
        distance_from_segment(&a.1, &b.0, &b.1),
        distance_from_segment(&b.0, &a.0, &a.1),
        distance_from_segment(&b.1, &a.0, &a.1),
    ]
    .iter()
    .map(|d| d.rad())
    .fold(f64::INFINITY, f64::min)
}

/// Whether polygon edge `e` meets the cell or comes within `r` radians of it.
fn edge_near(cell: &Cell, corners: &[Point; 4], e: &(Point, Point), r: f64) -> bool {
    if cell.contains_point(&e.0) || cell.contains_point(&e.1) {
        return true;
    }
    (0..4).any(|k| {
        let side = (corners[k], corners[(k + 1) % 4]);
        crossing_sign(&e.0, &e.1, &side.0, &side.1) != Crossing::DoNotCross
            || (r > 0.0 && segment_distance(e, &side) <= r)
    })
}

/// The cells of `level` that meet the polygon or come within `radius_m`
/// meters of it, ordered by cell id; `None` for a degenerate polygon or when
/// more than `max` cells would be needed.
pub(super) fn cover(shape: &MultiPolygon<f64>, level: u64, radius_m: f64, max: usize) -> Option<Vec<CellID>> {
    let poly = SphericalPolygon::new(shape)?;
    cover_edges(&poly.edges(), &|p| poly.contains(p), level, radius_m, max)
}

/// The cells of `level` that meet one of the lines (geodesic edges between
/// consecutive positions) or come within `radius_m` meters of them.
pub(super) fn cover_lines(
    lines: &[geo::LineString<f64>],
    level: u64,
    radius_m: f64,
    max: usize,
) -> Option<Vec<CellID>> {
    let mut edges = Vec::new();
    for l in lines {
        let pts: Vec<Point> = l.0.iter().map(|c| point_at(c.x, c.y)).collect();
        edges.extend(pts.windows(2).map(|w| (w[0], w[1])));
    }
    cover_edges(&edges, &|_| false, level, radius_m, max)
}

/// The cells of `level` near `edges` (within `radius_m`) or whose region
/// `inside` holds, top-down: only the edges that touch a cell are tested on
/// its children.
fn cover_edges(
    edges: &[(Point, Point)],
    inside: &dyn Fn(&Point) -> bool,
    level: u64,
    radius_m: f64,
    max: usize,
) -> Option<Vec<CellID>> {
    let r = radius_m / EARTH_RADIUS;
    let all: Vec<usize> = (0..edges.len()).collect();
    let mut frontier: Vec<(CellID, Vec<usize>)> = (0..6).map(|f| (CellID::from_face(f), all.clone())).collect();
    let mut out: Vec<CellID> = Vec::new();
    for depth in 0..=level {
        let mut next = Vec::new();
        for (id, candidates) in frontier {
            let cell = Cell::from(id);
            let corners = cell.vertices();
            let near: Vec<usize> =
                candidates.into_iter().filter(|&i| edge_near(&cell, &corners, &edges[i], r)).collect();
            if near.is_empty() {
                // No boundary within reach: the cell is wholly in or out.
                if inside(&cell.center()) {
                    let count = 1usize.checked_shl(2 * (level - depth) as u32).filter(|&c| out.len() + c <= max)?;
                    let mut c = id.child_begin_at_level(level);
                    for _ in 0..count {
                        out.push(c);
                        c = c.next();
                    }
                }
            } else if depth == level {
                out.push(id);
            } else {
                next.extend(id.children().into_iter().map(|c| (c, near.clone())));
            }
        }
        // Every boundary cell still open holds at least one cell of the covering.
        if out.len() + next.len() / 4 > max {
            return None;
        }
        frontier = next;
    }
    if out.len() > max {
        return None;
    }
    out.sort_unstable_by_key(|c| c.0);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn square(x0: f64, y0: f64, d: f64, ccw: bool) -> MultiPolygon<f64> {
        let mut pts = vec![(x0, y0), (x0 + d, y0), (x0 + d, y0 + d), (x0, y0 + d), (x0, y0)];
        if !ccw {
            pts.reverse();
        }
        MultiPolygon::new(vec![Polygon::new(LineString::from(pts), vec![])])
    }

    fn at(lon: f64, lat: f64) -> Point {
        Point::from(LatLng::from_degrees(lat, lon))
    }

    #[test]
    fn rings_enclose_the_smaller_region_whatever_their_orientation() {
        for ccw in [true, false] {
            let p = SphericalPolygon::new(&square(10.0, 10.0, 2.0, ccw))
                .map(|p| (p.contains(&at(11.0, 11.0)), p.contains(&at(-50.0, -20.0))));
            assert_eq!(p, Some((true, false)), "ccw {ccw}");
        }
    }

    #[test]
    fn a_covering_holds_the_cells_of_points_inside_and_none_far_away() {
        let shape = square(10.0, 10.0, 2.0, true);
        let cells = cover(&shape, 8, 0.0, MAX_CELLS).unwrap_or_default();
        let inside = CellID::from(LatLng::from_degrees(11.0, 11.0)).parent(8);
        let outside = CellID::from(LatLng::from_degrees(11.0, 13.5)).parent(8);
        assert!(cells.contains(&inside) && !cells.contains(&outside));
        assert!(cells.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no duplicates");
        // A 300 km buffer reaches the point 1.5° east of the square.
        let buffered = cover(&shape, 8, 300_000.0, MAX_CELLS).unwrap_or_default();
        assert!(buffered.contains(&outside) && buffered.len() > cells.len());
        // Too many cells: null.
        assert!(cover(&shape, 20, 0.0, MAX_CELLS).is_none());
        // A line's covering follows the line only.
        let line = vec![geo::LineString::new(vec![geo::Coord { x: 10.0, y: 10.0 }, geo::Coord { x: 12.0, y: 12.0 }])];
        let along = cover_lines(&line, 8, 0.0, MAX_CELLS).unwrap_or_default();
        assert!(along.contains(&CellID::from(LatLng::from_degrees(11.0, 11.0)).parent(8)));
        assert!(!along.contains(&CellID::from(LatLng::from_degrees(10.2, 11.8)).parent(8)));
    }
}
