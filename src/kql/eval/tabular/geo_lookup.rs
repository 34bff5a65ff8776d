//! `evaluate geo_polygon_lookup(LookupTable, PolygonKey, SourceLongitude,
//! SourceLatitude [, radius] [, return_unmatched] [, lookup_area_radius]
//! [, return_lookup_key])` and `geo_line_lookup(LookupTable, LineKey,
//! SourceLongitude, SourceLatitude, radius, ...)` (geo-polygon-lookup-plugin.md,
//! geo-line-lookup-plugin.md): a `lookup` whose match is a point inside a
//! polygon (or within `radius` meters of it), or within `radius` meters of a
//! line, on Kusto's sphere with geodesic edges.
//!
//! The output is the source columns, then the lookup table's columns without
//! the shape column (kept with `return_lookup_key = true`); with
//! `return_unmatched = true` a source row that matches nothing is kept with
//! nulls. Invalid shapes never match and rows with invalid coordinates never
//! match. `lookup_area_radius` is only a performance hint in Kusto and is
//! accepted and ignored here: every point is tested against every shape.

use crate::data::Value;
use crate::kql::ast::{Expr, ExprKind, Ident};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::functions::convert::to_real;
use super::super::functions::geo_lookup_shapes::{
    EARTH_RADIUS, SphericalPolygon, lines, point_at, polygons, shape_json,
};
use super::super::{Evaluator, Result};
use super::join::combine;
use super::project::unknown_column;

/// A lookup shape, measured on the unit sphere.
enum Shape {
    Polygon(SphericalPolygon),
    Lines(Vec<Vec<s2::point::Point>>),
}

impl Shape {
    /// The distance in radians from `p` (0 inside a polygon).
    fn distance(&self, p: &s2::point::Point) -> f64 {
        match self {
            Shape::Polygon(poly) => poly.distance(p),
            Shape::Lines(lines) => lines
                .iter()
                .flat_map(|l| l.windows(2))
                .map(|w| s2::edgeutil::distance_from_segment(p, &w[0], &w[1]).rad())
                .fold(f64::INFINITY, f64::min),
        }
    }
}

/// The plugin's options, positional after the four required arguments (the
/// line plugin's radius comes first) or named.
struct Options {
    radius: Option<f64>,
    unmatched: bool,
    lookup_key: bool,
}

impl Evaluator {
    /// `geo_polygon_lookup` or `geo_line_lookup`.
    pub(crate) fn geo_lookup(&mut self, frame: Frame, plugin: &Ident, args: &[Expr], span: Span) -> Result<Frame> {
        let of_lines = plugin.name == "geo_line_lookup";
        let [table, key, lon, lat, rest @ ..] = args else {
            return Err(KqlError::arguments(
                span,
                format!("{}() needs a lookup table, its shape column, and the longitude and latitude", plugin.name),
            ));
        };
        let opts = self.geo_lookup_options(plugin, rest)?;
        if of_lines && opts.radius.is_none() {
            return Err(KqlError::arguments(span, "geo_line_lookup() needs a radius in meters"));
        }
        let lookup = self.tabular_arg(table)?;
        let key_col = match &key.kind {
            ExprKind::Name(id) => {
                lookup.index_of(&id.name).ok_or_else(|| unknown_column(&lookup, &id.name, id.span))?
            }
            _ => return Err(KqlError::arguments(key.span, "expected the lookup table's shape column")),
        };
        let shapes: Vec<Option<Shape>> = (0..lookup.len())
            .map(|r| {
                let v = lookup.value(r, key_col);
                if of_lines {
                    shape_json(&v).and_then(lines).map(|ls| {
                        Shape::Lines(ls.0.iter().map(|l| l.0.iter().map(|c| point_at(c.x, c.y)).collect()).collect())
                    })
                } else {
                    shape_json(&v).and_then(polygons).and_then(|m| SphericalPolygon::new(&m)).map(Shape::Polygon)
                }
            })
            .collect();
        let radius = opts.radius.map(|r| r / EARTH_RADIUS);
        let (lons, lats) = (self.scalar(lon, &frame)?, self.scalar(lat, &frame)?);
        let (mut lrows, mut rrows) = (Vec::new(), Vec::new());
        for l in 0..frame.len() {
            if l % 4096 == 0 {
                self.check_cancel(span)?;
            }
            let p = match (to_real(&lons.get(&frame, l)), to_real(&lats.get(&frame, l))) {
                (Some(x), Some(y)) if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) => {
                    Some(point_at(x, y))
                }
                _ => None,
            };
            let mut matched = false;
            for (r, shape) in shapes.iter().enumerate() {
                let (Some(p), Some(shape)) = (&p, shape) else { continue };
                let hit = match (shape, radius) {
                    (Shape::Polygon(poly), None) => poly.contains(p),
                    (_, Some(rad)) => shape.distance(p) <= rad,
                    (Shape::Lines(_), None) => false,
                };
                if hit {
                    matched = true;
                    lrows.push(Some(l as u32));
                    rrows.push(Some(r as u32));
                }
            }
            if !matched && opts.unmatched {
                lrows.push(Some(l as u32));
                rrows.push(None);
            }
        }
        let skip: Vec<usize> = if opts.lookup_key { Vec::new() } else { vec![key_col] };
        let out_row = super::budget::row_bytes(frame.cols().len() + lookup.cols().len());
        self.check_memory(lrows.len() as u64 * out_row, &plugin.name, span)?;
        let out = combine(&frame, &lrows, &lookup, &rrows, &skip, &|| self.check_cancel(span))?;
        self.charge_frame(&out, &plugin.name, span)?;
        Ok(out)
    }

    /// Reads the optional arguments after the four required ones.
    fn geo_lookup_options(&mut self, plugin: &Ident, rest: &[Expr]) -> Result<Options> {
        let mut opts = Options { radius: None, unmatched: false, lookup_key: false };
        let names = ["radius", "return_unmatched", "lookup_area_radius", "return_lookup_key"];
        for (i, a) in rest.iter().enumerate() {
            let (name, value) = match &a.kind {
                ExprKind::NamedArg { name, value } => (name.name.as_str(), &**value),
                _ => (names.get(i).copied().unwrap_or(""), a),
            };
            let v = self.constant(value)?;
            match (name, v) {
                ("radius", v) => {
                    let r = to_real(&v).filter(|r| r.is_finite() && *r >= 0.0);
                    opts.radius = Some(r.ok_or_else(|| {
                        KqlError::arguments(value.span, "the radius must be a non-negative number of meters")
                    })?);
                }
                ("lookup_area_radius", _) => {}
                ("return_unmatched", Value::Bool(b)) => opts.unmatched = b,
                ("return_lookup_key", Value::Bool(b)) => opts.lookup_key = b,
                ("return_unmatched" | "return_lookup_key", _) => {
                    return Err(KqlError::arguments(value.span, format!("{name} must be a constant bool")));
                }
                _ => {
                    return Err(KqlError::arguments(a.span, format!("{}(): unexpected argument", plugin.name)));
                }
            }
        }
        Ok(opts)
    }
}
