//! Printing the `scan` operator.

use super::expr::{expr, ident, operand};
use crate::kql::ast::{Scan, ScanOutput, SortKey};

/// Appends `scan ...` (without its `|`); `sort_key` prints an `order by` key.
pub(super) fn scan(out: &mut String, s: &Scan, sort_key: fn(&mut String, &SortKey)) {
    out.push_str("scan");
    if let Some(id) = &s.match_id {
        out.push_str(" with_match_id=");
        ident(out, &id.name);
    }
    for (i, k) in s.order.iter().enumerate() {
        out.push_str(if i == 0 { " order by " } else { ", " });
        sort_key(out, k);
    }
    for (i, e) in s.partition.iter().enumerate() {
        out.push_str(if i == 0 { " partition by " } else { ", " });
        operand(out, e);
    }
    for (i, d) in s.declare.iter().enumerate() {
        out.push_str(if i == 0 { " declare (" } else { ", " });
        ident(out, &d.name.name);
        out.push_str(": ");
        out.push_str(d.dtype.name());
        if let Some(v) = &d.default {
            out.push_str(" = ");
            operand(out, v);
        }
    }
    if !s.declare.is_empty() {
        out.push(')');
    }
    out.push_str(" with (");
    for step in &s.steps {
        out.push_str(" step ");
        ident(out, &step.name.name);
        match step.output {
            ScanOutput::All => {}
            ScanOutput::Last => out.push_str(" output=last"),
            ScanOutput::None => out.push_str(" output=none"),
        }
        out.push_str(": ");
        expr(out, &step.condition);
        for (i, (col, e)) in step.assign.iter().enumerate() {
            out.push_str(if i == 0 { " => " } else { ", " });
            ident(out, &col.name);
            out.push_str(" = ");
            operand(out, e);
        }
        out.push(';');
    }
    out.push_str(" )");
}
