//! Shapes moved to and from the gnomonic plane, where `geo`'s planar
//! algorithms (predicates, clipping, unions, simplification, buffers) answer
//! for Kusto's great-circle edges.

use geo::{Coord, LineString, MapCoords, MultiLineString, MultiPolygon, Orient, Polygon, orient::Direction};

use super::sphere::{Gnomonic, V3, to_coord, to_v3};

/// A gnomonic frame for a set of shapes.
#[derive(Clone, Copy, Debug)]
pub struct Frame(pub Gnomonic);

impl Frame {
    /// The frame about the mean of `points`; `None` when they span more than
    /// a hemisphere (not supported: the projection needs one).
    pub fn around(points: impl Iterator<Item = V3> + Clone) -> Option<Frame> {
        Gnomonic::around(points).map(Frame)
    }

    /// A (longitude, latitude) in the plane; `None` when it is too far from
    /// the frame's centre to project.
    pub fn coord(&self, c: Coord) -> Option<Coord> {
        let p = to_v3(c);
        self.0.covers(p).then(|| self.0.project(p))
    }

    /// A planar point back to (longitude, latitude).
    pub fn uncoord(&self, q: Coord) -> Coord {
        to_coord(self.0.unproject(q))
    }

    /// Lines in the plane.
    pub fn lines(&self, m: &MultiLineString) -> MultiLineString {
        m.map_coords(|c| self.0.project(to_v3(c)))
    }

    /// Polygons in the plane.
    pub fn polygons(&self, m: &MultiPolygon) -> MultiPolygon {
        m.map_coords(|c| self.0.project(to_v3(c)))
    }

    /// Planar polygons back on the sphere, shells counter-clockwise and holes
    /// clockwise (the GeoJSON and S2 convention; the projection keeps
    /// orientation).
    pub fn unpolygons(&self, m: &MultiPolygon) -> MultiPolygon {
        m.orient(Direction::Default).map_coords(|q| self.uncoord(q))
    }
}

/// The rings of a polygon, shell first.
pub fn rings(p: &Polygon) -> impl Iterator<Item = &LineString> {
    std::iter::once(p.exterior()).chain(p.interiors())
}
