//! Scalar expressions by precedence climbing. Loosest to tightest: `or`;
//! `and`; comparisons, string, list and `between` operators; `+ -`;
//! `* / %`; unary `- +`; postfix `.name`, `[index]` and calls.

use super::{PResult, Parser};
use crate::kql::ast::{BinOp, Expr, ExprKind, Ident, JoinSide, ListOp, Literal, StrCmp, StrOp, UnaryOp};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};
use crate::kql::span::Span;

/// An infix operator found at the cursor.
#[derive(Clone, Copy)]
enum Infix {
    Bin(BinOp),
    List(ListOp),
    Between { negated: bool },
}

const PREC_OR: u8 = 1;
const PREC_AND: u8 = 2;
const PREC_CMP: u8 = 3;
const PREC_ADD: u8 = 4;
const PREC_MUL: u8 = 5;

/// How deep operators that do not chain flatly (comparisons, `in`, `.x`, `[i]`)
/// may nest in one expression (`a == b == c ...`): each adds a level to the tree.
pub(super) const MAX_TREE_DEPTH: usize = 1024;

/// The string operator of a word (`has`, `contains_cs`, ...), with its `_cs` flag.
pub(crate) fn str_op(word: &str) -> Option<(StrOp, bool)> {
    crate::kql::vocab::string_operator(word)
}

impl Parser<'_> {
    /// A scalar expression (never consumes a `|`).
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.nested(|p| p.binary(PREC_OR))
    }

    /// An expression without top-level `and`/`or` (a `search` predicate's operand).
    pub(super) fn comparison_expr(&mut self) -> PResult<Expr> {
        self.nested(|p| p.binary(PREC_AND + 1))
    }

    /// Adds one level to the tree being built, failing past [`MAX_TREE_DEPTH`].
    fn grow_tree(&mut self) -> PResult<()> {
        self.tree += 1;
        if self.tree > MAX_TREE_DEPTH {
            return Err(KqlError::syntax(
                self.span(),
                format!("the expression is too deeply nested (more than {MAX_TREE_DEPTH} nested operators)"),
            ));
        }
        Ok(())
    }

    fn binary(&mut self, min: u8) -> PResult<Expr> {
        let saved_tree = self.tree;
        let mut left = self.unary()?;
        while let Some((op, prec, len)) = self.infix() {
            if prec < min {
                break;
            }
            let op_span = self.span();
            self.pos += len;
            left = match op {
                Infix::Bin(op) if prec != PREC_CMP => self.chain(left, op, prec)?,
                _ => {
                    self.grow_tree()?;
                    self.infix_rhs(left, op, prec, op_span)?
                }
            };
        }
        self.tree = saved_tree;
        Ok(left)
    }

    /// `first op b op c ...` with the cursor after the first `op`: every
    /// operand joined by an operator of the same level, read in a loop into
    /// one flat [`ExprKind::Chain`] (a plain binary for two operands).
    fn chain(&mut self, first: Expr, op: BinOp, prec: u8) -> PResult<Expr> {
        // The chain is one level of the tree, however long.
        self.grow_tree()?;
        let mut rest = vec![(op, self.nested(|p| p.binary(prec + 1))?)];
        while let Some((Infix::Bin(op), p, len)) = self.infix()
            && p == prec
        {
            self.pos += len;
            rest.push((op, self.nested(|p| p.binary(prec + 1))?));
        }
        let end = rest.last().map_or(first.span, |(_, e)| e.span);
        let span = first.span.to(end);
        if rest.len() == 1
            && let Some((op, right)) = rest.pop()
        {
            return Ok(Expr { kind: ExprKind::Binary { op, left: Box::new(first), right: Box::new(right) }, span });
        }
        Ok(Expr { kind: ExprKind::Chain { first: Box::new(first), rest }, span })
    }

    /// The right-hand side of `left op`, with the cursor after `op`.
    #[inline(never)]
    fn infix_rhs(&mut self, left: Expr, op: Infix, prec: u8, op_span: Span) -> PResult<Expr> {
        Ok(match op {
            Infix::Bin(op) => {
                let right = self.nested(|p| p.binary(prec + 1))?;
                let span = left.span.to(right.span);
                Expr { kind: ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) }, span }
            }
            Infix::List(op) => {
                let (items, end) = self.list_items(op_span)?;
                let span = left.span.to(end);
                Expr { kind: ExprKind::List { op, expr: Box::new(left), items }, span }
            }
            Infix::Between { negated } => self.between(left, negated)?,
        })
    }

    /// The infix operator at the cursor: (operator, precedence, tokens it spans).
    fn infix(&self) -> Option<(Infix, u8, usize)> {
        let bin = |op| Some((Infix::Bin(op), PREC_CMP, 1));
        match &self.peek().kind {
            TokenKind::Sym(sym) => match sym {
                Sym::EqEq => bin(BinOp::Eq),
                Sym::Ne | Sym::LtGt => bin(BinOp::Ne),
                Sym::EqTilde => bin(BinOp::EqCi),
                Sym::BangTilde => bin(BinOp::NeCi),
                Sym::Lt => bin(BinOp::Lt),
                Sym::Le => bin(BinOp::Le),
                Sym::Gt => bin(BinOp::Gt),
                Sym::Ge => bin(BinOp::Ge),
                Sym::Plus => Some((Infix::Bin(BinOp::Add), PREC_ADD, 1)),
                Sym::Minus => Some((Infix::Bin(BinOp::Sub), PREC_ADD, 1)),
                Sym::Star => Some((Infix::Bin(BinOp::Mul), PREC_MUL, 1)),
                Sym::Slash => Some((Infix::Bin(BinOp::Div), PREC_MUL, 1)),
                Sym::Percent => Some((Infix::Bin(BinOp::Mod), PREC_MUL, 1)),
                _ => None,
            },
            TokenKind::Ident(word) => match word.as_str() {
                "or" => Some((Infix::Bin(BinOp::Or), PREC_OR, 1)),
                "and" => Some((Infix::Bin(BinOp::And), PREC_AND, 1)),
                "in" => Some((Infix::List(ListOp::In { case_insensitive: false, negated: false }), PREC_CMP, 1)),
                "in~" => Some((Infix::List(ListOp::In { case_insensitive: true, negated: false }), PREC_CMP, 1)),
                "has_any" => Some((Infix::List(ListOp::HasAny), PREC_CMP, 1)),
                "has_all" => Some((Infix::List(ListOp::HasAll), PREC_CMP, 1)),
                "between" => Some((Infix::Between { negated: false }, PREC_CMP, 1)),
                "matches" if self.nth_is_word(1, "regex") => {
                    let cmp = StrCmp { op: StrOp::MatchesRegex, case_sensitive: true, negated: false };
                    Some((Infix::Bin(BinOp::Str(cmp)), PREC_CMP, 2))
                }
                w => str_op(w).map(|(op, cs)| {
                    (Infix::Bin(BinOp::Str(StrCmp { op, case_sensitive: cs, negated: false })), PREC_CMP, 1)
                }),
            },
            TokenKind::BangWord(word) => match word.as_str() {
                "in" => Some((Infix::List(ListOp::In { case_insensitive: false, negated: true }), PREC_CMP, 1)),
                "in~" => Some((Infix::List(ListOp::In { case_insensitive: true, negated: true }), PREC_CMP, 1)),
                "between" => Some((Infix::Between { negated: true }, PREC_CMP, 1)),
                w => str_op(w).map(|(op, cs)| {
                    (Infix::Bin(BinOp::Str(StrCmp { op, case_sensitive: cs, negated: true })), PREC_CMP, 1)
                }),
            },
            _ => None,
        }
    }

    /// `( item, ... )` after a list operator; items may be tabular (`(T | project x)`).
    fn list_items(&mut self, op_span: Span) -> PResult<(Vec<Expr>, Span)> {
        let op_text = op_span.text(self.src).to_string();
        let open = self.expect_sym(Sym::LParen, &format!("to start the list after '{op_text}'"))?;
        let mut items = Vec::new();
        loop {
            items.push(self.pipe_expr()?);
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        let close = self.expect_close(Sym::RParen, open)?;
        Ok((items, close))
    }

    /// `between (low .. high)` after the operator.
    fn between(&mut self, left: Expr, negated: bool) -> PResult<Expr> {
        let open = self.expect_sym(Sym::LParen, "after 'between'")?;
        let low = self.expr()?;
        self.expect_sym(Sym::DotDot, "between the bounds of 'between (low .. high)'")?;
        let high = self.expr()?;
        let close = self.expect_close(Sym::RParen, open)?;
        let span = left.span.to(close);
        let kind = ExprKind::Between { expr: Box::new(left), low: Box::new(low), high: Box::new(high), negated };
        Ok(Expr { kind, span })
    }

    fn unary(&mut self) -> PResult<Expr> {
        let op = match self.peek().kind {
            TokenKind::Sym(Sym::Minus) => UnaryOp::Neg,
            TokenKind::Sym(Sym::Plus) => UnaryOp::Plus,
            _ => return self.postfix(),
        };
        let op_span = self.bump().span;
        if op == UnaryOp::Neg
            && let Some(lit) = self.negative_number(op_span)
        {
            return self.postfix_ops(lit);
        }
        let operand = self.nested(|p| p.unary())?;
        let span = op_span.to(operand.span);
        Ok(Expr { kind: ExprKind::Unary { op, expr: Box::new(operand) }, span })
    }

    /// `-5`, `-1.5`, `-5d` folded into one literal.
    fn negative_number(&mut self, minus: Span) -> Option<Expr> {
        let lit = match self.peek().kind {
            TokenKind::Long(v) => Literal::Long(-v),
            TokenKind::Real(v) => Literal::Real(-v),
            TokenKind::Timespan(v) => Literal::Timespan(-v),
            _ => return None,
        };
        let span = minus.to(self.bump().span);
        Some(Expr { kind: ExprKind::Literal(lit), span })
    }

    pub(super) fn postfix(&mut self) -> PResult<Expr> {
        let primary = self.primary()?;
        self.postfix_ops(primary)
    }

    /// `.name` and `[index]` after an operand.
    fn postfix_ops(&mut self, mut expr: Expr) -> PResult<Expr> {
        let saved_tree = self.tree;
        while self.at_sym(Sym::Dot) || self.at_sym(Sym::LBracket) {
            self.grow_tree()?;
            expr = self.postfix_op(expr)?;
        }
        self.tree = saved_tree;
        Ok(expr)
    }

    /// One `.name` or `[index]` applied to `expr`.
    #[inline(never)]
    fn postfix_op(&mut self, expr: Expr) -> PResult<Expr> {
        let mut open = self.bump().span;
        // `a.[expr]` is `a[expr]` (dynamic.md's member access by a computed key).
        if open.text(self.src) == "." && self.at_sym(Sym::LBracket) {
            open = self.bump().span;
        }
        if open.text(self.src) == "." {
            let name = self.ident("a property name after '.'")?;
            let span = expr.span.to(name.span);
            return Ok(Expr { kind: ExprKind::Member { expr: Box::new(expr), name }, span });
        }
        let index = self.expr()?;
        let close = self.expect_close(Sym::RBracket, open)?;
        let span = expr.span.to(close);
        Ok(Expr { kind: ExprKind::Index { expr: Box::new(expr), index: Box::new(index) }, span })
    }

    /// An operand: a literal, a name, a call, or `( ... )`. Every arm is its
    /// own function so this frame, held by every nesting level, stays small.
    fn primary(&mut self) -> PResult<Expr> {
        match &self.peek().kind {
            TokenKind::Sym(Sym::LParen) => self.paren(),
            TokenKind::Long(_) | TokenKind::Real(_) | TokenKind::Timespan(_) | TokenKind::String(_) => {
                self.token_literal()
            }
            TokenKind::Raw { .. } => self.raw_token_literal(),
            _ => self.word_primary(),
        }
    }

    /// `( pipe_expr )`; a tabular inner expression stays tabular.
    fn paren(&mut self) -> PResult<Expr> {
        let open = self.bump().span;
        let inner = self.pipe_expr()?;
        let close = self.expect_close(Sym::RParen, open)?;
        Ok(Expr { kind: inner.kind, span: open.to(close) })
    }

    #[inline(never)]
    fn token_literal(&mut self) -> PResult<Expr> {
        let tok = self.peek().clone();
        let lit = match tok.kind {
            TokenKind::Long(v) => Literal::Long(v),
            TokenKind::Real(v) => Literal::Real(v),
            TokenKind::Timespan(v) => Literal::Timespan(v),
            _ => {
                let (s, span) = self.string_literal();
                return Ok(Expr { kind: ExprKind::Literal(Literal::String(s)), span });
            }
        };
        self.bump();
        Ok(Expr { kind: ExprKind::Literal(lit), span: tok.span })
    }

    #[inline(never)]
    fn raw_token_literal(&mut self) -> PResult<Expr> {
        let tok = self.bump();
        let TokenKind::Raw { name, content } = &tok.kind else { return Err(self.expected("a literal")) };
        // `datetime()` is the current time (scalar-data-types/datetime.md).
        if matches!(name.as_str(), "datetime" | "date") && content.trim().is_empty() {
            let now = Ident { name: "now".to_string(), span: tok.span };
            return Ok(Expr { kind: ExprKind::Call { name: now, args: Vec::new() }, span: tok.span });
        }
        Ok(Expr { kind: ExprKind::Literal(self.raw_literal(name, content, tok.span)?), span: tok.span })
    }

    /// `true`, `$left`, a typed literal, a call or a name.
    #[inline(never)]
    fn word_primary(&mut self) -> PResult<Expr> {
        let tok = self.peek().clone();
        if let TokenKind::Ident(word) = &tok.kind {
            if word == "$left" || word == "$right" {
                let side = if word == "$left" { JoinSide::Left } else { JoinSide::Right };
                return Ok(Expr { kind: ExprKind::JoinSide(side), span: self.bump().span });
            }
            if word.eq_ignore_ascii_case("true") || word.eq_ignore_ascii_case("false") {
                let value = word.eq_ignore_ascii_case("true");
                return Ok(Expr { kind: ExprKind::Literal(Literal::Bool(value)), span: self.bump().span });
            }
            if self.nth_is_sym(1, Sym::LParen)
                && let Some(e) = self.typed_literal(word)?
            {
                return Ok(e);
            }
        }
        match self.try_ident() {
            Some(name) if self.at_sym(Sym::LParen) => self.call(name),
            Some(name) => Ok(Expr { span: name.span, kind: ExprKind::Name(name) }),
            None => Err(self.expected("an expression")),
        }
    }

    /// One or more adjacent string literals, concatenated (`"a" 'b'` is `"ab"`).
    pub(super) fn string_literal(&mut self) -> (String, Span) {
        let mut out = String::new();
        let mut span = self.span();
        while let TokenKind::String(s) = &self.peek().kind {
            out.push_str(s);
            span = span.to(self.bump().span);
        }
        (out, span)
    }

    /// `name(args)`: the cursor is at `(`. An argument may be `*` or tabular.
    pub(super) fn call(&mut self, name: Ident) -> PResult<Expr> {
        let (args, close) = self.args(&name)?;
        let span = name.span.to(close);
        Ok(Expr { kind: ExprKind::Call { name, args }, span })
    }

    /// `( arg, ... )` of a call to `name`, and the closing parenthesis.
    pub(super) fn args(&mut self, name: &Ident) -> PResult<(Vec<Expr>, Span)> {
        let open = self.expect_sym(Sym::LParen, &format!("after '{}'", name.name))?;
        let mut args = Vec::new();
        if let Some(close) = self.eat_sym(Sym::RParen) {
            return Ok((args, close));
        }
        loop {
            let star = self.at_sym(Sym::Star) && (self.nth_is_sym(1, Sym::Comma) || self.nth_is_sym(1, Sym::RParen));
            if star {
                args.push(Expr { kind: ExprKind::Star, span: self.bump().span });
            } else if self.nth_is_sym(1, Sym::Eq)
                && let TokenKind::Ident(_) = &self.peek().kind
                && let Some(name) = self.try_ident()
            {
                // `f(x, name=value)`: an argument given by its parameter's name.
                self.bump();
                let value = self.pipe_expr()?;
                let span = name.span.to(value.span);
                args.push(Expr { kind: ExprKind::NamedArg { name, value: Box::new(value) }, span });
            } else {
                args.push(self.pipe_expr()?);
            }
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        let close = self.expect_close(Sym::RParen, open)?;
        Ok((args, close))
    }
}
