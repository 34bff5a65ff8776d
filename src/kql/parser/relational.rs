//! Operators over two or more tables: `join`, `lookup` and `union`.

use super::{PResult, Parser};
use crate::kql::ast::{Ident, JoinKind, JoinOn, JoinSide, OpKind, Union, UnionLeg};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};
use crate::kql::span::Span;

/// Join kinds by name (`anti` and `leftantisemi` are `leftanti`).
const JOIN_KINDS: &[(&str, JoinKind)] = &[
    ("innerunique", JoinKind::InnerUnique),
    ("inner", JoinKind::Inner),
    ("leftouter", JoinKind::LeftOuter),
    ("rightouter", JoinKind::RightOuter),
    ("fullouter", JoinKind::FullOuter),
    ("leftanti", JoinKind::LeftAnti),
    ("anti", JoinKind::LeftAnti),
    ("leftantisemi", JoinKind::LeftAnti),
    ("rightanti", JoinKind::RightAnti),
    ("rightantisemi", JoinKind::RightAnti),
    ("leftsemi", JoinKind::LeftSemi),
    ("rightsemi", JoinKind::RightSemi),
];

impl Parser<'_> {
    /// `join [kind=K] [hint.x=y] (right) on conditions` after `join`.
    pub(super) fn join(&mut self) -> PResult<OpKind> {
        let mut kind = JoinKind::InnerUnique;
        loop {
            if self.eat_param("kind") {
                kind = self.join_kind()?;
            } else if self.at_hint() {
                self.skip_hints()?;
            } else {
                break;
            }
        }
        let right = self.tabular_operand("the right side of the join: '(' query ')' or a table name")?;
        let on = self.join_on("join")?;
        Ok(OpKind::Join { kind, right, on })
    }

    fn join_kind(&mut self) -> PResult<JoinKind> {
        let tok = self.peek().clone();
        let found = match &tok.kind {
            TokenKind::Ident(w) => JOIN_KINDS.iter().find(|(name, _)| name == w).map(|(_, k)| *k),
            _ => None,
        };
        match found {
            Some(kind) => {
                self.bump();
                Ok(kind)
            }
            None => {
                let names: Vec<&str> = JOIN_KINDS.iter().map(|(n, _)| *n).collect();
                Err(self.expected("a join kind").with_help(format!("join kinds are {}", names.join(", "))))
            }
        }
    }

    /// `lookup [kind=leftouter|inner] (right) on conditions` after `lookup`.
    pub(super) fn lookup(&mut self) -> PResult<OpKind> {
        let mut inner = false;
        loop {
            if self.eat_param("kind") {
                inner = match &self.peek().kind {
                    TokenKind::Ident(w) if w == "inner" => true,
                    TokenKind::Ident(w) if w == "leftouter" => false,
                    _ => return Err(self.expected("'leftouter' or 'inner' after 'kind='")),
                };
                self.bump();
            } else if self.at_hint() {
                self.skip_hints()?;
            } else {
                break;
            }
        }
        let right = self.tabular_operand("the lookup table: '(' query ')' or a table name")?;
        let on = self.join_on("lookup")?;
        Ok(OpKind::Lookup { inner, right, on })
    }

    /// `on A, $left.b == $right.c, ...` (`and` also separates conditions).
    fn join_on(&mut self, op: &str) -> PResult<Vec<JoinOn>> {
        self.expect_word("on", &format!("before the {op} conditions"))?;
        let mut on = Vec::new();
        loop {
            on.push(self.join_condition()?);
            if self.eat_sym(Sym::Comma).is_none() && self.eat_word("and").is_none() {
                break;
            }
        }
        Ok(on)
    }

    fn join_condition(&mut self) -> PResult<JoinOn> {
        if !(self.at_word("$left") || self.at_word("$right")) {
            return Ok(JoinOn::Column(self.ident("a join column or '$left.column == $right.column'")?));
        }
        let (first_side, first, first_span) = self.side_column()?;
        self.expect_sym(Sym::EqEq, "between the two sides of a join condition")?;
        let (second_side, second, second_span) = self.side_column()?;
        match (first_side, second_side) {
            (JoinSide::Left, JoinSide::Right) => Ok(JoinOn::Equal { left: first, right: second }),
            (JoinSide::Right, JoinSide::Left) => Ok(JoinOn::Equal { left: second, right: first }),
            _ => Err(KqlError::syntax(
                first_span.to(second_span),
                "a join condition must compare a $left column with a $right column",
            )),
        }
    }

    /// `$left.name` / `$right.name`.
    fn side_column(&mut self) -> PResult<(JoinSide, Ident, Span)> {
        let side = match &self.peek().kind {
            TokenKind::Ident(w) if w == "$left" => JoinSide::Left,
            TokenKind::Ident(w) if w == "$right" => JoinSide::Right,
            _ => return Err(self.expected("'$left.column' or '$right.column'")),
        };
        let start = self.bump().span;
        self.expect_sym(Sym::Dot, "after the join side")?;
        let name = self.ident("a column name")?;
        let span = start.to(name.span);
        Ok((side, name, span))
    }

    /// The parameters and legs of `union`, after the keyword.
    pub(super) fn union_body(&mut self) -> PResult<Union> {
        let mut union = Union { inner: false, with_source: None, is_fuzzy: false, legs: Vec::new() };
        loop {
            if self.eat_param("kind") {
                union.inner = match &self.peek().kind {
                    TokenKind::Ident(w) if w == "inner" => true,
                    TokenKind::Ident(w) if w == "outer" => false,
                    _ => return Err(self.expected("'inner' or 'outer' after 'kind='")),
                };
                self.bump();
            } else if self.eat_param("withsource") {
                union.with_source = Some(self.ident("a column name after 'withsource='")?);
            } else if self.eat_param("isfuzzy") {
                union.is_fuzzy = match &self.peek().kind {
                    TokenKind::Ident(w) if w.eq_ignore_ascii_case("true") => true,
                    TokenKind::Ident(w) if w.eq_ignore_ascii_case("false") => false,
                    _ => return Err(self.expected("'true' or 'false' after 'isfuzzy='")),
                };
                self.bump();
            } else if self.at_hint() {
                self.skip_hints()?;
            } else {
                break;
            }
        }
        loop {
            union.legs.push(self.union_leg()?);
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        Ok(union)
    }

    fn union_leg(&mut self) -> PResult<UnionLeg> {
        let what = "a table, a wildcard pattern or '(' query ')' in the union";
        if self.at_sym(Sym::LParen) || (self.at_ident() && self.nth_is_sym(1, Sym::LParen)) {
            return Ok(UnionLeg::Expr(self.tabular_operand(what)?));
        }
        Ok(UnionLeg::Pattern(self.column_pattern(what)?))
    }
}
