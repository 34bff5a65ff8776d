//! Tabular expressions: a source (`T`, `f(x)`, `datatable`, `union`,
//! `externaldata`, `print`, `range`, `( ... )`) and its `| operator` pipeline.

use super::{PResult, Parser};
use crate::data::DataType;
use crate::kql::ast::{ColumnPattern, Expr, ExprKind, Ident, NamedExpr, Source, TabularExpr};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};

impl Parser<'_> {
    /// An expression that may be tabular: `T | where ...`, `datatable(...)[...]`,
    /// or a plain scalar expression when no pipeline follows.
    pub(super) fn pipe_expr(&mut self) -> PResult<Expr> {
        self.nested(Self::pipe_expr_inner)
    }

    /// The body of [`Parser::pipe_expr`]; the tabular paths live in their own
    /// functions to keep this frame, which every nesting level holds, small.
    fn pipe_expr_inner(&mut self) -> PResult<Expr> {
        let start = self.span().start;
        if self.at_tabular_source() {
            return self.tabular_source_expr(start);
        }
        let e = self.expr()?;
        // Only a name, a call or `( ... )` can start a pipeline; after anything
        // else the `|` is left to the caller, whose message ("expected ')' to
        // close ...") is the better one.
        let source_like = matches!(e.kind, ExprKind::Name(_) | ExprKind::Call { .. } | ExprKind::Tabular(_));
        if source_like && self.at_sym(Sym::Pipe) { self.pipe_after(e, start) } else { Ok(e) }
    }

    /// `e | ...`: `e` is the source of a pipeline.
    #[inline(never)]
    fn pipe_after(&mut self, e: Expr, start: usize) -> PResult<Expr> {
        let source = expr_to_source(e)?;
        let tab = self.pipeline(source, start)?;
        Ok(Expr { span: tab.span, kind: ExprKind::Tabular(Box::new(tab)) })
    }

    /// A tabular-only source and its pipeline.
    #[inline(never)]
    fn tabular_source_expr(&mut self, start: usize) -> PResult<Expr> {
        let source = self.tabular_source()?;
        let tab = self.pipeline(source, start)?;
        Ok(Expr { span: tab.span, kind: ExprKind::Tabular(Box::new(tab)) })
    }

    /// `| op | op ...` after `source`, which began at `start`.
    pub(super) fn pipeline(&mut self, source: Source, start: usize) -> PResult<TabularExpr> {
        let mut ops = Vec::new();
        while self.eat_sym(Sym::Pipe).is_some() {
            ops.push(self.operator()?);
        }
        Ok(TabularExpr { source, ops, span: self.since(start) })
    }

    /// True when a source only tabular expressions start with is next.
    fn at_tabular_source(&self) -> bool {
        let TokenKind::Ident(word) = &self.peek().kind else { return false };
        match word.as_str() {
            "datatable" => self.nth_is_sym(1, Sym::LParen) || self.nth_is_word(1, "hint"),
            "externaldata" | "external_data" | "union" | "print" => true,
            "range" => matches!(self.nth(1).kind, TokenKind::Ident(_)),
            "find" | "search" | "evaluate" => !self.nth_is_sym(1, Sym::LParen),
            _ => false,
        }
    }

    /// The source at the cursor; [`Parser::at_tabular_source`] is true.
    fn tabular_source(&mut self) -> PResult<Source> {
        let start = self.span();
        let word = match &self.peek().kind {
            TokenKind::Ident(word) => word.clone(),
            _ => String::new(),
        };
        match word.as_str() {
            "datatable" => self.datatable(),
            "externaldata" | "external_data" => self.externaldata(),
            "union" => {
                self.bump();
                Ok(Source::Union(self.union_body()?))
            }
            "print" => self.print(),
            "range" => self.range(),
            "search" => {
                let start = self.bump().span.start;
                Ok(Source::Search(self.search_body(start)?))
            }
            _ => Err(KqlError::unsupported(start, format!("'{word}' as a query source is not supported"))),
        }
    }

    /// `datatable(a:string, b:long) [ values ]`
    fn datatable(&mut self) -> PResult<Source> {
        let start = self.bump().span.start;
        self.skip_hints()?;
        let columns = self.column_decls("datatable")?;
        let open = self.expect_sym(Sym::LBracket, "to start the datatable values")?;
        let mut values = Vec::new();
        while !self.at_sym(Sym::RBracket) {
            values.push(self.expr()?);
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        self.expect_close(Sym::RBracket, open)?;
        Ok(Source::Datatable { columns, values, span: self.since(start) })
    }

    /// `externaldata (cols) [ urls ] [with (props)]`
    fn externaldata(&mut self) -> PResult<Source> {
        let start = self.bump().span.start;
        self.skip_hints()?;
        let columns = self.column_decls("externaldata")?;
        let open = self.expect_sym(Sym::LBracket, "to start the externaldata URLs")?;
        let mut urls = Vec::new();
        while !self.at_sym(Sym::RBracket) {
            urls.push(self.expr()?);
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        self.expect_close(Sym::RBracket, open)?;
        let mut properties = Vec::new();
        if self.eat_word("with").is_some() {
            let open = self.expect_sym(Sym::LParen, "after 'with'")?;
            while !self.at_sym(Sym::RParen) {
                let name = self.ident("a property name")?;
                self.expect_sym(Sym::Eq, "after the property name")?;
                properties.push((name, self.expr()?));
                if self.eat_sym(Sym::Comma).is_none() {
                    break;
                }
            }
            self.expect_close(Sym::RParen, open)?;
        }
        Ok(Source::ExternalData { columns, urls, properties, span: self.since(start) })
    }

    /// `print [name =] expr, ...`
    fn print(&mut self) -> PResult<Source> {
        let start = self.bump().span.start;
        let items = self.named_exprs()?;
        Ok(Source::Print(items, self.since(start)))
    }

    /// `range x from a to b step c`
    fn range(&mut self) -> PResult<Source> {
        let start = self.bump().span.start;
        let name = self.ident("the column name after 'range'")?;
        self.expect_word("from", "after the range column")?;
        let from = self.expr()?;
        self.expect_word("to", "after the range start")?;
        let to = self.expr()?;
        self.expect_word("step", "after the range end")?;
        let step = self.expr()?;
        Ok(Source::Range { name, from, to, step, span: self.since(start) })
    }

    /// `(name: type, ...)` of a datatable or externaldata.
    pub(super) fn column_decls(&mut self, what: &str) -> PResult<Vec<(Ident, DataType)>> {
        let open = self.expect_sym(Sym::LParen, &format!("to start the {what} columns"))?;
        let columns = self.typed_names()?;
        self.expect_close(Sym::RParen, open)?;
        Ok(columns)
    }

    /// `name: type, ...` (at least one), up to the closing parenthesis.
    pub(super) fn typed_names(&mut self) -> PResult<Vec<(Ident, DataType)>> {
        let mut columns = Vec::new();
        loop {
            let name = self.ident("a column name")?;
            self.expect_sym(Sym::Colon, &format!("after the column name '{}'", name.name))?;
            columns.push((name, self.type_name()?));
            if self.eat_sym(Sym::Comma).is_none() {
                return Ok(columns);
            }
        }
    }

    /// A scalar type name (`string`, `long`, `datetime`, ...).
    pub(super) fn type_name(&mut self) -> PResult<DataType> {
        let tok = self.peek().clone();
        match &tok.kind {
            TokenKind::Ident(name) => {
                let dtype = DataType::from_name(name).ok_or_else(|| {
                    KqlError::syntax(tok.span, format!("unknown type '{name}'")).with_help(
                        "types are bool, int, long, real, decimal, datetime, timespan, string, guid, dynamic",
                    )
                })?;
                self.bump();
                Ok(dtype)
            }
            _ => Err(self.expected("a type name")),
        }
    }

    /// `[name =] expr` or `(a, b) = expr`.
    pub(super) fn named_expr(&mut self) -> PResult<NamedExpr> {
        if self.at_assignment() {
            let name = self.ident("a column name")?;
            self.bump(); // '='
            return Ok(NamedExpr { names: vec![name], expr: self.expr()? });
        }
        if let Some(names) = self.name_tuple() {
            return Ok(NamedExpr { names, expr: self.expr()? });
        }
        Ok(NamedExpr { names: Vec::new(), expr: self.expr()? })
    }

    /// `(a, b) =` (consumed) or nothing (cursor unchanged).
    fn name_tuple(&mut self) -> Option<Vec<Ident>> {
        if !self.at_sym(Sym::LParen) {
            return None;
        }
        let saved = self.pos;
        self.bump();
        let mut names = Vec::new();
        while let Some(name) = self.try_ident() {
            names.push(name);
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        if !names.is_empty() && self.eat_sym(Sym::RParen).is_some() && self.eat_sym(Sym::Eq).is_some() {
            return Some(names);
        }
        self.pos = saved;
        None
    }

    /// A comma-separated list of [`Parser::named_expr`].
    pub(super) fn named_exprs(&mut self) -> PResult<Vec<NamedExpr>> {
        let mut items = vec![self.named_expr()?];
        while self.eat_sym(Sym::Comma).is_some() {
            items.push(self.named_expr()?);
        }
        Ok(items)
    }

    /// A column name or wildcard pattern: `Name`, `Init*`, `*Id`, `['a b']`.
    pub(super) fn column_pattern(&mut self, what: &str) -> PResult<ColumnPattern> {
        if self.at_sym(Sym::LBracket) {
            let ident = self.ident(what)?;
            return Ok(ColumnPattern { pattern: ident.name, span: ident.span });
        }
        let start = self.span();
        let mut pattern = String::new();
        loop {
            match &self.peek().kind {
                TokenKind::Ident(w) if !w.starts_with('$') && !w.ends_with('~') => pattern.push_str(w),
                TokenKind::Sym(Sym::Star) => pattern.push('*'),
                _ if pattern.is_empty() => return Err(self.expected(what)),
                _ => break,
            }
            let adjacent = self.adjacent(0);
            self.bump();
            if !adjacent {
                break;
            }
        }
        Ok(ColumnPattern { pattern, span: self.since(start.start) })
    }

    /// Comma-separated [`Parser::column_pattern`]s.
    pub(super) fn column_patterns(&mut self, what: &str) -> PResult<Vec<ColumnPattern>> {
        let mut items = vec![self.column_pattern(what)?];
        while self.eat_sym(Sym::Comma).is_some() {
            items.push(self.column_pattern(what)?);
        }
        Ok(items)
    }

    /// A tabular operand (a join's right side, a union leg): `(expr)`, a name, or a call.
    pub(super) fn tabular_operand(&mut self, what: &str) -> PResult<TabularExpr> {
        if !self.at_sym(Sym::LParen) && !self.at_ident() {
            return Err(self.expected(what));
        }
        let e = self.nested(|p| p.postfix())?;
        match e.kind {
            ExprKind::Tabular(tab) => Ok(*tab),
            _ => {
                let span = e.span;
                Ok(TabularExpr { source: expr_to_source(e)?, ops: Vec::new(), span })
            }
        }
    }
}

/// The source a scalar-looking expression stands for before a `|`.
pub(super) fn expr_to_source(e: Expr) -> PResult<Source> {
    match e.kind {
        ExprKind::Name(name) => Ok(Source::Name(name)),
        ExprKind::Call { name, args } => Ok(Source::Call { name, args, span: e.span }),
        ExprKind::Tabular(tab) => Ok(Source::Paren(tab)),
        _ => Err(KqlError::syntax(e.span, "expected a table, a tabular function call or '( ... )' before '|'")),
    }
}
