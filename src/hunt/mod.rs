//! The `hunt` layer (see DESIGN.md).
