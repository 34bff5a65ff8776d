//! The `rules` layer (see DESIGN.md).
