//! Result frames as aligned text: the CLI's `--format table` and the golden
//! `.out` files (`typed_text`). Cells are made inert (`data::text::inert`)
//! and cut at [`MAX_CELL`] characters.

use crate::data::text::inert;
use crate::kql::eval::Frame;
use crate::kql::eval::functions::convert::display_text;

/// Widest column in the text table; longer values are cut with `…`.
pub const MAX_CELL: usize = 80;

/// A frame as rows of text cells: the column names, then one row per result
/// row, each value as Kusto's `tostring` writes it.
pub fn cells(frame: &Frame) -> Vec<Vec<String>> {
    let mut rows = vec![frame.names().map(str::to_string).collect::<Vec<_>>()];
    for r in 0..frame.len() {
        rows.push((0..frame.cols().len()).map(|c| display_text(&frame.value(r, c)).into_owned()).collect());
    }
    rows
}

/// Like [`cells`], with `name:type` header cells.
pub fn typed_cells(frame: &Frame) -> Vec<Vec<String>> {
    let mut rows = cells(frame);
    if let Some(h) = rows.first_mut() {
        *h = frame.fields().iter().map(|f| format!("{}:{}", f.name, f.dtype)).collect();
    }
    rows
}

/// The result of a query as the golden tests write it: a header of
/// `name:type` cells, a rule, then one aligned line per row.
pub fn typed_text(frame: &Frame) -> String {
    aligned(&typed_cells(frame))
}

/// An aligned text table, one line per row (each ending in `\n`), with a
/// rule of dashes under the first row (the header). No rows, no text.
pub fn aligned(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let Some(header) = rows.first() else { return out };
    let shown: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| cut(&inert(c), MAX_CELL)).collect()).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|c| shown.iter().map(|r| r.get(c).map_or(0, |s| s.chars().count())).max().unwrap_or(0))
        .collect();
    for (i, row) in shown.iter().enumerate() {
        let line: Vec<String> = row.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max - 1).collect();
    t.push('…');
    t
}
