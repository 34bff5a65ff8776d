//! Operators that run a subquery or rank nested groups: `mv-apply`,
//! `partition`, `top-nested`, `parse-where`, and `search` (operator or source).

use super::{PResult, Parser};
use crate::kql::ast::{Expr, ExprKind, Op, OpKind, Search, SearchPred, TopNestedLevel};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};

impl Parser<'_> {
    /// `mv-apply [with_itemindex=i] items [limit n] on (subquery)`.
    pub(super) fn mv_apply(&mut self) -> PResult<OpKind> {
        let start = self.span();
        let OpKind::MvExpand { index, items, limit, bag_arrays } = self.mv_expand()? else {
            return Err(self.expected("the arrays to expand"));
        };
        if bag_arrays {
            return Err(KqlError::unsupported(start, "mv-apply with bagexpansion=array is not supported"));
        }
        self.expect_word("on", "before the mv-apply subquery")?;
        let body = self.subquery_ops("mv-apply")?;
        Ok(OpKind::MvApply { index, items, limit, body })
    }

    /// `partition [hint.x=y] by Col (subquery)`.
    pub(super) fn partition(&mut self) -> PResult<OpKind> {
        self.skip_hints()?;
        self.expect_word("by", "after 'partition'")?;
        // A column name: `by Col (` must not read as a call `Col(...)`.
        let col = self.ident("the partition column after 'by'")?;
        let by = Expr { span: col.span, kind: ExprKind::Name(col) };
        self.skip_hints()?;
        if self.at_sym(Sym::LBrace) {
            return Err(KqlError::unsupported(self.span(), "partition with a '{ ... }' subquery is not supported"));
        }
        let body = self.subquery_ops("partition")?;
        Ok(OpKind::Partition { by, body })
    }

    /// `( op | op ... )`: a subquery whose source is implicit.
    fn subquery_ops(&mut self, what: &str) -> PResult<Vec<Op>> {
        let open = self.expect_sym(Sym::LParen, &format!("to start the {what} subquery"))?;
        let mut ops = Vec::new();
        self.eat_sym(Sym::Pipe);
        loop {
            ops.push(self.nested(|p| p.operator())?);
            if self.eat_sym(Sym::Pipe).is_none() {
                break;
            }
        }
        self.expect_close(Sym::RParen, open)?;
        Ok(ops)
    }

    /// `top-nested [N] of Expr [with others = C] by Agg [asc|desc] [, top-nested ...]`.
    pub(super) fn top_nested(&mut self) -> PResult<OpKind> {
        let mut levels = Vec::new();
        loop {
            let count = if self.at_word("of") { None } else { Some(self.expr()?) };
            self.expect_word("of", "in 'top-nested [N] of Expr'")?;
            let of = self.named_expr()?;
            let others = match self.eat_word("with") {
                Some(_) => {
                    self.expect_word("others", "after 'with'")?;
                    self.expect_sym(Sym::Eq, "after 'with others'")?;
                    Some(self.expr()?)
                }
                None => None,
            };
            self.expect_word("by", "before the top-nested aggregate")?;
            let by = self.named_expr()?;
            let descending = self.eat_word("asc").is_none();
            if descending {
                self.eat_word("desc");
            }
            levels.push(TopNestedLevel { count, of, others, by, descending });
            let next_level = self.at_sym(Sym::Comma)
                && self.nth_is_word(1, "top")
                && self.nth_is_sym(2, Sym::Minus)
                && self.nth_is_word(3, "nested");
            if !next_level {
                return Ok(OpKind::TopNested(levels));
            }
            self.pos += 4;
        }
    }

    /// `parse-where ...`: a `parse` whose unparsed rows are dropped.
    pub(super) fn parse_where(&mut self) -> PResult<OpKind> {
        Ok(OpKind::ParseWhere(Box::new(self.parse_op()?)))
    }

    /// `search [kind=case_sensitive|case_insensitive] [in (T, ...)] predicate`;
    /// the cursor is after the word `search`.
    pub(super) fn search_body(&mut self, start: usize) -> PResult<Search> {
        let mut case_sensitive = false;
        loop {
            if self.eat_param("kind") {
                let k = self.ident("'case_sensitive' or 'case_insensitive' after 'kind='")?;
                case_sensitive = match k.name.as_str() {
                    "case_sensitive" => true,
                    "case_insensitive" => false,
                    _ => return Err(KqlError::syntax(k.span, "expected 'case_sensitive' or 'case_insensitive'")),
                };
            } else if self.at_hint() {
                self.skip_hints()?;
            } else {
                break;
            }
        }
        let mut tables = Vec::new();
        if self.eat_word("in").is_some() {
            let open = self.expect_sym(Sym::LParen, "after 'search in'")?;
            tables = self.column_patterns("a table name")?;
            self.expect_close(Sym::RParen, open)?;
        }
        let predicate = self.search_or()?;
        Ok(Search { case_sensitive, tables, predicate, span: self.since(start) })
    }

    fn search_or(&mut self) -> PResult<SearchPred> {
        let mut left = self.search_and()?;
        while self.eat_word("or").is_some() {
            left = SearchPred::Or(Box::new(left), Box::new(self.search_and()?));
        }
        Ok(left)
    }

    fn search_and(&mut self) -> PResult<SearchPred> {
        let mut left = self.search_primary()?;
        while self.eat_word("and").is_some() {
            left = SearchPred::And(Box::new(left), Box::new(self.search_primary()?));
        }
        Ok(left)
    }

    /// `"term"`, `Col:"term"`, `not(p)`, `(p)`, or a boolean expression.
    fn search_primary(&mut self) -> PResult<SearchPred> {
        if let TokenKind::String(_) = self.peek().kind
            && !self.nth_is_op_after_term()
        {
            let (term, _) = self.string_literal();
            return Ok(SearchPred::Term { column: None, term });
        }
        if self.at_ident() && self.nth_is_sym(1, Sym::Colon) && matches!(self.nth(2).kind, TokenKind::String(_)) {
            let column = self.ident("a column name")?;
            self.bump();
            let (term, _) = self.string_literal();
            return Ok(SearchPred::Term { column: Some(column), term });
        }
        if self.at_word("not") && self.nth_is_sym(1, Sym::LParen) {
            self.bump();
            let open = self.bump().span;
            let inner = self.nested(|p| p.search_or())?;
            self.expect_close(Sym::RParen, open)?;
            return Ok(SearchPred::Not(Box::new(inner)));
        }
        if self.at_sym(Sym::LParen) && self.paren_holds_search_terms() {
            let open = self.bump().span;
            let inner = self.nested(|p| p.search_or())?;
            self.expect_close(Sym::RParen, open)?;
            return Ok(inner);
        }
        Ok(SearchPred::Expr(self.comparison_expr()?))
    }

    /// True when the string literal at the cursor is the left side of a
    /// comparison (`"x" == Col`), not a search term.
    fn nth_is_op_after_term(&self) -> bool {
        matches!(self.nth(1).kind, TokenKind::Sym(s) if s != Sym::RParen && s != Sym::Pipe && s != Sym::Semi)
    }

    /// True when `(` opens a group whose first token is a term or `Col:"x"`.
    fn paren_holds_search_terms(&self) -> bool {
        matches!(self.nth(1).kind, TokenKind::String(_))
            || (matches!(self.nth(1).kind, TokenKind::Ident(_)) && self.nth_is_sym(2, Sym::Colon))
            || self.nth_is_word(1, "not")
            || self.nth_is_sym(1, Sym::LParen)
    }
}
