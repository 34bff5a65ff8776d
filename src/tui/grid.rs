//! The one grid for tabular views. It draws any table shape in O(visible
//! cells): column widths come from a bounded sample (the header, the first
//! [`SAMPLE_HEAD`] rows and the visible window), each cell measured on a
//! bounded prefix; x positions are computed here and cells are written
//! straight to the buffer, so no layout solver ever sees the columns. The
//! first column stays pinned; the others scroll by column from an offset,
//! which follows a column cursor ([`follow`]). The sorted column's header
//! carries `▲`/`▼`; the cursor's header is highlighted.
//! Every cell and header goes through [`inert`]: event values are untrusted.

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

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

/// A sort on one column, as the header shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortBy {
    /// The column.
    pub col: usize,
    /// Descending (`▼`); else ascending (`▲`).
    pub desc: bool,
}

impl SortBy {
    /// The header mark.
    pub fn arrow(self) -> &'static str {
        if self.desc { "▼" } else { "▲" }
    }
}

/// A grid view's column cursor, scroll, sort and column layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridState {
    /// The selected column (a source column index, whatever the layout).
    pub cursor: usize,
    /// The first scrolled column among the shown ones (the first shown
    /// stays pinned); follows the cursor.
    pub col_offset: usize,
    /// The sort, if any (a table result starts in its own order); by source column.
    pub sort: Option<SortBy>,
    /// Which columns show, in what order.
    pub columns: ColumnLayout,
}

/// A view's column layout, by column name (what it does with a source is
/// in `columns.rs`). Empty: every column, in the source's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnLayout {
    /// Column names in the order chosen; columns not listed follow, in the source's order.
    pub order: Vec<String>,
    /// Names of the hidden columns.
    pub hidden: Vec<String>,
}

impl GridState {
    /// The cursor on the first column, unscrolled, sorted by `sort`, every column shown.
    pub fn new(sort: Option<SortBy>) -> GridState {
        GridState { cursor: 0, col_offset: 1, sort, columns: Default::default() }
    }
}

/// The header of `col` with its sort mark.
fn header<'a>(src: &'a dyn GridSource, col: usize, sort: Option<SortBy>) -> Line<'a> {
    match sort.filter(|s| s.col == col) {
        Some(s) => Line::from(vec![Span::raw(src.header(col)), Span::raw(s.arrow())]),
        None => Line::raw(src.header(col)),
    }
}

/// Natural width of column `col` from the header and the sampled rows.
fn natural(src: &dyn GridSource, col: usize, first: usize, height: usize, sort: Option<SortBy>) -> u16 {
    let cap = MAX_COL as usize;
    let mut w = measure(&header(src, col, sort), cap).0;
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
/// the width; a partly fitting one is cut with `…`. `sort` widens the
/// sorted column's header by its mark.
pub fn columns(
    src: &dyn GridSource,
    width: u16,
    col_offset: usize,
    first: usize,
    height: usize,
    sort: Option<SortBy>,
) -> Vec<Placed> {
    let ncols = src.cols();
    let mut out = Vec::new();
    let mut x = 0u16;
    let start = col_offset.clamp(1, ncols.max(1));
    for col in std::iter::once(0).chain(start..ncols).take_while(|&c| c < ncols) {
        let room = width.saturating_sub(x);
        if room == 0 {
            break;
        }
        let want = natural(src, col, first, height, sort);
        if want > room && room < MIN_PARTIAL && !out.is_empty() {
            break;
        }
        let w = if col + 1 == ncols { room } else { want.min(room) };
        out.push(Placed { col, x, width: w });
        x = x.saturating_add(w).saturating_add(1);
    }
    out
}

/// The column offset nearest `col_offset` that shows column `cursor` whole
/// (or at least first among the scrolled ones): scrolling follows the
/// cursor. Column 0 is pinned, so a cursor on it keeps the offset.
pub fn follow(src: &dyn GridSource, width: u16, view: (usize, usize), cursor: usize, col_offset: usize) -> usize {
    let ncols = src.cols();
    let (first, height) = view;
    let mut off = col_offset.clamp(1, ncols.saturating_sub(1).max(1));
    if cursor == 0 || cursor >= ncols {
        return off;
    }
    if cursor <= off {
        return cursor;
    }
    let want = natural(src, cursor, first, height, None);
    // Each step costs one layout of the visible columns; a cursor moves one column at a time.
    while off < cursor {
        let placed = columns(src, width, off, first, height, None);
        if placed.iter().any(|p| p.col == cursor && p.width >= want) {
            break;
        }
        off += 1;
    }
    off
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

/// True when some shown cell of `row` contains `needle` (already
/// lowercase), as drawn: a hidden column does not match, so every row the
/// filter keeps shows why.
/// `shown` is the layout's `arrange` of `src`, made once per filtering.
pub fn row_contains(src: &dyn GridSource, shown: &[usize], row: usize, needle: &str) -> bool {
    shown.iter().any(|&c| {
        let text: String = src.cell(row, c).spans.iter().map(|s| s.content.as_ref()).collect();
        text.to_lowercase().contains(needle)
    })
}

/// The columns a grid draws inside `inner` (its block's inside: the header
/// line, then the rows): scrolled from `col_offset` on to show the `cursor`.
/// Drawing and header clicks both place the columns with it.
pub fn placed(
    src: &dyn GridSource,
    inner: Rect,
    selected: usize,
    col_offset: usize,
    cursor: Option<usize>,
    sort: Option<SortBy>,
) -> Vec<Placed> {
    let height = inner.height.saturating_sub(1) as usize;
    let first = offset(selected, height);
    let col_offset = match cursor {
        Some(c) => follow(src, inner.width, (first, height), c, col_offset),
        None => col_offset,
    };
    columns(src, inner.width, col_offset, first, height, sort)
}

/// A grid over a source, in a block whose bottom line shows the position.
pub struct Grid<'a> {
    /// The table.
    pub source: &'a dyn GridSource,
    /// The selected row.
    pub selected: usize,
    /// The first scrolled column (column 0 is pinned); moved on to show the cursor.
    pub col_offset: usize,
    /// The column cursor (its header is highlighted), if the view has one.
    pub cursor: Option<usize>,
    /// The sort the header marks.
    pub sort: Option<SortBy>,
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
        let placed = placed(src, inner, self.selected, self.col_offset, self.cursor, self.sort);
        let mut bottom = position(rows, self.selected, src.cols(), &placed);
        for n in &self.notes {
            bottom.push_str(&format!(" · {n}"));
        }
        self.block.title_bottom(Line::from(format!(" {bottom} ")).style(theme::DIM)).render(area, buf);
        if inner.is_empty() {
            return;
        }
        for p in &placed {
            let style = if self.cursor == Some(p.col) { theme::CURSOR } else { theme::HEADER };
            put(buf, inner.x + p.x, inner.y, p.width, &header(src, p.col, self.sort).style(style));
        }
        if rows == 0 {
            // The notes may say why (a filter, a table with no events): whole, under it.
            if inner.height > 1 {
                let body = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
                let lines: Vec<Line> =
                    std::iter::once("(no rows)").chain(self.notes.iter().map(String::as_str)).map(Line::from).collect();
                Paragraph::new(lines).style(theme::DIM).wrap(Wrap { trim: false }).render(body, buf);
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
