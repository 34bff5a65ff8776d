//! A hand-written recursive-descent parser from tokens to [`ast`](super::ast).
//!
//! Split by concept: [`statements`] (`let`, functions), [`tabular`] (sources
//! and pipelines), [`operators`], [`relational`] (`join`, `lookup`, `union`),
//! [`shaping`] (`mv-expand`, `parse`, `make-series`), [`expr`] (scalar
//! expressions) and [`literals`]. Every recursion goes through
//! [`Parser::nested`], so no input can overflow the stack.

mod expr;
mod graph;
mod literals;
mod operators;
mod parse_kv;
mod query_parameters;
mod relational;
mod scan_op;
mod set_statement;
mod shaping;
mod statements;
mod subquery;
mod tabular;

use super::ast::{Ident, Query};
use super::error::{KqlError, line_col};
use super::lexer::{Sym, Token, TokenKind, lex};
use super::span::Span;

/// How deeply parentheses, sub-expressions and nested pipelines may nest.
pub const MAX_DEPTH: usize = 256;

/// Stack the parser may use below its entry point. A second guard next to
/// [`MAX_DEPTH`]: unoptimised builds have large frames, and a 2 MiB thread
/// (the test harness default) must still get an error rather than an abort.
const STACK_BUDGET: usize = 1 << 20;

/// The address of a local: where the stack is now.
#[inline(always)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

type PResult<T> = Result<T, KqlError>;

/// Parses a whole query: `let` statements and expressions separated by `;`.
pub fn parse_query(src: &str) -> PResult<Query> {
    let tokens = lex(src)?;
    let mut p = Parser { src, tokens, pos: 0, depth: 0, tree: 0, stack_base: stack_position() };
    p.query()
}

/// Parses a standalone scalar expression (an exclusion filter, say), to the end of the text.
pub fn parse_expression(src: &str) -> PResult<super::ast::Expr> {
    let tokens = lex(src)?;
    let mut p = Parser { src, tokens, pos: 0, depth: 0, tree: 0, stack_base: stack_position() };
    let e = p.expr()?;
    p.expect_eof("the end of the expression")?;
    Ok(e)
}

/// The parser state: the token list and a cursor.
pub(crate) struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// Recursion depth (bounded by [`MAX_DEPTH`]).
    depth: usize,
    /// Depth of the syntax tree being built (bounded by [`expr::MAX_TREE_DEPTH`]).
    tree: usize,
    /// [`stack_position`] when parsing began.
    stack_base: usize,
}

/// The end-of-text token used when the cursor runs past the list.
const EOF: Token = Token { kind: TokenKind::Eof, span: Span { start: usize::MAX, end: usize::MAX } };

impl Parser<'_> {
    /// The token `n` ahead of the cursor (the final `Eof` when past the end).
    fn nth(&self, n: usize) -> &Token {
        self.tokens.get(self.pos + n).or_else(|| self.tokens.last()).unwrap_or(&EOF)
    }

    fn peek(&self) -> &Token {
        self.nth(0)
    }

    fn span(&self) -> Span {
        self.peek().span
    }

    /// The end of the previous token (the start of the text at the beginning).
    fn prev_end(&self) -> usize {
        self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)).map_or(0, |t| t.span.end)
    }

    /// The span from `start` to the end of the previous token.
    fn since(&self, start: usize) -> Span {
        Span::new(start, self.prev_end().max(start))
    }

    fn bump(&mut self) -> Token {
        let tok = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        tok
    }

    fn at_sym(&self, sym: Sym) -> bool {
        self.nth_is_sym(0, sym)
    }

    fn nth_is_sym(&self, n: usize, sym: Sym) -> bool {
        self.nth(n).kind == TokenKind::Sym(sym)
    }

    fn eat_sym(&mut self, sym: Sym) -> Option<Span> {
        self.at_sym(sym).then(|| self.bump().span)
    }

    /// True when the next token is the word `w` (keywords are case-sensitive).
    fn at_word(&self, w: &str) -> bool {
        self.nth_is_word(0, w)
    }

    fn nth_is_word(&self, n: usize, w: &str) -> bool {
        matches!(&self.nth(n).kind, TokenKind::Ident(s) if s == w)
    }

    fn eat_word(&mut self, w: &str) -> Option<Span> {
        self.at_word(w).then(|| self.bump().span)
    }

    /// True when tokens `n` and `n + 1` touch (no space between: `project-away`, `Device*`).
    fn adjacent(&self, n: usize) -> bool {
        self.nth(n).span.end == self.nth(n + 1).span.start
    }

    fn expect_sym(&mut self, sym: Sym, context: &str) -> PResult<Span> {
        self.eat_sym(sym).ok_or_else(|| self.expected(&format!("'{}' {context}", sym.as_str())))
    }

    fn expect_word(&mut self, w: &str, context: &str) -> PResult<Span> {
        self.eat_word(w).ok_or_else(|| self.expected(&format!("'{w}' {context}")))
    }

    /// Expects the closing `close` of an `open` bracket, naming where it was opened.
    fn expect_close(&mut self, close: Sym, open: Span) -> PResult<Span> {
        self.eat_sym(close).ok_or_else(|| {
            let (line, col) = line_col(self.src, open.start);
            let open_text = open.text(self.src);
            self.expected(&format!("'{}' to close '{open_text}' opened at {line}:{col}", close.as_str()))
        })
    }

    fn expect_eof(&mut self, context: &str) -> PResult<()> {
        match self.peek().kind {
            TokenKind::Eof => Ok(()),
            _ => Err(self.expected(context)),
        }
    }

    /// "expected X, found Y" at the next token.
    fn expected(&self, what: &str) -> KqlError {
        let tok = self.peek();
        KqlError::syntax(tok.span, format!("expected {what}, found {}", self.describe(tok)))
    }

    /// How a token is named in messages.
    fn describe(&self, tok: &Token) -> String {
        match &tok.kind {
            TokenKind::Eof => "the end of the query".to_string(),
            TokenKind::String(_) => "a string literal".to_string(),
            TokenKind::Long(_) | TokenKind::Real(_) => format!("the number {}", tok.span.text(self.src)),
            TokenKind::Timespan(_) => format!("the timespan {}", tok.span.text(self.src)),
            TokenKind::Raw { name, .. } => format!("a {name}(...) literal"),
            _ => format!("'{}'", tok.span.text(self.src)),
        }
    }

    /// Runs `f` one nesting level deeper, failing past [`MAX_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH || stack_position().abs_diff(self.stack_base) > STACK_BUDGET {
            return Err(KqlError::syntax(
                self.span(),
                format!("the query nests too deeply (more than {MAX_DEPTH} levels of parentheses or sub-expressions)"),
            ));
        }
        let (depth, tree) = (self.depth, self.tree);
        self.depth += 1;
        self.tree += 1;
        let result = f(self);
        (self.depth, self.tree) = (depth, tree);
        result
    }

    /// A name: a word, or a quoted `['name']` / `["name"]`. `what` names it in errors.
    fn ident(&mut self, what: &str) -> PResult<Ident> {
        self.try_ident().ok_or_else(|| self.expected(what))
    }

    /// A name if one is next.
    fn try_ident(&mut self) -> Option<Ident> {
        let tok = self.peek();
        match &tok.kind {
            TokenKind::Ident(name) if !name.starts_with('$') && !name.ends_with('~') => {
                let ident = Ident { name: name.clone(), span: tok.span };
                self.bump();
                Some(ident)
            }
            TokenKind::Sym(Sym::LBracket) => {
                let TokenKind::String(name) = &self.nth(1).kind else { return None };
                if !self.nth_is_sym(2, Sym::RBracket) {
                    return None;
                }
                let ident = Ident { name: name.clone(), span: tok.span.to(self.nth(2).span) };
                self.pos += 3;
                Some(ident)
            }
            _ => None,
        }
    }

    /// True when a quoted name `['x']` or a plain word is next.
    fn at_ident(&self) -> bool {
        match &self.peek().kind {
            TokenKind::Ident(name) => !name.starts_with('$') && !name.ends_with('~'),
            TokenKind::Sym(Sym::LBracket) => {
                matches!(self.nth(1).kind, TokenKind::String(_)) && self.nth_is_sym(2, Sym::RBracket)
            }
            _ => false,
        }
    }

    /// `name = ` ahead (a plain `=`, not `==` or `=~`)?
    fn at_assignment(&self) -> bool {
        match &self.peek().kind {
            TokenKind::Ident(_) => self.nth_is_sym(1, Sym::Eq),
            TokenKind::Sym(Sym::LBracket) => self.nth_is_sym(3, Sym::Eq) && self.at_ident(),
            _ => false,
        }
    }

    /// True at a `hint.name` operator parameter.
    fn at_hint(&self) -> bool {
        self.at_word("hint") && self.nth_is_sym(1, Sym::Dot)
    }

    /// Skips `hint.name = value` operator parameters, which do not change results.
    fn skip_hints(&mut self) -> PResult<()> {
        while self.at_hint() {
            self.pos += 2;
            self.ident("a hint name after 'hint.'")?;
            self.expect_sym(Sym::Eq, "after the hint name")?;
            match self.peek().kind {
                TokenKind::Eof | TokenKind::Sym(_) => return Err(self.expected("a hint value")),
                _ => {
                    self.bump();
                }
            }
        }
        Ok(())
    }

    /// A parameter `name=` at the cursor (e.g. `kind=`), consuming it when present.
    fn eat_param(&mut self, name: &str) -> bool {
        if self.at_word(name) && self.nth_is_sym(1, Sym::Eq) {
            self.pos += 2;
            true
        } else {
            false
        }
    }
}

/// The edit distance between two words (for "did you mean" hints).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let (Some(&left), Some(&up)) = (row.get(j), row.get(j + 1)) else { break };
            let value = (prev + cost).min(left + 1).min(up + 1);
            prev = up;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = value;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

/// The candidate closest to `word`, if close enough to be a plausible typo.
pub(crate) fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let (best, dist) = candidates.iter().map(|c| (*c, edit_distance(word, c))).min_by_key(|(_, d)| *d)?;
    (dist <= (word.chars().count() / 3).max(1)).then_some(best)
}

/// Words the parser gives a meaning in some position (operators, literal
/// keywords, clause words); the printer quotes names spelled like them.
const RESERVED: &[&str] = &[
    "and",
    "or",
    "by",
    "on",
    "with",
    "from",
    "to",
    "step",
    "default",
    "asc",
    "desc",
    "nulls",
    "first",
    "last",
    "limit",
    "in",
    "between",
    "matches",
    "regex",
    "has_any",
    "has_all",
    "typeof",
    "kind",
    "hint",
    "withsource",
    "isfuzzy",
    "bagexpansion",
    "with_itemindex",
    "flags",
    "null",
    "nan",
    "inf",
    "let",
    "set",
    "declare",
    "alias",
    "pattern",
    "restrict",
    "view",
    "datatable",
    "externaldata",
    "external_data",
    "union",
    "print",
    "range",
    "find",
    "search",
    "evaluate",
    "dynamic",
    "datetime",
    "date",
    "time",
    "timespan",
    "guid",
    "uniqueid",
    "long",
    "int64",
    "int",
    "int32",
    "real",
    "double",
    "decimal",
    "bool",
    "boolean",
    "where",
    "filter",
    "project",
    "extend",
    "summarize",
    "distinct",
    "take",
    "limit",
    "top",
    "sort",
    "order",
    "join",
    "lookup",
    "parse",
    "mvexpand",
    "as",
    "serialize",
    "render",
    "invoke",
    "getschema",
];

/// True when a name must be quoted (`['by']`) to be read back as a name.
pub(crate) fn is_reserved_word(word: &str) -> bool {
    RESERVED.contains(&word)
        || word.eq_ignore_ascii_case("true")
        || word.eq_ignore_ascii_case("false")
        || expr::str_op(word).is_some()
}
