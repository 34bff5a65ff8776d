//! `evaluate ipv4_lookup(LookupTable, SourceKey, LookupKey [, ExtraKey...]
//! [, return_unmatched])` and `ipv6_lookup(...)` (ipv4-lookup-plugin.md,
//! ipv6-lookup-plugin.md): a `lookup` whose key is an address matched
//! against the lookup table's IP prefixes.
//!
//! Each source row gets the lookup rows of the longest prefix that contains
//! its address (or its whole prefix, when the source is masked too) and has
//! equal extra keys. The table is indexed by (prefix length, masked network,
//! extra keys), so a row costs one hash probe per distinct prefix length in
//! the table (at most 33 or 129), not one comparison per range.

use rustc_hash::FxHashMap;

use crate::data::Value;
use crate::kql::ast::{Expr, ExprKind, Ident};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::functions::ip_prefix::{mask_v4, mask_v6, parse_v4, parse_v6};
use super::super::{Evaluator, Result};
use super::grouping::Key;
use super::join::combine;
use super::project::unknown_column;

/// An address as the top bits of a 128-bit number, with its prefix length.
type Prefix = (u128, u32);

/// Parses an IPv4 prefix into the top 32 bits, or an IPv6 one.
fn prefix(text: &str, v6: bool) -> Option<Prefix> {
    if v6 { parse_v6(text) } else { parse_v4(text).map(|(ip, bits)| ((u128::from(mask_v4(ip, bits))) << 96, bits)) }
}

/// `ip` with all but its first `bits` bits (of 128) cleared.
fn masked(ip: u128, bits: u32) -> u128 {
    mask_v6(ip, bits)
}

impl Evaluator {
    /// `ipv4_lookup` (`v6` false) or `ipv6_lookup` (`v6` true).
    pub(crate) fn ip_lookup(&mut self, frame: Frame, plugin: &Ident, args: &[Expr], span: Span) -> Result<Frame> {
        let v6 = plugin.name == "ipv6_lookup";
        let mut args: Vec<&Expr> = args.iter().collect();
        let mut unmatched = false;
        if let Some(last) = args.last().copied()
            && args.len() > 3
        {
            let value = match &last.kind {
                ExprKind::NamedArg { name, value } if name.name == "return_unmatched" => Some(&**value),
                ExprKind::NamedArg { name, .. } => {
                    return Err(KqlError::arguments(
                        name.span,
                        format!("{}(): unknown argument '{}'", plugin.name, name.name),
                    ));
                }
                ExprKind::Name(_) => None,
                _ => Some(last),
            };
            if let Some(v) = value {
                unmatched = match self.constant(v)? {
                    Value::Bool(b) => b,
                    _ => return Err(KqlError::arguments(v.span, "return_unmatched must be a constant bool")),
                };
                args.pop();
            }
        }
        let [table, source_key, lookup_key, extra @ ..] = args.as_slice() else {
            return Err(KqlError::arguments(
                span,
                format!("{}() needs a lookup table, the source key column and the lookup key column", plugin.name),
            ));
        };
        let lookup = self.tabular_arg(table)?;
        let column = |f: &Frame, e: &Expr| -> Result<usize> {
            match &e.kind {
                ExprKind::Name(id) => f.index_of(&id.name).ok_or_else(|| unknown_column(f, &id.name, id.span)),
                _ => Err(KqlError::arguments(e.span, "expected a column name")),
            }
        };
        let src_col = column(&frame, source_key)?;
        let key_col = column(&lookup, lookup_key)?;
        let mut src_extra = Vec::new();
        let mut lookup_extra = Vec::new();
        for e in extra {
            src_extra.push(column(&frame, e)?);
            lookup_extra.push(column(&lookup, e)?);
        }
        // (prefix length, network, extra keys) → lookup rows, in table order.
        let mut index: FxHashMap<(u32, u128, Vec<Key>), Vec<u32>> = FxHashMap::default();
        let mut lengths: Vec<u32> = Vec::new();
        for r in 0..lookup.len() {
            let Value::String(text) = lookup.value(r, key_col) else { continue };
            let Some((ip, bits)) = prefix(&text, v6) else { continue };
            let Some(keys) = extra_keys(&lookup, r, &lookup_extra) else { continue };
            index.entry((bits, masked(ip, bits), keys)).or_default().push(r as u32);
            if !lengths.contains(&bits) {
                lengths.push(bits);
            }
        }
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        let (mut lrows, mut rrows) = (Vec::new(), Vec::new());
        for l in 0..frame.len() {
            if l % 65_536 == 0 {
                self.check_cancel(span)?;
            }
            let found = match (frame.value(l, src_col), extra_keys(&frame, l, &src_extra)) {
                (Value::String(text), Some(keys)) => prefix(&text, v6).and_then(|(ip, bits)| {
                    let mut probe = (0, 0, keys);
                    lengths.iter().filter(|&&n| n <= bits).find_map(|&n| {
                        (probe.0, probe.1) = (n, masked(ip, n));
                        index.get(&probe)
                    })
                }),
                _ => None,
            };
            match found {
                Some(rows) => {
                    for &r in rows {
                        lrows.push(Some(l as u32));
                        rrows.push(Some(r));
                    }
                }
                None if unmatched => {
                    lrows.push(Some(l as u32));
                    rrows.push(None);
                }
                None => {}
            }
        }
        let out_row = super::budget::row_bytes(frame.cols().len() + lookup.cols().len());
        self.check_memory(lrows.len() as u64 * out_row, &plugin.name, span)?;
        let out = combine(&frame, &lrows, &lookup, &rrows, &lookup_extra, &|| self.check_cancel(span))?;
        self.charge_frame(&out, &plugin.name, span)?;
        Ok(out)
    }
}

/// The extra key values of row `r`; `None` when one is null (nulls never match).
fn extra_keys(frame: &Frame, r: usize, cols: &[usize]) -> Option<Vec<Key>> {
    cols.iter()
        .map(|&c| {
            let v = frame.value(r, c);
            (!v.is_null()).then(|| Key::of(&v))
        })
        .collect()
}
