//! The `| operator` dispatch and the single-table operators.

use super::{PResult, Parser, closest};
use crate::kql::ast::{Expr, ExprKind, Ident, Op, OpKind, SortKey};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};

/// Operators kqlhunt runs.
pub(crate) const SUPPORTED: &[&str] = &[
    "where",
    "filter",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "extend",
    "summarize",
    "count",
    "distinct",
    "take",
    "limit",
    "top",
    "sort",
    "order",
    "join",
    "lookup",
    "union",
    "mv-expand",
    "mvexpand",
    "parse",
    "evaluate",
    "make-series",
    "as",
    "serialize",
    "render",
    "invoke",
    "getschema",
];

/// Valid KQL operators kqlhunt does not run.
const UNSUPPORTED: &[&str] = &[
    "mv-apply",
    "mvapply",
    "fork",
    "facet",
    "partition",
    "sample",
    "sample-distinct",
    "top-nested",
    "top-hitters",
    "scan",
    "parse-where",
    "parse-kv",
    "reduce",
    "find",
    "search",
    "consume",
    "project-smart",
    "make-graph",
    "graph-match",
    "graph-merge",
    "graph-shortest-paths",
    "graph-to-table",
    "execute-and-cache",
    "assert-schema",
];

impl Parser<'_> {
    /// One operator after `|`.
    pub(super) fn operator(&mut self) -> PResult<Op> {
        let start = self.span();
        let TokenKind::Ident(first) = &self.peek().kind else {
            return Err(self.expected("an operator after '|'"));
        };
        let mut name = first.clone();
        self.bump();
        // Hyphenated names are written without spaces: `project-away`, `mv-expand`.
        while self.pos > 0 && self.adjacent_prev() && self.at_sym(Sym::Minus) && self.adjacent(0) {
            let TokenKind::Ident(part) = &self.nth(1).kind else { break };
            name.push('-');
            name.push_str(part);
            self.pos += 2;
        }
        let name_span = self.since(start.start);
        let kind = self.operator_body(&name, name_span)?;
        Ok(Op { kind, span: self.since(start.start) })
    }

    /// True when the previous token touches the next one.
    fn adjacent_prev(&self) -> bool {
        self.prev_end() == self.span().start
    }

    fn operator_body(&mut self, name: &str, name_span: crate::kql::span::Span) -> PResult<OpKind> {
        Ok(match name {
            "where" | "filter" => OpKind::Where(self.expr()?),
            "project" => OpKind::Project(self.named_exprs()?),
            "project-away" => OpKind::ProjectAway(self.column_patterns("a column to remove")?),
            "project-keep" => OpKind::ProjectKeep(self.column_patterns("a column to keep")?),
            "project-reorder" => {
                let cols = self.column_patterns("a column to reorder")?;
                if let Some(w) = ["asc", "desc", "granny-asc", "granny-desc"].iter().find(|w| self.at_word(w)) {
                    return Err(KqlError::unsupported(self.span(), format!("project-reorder '{w}' is not supported")));
                }
                OpKind::ProjectReorder(cols)
            }
            "project-rename" => OpKind::ProjectRename(self.renames()?),
            "extend" => OpKind::Extend(self.named_exprs()?),
            "summarize" => self.summarize()?,
            "count" => OpKind::Count(match self.eat_word("as") {
                Some(_) => Some(self.ident("a column name after 'as'")?),
                None => None,
            }),
            "distinct" => OpKind::Distinct(self.distinct()?),
            "take" | "limit" => {
                self.skip_hints()?;
                OpKind::Take(self.expr()?)
            }
            "top" => {
                let count = self.expr()?;
                self.expect_word("by", "after the number of rows of 'top'")?;
                OpKind::Top { count, by: self.sort_key()? }
            }
            "sort" | "order" => {
                self.skip_hints()?;
                self.expect_word("by", &format!("after '{name}'"))?;
                let mut keys = vec![self.sort_key()?];
                while self.eat_sym(Sym::Comma).is_some() {
                    keys.push(self.sort_key()?);
                }
                OpKind::Sort(keys)
            }
            "join" => self.join()?,
            "lookup" => self.lookup()?,
            "union" => OpKind::Union(self.union_body()?),
            "mv-expand" | "mvexpand" => self.mv_expand()?,
            "parse" => self.parse_op()?,
            "evaluate" => {
                self.skip_hints()?;
                let plugin = self.ident("a plugin name after 'evaluate'")?;
                let (args, _) = self.args(&plugin)?;
                OpKind::Evaluate { plugin, args }
            }
            "make-series" => self.make_series()?,
            "as" => {
                while self.at_word("hint") {
                    self.skip_hints()?;
                }
                OpKind::As(self.ident("a name after 'as'")?)
            }
            "serialize" => OpKind::Serialize(if self.at_operator_end() { Vec::new() } else { self.named_exprs()? }),
            "render" => OpKind::Render(self.render_text()?),
            "invoke" => {
                let name = self.ident("a function name after 'invoke'")?;
                let (args, _) = self.args(&name)?;
                OpKind::Invoke { name, args }
            }
            "getschema" => OpKind::GetSchema,
            _ if UNSUPPORTED.contains(&name) => {
                return Err(KqlError::unsupported(name_span, format!("the '{name}' operator is not supported")));
            }
            _ => {
                let err = KqlError::syntax(name_span, format!("unknown operator '{name}'"));
                return Err(match closest(name, SUPPORTED) {
                    Some(best) => err.with_help(format!("did you mean '{best}'?")),
                    None => err,
                });
            }
        })
    }

    /// True at `|`, `;`, `)`, `}` or the end: nothing more belongs to this operator.
    fn at_operator_end(&self) -> bool {
        matches!(self.peek().kind, TokenKind::Eof | TokenKind::Sym(Sym::Pipe | Sym::Semi | Sym::RParen | Sym::RBrace))
    }

    /// `new = old, ...`
    fn renames(&mut self) -> PResult<Vec<(Ident, Ident)>> {
        let mut out = Vec::new();
        loop {
            let new = self.ident("the new column name")?;
            self.expect_sym(Sym::Eq, "after the new column name (project-rename new = old)")?;
            let old = self.ident("the existing column name")?;
            out.push((new, old));
            if self.eat_sym(Sym::Comma).is_none() {
                return Ok(out);
            }
        }
    }

    /// `[hints] [aggs] [by keys]`
    fn summarize(&mut self) -> PResult<OpKind> {
        self.skip_hints()?;
        let aggs = if self.at_word("by") || self.at_operator_end() { Vec::new() } else { self.named_exprs()? };
        let by = match self.eat_word("by") {
            Some(_) => self.named_exprs()?,
            None => Vec::new(),
        };
        if aggs.is_empty() && by.is_empty() {
            return Err(self.expected("aggregates or 'by' after 'summarize'"));
        }
        Ok(OpKind::Summarize { aggs, by })
    }

    /// `distinct *` or `distinct a, b`.
    fn distinct(&mut self) -> PResult<Vec<Expr>> {
        self.skip_hints()?;
        if let Some(span) = self.eat_sym(Sym::Star) {
            return Ok(vec![Expr { kind: ExprKind::Star, span }]);
        }
        let mut items = vec![self.expr()?];
        while self.eat_sym(Sym::Comma).is_some() {
            items.push(self.expr()?);
        }
        Ok(items)
    }

    /// `expr [asc|desc] [nulls first|last]` (descending by default).
    fn sort_key(&mut self) -> PResult<SortKey> {
        let expr = self.expr()?;
        let descending = if self.eat_word("asc").is_some() {
            false
        } else {
            self.eat_word("desc");
            true
        };
        let nulls_first = match self.eat_word("nulls") {
            Some(_) if self.eat_word("first").is_some() => Some(true),
            Some(_) if self.eat_word("last").is_some() => Some(false),
            Some(_) => return Err(self.expected("'first' or 'last' after 'nulls'")),
            None => None,
        };
        Ok(SortKey { expr, descending, nulls_first })
    }

    /// The text of `render ...` up to the end of the operator (balanced parentheses).
    fn render_text(&mut self) -> PResult<String> {
        let start = self.span().start;
        let mut open = Vec::new();
        loop {
            match self.peek().kind {
                TokenKind::Eof => break,
                TokenKind::Sym(Sym::Pipe | Sym::Semi | Sym::RBrace) if open.is_empty() => break,
                TokenKind::Sym(Sym::RParen) if open.is_empty() => break,
                TokenKind::Sym(Sym::LParen) => open.push(self.span()),
                TokenKind::Sym(Sym::RParen) => {
                    open.pop();
                }
                _ => {}
            }
            self.bump();
        }
        if let Some(unclosed) = open.pop() {
            return Err(KqlError::syntax(unclosed, "expected ')' to close this '(' in render"));
        }
        let text = self.since(start).text(self.src).to_string();
        if text.is_empty() {
            return Err(self.expected("a visualization after 'render'"));
        }
        Ok(text)
    }
}
