//! Statements: `let` bindings (values, functions, views) and the query's
//! expression statements, separated by `;`.

use super::{PResult, Parser};
use crate::kql::ast::{FunctionDef, LetValue, Param, Query, Statement};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};
use crate::kql::span::Span;

impl Parser<'_> {
    /// The whole query.
    pub(super) fn query(&mut self) -> PResult<Query> {
        let statements = self.statements(false)?;
        self.expect_eof("';' or the end of the query")?;
        Ok(Query { statements, span: Span::new(0, self.src.len()) })
    }

    /// Statements separated by `;` (empty ones and a trailing `;` allowed), up
    /// to the end (or `}` in a function body). The last must be an expression.
    fn statements(&mut self, in_body: bool) -> PResult<Vec<Statement>> {
        let mut out = Vec::new();
        loop {
            while self.eat_sym(Sym::Semi).is_some() {}
            let end = match self.peek().kind {
                TokenKind::Eof => true,
                TokenKind::Sym(Sym::RBrace) => in_body,
                _ => false,
            };
            if end {
                break;
            }
            if !in_body && self.at_word("set") && matches!(self.nth(1).kind, TokenKind::Ident(_)) {
                self.set_statement()?;
            } else if !in_body && self.at_word("declare") && self.nth_is_word(1, "query_parameters") {
                out.extend(self.query_parameters()?);
            } else {
                out.push(self.statement()?);
            }
            if self.eat_sym(Sym::Semi).is_none() {
                break;
            }
        }
        match out.last() {
            Some(Statement::Expr(_)) => Ok(out),
            Some(Statement::Let { .. }) => {
                let what =
                    if in_body { "the function's result expression" } else { "a query after the let statements" };
                Err(self.expected(what))
            }
            None => Err(self.expected(if in_body { "a function body" } else { "a query" })),
        }
    }

    fn statement(&mut self) -> PResult<Statement> {
        let start = self.span();
        if self.at_word("let") {
            return self.let_statement();
        }
        let unsupported = |what: &str| Err(KqlError::unsupported(start, format!("{what} is not supported")));
        let next_is_word = matches!(self.nth(1).kind, TokenKind::Ident(_));
        if self.at_word("set") && next_is_word {
            return unsupported("the 'set' statement (query options)");
        }
        if self.at_word("declare") && next_is_word {
            return unsupported(&format!("the 'declare {}' statement", self.nth(1).span.text(self.src)));
        }
        if (self.at_word("alias") && self.nth_is_word(1, "database")) || (self.at_word("pattern") && next_is_word) {
            return unsupported(&format!("the '{}' statement", start.text(self.src)));
        }
        if self.at_word("restrict") && self.nth_is_word(1, "access") {
            return unsupported("the 'restrict' statement");
        }
        Ok(Statement::Expr(self.pipe_expr()?))
    }

    /// `let name = value`
    fn let_statement(&mut self) -> PResult<Statement> {
        let start = self.bump().span.start;
        let name = self.ident("a name after 'let'")?;
        self.expect_sym(Sym::Eq, &format!("after 'let {}'", name.name))?;
        let value = if self.at_word("view") && self.nth_is_sym(1, Sym::LParen) {
            let view_start = self.bump().span.start;
            LetValue::Function(self.function_def(view_start, true)?)
        } else if self.at_function_def() {
            LetValue::Function(self.function_def(self.span().start, false)?)
        } else {
            LetValue::Expr(self.pipe_expr()?)
        };
        Ok(Statement::Let { name, value, span: self.since(start) })
    }

    /// `()` then `{`, or `(name:` — a function definition rather than a parenthesised expression.
    fn at_function_def(&self) -> bool {
        if !self.at_sym(Sym::LParen) {
            return false;
        }
        if self.nth_is_sym(1, Sym::RParen) {
            return self.nth_is_sym(2, Sym::LBrace);
        }
        let quoted = self.nth_is_sym(1, Sym::LBracket) && matches!(self.nth(2).kind, TokenKind::String(_));
        let colon_at = if quoted { 4 } else { 2 };
        (quoted || matches!(self.nth(1).kind, TokenKind::Ident(_))) && self.nth_is_sym(colon_at, Sym::Colon)
    }

    /// `(params) { body }` with the cursor at `(`.
    fn function_def(&mut self, start: usize, is_view: bool) -> PResult<FunctionDef> {
        self.nested(|p| {
            let open = p.expect_sym(Sym::LParen, "to start the parameters")?;
            let mut params = Vec::new();
            while !p.at_sym(Sym::RParen) {
                params.push(p.param()?);
                if p.eat_sym(Sym::Comma).is_none() {
                    break;
                }
            }
            p.expect_close(Sym::RParen, open)?;
            let brace = p.expect_sym(Sym::LBrace, "to start the function body")?;
            let body = p.statements(true)?;
            p.expect_close(Sym::RBrace, brace)?;
            Ok(FunctionDef { params, body, is_view, span: p.since(start) })
        })
    }

    /// `name: type [= default]` or a tabular `name: (*)` / `name: (a:string, *)`.
    pub(super) fn param(&mut self) -> PResult<Param> {
        let name = self.ident("a parameter name")?;
        self.expect_sym(Sym::Colon, &format!("and a type after the parameter '{}'", name.name))?;
        let dtype = if let Some(open) = self.eat_sym(Sym::LParen) {
            self.tabular_schema(open)?;
            None
        } else {
            Some(self.type_name()?)
        };
        let default = match self.eat_sym(Sym::Eq) {
            Some(_) => Some(self.expr()?),
            None => None,
        };
        Ok(Param { name, dtype, default })
    }

    /// The schema of a tabular parameter after `(`: `*`, columns, or both.
    fn tabular_schema(&mut self, open: Span) -> PResult<()> {
        loop {
            if self.eat_sym(Sym::Star).is_none() {
                self.ident("a column name or '*' in the table schema")?;
                self.expect_sym(Sym::Colon, "after the column name")?;
                self.type_name()?;
            }
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        self.expect_close(Sym::RParen, open)?;
        Ok(())
    }
}
