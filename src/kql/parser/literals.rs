//! Typed literals: `datetime(...)`, `time(...)`, `guid(...)`, `long(null)`,
//! `int(5)`, `real(nan)`, `bool(true)`, and `dynamic(...)` with its JSON-ish
//! content (single-quoted strings, `datetime(...)` values, nesting).

use serde_json::{Map, Number, Value as Json};

use super::{PResult, Parser};
use crate::data::time::{format_datetime_kusto, format_timespan, parse_datetime};
use crate::data::{DataType, Decimal};
use crate::kql::ast::{Expr, ExprKind, Literal};
use crate::kql::error::KqlError;
use crate::kql::lexer::number::parse_timespan_text;
use crate::kql::lexer::{Sym, TokenKind};
use crate::kql::span::Span;

/// A date written as three numbers, year first, with spaces or commas
/// around the separators: `datetime(2017 - 08 - 01)`, `datetime(2025, 6, 14)`
/// (forms Kusto's documentation examples use; .NET's date parser takes them).
fn spaced_date(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split(['-', ',', '/']).map(str::trim).collect();
    let [y, m, d] = parts[..] else { return None };
    if y.len() != 4 || [y, m, d].iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    parse_datetime(&format!("{y}-{m:0>2}-{d:0>2}"))
}

/// The literal of a raw-content token (`datetime(...)`, `guid(...)`, `time(...)`).
fn raw_value(name: &str, content: &str, span: Span) -> PResult<Literal> {
    let text = unquote(content.trim());
    match name {
        "datetime" | "date" => {
            if text == "null" {
                return Ok(Literal::Null(DataType::DateTime));
            }
            parse_datetime(text).or_else(|| spaced_date(text)).map(Literal::DateTime).ok_or_else(|| {
                KqlError::syntax(span, format!("invalid datetime '{text}'"))
                    .with_help("write e.g. datetime(2026-11-20), datetime(2026-11-20 10:00:00) or datetime(null)")
            })
        }
        "time" | "timespan" => match parse_timespan_text(text) {
            Ok(Some(ticks)) => Ok(Literal::Timespan(ticks)),
            Ok(None) => Ok(Literal::Null(DataType::Timespan)),
            Err(message) => Err(KqlError::syntax(span, message)
                .with_help("write e.g. time(1h), time(15 seconds), time(1.12:00:00) or time(null)")),
        },
        _ if text == "null" => Ok(Literal::Null(DataType::Guid)),
        _ => {
            let hex = text.chars().filter(|c| *c != '-').count();
            if hex == 32 && text.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
                Ok(Literal::Guid(text.to_ascii_lowercase()))
            } else {
                Err(KqlError::syntax(span, format!("invalid guid '{text}'")))
            }
        }
    }
}

/// The text of `datetime("2024-01-01")` / `guid('…')`: Kusto accepts the
/// content quoted as a string literal too (Microsoft's analyzer does).
fn unquote(text: &str) -> &str {
    let b = text.as_bytes();
    match (b.first(), b.last()) {
        (Some(b'"'), Some(b'"')) | (Some(b'\''), Some(b'\'')) if b.len() >= 2 => &text[1..text.len() - 1],
        _ => text,
    }
}

impl Parser<'_> {
    /// The literal of a raw-content token at `span`.
    pub(super) fn raw_literal(&self, name: &str, content: &str, span: Span) -> PResult<Literal> {
        raw_value(name, content, span)
    }

    /// `long(...)`, `int(...)`, `real(...)`, `bool(...)`, `dynamic(...)` when the
    /// cursor (at the word, before `(`) starts one; `None` leaves it for a call.
    pub(super) fn typed_literal(&mut self, word: &str) -> PResult<Option<Expr>> {
        if word == "dynamic" {
            return self.dynamic().map(Some);
        }
        let dtype = match word {
            "long" | "int64" => DataType::Long,
            "int" | "int32" => DataType::Int,
            "real" | "double" => DataType::Real,
            "decimal" => DataType::Decimal,
            "bool" | "boolean" => DataType::Bool,
            _ => return Ok(None),
        };
        // word ( [sign] value )
        let (sign, at) = match self.nth(2).kind {
            TokenKind::Sym(Sym::Minus) => (-1.0, 3),
            TokenKind::Sym(Sym::Plus) => (1.0, 3),
            _ => (1.0, 2),
        };
        if !self.nth_is_sym(at + 1, Sym::RParen) {
            return Ok(None);
        }
        let span = self.span().to(self.nth(at + 1).span);
        let bad = || KqlError::syntax(span, format!("invalid {word}(...) literal"));
        let lit = match (&self.nth(at).kind, dtype) {
            (TokenKind::Ident(w), _) if w == "null" && at == 2 => Literal::Null(dtype),
            (TokenKind::Ident(w), DataType::Bool) if at == 2 && w.eq_ignore_ascii_case("true") => Literal::Bool(true),
            (TokenKind::Ident(w), DataType::Bool) if at == 2 && w.eq_ignore_ascii_case("false") => Literal::Bool(false),
            (TokenKind::Long(v), DataType::Long) => Literal::Long(if sign < 0.0 { -v } else { *v }),
            (TokenKind::Long(v), DataType::Int) => {
                let v = if sign < 0.0 { -v } else { *v };
                Literal::Int(i32::try_from(v).map_err(|_| bad().with_help("int is 32-bit; use long(...)"))?)
            }
            (TokenKind::Long(v), DataType::Real) => Literal::Real(sign * *v as f64),
            (TokenKind::Real(v), DataType::Real) => Literal::Real(sign * v),
            (TokenKind::Ident(w), DataType::Real) if w == "nan" && at == 2 => Literal::Real(f64::NAN),
            (TokenKind::Ident(w), DataType::Real) if w == "inf" => Literal::Real(sign * f64::INFINITY),
            // The digits as written: `decimal(0.1)` is exactly 0.1, not the real nearest to it.
            (TokenKind::Long(_) | TokenKind::Real(_), DataType::Decimal) => {
                let text = self.nth(at).span.text(self.src);
                let d = Decimal::parse(text)
                    .ok_or_else(|| bad().with_help("a decimal holds at most 38 significant digits"))?;
                Literal::Decimal(if sign < 0.0 { -d } else { d })
            }
            (TokenKind::Ident(w), DataType::Decimal)
                if w.eq_ignore_ascii_case("nan") || w.eq_ignore_ascii_case("inf") =>
            {
                return Err(bad().with_help("a decimal has no NaN or infinity; use real(nan) or real(inf)"));
            }
            _ => return Ok(None),
        };
        self.pos += at + 2;
        Ok(Some(Expr { kind: ExprKind::Literal(lit), span }))
    }

    /// `dynamic( json )` at the word `dynamic`.
    fn dynamic(&mut self) -> PResult<Expr> {
        let start = self.bump().span;
        let open = self.expect_sym(Sym::LParen, "after 'dynamic'")?;
        let value = self.json()?;
        let close = self.expect_close(Sym::RParen, open)?;
        Ok(Expr { kind: ExprKind::Literal(Literal::Dynamic(value)), span: start.to(close) })
    }

    /// One JSON-ish value of a dynamic literal.
    fn json(&mut self) -> PResult<Json> {
        self.nested(|p| {
            let tok = p.peek().clone();
            match tok.kind {
                TokenKind::Sym(Sym::LBracket) => p.json_array(tok.span),
                TokenKind::Sym(Sym::LBrace) => p.json_object(tok.span),
                TokenKind::String(_) => Ok(Json::String(p.string_literal().0)),
                TokenKind::Sym(Sym::Minus) => {
                    p.bump();
                    match p.json_number(-1)? {
                        Some(n) => Ok(n),
                        None => Err(p.expected("a number after '-'")),
                    }
                }
                TokenKind::Raw { name, content } => {
                    p.bump();
                    Ok(match raw_value(&name, &content, tok.span)? {
                        Literal::DateTime(t) => Json::String(format_datetime_kusto(t)),
                        Literal::Timespan(t) => Json::String(format_timespan(t)),
                        Literal::Guid(g) => Json::String(g),
                        _ => Json::Null,
                    })
                }
                TokenKind::Ident(ref w) if w == "true" || w == "false" => {
                    p.bump();
                    Ok(Json::Bool(w == "true"))
                }
                TokenKind::Ident(ref w) if w == "null" => {
                    p.bump();
                    Ok(Json::Null)
                }
                // `dynamic({"a": dynamic([1, 2])})`: a nested dynamic literal is its value.
                TokenKind::Ident(ref w) if w == "dynamic" && p.nth_is_sym(1, Sym::LParen) => {
                    p.bump();
                    let open = p.expect_sym(Sym::LParen, "after 'dynamic'")?;
                    let value = p.json()?;
                    p.expect_close(Sym::RParen, open)?;
                    Ok(value)
                }
                _ => match p.json_number(1)? {
                    Some(n) => Ok(n),
                    None => Err(p.expected("a dynamic value (number, string, bool, null, [...] or {...})")),
                },
            }
        })
    }

    /// A number (or timespan, kept as its text) with `sign`, if one is next.
    fn json_number(&mut self, sign: i64) -> PResult<Option<Json>> {
        let span = self.span();
        let value = match self.peek().kind {
            TokenKind::Long(v) => Json::Number(Number::from(sign * v)),
            TokenKind::Real(v) => Json::Number(
                Number::from_f64(sign as f64 * v)
                    .ok_or_else(|| KqlError::syntax(span, "a dynamic number must be finite"))?,
            ),
            TokenKind::Timespan(v) => Json::String(format_timespan(sign * v)),
            _ => return Ok(None),
        };
        self.bump();
        Ok(Some(value))
    }

    fn json_array(&mut self, open: Span) -> PResult<Json> {
        self.bump();
        let mut items = Vec::new();
        while !self.at_sym(Sym::RBracket) {
            items.push(self.json()?);
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        self.expect_close(Sym::RBracket, open)?;
        Ok(Json::Array(items))
    }

    fn json_object(&mut self, open: Span) -> PResult<Json> {
        self.bump();
        let mut map = Map::new();
        while !self.at_sym(Sym::RBrace) {
            let key = match &self.peek().kind {
                TokenKind::String(_) => self.string_literal().0,
                TokenKind::Ident(name) => {
                    let name = name.clone();
                    self.bump();
                    name
                }
                _ => return Err(self.expected("a property name in a dynamic object")),
            };
            self.expect_sym(Sym::Colon, "after the property name")?;
            let value = self.json()?;
            map.insert(key, value);
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        self.expect_close(Sym::RBrace, open)?;
        Ok(Json::Object(map))
    }
}
