//! The KQL lexer: source text to tokens, each with its byte span.
//!
//! Keywords are contextual in KQL (`count`, `project`, `kind` can be column
//! names), so every word is an [`TokenKind::Ident`] and the parser decides.
//! Forms whose content is not made of tokens (`datetime(2026-11-20 10:00)`,
//! `guid(...)`, `time(1.12:00:00)`) are lexed whole as [`TokenKind::Raw`].

pub mod number;
mod string;

pub use super::scan::Sym;

use super::error::KqlError;
use super::scan::{self, Kind, decimal_extent, is_word_char, is_word_start};
use super::span::Span;
use number::{Decimal, parse_hex, unit_ticks};

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of token.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// A word: identifier or keyword, `$left`, `in~`.
    Ident(String),
    /// A negated word operator without its `!`: `!has` → `has`, `!in~` → `in~`.
    BangWord(String),
    /// An integer literal (`42`, `0x1F`).
    Long(i64),
    /// A real literal (`1.5`, `1e3`).
    Real(f64),
    /// A timespan literal (`5d`, `1.5h`), in ticks.
    Timespan(i64),
    /// A string literal, unescaped.
    String(String),
    /// A literal whose content is raw text: `datetime(...)`, `guid(...)`, `time(...)`.
    Raw {
        /// The keyword (`datetime`, `guid`, `time`, ...).
        name: String,
        /// The text between the parentheses.
        content: String,
    },
    /// Punctuation or a symbolic operator.
    Sym(Sym),
    /// The end of the text.
    Eof,
}

/// Splits `src` into tokens, ending with one [`TokenKind::Eof`].
pub fn lex(src: &str) -> Result<Vec<Token>, KqlError> {
    let mut lexer = Lexer { src, pos: 0, tokens: Vec::new() };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn push(&mut self, kind: TokenKind, start: usize) {
        self.tokens.push(Token { kind, span: Span::new(start, self.pos) });
    }

    /// Advances over the longest prefix of the rest whose chars satisfy `f`; returns it.
    fn take_while(&mut self, f: impl Fn(char) -> bool) -> &str {
        let start = self.pos;
        let len = self.rest().find(|c| !f(c)).unwrap_or(self.rest().len());
        self.pos += len;
        self.src.get(start..self.pos).unwrap_or("")
    }

    /// Turns the scanner's tokens into values; a token the scanner marked
    /// bad (unterminated, unknown) becomes the error it always was.
    fn run(&mut self) -> Result<(), KqlError> {
        for tok in scan::scan(self.src) {
            let start = tok.span.start;
            self.pos = start;
            let text = tok.text(self.src);
            match tok.kind {
                Kind::Whitespace | Kind::Comment => continue,
                Kind::Word => self.push_at(TokenKind::Ident(text.to_string()), tok.span),
                Kind::BangWord => self.push_at(TokenKind::BangWord(text[1..].to_string()), tok.span),
                Kind::Number => self.number(start)?,
                Kind::String { .. } => {
                    let s = self.string_token(start)?;
                    self.push(TokenKind::String(s), start);
                }
                Kind::Raw { .. } => {
                    let name = self.take_while(is_word_char).to_string();
                    let content = self.raw_content(start, &name)?;
                    self.push(TokenKind::Raw { name, content }, start);
                }
                Kind::Sym(sym) => self.push_at(TokenKind::Sym(sym), tok.span),
                Kind::Unknown => return Err(unexpected(self.src, start)),
            }
        }
        self.pos = self.src.len();
        self.push(TokenKind::Eof, self.pos);
        Ok(())
    }

    fn push_at(&mut self, kind: TokenKind, span: Span) {
        self.pos = span.end;
        self.tokens.push(Token { kind, span });
    }

    /// The value of the string literal at `start`, in whichever quoting it is written.
    fn string_token(&mut self, start: usize) -> Result<String, KqlError> {
        if self.rest().starts_with("```") {
            return self.multiline(start);
        }
        if matches!(self.peek_at(0), Some('h' | 'H')) {
            self.pos += 1;
        }
        if self.rest().starts_with('@') {
            self.pos += 1;
            return self.quoted(start, true);
        }
        self.quoted(start, false)
    }

    fn raw_content(&mut self, start: usize, word: &str) -> Result<String, KqlError> {
        self.take_while(|c| c == ' ' || c == '\t');
        self.pos += 1; // '('
        let open = self.pos;
        let content = self.take_while(|c| c != ')' && c != '\n').to_string();
        if !self.rest().starts_with(')') {
            let span = Span::new(start, open);
            return Err(KqlError::syntax(span, format!("unterminated {word}(...) literal: expected ')'")));
        }
        self.pos += 1;
        Ok(content)
    }

    fn number(&mut self, start: usize) -> Result<(), KqlError> {
        if self.rest().starts_with("0x") || self.rest().starts_with("0X") {
            self.pos += 2;
            let digits = self.take_while(|c| c.is_ascii_hexdigit()).to_string();
            let value = parse_hex(&digits)
                .ok_or_else(|| KqlError::syntax(Span::new(start, self.pos), "invalid hexadecimal literal"))?;
            self.push(TokenKind::Long(value), start);
            return self.no_word_after(start);
        }
        let extent = decimal_extent(self.rest());
        self.pos += extent.len;
        let (has_exponent, is_real) = (extent.exponent, extent.fraction || extent.exponent);
        let text = self.src.get(start..self.pos).unwrap_or("");
        let span = Span::new(start, self.pos);
        if self.peek_at(0).is_some_and(is_word_start) {
            let unit_start = self.pos;
            let unit = self.take_while(is_word_char);
            let (unit, text) = (unit.to_string(), text.to_string());
            let unit_span = Span::new(unit_start, self.pos);
            let ticks = unit_ticks(&unit).ok_or_else(|| {
                KqlError::syntax(unit_span, format!("invalid timespan unit '{unit}'"))
                    .with_help("units are d, h, m, s, ms, microsecond, tick (or day, hour, minute, second, ...)")
            })?;
            if has_exponent {
                return Err(KqlError::syntax(Span::new(start, self.pos), "a timespan cannot have an exponent"));
            }
            let value = Decimal::parse(&text)
                .and_then(|d| d.times_ticks(ticks))
                .ok_or_else(|| KqlError::syntax(Span::new(start, self.pos), "timespan literal out of range"))?;
            self.push(TokenKind::Timespan(value), start);
            return Ok(());
        }
        let kind = if is_real {
            let value: f64 = text.parse().map_err(|_| KqlError::syntax(span, "invalid real literal"))?;
            TokenKind::Real(value)
        } else {
            match text.parse::<i64>() {
                Ok(value) => TokenKind::Long(value),
                // `decimal(99999999999999999999)`: the parser reads the digits from the source.
                Err(_) if self.in_decimal_literal() => TokenKind::Real(text.parse().unwrap_or(f64::INFINITY)),
                Err(_) => return Err(KqlError::syntax(span, "integer literal out of range")),
            }
        };
        self.push(kind, start);
        Ok(())
    }

    /// True right after `decimal(` (and an optional sign), where an integer
    /// wider than a long is still a valid literal (up to 38 digits).
    fn in_decimal_literal(&self) -> bool {
        let mut back = self.tokens.iter().rev();
        let mut t = back.next();
        if t.is_some_and(|t| matches!(t.kind, TokenKind::Sym(Sym::Minus | Sym::Plus))) {
            t = back.next();
        }
        t.is_some_and(|t| matches!(t.kind, TokenKind::Sym(Sym::LParen)))
            && back.next().is_some_and(|t| matches!(&t.kind, TokenKind::Ident(w) if w == "decimal"))
    }

    fn no_word_after(&self, start: usize) -> Result<(), KqlError> {
        match self.peek_at(0) {
            Some(c) if is_word_char(c) => {
                Err(KqlError::syntax(Span::new(start, self.pos + c.len_utf8()), "invalid character in number"))
            }
            _ => Ok(()),
        }
    }
}

/// The error for a character that starts no token.
fn unexpected(src: &str, start: usize) -> KqlError {
    let c = src.get(start..).and_then(|r| r.chars().next()).unwrap_or(' ');
    let span = Span::new(start, start + c.len_utf8());
    let err = KqlError::syntax(span, format!("unexpected character '{}'", c.escape_debug()));
    match c {
        '!' => err.with_help("negation is the function not(...), or a negated operator such as !has, !in, !="),
        '&' => err.with_help("the logical operator is 'and'"),
        _ => err,
    }
}

#[cfg(test)]
mod tests;
