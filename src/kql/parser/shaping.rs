//! Operators that reshape rows: `mv-expand`, `parse` and `make-series`.

use super::{PResult, Parser};
use crate::kql::ast::{Ident, OpKind, ParseKind, ParsePart, SeriesAgg};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};

/// The regex flags `parse kind=regex flags=` takes (re2.md "Flags").
const PARSE_FLAGS: &str = "imsU";

impl Parser<'_> {
    /// `mv-expand [bagexpansion=bag|array] [kind=bag|array] [with_itemindex=i] [Name =] expr [to typeof(T)], ... [limit n]`
    pub(super) fn mv_expand(&mut self) -> PResult<OpKind> {
        let mut index = None;
        let mut bag_arrays = false;
        loop {
            // `kind=` only when it is followed by a mode: an item may be named `kind`.
            let kind_mode = self.at_word("kind") && (self.nth_is_word(2, "array") || self.nth_is_word(2, "bag"));
            if self.eat_param("bagexpansion") || (kind_mode && self.eat_param("kind")) {
                let mode = self.ident("'bag' or 'array' after 'bagexpansion='")?;
                bag_arrays = match mode.name.as_str() {
                    "array" => true,
                    "bag" => false,
                    _ => return Err(KqlError::syntax(mode.span, "expected 'bag' or 'array' after 'bagexpansion='")),
                };
            } else if self.eat_param("with_itemindex") {
                index = Some(self.ident("a column name after 'with_itemindex='")?);
            } else if self.at_hint() {
                self.skip_hints()?;
            } else {
                break;
            }
        }
        let mut items = Vec::new();
        loop {
            let item = self.named_expr()?;
            let cast = if self.eat_word("to").is_some() {
                self.expect_word("typeof", "after 'to'")?;
                let open = self.expect_sym(Sym::LParen, "after 'typeof'")?;
                let dtype = self.type_name()?;
                self.expect_close(Sym::RParen, open)?;
                Some(dtype)
            } else {
                None
            };
            items.push((item, cast));
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        let limit = match self.eat_word("limit") {
            Some(_) => Some(self.expr()?),
            None => None,
        };
        Ok(OpKind::MvExpand { index, items, limit, bag_arrays })
    }

    /// `parse [kind=simple|regex|relaxed [flags=...]] expr with pattern`
    pub(super) fn parse_op(&mut self) -> PResult<OpKind> {
        let mut kind = ParseKind::Simple;
        let mut flags: Option<Ident> = None;
        loop {
            if self.eat_param("kind") {
                let name = self.ident("'simple', 'regex' or 'relaxed' after 'kind='")?;
                kind = match name.name.as_str() {
                    "simple" => ParseKind::Simple,
                    "regex" => ParseKind::Regex,
                    "relaxed" => ParseKind::Relaxed,
                    _ => return Err(KqlError::syntax(name.span, "expected 'simple', 'regex' or 'relaxed'")),
                };
            } else if self.eat_param("flags") {
                let f = self.ident("regex flags after 'flags=' (i, m, s, U)")?;
                if let Some(bad) = f.name.chars().find(|c| !PARSE_FLAGS.contains(*c)) {
                    return Err(KqlError::syntax(
                        f.span,
                        format!("unknown regex flag '{bad}': the flags are i, m, s and U (re2.md)"),
                    ));
                }
                flags = Some(f);
            } else if self.at_hint() {
                self.skip_hints()?;
            } else {
                break;
            }
        }
        if let Some(f) = &flags
            && kind != ParseKind::Regex
        {
            return Err(KqlError::syntax(f.span, "flags= applies to kind=regex only"));
        }
        let flags = flags.map(|f| f.name).unwrap_or_default();
        let expr = self.expr()?;
        self.expect_word("with", "after the parsed expression")?;
        let mut pattern = Vec::new();
        loop {
            match &self.peek().kind {
                TokenKind::String(_) => pattern.push(ParsePart::Literal(self.string_literal().0)),
                TokenKind::Sym(Sym::Star) => {
                    self.bump();
                    pattern.push(ParsePart::Star);
                }
                TokenKind::Ident(_) | TokenKind::Sym(Sym::LBracket) => {
                    let name = self.ident("a column name in the parse pattern")?;
                    let dtype = match self.eat_sym(Sym::Colon) {
                        Some(_) => Some(self.type_name()?),
                        None => None,
                    };
                    pattern.push(ParsePart::Column(name, dtype));
                }
                _ if pattern.is_empty() => return Err(self.expected("a parse pattern (strings, '*' and columns)")),
                _ => break,
            }
        }
        Ok(OpKind::Parse { kind, flags, expr, pattern })
    }

    /// `make-series aggs on axis (from a to b step s | in range(a, b, s)) [by keys]`
    pub(super) fn make_series(&mut self) -> PResult<OpKind> {
        loop {
            let start = self.span();
            if self.eat_param("kind") {
                return Err(KqlError::unsupported(start, "make-series kind= is not supported"));
            } else if self.at_hint() {
                self.skip_hints()?;
            } else {
                break;
            }
        }
        let mut aggs = Vec::new();
        loop {
            let agg = self.named_expr()?;
            let default = match self.eat_word("default") {
                Some(_) => {
                    self.expect_sym(Sym::Eq, "after 'default'")?;
                    Some(self.expr()?)
                }
                None => None,
            };
            aggs.push(SeriesAgg { agg, default });
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        self.expect_word("on", "after the make-series aggregates")?;
        let on = self.postfix()?;
        let (from, to, step);
        if self.eat_word("in").is_some() {
            self.expect_word("range", "after 'in'")?;
            let open = self.expect_sym(Sym::LParen, "after 'range'")?;
            from = Some(self.expr()?);
            self.expect_sym(Sym::Comma, "after the range start")?;
            to = Some(self.expr()?);
            self.expect_sym(Sym::Comma, "after the range end")?;
            step = self.expr()?;
            self.expect_close(Sym::RParen, open)?;
        } else {
            from = match self.eat_word("from") {
                Some(_) => Some(self.expr()?),
                None => None,
            };
            to = match self.eat_word("to") {
                Some(_) => Some(self.expr()?),
                None => None,
            };
            self.expect_word("step", "(the bin size) in make-series")?;
            step = self.expr()?;
        }
        let by = match self.eat_word("by") {
            Some(_) => self.named_exprs()?,
            None => Vec::new(),
        };
        Ok(OpKind::MakeSeries { aggs, on, from, to, step, by })
    }
}
