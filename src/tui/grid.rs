//! The one grid for tabular views. It draws any table shape in O(visible
//! cells): column widths come from a bounded sample (the header, the first
//! [`SAMPLE_HEAD`] rows and the visible window), each cell measured on a
//! bounded prefix; x positions are computed here and cells are written
//! straight to the buffer, so no layout solver ever sees the columns. The
//! first column stays pinned; the others scroll by column from an offset.
//! Every cell and header goes through [`inert`]: event values are untrusted.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use crate::data::text::inert;
use crate::kql::eval::Frame;
use crate::kql::eval::functions::convert::display_text;

use super::layout::offset;
use super::theme;

/// The widest a column is sized from its content (wider text is cut with `…`).
pub const MAX_COL: u16 = 40;
/// Rows from the top always sampled for widths, so widths hold still while scrolling near the top.
pub const SAMPLE_HEAD: usize = 16;
/// Characters of a cell ever looked at; a longer cell is cut (a 100 KB value
/// costs no more than this).
pub const CLIP: usize = 1024;
/// A partly fitting last column narrower than this is left out.
const MIN_PARTIAL: u16 = 3;

/// A table the grid draws: its size, headers and cells on demand. Text is
/// raw (the grid makes it inert); a source may cut a cell with [`clip`].
pub trait GridSource {
    /// Number of rows.
    fn rows(&self) -> usize;
    /// Number of columns.
    fn cols(&self) -> usize;
    /// The header of column `col`.
    fn header(&self, col: usize) -> Cow<'_, str>;
    /// The cell at (`row`, `col`), both in range.
    fn cell(&self, row: usize, col: usize) -> Line<'_>;
    /// A style for a whole row (dimmed, hidden, ...).
    fn row_style(&self, _row: usize) -> Style {
        Style::new()
    }
}

/// At most [`CLIP`] + 1 characters of `s`: enough to draw any cell and to
/// tell that it was cut.
pub fn clip(s: &str) -> &str {
    prefix(s, CLIP + 1).0
}

/// The first `n` characters of `s`, and whether anything was cut.
fn prefix(s: &str, n: usize) -> (&str, bool) {
    match s.char_indices().nth(n) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

/// Characters looked at for a cell `cap` cells wide: each is at least one
/// cell unless zero-width, so twice that (and a little) covers the text.
fn enough(cap: usize) -> usize {
    cap.saturating_mul(2).saturating_add(8).min(CLIP)
}

/// Display width of a line made inert, stopping past `cap`; true when the
/// text was cut before being measured (so it is wider than shown).
fn measure(line: &Line<'_>, cap: usize) -> (usize, bool) {
    let mut w = 0;
    for span in &line.spans {
        let (raw, cut) = prefix(&span.content, enough(cap));
        w += Span::raw(inert(raw)).width();
        if cut || w > cap {
            return (w.min(cap + 1), true);
        }
    }
    (w, false)
}

/// Writes `line` at (x, y) in `width` cells, cut with `…` when longer.
fn put(buf: &mut Buffer, x: u16, y: u16, width: u16, line: &Line<'_>) {
    if width == 0 {
        return;
    }
    let (w, cut) = measure(line, width as usize);
    let cut = cut || w > width as usize;
    let mut room = if cut { width - 1 } else { width };
    let mut cx = x;
    for span in &line.spans {
        if room == 0 {
            break;
        }
        let text = inert(prefix(&span.content, enough(width as usize)).0);
        let (nx, _) = buf.set_stringn(cx, y, text, room as usize, line.style.patch(span.style));
        room = room.saturating_sub(nx.saturating_sub(cx));
        cx = nx;
    }
    if cut {
        buf.set_string(cx, y, "…", line.style);
    }
}

/// One drawn column: its index, x offset in the pane and width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    /// Column index in the source.
    pub col: usize,
    /// Cells from the pane's inner left edge.
    pub x: u16,
    /// Width in cells.
    pub width: u16,
}

/// The rows sampled for widths: the first [`SAMPLE_HEAD`] and the visible window.
fn sample(rows: usize, first: usize, height: usize) -> impl Iterator<Item = usize> {
    let head = SAMPLE_HEAD.min(rows);
    (0..head).chain(first.max(head)..first.saturating_add(height).min(rows))
}

/// Natural width of column `col` from the header and the sampled rows.
fn natural(src: &dyn GridSource, col: usize, first: usize, height: usize) -> u16 {
    let cap = MAX_COL as usize;
    let mut w = measure(&Line::raw(src.header(col)), cap).0;
    for r in sample(src.rows(), first, height) {
        if w >= cap {
            break;
        }
        w = w.max(measure(&src.cell(r, col), cap).0);
    }
    w.clamp(1, cap) as u16
}

/// The columns that fit in `width` cells: column 0 pinned, then from
/// `col_offset` (at least 1) on. The table's last column takes the rest of
/// the width; a partly fitting one is cut with `…`.
pub fn columns(src: &dyn GridSource, width: u16, col_offset: usize, first: usize, height: usize) -> Vec<Placed> {
    let ncols = src.cols();
    let mut out = Vec::new();
    let mut x = 0u16;
    let start = col_offset.clamp(1, ncols.max(1));
    for col in std::iter::once(0).chain(start..ncols).take_while(|&c| c < ncols) {
        let room = width.saturating_sub(x);
        if room == 0 {
            break;
        }
        let want = natural(src, col, first, height);
        if want > room && room < MIN_PARTIAL && !out.is_empty() {
            break;
        }
        let w = if col + 1 == ncols { room } else { want.min(room) };
        out.push(Placed { col, x, width: w });
        x = x.saturating_add(w).saturating_add(1);
    }
    out
}

/// `row 2/3 · cols 1,5–12 of 58 · ←→ scroll`.
pub fn position(rows: usize, selected: usize, ncols: usize, placed: &[Placed]) -> String {
    let row = if rows == 0 { "0 rows".to_string() } else { format!("row {}/{rows}", selected.min(rows - 1) + 1) };
    if ncols == 0 {
        return format!("{row} · no columns");
    }
    let range = |a: usize, b: usize| if a == b { format!("{}", a + 1) } else { format!("{}–{}", a + 1, b + 1) };
    let scrolled: Vec<usize> = placed.iter().map(|p| p.col).filter(|&c| c > 0).collect();
    let cols = match (scrolled.first(), scrolled.last()) {
        (Some(&1), Some(&b)) => range(0, b),
        (Some(&a), Some(&b)) => format!("1,{}", range(a, b)),
        _ => "1".to_string(),
    };
    let hint = if placed.len() < ncols { " · ←→ scroll" } else { "" };
    format!("{row} · cols {cols} of {ncols}{hint}")
}

/// A grid over a source, in a block whose bottom line shows the position.
pub struct Grid<'a> {
    /// The table.
    pub source: &'a dyn GridSource,
    /// The selected row.
    pub selected: usize,
    /// The first scrolled column (column 0 is pinned).
    pub col_offset: usize,
    /// The frame around it.
    pub block: Block<'a>,
    /// Extra notes for the bottom line (already inert).
    pub notes: Vec<String>,
}

impl Widget for Grid<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let src = self.source;
        let inner = self.block.inner(area);
        let height = inner.height.saturating_sub(1) as usize;
        let rows = src.rows();
        let first = offset(self.selected, height);
        let placed = columns(src, inner.width, self.col_offset, first, height);
        let mut bottom = position(rows, self.selected, src.cols(), &placed);
        for n in &self.notes {
            bottom.push_str(&format!(" · {n}"));
        }
        self.block.title_bottom(Line::from(format!(" {bottom} ")).style(theme::DIM)).render(area, buf);
        if inner.is_empty() {
            return;
        }
        for p in &placed {
            put(buf, inner.x + p.x, inner.y, p.width, &Line::styled(src.header(p.col), theme::HEADER));
        }
        if rows == 0 {
            if inner.height > 1 {
                buf.set_stringn(inner.x, inner.y + 1, "(no rows)", inner.width as usize, theme::DIM);
            }
            return;
        }
        for (i, r) in (first..rows.min(first.saturating_add(height))).enumerate() {
            let y = inner.y + 1 + i as u16;
            let mut style = src.row_style(r);
            if r == self.selected {
                style = style.patch(theme::SELECTED);
            }
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
            for p in &placed {
                put(buf, inner.x + p.x, y, p.width, &src.cell(r, p.col));
            }
        }
    }
}

/// A query result or rule output as a grid source.
pub struct FrameSource<'a>(pub &'a Frame);

impl GridSource for FrameSource<'_> {
    fn rows(&self) -> usize {
        self.0.len()
    }

    fn cols(&self) -> usize {
        self.0.cols().len()
    }

    fn header(&self, col: usize) -> Cow<'_, str> {
        Cow::Borrowed(self.0.cols().get(col).map_or("", |c| c.name.as_str()))
    }

    fn cell(&self, row: usize, col: usize) -> Line<'_> {
        // The value is a temporary, so the text is copied: cut first.
        let v = self.0.value(row, col);
        Line::raw(clip(&display_text(&v)).to_string())
    }
}
