//! The scalar function library: one table of [`ScalarFn`] entries, looked up
//! by name. Functions work on single [`Value`]s; the evaluator applies them
//! per row (or once per distinct dictionary value, or once for constants).

use std::sync::LazyLock;

use crate::data::{DataType, Value};

use super::regexes::RegexCache;

/// Value conversions. They live below `ops` and `functions` (both use them);
/// re-exported here for the callers of the conversion functions.
pub use super::convert;

mod args;
mod array;
mod bag;
mod beta;
mod bitwise;
mod cmdline;
mod compress;
mod convert_fns;
mod datetime;
mod dynamic;
mod encoding;
mod format;
mod format_bytes;
mod geo;
mod geo_geohash;
mod geo_h3;
mod geo_h3_cover;
mod geo_s2;
mod geo_s2_cover;
mod geo_shapes;
mod geo_wkt;
mod ipv4;
mod ipv6;
mod logic;
mod math;
mod net;
pub mod params;
mod punycode;
mod random;
mod range;
mod series;
pub(crate) mod sketch;
mod string;
mod text_map;
mod text_regex;
mod timezone;
mod trig;
mod units;
mod web;

pub use random::is_volatile;

/// IP prefixes (`a.b.c.d/n`, `x:y::z/n`) for the `ipv4_lookup` and `ipv6_lookup` plugins.
pub(crate) mod ip_prefix {
    pub(crate) use super::ipv6::{mask as mask_v6, parse as parse_v6};
    pub(crate) use super::net::{mask as mask_v4, parse as parse_v4};
}

/// Shapes on Kusto's spherical Earth for the `geo_polygon_lookup` and
/// `geo_line_lookup` plugins.
pub(crate) mod geo_lookup_shapes {
    pub(crate) use super::geo::EARTH_RADIUS;
    pub(crate) use super::geo_s2_cover::{SphericalPolygon, point_at};
    pub(crate) use super::geo_shapes::{lines, polygons, shape_json};
}

#[cfg(test)]
mod tests;

/// What a scalar function sees besides its arguments.
#[derive(Debug, Default)]
pub struct FnCtx {
    /// The session clock (`now()`), in ticks; one value for the whole query.
    pub now: i64,
    /// Compiled regexes by pattern, so per-row calls do not recompile.
    pub regexes: RegexCache,
}

/// A scalar function.
#[derive(Clone, Copy)]
pub struct ScalarFn {
    /// Canonical name (`tolower`).
    pub name: &'static str,
    /// Other accepted names (`parsejson` for `parse_json`).
    pub aliases: &'static [&'static str],
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments (`usize::MAX` = variadic).
    pub max_args: usize,
    /// The result type for the argument types; `Err` names a type mismatch.
    pub return_type: fn(&[DataType]) -> Result<DataType, String>,
    /// Evaluates one call. `Err` is a runtime error that stops the query
    /// (use `Ok(Value::Null)` where Kusto yields null instead).
    pub eval: fn(&[Value], &FnCtx) -> Result<Value, String>,
}

impl std::fmt::Debug for ScalarFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScalarFn").field("name", &self.name).finish()
    }
}

/// Functions the local engine cannot run because they need the Defender or
/// Sentinel service, with the reason shown to the user.
pub const SERVICE_ONLY: &[(&str, &str)] = &[
    ("geo_info_from_ip_address", "needs Microsoft's IP geolocation data, which is not available offline"),
    ("FileProfile", "enriches files from Microsoft's cloud file intelligence, not available offline"),
    ("DeviceFromIP", "needs the Defender device inventory service"),
    ("AssignedIPAddresses", "needs the Defender device inventory service"),
    ("SeenBy", "needs the Defender device inventory service"),
];

/// Kusto functions kqlhunt knows but cannot compute as Kusto does, with why:
/// an error naming them beats "unknown function" and a guessed answer.
pub const NOT_REPRODUCIBLE: &[(&str, &str)] = &[
    ("hash_combine", "Kusto's way of combining hashes is not documented (hash-combine-function.md gives one example)"),
    ("hash_many", "it combines hash() values the way hash_combine() does, which is not documented"),
];

/// Looks up a scalar function by name or alias (case-sensitive, as in Kusto).
pub fn lookup(name: &str) -> Option<&'static ScalarFn> {
    registry().iter().find(|f| f.name == name || f.aliases.contains(&name))
}

/// Every scalar function.
pub fn registry() -> &'static [ScalarFn] {
    static REGISTRY: LazyLock<Vec<ScalarFn>> = LazyLock::new(|| {
        [
            logic::FNS,
            array::FNS,
            bag::FNS,
            convert_fns::FNS,
            string::FNS,
            text_regex::FNS,
            dynamic::FNS,
            datetime::FNS,
            format::FNS,
            format_bytes::FNS,
            range::FNS,
            math::FNS,
            net::FNS,
            punycode::FNS,
            ipv4::FNS,
            ipv6::FNS,
            web::FNS,
            encoding::FNS,
            text_map::FNS,
            bitwise::FNS,
            cmdline::FNS,
            compress::FNS,
            trig::FNS,
            random::FNS,
            &series::fns(),
            sketch::FNS,
            geo::FNS,
            geo_s2::FNS,
            geo_h3::FNS,
            geo_geohash::FNS,
            geo_wkt::FNS,
            geo_shapes::FNS,
            units::FNS,
            beta::FNS,
            timezone::FNS,
        ]
        .concat()
    });
    &REGISTRY
}
