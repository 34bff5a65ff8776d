//! What the user asked for: every key, click and resize becomes one
//! [`Action`], and only [`crate::tui::app::App::update`] turns actions into
//! state changes.

/// One user intent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Quit (asks first when there are unsaved changes).
    Quit,
    /// Stop the running ad-hoc query.
    CancelQuery,
    /// Time passed: pick up a finished background query.
    Tick,
    /// Show or hide the key help.
    Help,
    /// Show or hide the load report.
    Report,
    /// Show or hide the message log.
    Messages,
    /// Focus the next pane.
    NextPane,
    /// Focus the previous pane.
    PrevPane,
    /// Move the selection up.
    Up,
    /// Move the selection down.
    Down,
    /// Move the selection a page up.
    PageUp,
    /// Move the selection a page down.
    PageDown,
    /// Select the first item.
    Top,
    /// Select the last item.
    Bottom,
    /// Open the selected item (drill down).
    Enter,
    /// Go back one level, keeping the selection.
    Back,
    /// Fuzzy-search the rules.
    Search,
    /// Sort by the next column.
    Sort,
    /// Reverse the sort order.
    Reverse,
    /// Scroll a table one column left (the first column stays).
    ScrollLeft,
    /// Scroll a table one column right.
    ScrollRight,
    /// Enable or disable the selected exclusion.
    Toggle,
    /// Add an exclusion (filter typed in the input line).
    Add,
    /// Edit the selected exclusion's filter.
    Edit,
    /// Save every rule with unsaved exclusion changes.
    Save,
    /// Run an ad-hoc KQL query.
    AdHoc,
    /// Show or hide the hits the active exclusions hide.
    ToggleHidden,
    /// Copy the selected cell or value to the clipboard (OSC 52).
    Copy,
    /// Propose an exclusion from the selected field of the raw event.
    Propose,
    /// Mark or unmark the selected hit (or device) as a false positive.
    Mark,
    /// Propose an exclusion filter from the rule's marked hits.
    Suggest,
    /// Stack the cursor column: a frequency view of its values.
    Stack,
    /// Give the focused pane the whole body.
    Zoom,
    /// Break the editor's line at the cursor.
    Newline,
    /// Complete the table, operator or column name before the cursor.
    Complete,
    /// Query every loaded table for the cursor cell's value.
    Pivot,
    /// Query this row's device, every table, an hour either side of its time.
    PivotDevice,
    /// Write the current view to a CSV or JSON file.
    Export,
    /// Copy the selected row (OSC 52).
    CopyRow,
    /// Delete the selected exclusion (undoable).
    DeleteExclusion,
    /// Undo the last edit of the rule's exclusions.
    Undo,
    /// Rename the selected exclusion (the form, cursor on the name).
    Rename,
    /// Move the selected exclusion up one place.
    MoveUp,
    /// Move the selected exclusion down one place.
    MoveDown,
    /// The form's next field.
    NextField,
    /// The form's previous field.
    PrevField,
    /// Save preview: save the selected rule only.
    SaveRule,
    /// Save preview: save every changed rule.
    SaveAll,
    /// Chooser: keep the filter as the one being built (the next `x` adds to it).
    Build,
    /// Show the exclusion that hides the selected hit in the exclusions pane.
    JumpToExclusion,
    /// Hide the grid's cursor column.
    HideColumn,
    /// Move the grid's cursor column one place left.
    MoveColumnLeft,
    /// Move the grid's cursor column one place right.
    MoveColumnRight,
    /// Open the column chooser of the grid shown.
    Columns,
    /// Column chooser: show every column.
    ShowAll,
    /// Type a character into the input line.
    Input(char),
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Move the cursor left.
    Left,
    /// Move the cursor right.
    Right,
    /// Move the cursor to the start.
    Home,
    /// Move the cursor to the end.
    End,
    /// Accept the input line.
    Submit,
    /// Close the input line or dialog without acting.
    Cancel,
    /// Answer yes (save, then quit).
    Yes,
    /// Answer no (quit without saving).
    No,
    /// Left click at (column, row).
    Click(u16, u16),
    /// Mouse wheel up at (column, row).
    WheelUp(u16, u16),
    /// Mouse wheel down at (column, row).
    WheelDown(u16, u16),
    /// The terminal is now (width, height).
    Resize(u16, u16),
}

impl Action {
    /// A short name for the status bar's timing ("toggle: 0.3 ms").
    pub fn name(self) -> &'static str {
        match self {
            Action::Toggle => "toggle",
            Action::Enter => "open",
            Action::Back => "back",
            Action::Sort | Action::Reverse => "sort",
            Action::Save | Action::SaveRule | Action::SaveAll => "save",
            Action::DeleteExclusion => "delete",
            Action::Undo => "undo",
            Action::MoveUp | Action::MoveDown => "reorder",
            Action::Submit => "apply",
            Action::ToggleHidden => "show hidden",
            Action::Mark => "mark",
            Action::Suggest => "suggest",
            Action::Input(_) | Action::Backspace | Action::Delete => "preview",
            Action::Click(..) => "select",
            Action::Tick => "query",
            Action::Pivot | Action::PivotDevice => "pivot",
            Action::Export => "export",
            Action::Copy | Action::CopyRow => "copy",
            Action::CancelQuery => "cancel",
            Action::ScrollLeft | Action::ScrollRight => "scroll",
            Action::Stack => "stack",
            Action::HideColumn | Action::MoveColumnLeft | Action::MoveColumnRight | Action::Columns => "columns",
            _ => "move",
        }
    }
}
