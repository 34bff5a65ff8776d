//! `parse-kv expr as (key: type, ...) [with (option = value, ...)]`
//! (parse-kv-operator.md). Options: `pair_delimiter`, `kv_delimiter`,
//! `quote` and `escape` (each may repeat), `greedy`, or `regex` alone.

use super::{PResult, Parser};
use crate::kql::ast::{OpKind, ParseKv};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};

impl Parser<'_> {
    /// `parse-kv` after its name.
    pub(super) fn parse_kv(&mut self) -> PResult<OpKind> {
        let expr = self.expr()?;
        self.expect_word("as", "after the parsed expression of 'parse-kv'")?;
        let keys = self.column_decls("parse-kv key")?;
        let mut kv = ParseKv {
            expr,
            keys,
            pair_delimiter: None,
            kv_delimiter: None,
            quotes: Vec::new(),
            escapes: Vec::new(),
            greedy: false,
            regex: None,
        };
        if self.eat_word("with").is_none() {
            return Ok(OpKind::ParseKv(Box::new(kv)));
        }
        let open = self.expect_sym(Sym::LParen, "after 'with' of 'parse-kv'")?;
        loop {
            let name = self.ident("a parse-kv option (pair_delimiter, kv_delimiter, quote, escape, greedy, regex)")?;
            self.expect_sym(Sym::Eq, &format!("after '{}'", name.name))?;
            if name.name == "greedy" {
                let tok = self.bump();
                kv.greedy = match &tok.kind {
                    TokenKind::Ident(w) if w.eq_ignore_ascii_case("true") => true,
                    TokenKind::Ident(w) if w.eq_ignore_ascii_case("false") => false,
                    _ => return Err(KqlError::syntax(tok.span, "expected true or false after 'greedy='")),
                };
            } else {
                if !matches!(self.peek().kind, TokenKind::String(_)) {
                    return Err(self.expected(&format!("a string after '{}='", name.name)));
                }
                let (text, span) = self.string_literal();
                let mut chars = text.chars();
                match (name.name.as_str(), chars.next(), chars.next(), chars.next()) {
                    ("pair_delimiter", ..) => kv.pair_delimiter = Some(text),
                    ("kv_delimiter", ..) => kv.kv_delimiter = Some(text),
                    ("regex", ..) => kv.regex = Some(text),
                    ("quote", Some(q), None, _) => kv.quotes.push((q, q)),
                    ("quote", Some(o), Some(c), None) => kv.quotes.push((o, c)),
                    ("quote", ..) => return Err(KqlError::syntax(span, "quote= takes one or two characters")),
                    ("escape", Some(e), None, _) => kv.escapes.push(e),
                    ("escape", ..) => return Err(KqlError::syntax(span, "escape= takes one character")),
                    _ => {
                        return Err(KqlError::syntax(name.span, format!("unknown parse-kv option '{}'", name.name))
                            .with_help("options are pair_delimiter, kv_delimiter, quote, escape, greedy and regex"));
                    }
                }
            }
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        self.expect_close(Sym::RParen, open)?;
        if kv.regex.is_some() && (kv.pair_delimiter.is_some() || kv.kv_delimiter.is_some() || !kv.quotes.is_empty()) {
            return Err(KqlError::syntax(open, "parse-kv regex= cannot be combined with delimiters or quotes"));
        }
        if kv.pair_delimiter.is_some() != kv.kv_delimiter.is_some() {
            return Err(KqlError::syntax(open, "parse-kv needs both pair_delimiter and kv_delimiter, or neither"));
        }
        Ok(OpKind::ParseKv(Box::new(kv)))
    }
}
