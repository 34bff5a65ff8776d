//! `parse-kv` (parse-kv-operator.md): extends each row with one column per
//! requested key, read from key/value text. Three modes:
//! - delimiters given: pairs split on `pair_delimiter`, key from value on the
//!   first `kv_delimiter`, both trimmed; quoted keys and values may hold the
//!   delimiters; a piece without a `kv_delimiter` is skipped, or with
//!   `greedy=true` belongs to the value before it (`name=John Doe`);
//! - no delimiters: a key is found where it stands alone, followed by one
//!   non-alphanumeric delimiter (spaces around it allowed); its value is a
//!   quoted string or the run of letters and digits after it;
//! - `regex=`: every match's first group is a key, its second the value.
//!
//! The first occurrence of a key wins. A missing key or a value that does
//! not convert to the column's type gives null (`""` for strings).

use std::sync::Arc;

use crate::data::{ColumnBuilder, Value};
use crate::kql::ast::ParseKv;
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::{Evaluator, Result};
use super::parse::typed_from_text;

/// Quote and escape characters of one `parse-kv`.
struct Quoting<'a> {
    quotes: &'a [(char, char)],
    escapes: &'a [char],
}

impl Quoting<'_> {
    fn closing(&self, open: char) -> Option<char> {
        self.quotes.iter().find(|(o, _)| *o == open).map(|(_, c)| *c)
    }

    /// The end (byte index after the closing quote) of the quoted text
    /// opening at `start`, or the end of `s` when it is never closed.
    fn quoted_end(&self, s: &str, start: usize, close: char) -> usize {
        let mut it = s[start..].char_indices().skip(1);
        while let Some((i, c)) = it.next() {
            if self.escapes.contains(&c) {
                it.next();
            } else if c == close {
                return start + i + c.len_utf8();
            }
        }
        s.len()
    }

    /// `s` trimmed and, when wholly quoted, without its quotes and escapes.
    fn unquote(&self, s: &str) -> String {
        let t = s.trim();
        let Some(open) = t.chars().next() else { return String::new() };
        let Some(close) = self.closing(open) else { return t.to_string() };
        if self.quoted_end(t, 0, close) != t.len() || t.len() < open.len_utf8() + close.len_utf8() {
            return t.to_string();
        }
        let inner = &t[open.len_utf8()..t.len() - close.len_utf8()];
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if self.escapes.contains(&c) {
                out.extend(chars.next());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Byte offsets of `delim` in `s` outside quoted text.
    fn split_points(&self, s: &str, delim: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < s.len() {
            let c = s[i..].chars().next().unwrap_or_default();
            if let Some(close) = self.closing(c) {
                i = self.quoted_end(s, i, close);
            } else if !delim.is_empty() && s[i..].starts_with(delim) {
                out.push(i);
                i += delim.len();
            } else {
                i += c.len_utf8();
            }
        }
        out
    }
}

/// Pairs of the delimited mode.
fn delimited_pairs(s: &str, pair: &str, kv: &str, q: &Quoting, greedy: bool) -> Vec<(String, String)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    for p in q.split_points(s, pair) {
        pieces.push(&s[at..p]);
        at = p + pair.len();
    }
    pieces.push(&s[at..]);
    let mut out: Vec<(String, String)> = Vec::new();
    // (key, raw value) of the pair a greedy value may still grow.
    let mut open: Option<(String, String)> = None;
    for piece in pieces {
        match q.split_points(piece, kv).first() {
            Some(&k) => {
                if let Some((key, raw)) = open.take() {
                    out.push((key, q.unquote(&raw)));
                }
                let key = q.unquote(&piece[..k]);
                open = Some((key, piece[k + kv.len()..].to_string()));
            }
            None if greedy => {
                if let Some((_, raw)) = open.as_mut() {
                    raw.push_str(pair);
                    raw.push_str(piece);
                }
            }
            None => {}
        }
    }
    if let Some((key, raw)) = open {
        out.push((key, q.unquote(&raw)));
    }
    out
}

/// The value of `key` in the mode without delimiters.
fn free_value(s: &str, key: &str, q: &Quoting) -> Option<String> {
    let word = |c: char| c.is_alphanumeric();
    for (i, _) in s.match_indices(key) {
        let before_ok = s[..i].chars().next_back().is_none_or(|c| !word(c));
        let rest = &s[i + key.len()..];
        let trimmed = rest.trim_start();
        let Some(delim) = trimmed.chars().next() else { continue };
        if !before_ok || word(delim) || delim.is_whitespace() || q.closing(delim).is_some() {
            continue;
        }
        let value = trimmed[delim.len_utf8()..].trim_start();
        let first = value.chars().next()?;
        if let Some(close) = q.closing(first) {
            let end = q.quoted_end(value, 0, close);
            return Some(q.unquote(&value[..end]));
        }
        let end = value.find(|c: char| !word(c)).unwrap_or(value.len());
        return Some(value[..end].to_string());
    }
    None
}

impl Evaluator {
    /// `parse-kv expr as (keys) with (options)`.
    pub(crate) fn parse_kv(&mut self, mut frame: Frame, kv: &ParseKv, span: Span) -> Result<Frame> {
        let text = self.scalar(&kv.expr, &frame)?;
        let re = match &kv.regex {
            Some(r) => Some(
                self.fnctx.regexes.get(r).map_err(|m| KqlError::bad_pattern(span, format!("parse-kv regex: {m}")))?,
            ),
            None => None,
        };
        let q = Quoting { quotes: &kv.quotes, escapes: &kv.escapes };
        let mut builders: Vec<ColumnBuilder> = kv.keys.iter().map(|(_, t)| ColumnBuilder::new(*t)).collect();
        for r in 0..frame.len() {
            let s = match text.get(&frame, r) {
                Value::String(s) => s.to_string(),
                Value::Null => String::new(),
                other => crate::data::column::value_to_json(&other).to_string(),
            };
            let pairs = match (&re, &kv.pair_delimiter, &kv.kv_delimiter) {
                (Some(re), ..) => re
                    .captures_iter(&s)
                    .filter_map(|c| Some((c.get(1)?.as_str().to_string(), c.get(2)?.as_str().to_string())))
                    .collect(),
                (None, Some(pair), Some(kvd)) => delimited_pairs(&s, pair, kvd, &q, kv.greedy),
                _ => Vec::new(),
            };
            for ((key, dtype), b) in kv.keys.iter().zip(builders.iter_mut()) {
                let found = if re.is_some() || kv.pair_delimiter.is_some() {
                    pairs.iter().find(|(k, _)| *k == key.name).map(|(_, v)| v.clone())
                } else {
                    free_value(&s, &key.name, &q)
                };
                b.push(&match found {
                    Some(v) => typed_from_text(&v, *dtype),
                    None if dtype.is_text() => Value::str(""),
                    None => Value::Null,
                });
            }
        }
        for ((key, _), b) in kv.keys.iter().zip(builders) {
            frame.set_column(&key.name, Arc::new(b.finish()));
        }
        Ok(frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Quoting = Quoting { quotes: &[], escapes: &[] };

    #[test]
    fn delimited_greedy_and_quoted() {
        let p = delimited_pairs("a=John Doe b=5 5", " ", "=", &NONE, false);
        assert_eq!(p, vec![("a".into(), "John".into()), ("b".into(), "5".into())]);
        let p = delimited_pairs("a=John Doe b=5 5", " ", "=", &NONE, true);
        assert_eq!(p, vec![("a".into(), "John Doe".into()), ("b".into(), "5 5".into())]);
        let q = Quoting { quotes: &[('"', '"')], escapes: &['\\'] };
        let p = delimited_pairs(r#"msg="say \"hi\" now" "k 2"=v"#, " ", "=", &q, false);
        assert_eq!(p, vec![("msg".into(), r#"say "hi" now"#.into()), ("k 2".into(), "v".into())]);
    }

    #[test]
    fn free_mode_needs_a_standalone_key() {
        let s = "2021-01-01 [INFO] MyId:7, Id: 42, Text: 'a, b'";
        let q = Quoting { quotes: &[('\'', '\'')], escapes: &[] };
        assert_eq!(free_value(s, "Id", &q).as_deref(), Some("42"));
        assert_eq!(free_value(s, "Text", &q).as_deref(), Some("a, b"));
        assert_eq!(free_value(s, "Missing", &q), None);
    }
}
