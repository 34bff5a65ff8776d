//! The `samples` layer (see DESIGN.md).
