//! Points on the unit sphere and the few spherical computations no georust
//! crate provides. Kusto (S2) draws every line and polygon edge as a great
//! circle arc on a sphere of radius 6,371,010 m; `geo`'s algorithms are planar
//! and its Haversine helpers work on bearings and `acos`, which lose about
//! eight digits for edges of a few metres. So this module keeps three things
//! hand-written, each a few lines of vector algebra: the closest point on an
//! arc, the area and centroid of a spherical ring, and S2's edge tessellator
//! (`geo_*_densify`). Everything planar (predicates, clipping, unions,
//! simplification, buffers) runs in `geo` on the [`Gnomonic`] projection,
//! where great circles are straight lines.

use geo::Coord;

/// Kusto's Earth: S2's sphere, radius 6,371,010 m (the docs' lengths and
/// areas match it to 12 digits).
pub const RADIUS: f64 = 6_371_010.0;

/// A point of the unit sphere (or any 3-vector).
pub type V3 = [f64; 3];

/// The unit vector of a (longitude, latitude) in degrees.
pub fn to_v3(c: Coord) -> V3 {
    let (lon, lat) = (c.x.to_radians(), c.y.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The (longitude, latitude) in degrees of a non-zero vector.
pub fn to_coord(p: V3) -> Coord {
    Coord { x: p[1].atan2(p[0]).to_degrees(), y: p[2].atan2(p[0].hypot(p[1])).to_degrees() }
}

/// `a · b`.
pub fn dot(a: V3, b: V3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// `a × b`.
pub fn cross(a: V3, b: V3) -> V3 {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

/// `a + k·b`.
pub fn add(a: V3, b: V3, k: f64) -> V3 {
    [a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2]]
}

/// `|a|`.
pub fn norm(a: V3) -> f64 {
    dot(a, a).sqrt()
}

/// `a / |a|`.
pub fn unit(a: V3) -> V3 {
    let n = norm(a);
    [a[0] / n, a[1] / n, a[2] / n]
}

/// The angle between two unit vectors, in radians (`atan2` keeps full
/// precision for tiny and near-antipodal angles, unlike `acos`).
pub fn angle(a: V3, b: V3) -> f64 {
    norm(cross(a, b)).atan2(dot(a, b))
}

/// The point at fraction `t` of the arc from `a` to `b` (spherical
/// interpolation by angle).
pub fn slerp(a: V3, b: V3, t: f64) -> V3 {
    let th = angle(a, b);
    if th == 0.0 {
        return a;
    }
    let s = th.sin();
    unit(add(a.map(|x| x * ((1.0 - t) * th).sin() / s), b, (t * th).sin() / s))
}

/// The point of the arc `a`–`b` closest to `p`: `p`'s projection on the
/// arc's great circle when it falls between the ends, else the nearer end.
pub fn closest_on_arc(p: V3, a: V3, b: V3) -> V3 {
    let n = cross(a, b);
    let nn = dot(n, n);
    if nn > 0.0 {
        let q = add(p, n, -dot(p, n) / nn);
        if norm(q) > 0.0 {
            let q = unit(q);
            if dot(cross(a, q), n) >= 0.0 && dot(cross(q, b), n) >= 0.0 {
                return q;
            }
        }
    }
    if angle(p, a) <= angle(p, b) { a } else { b }
}

/// `a - b`.
fn sub(a: V3, b: V3) -> V3 {
    add(a, b, -1.0)
}

/// The signed area (steradians) of a closed ring, positive when
/// counter-clockwise seen from outside the sphere: a fan of triangles from
/// the first vertex, each by Van Oosterom and Strackee's solid angle, with
/// the triple product taken on edge vectors from the fan's origin (exact
/// for tiny triangles, where the plain triple product cancels).
pub fn ring_area(ring: &[V3]) -> f64 {
    let Some(&o) = ring.first() else { return 0.0 };
    ring.windows(2)
        .map(|w| {
            let (b, c) = (w[0], w[1]);
            let triple = dot(o, cross(sub(b, o), sub(c, o)));
            2.0 * triple.atan2(1.0 + dot(o, b) + dot(b, c) + dot(c, o))
        })
        .sum()
}

/// `θ / sin θ` for the arc between two unit vectors (1 for a point).
fn arc_ratio(a: V3, b: V3) -> f64 {
    let s = norm(cross(a, b));
    if s == 0.0 { 1.0 } else { angle(a, b) / s }
}

/// The integral of the position over the spherical triangle `a b c` (signed
/// like [`ring_area`]). Stokes' theorem gives half the sum of each edge's
/// unit normal times its length; written as a 3×3 linear system and solved
/// by Cramer's rule on differences from `a`, it stays exact for tiny
/// triangles.
fn triangle_centroid(a: V3, b: V3, c: V3) -> V3 {
    let (ra, rb, rc) = (arc_ratio(b, c), arc_ratio(c, a), arc_ratio(a, b));
    let x = [a[0], b[0] - a[0], c[0] - a[0]];
    let y = [a[1], b[1] - a[1], c[1] - a[1]];
    let z = [a[2], b[2] - a[2], c[2] - a[2]];
    let r = [ra, rb - ra, rc - ra];
    [0.5 * dot(cross(y, z), r), 0.5 * dot(cross(z, x), r), 0.5 * dot(cross(x, y), r)]
}

/// The centroid integral of a closed ring (counter-clockwise for a shell,
/// clockwise for a hole): a fan of [`triangle_centroid`]s from the first
/// vertex. Sum the rings of a region and normalise for its centroid.
pub fn ring_centroid(ring: &[V3]) -> V3 {
    let Some(&o) = ring.first() else { return [0.0; 3] };
    ring.windows(2).fold([0.0; 3], |s, w| add(s, triangle_centroid(o, w[0], w[1]), 1.0))
}

/// Densifies the planar (plate carrée) edge `pa`–`pb` into geodesic edges, as
/// S2's edge tessellator does (the version Kusto's doc examples match):
/// bisect in longitude/latitude until the midpoint of each piece's geodesic
/// is within `tolerance` (radians, as a chord) of its planar midpoint.
/// Appends the points after `pa`; gives up (false) past `limit` points.
pub fn tessellate(pa: Coord, pb: Coord, tolerance: f64, out: &mut Vec<Coord>, limit: usize) -> bool {
    let chord = 2.0 * (tolerance.min(std::f64::consts::PI) / 2.0).sin();
    let mut stack = vec![(pa, pb)];
    while let Some((pa, pb)) = stack.pop() {
        if out.len() > limit {
            return false;
        }
        let (a, b) = (to_v3(pa), to_v3(pb));
        let mid = Coord { x: (pa.x + pb.x) / 2.0, y: (pa.y + pb.y) / 2.0 };
        let sum = add(a, b, 1.0);
        let error = if norm(sum) < 1e-12 { f64::INFINITY } else { norm(add(unit(sum), to_v3(mid), -1.0)) };
        if error < chord {
            out.push(pb);
        } else {
            // Second half pushed first so the first half is processed first.
            stack.push((mid, pb));
            stack.push((pa, mid));
        }
    }
    true
}

/// The gnomonic projection about a centre: a great circle maps to a straight
/// line, so `geo`'s planar algorithms give exact spherical answers for
/// shapes within (a little less than) a hemisphere of the centre. Planar
/// units are radians at the centre.
#[derive(Clone, Copy, Debug)]
pub struct Gnomonic {
    c: V3,
    e1: V3,
    e2: V3,
}

/// How close to 90° from the centre a point may be (cosine): beyond it the
/// projection is too distorted to be of use.
const MIN_COS: f64 = 0.01;

impl Gnomonic {
    /// The projection centred on the mean direction of `points`; `None` when
    /// they do not all fit in one open hemisphere around it.
    pub fn around(points: impl Iterator<Item = V3> + Clone) -> Option<Gnomonic> {
        let sum = points.clone().fold([0.0; 3], |s, p| add(s, p, 1.0));
        if norm(sum) < 1e-12 {
            return None;
        }
        let g = Gnomonic::at(unit(sum));
        points.into_iter().all(|p| dot(p, g.c) > MIN_COS).then_some(g)
    }

    /// The projection centred on `c` (a unit vector).
    pub fn at(c: V3) -> Gnomonic {
        let axis = if c[2].abs() < 0.9 { [0.0, 0.0, 1.0] } else { [1.0, 0.0, 0.0] };
        let e1 = unit(cross(axis, c));
        Gnomonic { c, e1, e2: cross(c, e1) }
    }

    /// Whether `p` can be projected.
    pub fn covers(&self, p: V3) -> bool {
        dot(p, self.c) > MIN_COS
    }

    /// The planar image of a sphere point (`covers(p)` must hold).
    pub fn project(&self, p: V3) -> Coord {
        let d = dot(p, self.c);
        Coord { x: dot(p, self.e1) / d, y: dot(p, self.e2) / d }
    }

    /// The sphere point of a planar one.
    pub fn unproject(&self, q: Coord) -> V3 {
        unit(add(add(self.c, self.e1, q.x), self.e2, q.y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gnomonic_round_trips_and_keeps_orientation() {
        let pts = [Coord { x: -73.9, y: 40.7 }, Coord { x: -74.0, y: 40.8 }, Coord { x: -73.95, y: 40.9 }];
        let g = Gnomonic::around(pts.iter().map(|&c| to_v3(c))).unwrap();
        for c in pts {
            let back = to_coord(g.unproject(g.project(to_v3(c))));
            assert!((back.x - c.x).abs() < 1e-12 && (back.y - c.y).abs() < 1e-12);
        }
        // East is +x and north is +y at the centre.
        let (a, b) = (g.project(to_v3(pts[0])), g.project(to_v3(pts[1])));
        assert!(a.x > b.x && a.y < b.y);
    }

    #[test]
    fn antipodal_points_do_not_project() {
        let pts = [to_v3(Coord { x: 0.0, y: 0.0 }), to_v3(Coord { x: 180.0, y: 0.0 })];
        assert!(Gnomonic::around(pts.into_iter()).is_none());
    }
}
