//! The `tui` layer (see DESIGN.md).
