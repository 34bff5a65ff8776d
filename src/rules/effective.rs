//! Where exclusions apply, and the effective KQL of a rule: its own query
//! text with `| where not(<filter>)` spliced in at the hit point for each
//! active exclusion. The rest of the text is left exactly as written.

use crate::kql::ast::OpKind;
use crate::kql::eval::Staged;

/// Index of the operator where a rule's hit rows are taken: the first
/// `summarize`, `distinct`, `top`, `count`, `join`, `union` (and their kin
/// `lookup` and `make-series`, which also stop rows mapping to source rows),
/// or the end of the pipeline.
pub fn hit_point(staged: &Staged) -> usize {
    let ops = &staged.pipeline().ops;
    ops.iter()
        .position(|op| {
            matches!(
                op.kind,
                OpKind::Summarize { .. }
                    | OpKind::Distinct(_)
                    | OpKind::Top { .. }
                    | OpKind::Count(_)
                    | OpKind::Join { .. }
                    | OpKind::Lookup { .. }
                    | OpKind::Union(_)
                    | OpKind::MakeSeries { .. }
            )
        })
        .unwrap_or(ops.len())
}

/// Where to splice exclusions into `query` (the text `staged` was prepared
/// from): before the `|` of the hit-point operator, or at the end of the
/// main pipeline.
pub fn splice_offset(query: &str, staged: &Staged) -> usize {
    let main = staged.pipeline();
    let hp = hit_point(staged);
    match main.ops.get(hp) {
        Some(op) => {
            // Walk back from the operator keyword over blanks to its `|`.
            let before = query.get(..op.span.start).unwrap_or("");
            match before.trim_end().strip_suffix('|') {
                Some(rest) => rest.len(),
                None => op.span.start,
            }
        }
        None => main.span.end.min(query.len()),
    }
}

/// The query with one `| where not(filter)` line per filter at `offset`.
/// The inserted lines are indented like the line they are inserted before.
pub fn splice(query: &str, offset: usize, filters: &[&str]) -> String {
    if filters.is_empty() {
        return query.to_string();
    }
    let offset = offset.min(query.len());
    let line_start = query[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let indent: String = query[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let at_line_start = query[line_start..offset].trim().is_empty();
    let mut ins = String::new();
    for f in filters {
        // A `//` comment in the filter would swallow the closing paren.
        let f = f.trim();
        let close = if f.contains("//") { format!("\n{indent})") } else { ")".to_string() };
        if at_line_start {
            ins.push_str(&format!("| where not({f}{close}\n{indent}"));
        } else {
            ins.push_str(&format!("\n{indent}| where not({f}{close}"));
        }
    }
    let cut = if at_line_start { line_start + indent.len() } else { offset };
    let Some((head, tail)) = query.get(..cut).zip(query.get(cut..)) else {
        return format!("{query}{ins}");
    };
    format!("{head}{ins}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kql::eval::Session;

    fn staged(q: &str) -> Staged {
        Staged::prepare(&Session::default(), q).unwrap()
    }

    #[test]
    fn hit_point_is_the_first_row_ending_operator() {
        let t = "let T = datatable(a:long)[1];\n";
        assert_eq!(hit_point(&staged(&format!("{t}T | where a > 0 | extend b = a"))), 2);
        assert_eq!(hit_point(&staged(&format!("{t}T | where a > 0 | summarize count() | top 1 by a"))), 1);
        assert_eq!(hit_point(&staged(&format!("{t}T | distinct a"))), 0);
        assert_eq!(hit_point(&staged(&format!("{t}T | project a | join (T) on a"))), 1);
    }

    #[test]
    fn splice_offset_is_before_the_pipe_or_at_the_end() {
        let q = "let T = datatable(a:long)[1];\nT\n| where a > 0\n| count";
        assert_eq!(splice_offset(q, &staged(q)), q.find("| count").unwrap());
        let q = "let T = datatable(a:long)[1];\nT | where a > 0";
        assert_eq!(splice_offset(q, &staged(q)), q.len());
    }

    #[test]
    fn splices_before_the_summarize_line() {
        let q = "T\n| where a == 1\n| summarize count() by b";
        let off = q.find("| summarize").unwrap();
        let out = splice(q, off, &["x == 1", "y has \"z\""]);
        assert_eq!(out, "T\n| where a == 1\n| where not(x == 1)\n| where not(y has \"z\")\n| summarize count() by b");
    }

    #[test]
    fn splices_at_the_end() {
        let q = "T | where a == 1";
        assert_eq!(splice(q, q.len(), &["b"]), "T | where a == 1\n| where not(b)");
    }

    #[test]
    fn splices_mid_line() {
        let q = "T | summarize count()";
        assert_eq!(splice(q, 1, &["b"]), "T\n| where not(b) | summarize count()");
    }
}
