//! The `| operator` dispatch and the single-table operators.

use super::{PResult, Parser, closest};
use crate::kql::ast::{Expr, ExprKind, Ident, Op, OpKind, SortKey};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};
use crate::kql::span::Span;
use crate::kql::vocab::{NOT_RUN_OPERATORS, RUN_OPERATORS};

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

    /// Dispatches on the operator name. Each operator is its own small function
    /// so this frame stays small: nested pipelines recurse through it.
    fn operator_body(&mut self, name: &str, name_span: Span) -> PResult<OpKind> {
        let parse: fn(&mut Self) -> PResult<OpKind> = match name {
            "where" | "filter" => |p| Ok(OpKind::Where(p.expr()?)),
            "project" => |p| Ok(OpKind::Project(p.named_exprs()?)),
            "project-away" => |p| Ok(OpKind::ProjectAway(p.column_patterns("a column to remove")?)),
            "project-keep" => |p| Ok(OpKind::ProjectKeep(p.column_patterns("a column to keep")?)),
            "project-reorder" => Self::project_reorder,
            "project-by-names" => Self::project_by_names,
            "project-rename" => |p| Ok(OpKind::ProjectRename(p.renames()?)),
            "extend" => |p| Ok(OpKind::Extend(p.named_exprs()?)),
            "summarize" => Self::summarize,
            "count" => Self::count,
            "distinct" => |p| Ok(OpKind::Distinct(p.distinct()?)),
            "take" | "limit" => |p| {
                p.skip_hints()?;
                Ok(OpKind::Take(p.expr()?))
            },
            "top" => Self::top,
            "sort" | "order" => Self::sort,
            "join" => Self::join,
            "lookup" => Self::lookup,
            "union" => |p| Ok(OpKind::Union(p.union_body()?)),
            "mv-expand" | "mvexpand" => Self::mv_expand,
            "parse" => Self::parse_op,
            "evaluate" => Self::evaluate,
            "make-series" => Self::make_series,
            "as" => Self::as_op,
            "serialize" => |p| Ok(OpKind::Serialize(if p.at_operator_end() { Vec::new() } else { p.named_exprs()? })),
            "render" => |p| Ok(OpKind::Render(p.render_text()?)),
            "invoke" => Self::invoke,
            "getschema" => |_| Ok(OpKind::GetSchema),
            "mv-apply" | "mvapply" => Self::mv_apply,
            "parse-where" => Self::parse_where,
            "parse-kv" => Self::parse_kv,
            "partition" => Self::partition,
            "search" => |p| {
                let start = p.span().start;
                Ok(OpKind::Search(p.search_body(start)?))
            },
            "top-nested" => Self::top_nested,
            "scan" => Self::scan_op,
            "make-graph" => Self::make_graph,
            "graph-match" => Self::graph_match,
            "graph-shortest-paths" => Self::graph_shortest_paths,
            "graph-to-table" => Self::graph_to_table,
            "graph-mark-components" => Self::graph_mark_components,
            _ if NOT_RUN_OPERATORS.contains(&name) => {
                return Err(KqlError::unsupported(name_span, format!("the '{name}' operator is not supported")));
            }
            _ => {
                let err = KqlError::syntax(name_span, format!("unknown operator '{name}'"));
                return Err(match closest(name, RUN_OPERATORS) {
                    Some(best) => err.with_help(format!("did you mean '{best}'?")),
                    None => err,
                });
            }
        };
        parse(self)
    }

    fn project_reorder(&mut self) -> PResult<OpKind> {
        let cols = self.column_patterns("a column to reorder")?;
        if let Some(w) = ["asc", "desc", "granny-asc", "granny-desc"].iter().find(|w| self.at_word(w)) {
            return Err(KqlError::unsupported(self.span(), format!("project-reorder '{w}' is not supported")));
        }
        Ok(OpKind::ProjectReorder(cols))
    }

    fn project_by_names(&mut self) -> PResult<OpKind> {
        let mut specs = vec![self.expr()?];
        while self.eat_sym(Sym::Comma).is_some() {
            specs.push(self.expr()?);
        }
        Ok(OpKind::ProjectByNames(specs))
    }

    fn count(&mut self) -> PResult<OpKind> {
        Ok(OpKind::Count(match self.eat_word("as") {
            Some(_) => Some(self.ident("a column name after 'as'")?),
            None => None,
        }))
    }

    fn top(&mut self) -> PResult<OpKind> {
        let count = self.expr()?;
        self.expect_word("by", "after the number of rows of 'top'")?;
        Ok(OpKind::Top { count, by: self.sort_key()? })
    }

    fn sort(&mut self) -> PResult<OpKind> {
        self.skip_hints()?;
        self.expect_word("by", "after 'sort' or 'order'")?;
        let mut keys = vec![self.sort_key()?];
        while self.eat_sym(Sym::Comma).is_some() {
            keys.push(self.sort_key()?);
        }
        Ok(OpKind::Sort(keys))
    }

    fn evaluate(&mut self) -> PResult<OpKind> {
        self.skip_hints()?;
        let plugin = self.ident("a plugin name after 'evaluate'")?;
        let (args, _) = self.args(&plugin)?;
        // `: ([*,] name:type, ...)`, the plugin's declared output schema.
        let schema = match self.eat_sym(Sym::Colon) {
            Some(_) => {
                let open = self.expect_sym(Sym::LParen, "to start the output schema")?;
                let star = self.at_sym(Sym::Star);
                if star {
                    self.bump();
                    self.expect_sym(Sym::Comma, "after '*' in the output schema")?;
                }
                let columns = self.typed_names()?;
                self.expect_close(Sym::RParen, open)?;
                Some((star, columns))
            }
            None => None,
        };
        Ok(OpKind::Evaluate { plugin, args, schema })
    }

    fn as_op(&mut self) -> PResult<OpKind> {
        self.skip_hints()?;
        Ok(OpKind::As(self.ident("a name after 'as'")?))
    }

    fn invoke(&mut self) -> PResult<OpKind> {
        let name = self.ident("a function name after 'invoke'")?;
        let (args, _) = self.args(&name)?;
        Ok(OpKind::Invoke { name, args })
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
    pub(super) fn sort_key(&mut self) -> PResult<SortKey> {
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
