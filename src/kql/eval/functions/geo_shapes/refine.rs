//! Exact vertices and S2's loop order for polygons that `geo` (i_overlay)
//! computed in the gnomonic plane. i_overlay snaps its work to an integer
//! grid, which moves every vertex by up to ~1e-9 of the shapes' extent; Kusto
//! prints input vertices unchanged and crossings as exact great-circle
//! intersections. So each output vertex is matched back: to the input
//! vertex it came from, or to the two input edges it is the crossing of
//! (recomputed on the sphere). S2 also starts every output loop at the edge
//! that came from the earliest input edge; matching the edges gives that too.

use std::collections::HashMap;

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Orient, Polygon, orient::Direction};

use super::planar::Frame;
use super::sphere::{V3, cross, dot, to_coord, to_v3, unit};

/// One input edge: sphere and plane ends.
struct Edge {
    a: V3,
    b: V3,
    pa: Coord,
    pb: Coord,
}

/// Input vertices: plane position, lon/lat, incident edges.
type Vertex = (Coord, Coord, Vec<usize>);

/// The input polygons' vertices and edges, numbered in input order.
pub struct Inputs {
    frame: Frame,
    edges: Vec<Edge>,
    /// Input vertices by grid cell: (plane position, lon/lat, incident edges).
    cells: HashMap<(i64, i64), Vec<Vertex>>,
    cell: f64,
    eps: f64,
}

impl Inputs {
    /// Indexes the input paths (polygon rings and lines, in order) for `frame`.
    pub fn new<'a>(frame: Frame, paths: impl Iterator<Item = &'a LineString>) -> Inputs {
        let mut edges = Vec::new();
        let mut verts: Vec<Vertex> = Vec::new();
        let (mut lo, mut hi) = (Coord { x: f64::MAX, y: f64::MAX }, Coord { x: f64::MIN, y: f64::MIN });
        for r in paths {
            for w in r.0.windows(2) {
                let (a, b) = (to_v3(w[0]), to_v3(w[1]));
                let (pa, pb) = (frame.0.project(a), frame.0.project(b));
                let id = edges.len();
                edges.push(Edge { a, b, pa, pb });
                verts.push((pa, w[0], vec![id]));
                verts.push((pb, w[1], vec![id]));
                lo = Coord { x: lo.x.min(pa.x), y: lo.y.min(pa.y) };
                hi = Coord { x: hi.x.max(pa.x), y: hi.y.max(pa.y) };
            }
        }
        let extent = (hi.x - lo.x).max(hi.y - lo.y).max(1e-12);
        let eps = extent * 1e-7;
        let cell = eps * 4.0;
        let mut cells: HashMap<(i64, i64), Vec<Vertex>> = HashMap::new();
        for (p, c, ids) in verts {
            let slot = cells.entry(key(p, cell)).or_default();
            match slot.iter_mut().find(|(q, ..)| *q == p) {
                Some(v) => v.2.extend(ids),
                None => slot.push((p, c, ids)),
            }
        }
        Inputs { frame, edges, cells, cell, eps }
    }

    /// The input vertex at planar `p` (within eps): its lon/lat and edges.
    fn vertex(&self, p: Coord) -> Option<(Coord, Vec<usize>)> {
        let (kx, ky) = key(p, self.cell);
        let mut best: Option<(f64, Coord, &Vec<usize>)> = None;
        for dx in -1..=1 {
            for dy in -1..=1 {
                for (q, c, ids) in self.cells.get(&(kx + dx, ky + dy)).into_iter().flatten() {
                    let d = (q.x - p.x).hypot(q.y - p.y);
                    if d <= self.eps && best.is_none_or(|(b, ..)| d < b) {
                        best = Some((d, *c, ids));
                    }
                }
            }
        }
        best.map(|(_, c, ids)| (c, ids.clone()))
    }

    /// The input edges passing within eps of planar `p`, in input order.
    fn edges_at(&self, p: Coord) -> Vec<usize> {
        (0..self.edges.len())
            .filter(|&i| {
                let e = &self.edges[i];
                let d = Coord { x: e.pb.x - e.pa.x, y: e.pb.y - e.pa.y };
                let len2 = d.x * d.x + d.y * d.y;
                if len2 == 0.0 {
                    return false;
                }
                let t = ((p.x - e.pa.x) * d.x + (p.y - e.pa.y) * d.y) / len2;
                let t = t.clamp(0.0, 1.0);
                let q = Coord { x: e.pa.x + t * d.x, y: e.pa.y + t * d.y };
                (q.x - p.x).hypot(q.y - p.y) <= self.eps
            })
            .collect()
    }

    /// An output vertex: its exact lon/lat and the input edges through it.
    fn resolve(&self, p: Coord) -> (Coord, Vec<usize>) {
        if let Some(v) = self.vertex(p) {
            return v;
        }
        let ids = self.edges_at(p);
        let approx = self.frame.0.unproject(p);
        // The crossing of the first two input edges on different great circles.
        for (k, &i) in ids.iter().enumerate() {
            let n1 = cross(self.edges[i].a, self.edges[i].b);
            for &j in &ids[k + 1..] {
                let x = cross(n1, cross(self.edges[j].a, self.edges[j].b));
                if dot(x, x) > 1e-30 {
                    let x = unit(x);
                    let x = if dot(x, approx) < 0.0 { x.map(|v| -v) } else { x };
                    return (to_coord(x), ids);
                }
            }
        }
        (to_coord(approx), ids)
    }

    /// A planar ring on the sphere: exact vertices, started at the edge from
    /// the earliest input edge (the first of a run when an input edge was
    /// split).
    fn ring(&self, r: &LineString) -> LineString {
        let n = r.0.len().saturating_sub(1);
        if n < 3 {
            return LineString::new(r.0.iter().map(|&q| self.frame.uncoord(q)).collect());
        }
        let verts: Vec<(Coord, Vec<usize>)> = r.0[..n].iter().map(|&p| self.resolve(p)).collect();
        let ids: Vec<usize> = (0..n)
            .map(|i| {
                let (a, b) = (&verts[i].1, &verts[(i + 1) % n].1);
                a.iter().filter(|e| b.contains(e)).min().copied().unwrap_or(usize::MAX)
            })
            .collect();
        let min = ids.iter().min().copied().unwrap_or(usize::MAX);
        let start = (0..n).find(|&i| ids[i] == min && ids[(i + n - 1) % n] != min).unwrap_or(0);
        let mut out: Vec<Coord> = (0..n).map(|i| verts[(start + i) % n].0).collect();
        out.push(out[0]);
        LineString::new(out)
    }

    /// Planar polygons on the sphere, shells counter-clockwise and holes
    /// clockwise.
    pub fn polygons(&self, m: &MultiPolygon) -> MultiPolygon {
        let m = m.orient(Direction::Default);
        MultiPolygon::new(
            m.0.iter()
                .map(|p| Polygon::new(self.ring(p.exterior()), p.interiors().iter().map(|h| self.ring(h)).collect()))
                .collect(),
        )
    }

    /// Planar lines on the sphere, vertex by vertex.
    pub fn lines(&self, m: &MultiLineString) -> MultiLineString {
        MultiLineString::new(m.0.iter().map(|l| l.0.iter().map(|&p| self.point(p)).collect()).collect())
    }

    /// An output point (a crossing or touching of boundaries) on the sphere.
    pub fn point(&self, p: Coord) -> Coord {
        self.resolve(p).0
    }
}

/// The grid cell of `p`.
fn key(p: Coord, cell: f64) -> (i64, i64) {
    ((p.x / cell).floor() as i64, (p.y / cell).floor() as i64)
}
