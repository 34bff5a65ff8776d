//! What the column keys do to the grid shown: `-` hides the cursor column,
//! `<` / `>` move it, `c` opens the column chooser (every column, shown or
//! not; Space, `K` / `J`, `/` to find, Enter applies). The last shown column
//! can never be hidden.

use super::action::Action;
use super::app::{App, Overlay};
use super::columns::{ColumnChooser, column_name};

/// Said when no grid shows (a raw event, an error, the rule list).
const NO_GRID: &str = "no columns here: the column keys work on a table (a result, device groups, a device's hits)";

impl App {
    /// `-`: hides the cursor column; the cursor goes to the next shown one.
    pub(super) fn hide_column(&mut self) {
        let done = self.edit_grid(|st, src| {
            let order = st.columns.arrange(src);
            let at = order.iter().position(|&c| c == st.cursor).unwrap_or(0);
            let name = column_name(src, order.get(at).copied().unwrap_or(0));
            if order.len() <= 1 {
                return Err(format!("{name} is the only column shown: it cannot be hidden (c chooses columns)"));
            }
            st.columns.hide(&name);
            // The next column takes the cursor's place (the previous one at the right end).
            st.cursor = if at + 1 < order.len() { order[at + 1] } else { order[at - 1] };
            let hidden = st.columns.hidden_count(src);
            Ok(format!("hid {name} ({hidden} hidden) · c shows it again"))
        });
        self.status.message = Some(match done {
            Some(Ok(m) | Err(m)) => m,
            None => NO_GRID.into(),
        });
    }

    /// `<` / `>`: moves the cursor column one shown place left or right; the
    /// cursor moves with it. Moved to the first place, it is the pinned column.
    pub(super) fn move_column(&mut self, left: bool) {
        let done = self.edit_grid(|st, src| {
            let name = column_name(src, st.cursor);
            if !st.columns.shift(src, st.cursor, left) {
                let end = if left { "first" } else { "last" };
                return format!("{name} is already the {end} column");
            }
            let order = st.columns.arrange(src);
            match order.iter().position(|&c| c == st.cursor) {
                Some(0) => format!("{name} is now the first column, pinned"),
                Some(i) => format!("{name} is now column {} of {}", i + 1, order.len()),
                None => String::new(),
            }
        });
        self.status.message = Some(done.unwrap_or_else(|| NO_GRID.into())).filter(|m| !m.is_empty());
    }

    /// `c`: opens the column chooser on the grid shown, the cursor column selected.
    pub(super) fn open_columns(&mut self) {
        let Some(view) = self.grid_view().filter(|_| self.focus == super::app::Focus::Results) else {
            self.status.message = Some(NO_GRID.into());
            return;
        };
        let chooser = ColumnChooser::new(view.source.as_ref(), &view.state.columns, view.state.cursor);
        drop(view);
        self.overlay = Overlay::Columns(Box::new(chooser));
    }

    /// An action while the column chooser is open.
    pub(super) fn columns_action(&mut self, action: Action) {
        let Overlay::Columns(c) = &mut self.overlay else { return };
        c.problem = None;
        if let Some(find) = &mut c.find {
            match action {
                Action::Input(ch) => find.push(ch),
                Action::Backspace => {
                    find.pop();
                }
                Action::Submit => c.find = None,
                Action::Cancel => {
                    c.find = None;
                    c.selected = c.before_find;
                }
                Action::Quit => self.quit_asked(),
                _ => {}
            }
            if let Overlay::Columns(c) = &mut self.overlay
                && c.find.is_some()
            {
                c.find_next(c.before_find);
            }
            return;
        }
        let n = c.columns.len();
        match action {
            Action::Up => c.selected = c.selected.saturating_sub(1),
            Action::Down => c.selected = (c.selected + 1).min(n.saturating_sub(1)),
            Action::PageUp => c.selected = c.selected.saturating_sub(10),
            Action::PageDown => c.selected = (c.selected + 10).min(n.saturating_sub(1)),
            Action::Top => c.selected = 0,
            Action::Bottom => c.selected = n.saturating_sub(1),
            Action::Toggle => {
                let shown = c.shown();
                if let Some((name, on)) = c.columns.get_mut(c.selected) {
                    if *on && shown <= 1 {
                        c.problem = Some(format!("{name} is the only column shown: show another one first"));
                    } else {
                        *on = !*on;
                    }
                }
            }
            Action::MoveUp if c.selected > 0 => {
                c.columns.swap(c.selected, c.selected - 1);
                c.selected -= 1;
            }
            Action::MoveDown if c.selected + 1 < n => {
                c.columns.swap(c.selected, c.selected + 1);
                c.selected += 1;
            }
            Action::ShowAll => c.columns.iter_mut().for_each(|(_, on)| *on = true),
            Action::Search => {
                c.find = Some(String::new());
                c.before_find = c.selected;
            }
            Action::Submit => self.apply_columns(),
            Action::Cancel => self.overlay = Overlay::None,
            Action::Quit => self.quit_asked(),
            _ => {}
        }
    }

    /// Enter in the chooser: the grid shows its columns as chosen.
    fn apply_columns(&mut self) {
        let Overlay::Columns(c) = &mut self.overlay else { return };
        if c.shown() == 0 {
            c.problem = Some("at least one column must show".into());
            return;
        }
        let (columns, selected) = (c.columns.clone(), c.selected);
        self.overlay = Overlay::None;
        let done = self.edit_grid(|st, src| {
            st.columns.set(&columns);
            // The cursor goes to the column selected in the chooser when it shows.
            if let Some((name, true)) = columns.get(selected) {
                st.cursor = (0..src.cols()).find(|&i| column_name(src, i) == *name).unwrap_or(st.cursor);
            }
            let hidden = st.columns.hidden_count(src);
            format!("columns: {} shown, {hidden} hidden", src.cols() - hidden)
        });
        self.status.message = Some(done.unwrap_or_else(|| NO_GRID.into()));
    }
}
