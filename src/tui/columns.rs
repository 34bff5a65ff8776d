//! Which columns a grid view shows, and in what order: the analyst hides
//! (`-`), moves (`<` / `>`) and chooses (`c`) columns per view. The layout is
//! kept by column name, so it survives the view being re-derived (a re-sort,
//! an exclusion toggled, the same query run again). The grid draws an
//! [`Arranged`] source: the visible columns in display order, the first of
//! them pinned. The column cursor and the sort stay source column indices,
//! so everything that reads the cursor cell is unaffected by the layout.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use ratatui::style::Style;
use ratatui::text::Line;

pub use super::grid::ColumnLayout;
use super::grid::GridSource;

/// A column's name as the layout keys it (headers may carry padding for row marks).
pub fn column_name(src: &dyn GridSource, col: usize) -> String {
    src.header(col).trim().to_string()
}

impl ColumnLayout {
    /// True when the layout shows every column in the source's order.
    pub fn is_default(&self) -> bool {
        self.order.is_empty() && self.hidden.is_empty()
    }

    /// Every source column in display order, hidden ones included, each
    /// with whether it shows.
    pub fn all(&self, src: &dyn GridSource) -> Vec<(usize, bool)> {
        let n = src.cols();
        if self.is_default() {
            return (0..n).map(|c| (c, true)).collect();
        }
        let names: Vec<String> = (0..n).map(|c| column_name(src, c)).collect();
        let mut placed = vec![false; n];
        let mut out = Vec::with_capacity(n);
        if !self.order.is_empty() {
            let index: HashMap<&str, usize> = names.iter().enumerate().rev().map(|(i, s)| (s.as_str(), i)).collect();
            for name in &self.order {
                if let Some(&c) = index.get(name.as_str())
                    && !placed[c]
                {
                    placed[c] = true;
                    out.push(c);
                }
            }
        }
        out.extend((0..n).filter(|&c| !placed[c]));
        let hidden: HashSet<&str> = self.hidden.iter().map(String::as_str).collect();
        out.into_iter().map(|c| (c, !hidden.contains(names[c].as_str()))).collect()
    }

    /// The visible source columns in display order.
    pub fn arrange(&self, src: &dyn GridSource) -> Vec<usize> {
        if self.is_default() {
            return (0..src.cols()).collect();
        }
        self.all(src).into_iter().filter(|&(_, shown)| shown).map(|(c, _)| c).collect()
    }

    /// The first shown source column (where a new view's cursor starts).
    pub fn first_shown(&self, src: &dyn GridSource) -> usize {
        self.arrange(src).first().copied().unwrap_or(0)
    }

    /// How many of the source's columns are hidden.
    pub fn hidden_count(&self, src: &dyn GridSource) -> usize {
        if self.hidden.is_empty() { 0 } else { self.all(src).iter().filter(|(_, shown)| !shown).count() }
    }

    /// Sets the layout from every column's (name, shown) in display order.
    pub fn set(&mut self, columns: &[(String, bool)]) {
        self.order = columns.iter().map(|(n, _)| n.clone()).collect();
        self.hidden = columns.iter().filter(|(_, shown)| !shown).map(|(n, _)| n.clone()).collect();
    }

    /// Hides column `name`.
    pub fn hide(&mut self, name: &str) {
        if !self.hidden.iter().any(|h| h == name) {
            self.hidden.push(name.to_string());
        }
    }

    /// Moves source column `col` one visible place left (`left`) or right
    /// in `src`'s display order; false when it is already at that end.
    pub fn shift(&mut self, src: &dyn GridSource, col: usize, left: bool) -> bool {
        let mut all = self.all(src);
        let Some(at) = all.iter().position(|&(c, _)| c == col) else { return false };
        // The visible neighbour on that side; hidden columns in between are stepped over.
        let next = if left {
            all[..at].iter().rposition(|&(_, shown)| shown)
        } else {
            all[at + 1..].iter().position(|&(_, shown)| shown).map(|i| at + 1 + i)
        };
        let Some(to) = next else { return false };
        let item = all.remove(at);
        all.insert(to, item);
        self.order = all.iter().map(|&(c, _)| column_name(src, c)).collect();
        true
    }
}

/// A source seen through a layout: its visible columns in display order.
pub struct Arranged<'a> {
    /// The source.
    pub src: &'a dyn GridSource,
    /// Display column → source column.
    pub order: Vec<usize>,
}

impl<'a> Arranged<'a> {
    /// `src` as `layout` shows it.
    pub fn new(src: &'a dyn GridSource, layout: &ColumnLayout) -> Arranged<'a> {
        Arranged { src, order: layout.arrange(src) }
    }

    /// The display position of source column `col`, if it shows.
    pub fn position(&self, col: usize) -> Option<usize> {
        self.order.iter().position(|&c| c == col)
    }
}

impl GridSource for Arranged<'_> {
    fn rows(&self) -> usize {
        self.src.rows()
    }

    fn cols(&self) -> usize {
        self.order.len()
    }

    fn header(&self, col: usize) -> Cow<'_, str> {
        self.order.get(col).map_or(Cow::Borrowed(""), |&c| self.src.header(c))
    }

    fn cell(&self, row: usize, col: usize) -> Line<'_> {
        self.order.get(col).map_or_else(Line::default, |&c| self.src.cell(row, c))
    }

    fn row_style(&self, row: usize) -> Style {
        self.src.row_style(row)
    }
}

/// The column chooser (`c`): every column of the view in display order with
/// whether it shows; applied to the view on Enter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnChooser {
    /// Every column's name and whether it shows, in display order.
    pub columns: Vec<(String, bool)>,
    /// The selected column.
    pub selected: usize,
    /// The text typed to find a column (`/`), while finding.
    pub find: Option<String>,
    /// Where the selection was when finding started (Esc returns there).
    pub before_find: usize,
    /// Why Enter was refused, if it was.
    pub problem: Option<String>,
}

impl ColumnChooser {
    /// The chooser over `src` as `layout` shows it, on source column `cursor`.
    pub fn new(src: &dyn GridSource, layout: &ColumnLayout, cursor: usize) -> ColumnChooser {
        let all = layout.all(src);
        let selected = all.iter().position(|&(c, _)| c == cursor).unwrap_or(0);
        let columns = all.into_iter().map(|(c, shown)| (column_name(src, c), shown)).collect();
        ColumnChooser { columns, selected, find: None, before_find: selected, problem: None }
    }

    /// The first column from the selection on (wrapping) whose name
    /// contains the find text, any case.
    pub fn find_next(&mut self, from: usize) {
        let Some(needle) = self.find.as_ref().map(|f| f.to_lowercase()).filter(|f| !f.is_empty()) else { return };
        let n = self.columns.len();
        if let Some(i) = (0..n).map(|k| (from + k) % n).find(|&i| self.columns[i].0.to_lowercase().contains(&needle)) {
            self.selected = i;
        }
    }

    /// How many columns show.
    pub fn shown(&self) -> usize {
        self.columns.iter().filter(|(_, s)| *s).count()
    }
}
