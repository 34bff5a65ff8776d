//! Streaming-API records on the fast path: a scalar envelope around a flat
//! `properties` object.

use super::{FlatScanner, Scalar, Text, quote_or_backslash, skip_spaces};

impl<'a> FlatScanner<'a> {
    /// The envelope of a streaming record, its `properties` into the fields.
    pub(super) fn record(&mut self, line: &'a str) -> Option<()> {
        let b = line.as_bytes();
        let mut at = skip_spaces(b, 0);
        if b.get(at) != Some(&b'{') {
            return None;
        }
        at = skip_spaces(b, at + 1);
        let mut properties = false;
        loop {
            if b.get(at) != Some(&b'"') {
                return None;
            }
            // Envelope keys are plain ASCII; one with an escape goes to serde.
            let key_end = quote_or_backslash(b, at + 1)?;
            if b[key_end] != b'"' {
                return None;
            }
            let key = line.get(at + 1..key_end)?;
            at = skip_spaces(b, key_end + 1);
            if b.get(at) != Some(&b':') {
                return None;
            }
            at = skip_spaces(b, at + 1);
            at = match key {
                "properties" if !properties => {
                    properties = true;
                    self.members(line, at)?
                }
                // A second `properties` is an ordinary field to serde.
                "properties" => return None,
                _ => {
                    let (value, end) = self.scalar(line, at)?;
                    if key == "category" {
                        match value {
                            Scalar::Str(Text::Line(category)) => self.category = Some(category),
                            _ => return None,
                        }
                    }
                    end
                }
            };
            at = skip_spaces(b, at);
            match b.get(at) {
                Some(b',') => at = skip_spaces(b, at + 1),
                Some(b'}') => return (properties && skip_spaces(b, at + 1) == b.len()).then_some(()),
                _ => return None,
            }
        }
    }
}
