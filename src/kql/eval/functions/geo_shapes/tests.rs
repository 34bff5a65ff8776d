//! Unit tests of the geo shape functions against the doc pages' figures.
