//! String literals: `"..."` / `'...'` with backslash escapes, verbatim
//! `@"..."` with quote doubling, and multi-line ```` ```...``` ````.

use super::Lexer;
use crate::kql::error::KqlError;
use crate::kql::span::Span;

impl Lexer<'_> {
    /// A quoted string at the current `"` or `'`; `start` is where the token
    /// began. `verbatim` (after `@`): no escapes, a doubled quote is one quote.
    pub(super) fn quoted(&mut self, start: usize, verbatim: bool) -> Result<String, KqlError> {
        let quote = self.peek_at(0).unwrap_or('"');
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek_at(0) else {
                return Err(unterminated(start, self.pos, quote));
            };
            let at = self.pos;
            self.pos += c.len_utf8();
            match c {
                c if c == quote && verbatim && self.peek_at(0) == Some(quote) => {
                    self.pos += 1;
                    out.push(quote);
                }
                c if c == quote => return Ok(out),
                '\n' | '\r' => return Err(unterminated(start, at, quote)),
                '\\' if !verbatim => out.push(self.escape(at)?),
                c => out.push(c),
            }
        }
    }

    /// The character of the escape sequence after a `\` at `at`.
    fn escape(&mut self, at: usize) -> Result<char, KqlError> {
        let Some(c) = self.peek_at(0) else {
            return Err(KqlError::syntax(Span::new(at, self.pos), "unterminated escape sequence"));
        };
        self.pos += c.len_utf8();
        Ok(match c {
            '\\' | '"' | '\'' => c,
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            '0' => '\0',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'x' => self.hex_escape(at, 2)?,
            'u' => self.hex_escape(at, 4)?,
            _ => {
                let span = Span::new(at, self.pos);
                return Err(KqlError::syntax(span, format!("unknown escape sequence '\\{}'", c.escape_debug()))
                    .with_help("write '\\\\' for a backslash, or use a verbatim string @\"...\""));
            }
        })
    }

    fn hex_escape(&mut self, at: usize, len: usize) -> Result<char, KqlError> {
        let digits = self.rest().get(..len).filter(|d| d.chars().all(|c| c.is_ascii_hexdigit()));
        let ch = digits.and_then(|d| u32::from_str_radix(d, 16).ok()).and_then(char::from_u32);
        match ch {
            Some(ch) => {
                self.pos += len;
                Ok(ch)
            }
            None => Err(KqlError::syntax(
                Span::new(at, self.pos),
                format!("invalid escape: expected {len} hexadecimal digits of a character"),
            )),
        }
    }

    /// A multi-line string ```` ```...``` ````, raw.
    pub(super) fn multiline(&mut self, start: usize) -> Result<String, KqlError> {
        self.pos += 3;
        match self.rest().find("```") {
            Some(len) => {
                let text = self.rest().get(..len).unwrap_or("").to_string();
                self.pos += len + 3;
                Ok(text)
            }
            None => {
                Err(KqlError::syntax(Span::new(start, start + 3), "unterminated multi-line string: expected '```'"))
            }
        }
    }
}

fn unterminated(start: usize, end: usize, quote: char) -> KqlError {
    KqlError::syntax(Span::new(start, end), format!("unterminated string: expected a closing {quote}"))
}
