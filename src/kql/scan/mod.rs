//! The tolerant KQL scanner: source text to tokens that tile it, each with
//! its byte span and kind. It never fails: an unterminated string or
//! `datetime(` is marked as such, a character no rule reads is
//! [`Kind::Unknown`]. The strict lexer ([`super::lexer`]) is built on it and
//! turns those into errors; the linter and the TUI highlighter read it as is.
//!
//! Like jaq's lexer, tokens keep their source slice (through the span) and
//! there is one small function per grammar piece.

mod sym;

use sym::SYMBOLS;
pub use sym::Sym;

use super::span::Span;

/// Keywords whose parenthesised content is raw text, not tokens.
pub const RAW_LITERALS: &[&str] = &["datetime", "date", "guid", "uniqueid", "time", "timespan"];

/// One token: its kind and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Its bytes in the source.
    pub span: Span,
}

impl Token {
    /// The token's source text.
    pub fn text(self, src: &str) -> &str {
        self.span.text(src)
    }
}

/// The kinds of token the scanner tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Spaces, tabs and line breaks.
    Whitespace,
    /// A `//` comment, up to (not including) the line break.
    Comment,
    /// A word: identifier or keyword (`where`, `_x1`), `$left`, `in~`.
    /// Keywords are contextual in KQL, so [`super::vocab`] classifies words.
    Word,
    /// A negated word operator with its `!`: `!has`, `!in~`.
    BangWord,
    /// A number with any timespan unit after it: `42`, `0x1F`, `1.5e3`, `5d`.
    Number,
    /// A string literal of any quoting: `'a'`, `"a"`, `@'a'`, `h"a"`, ```` ```a``` ````.
    String {
        /// False when the text or line ended before the closing quote.
        terminated: bool,
    },
    /// A literal with raw content: `datetime(2026-01-01)`, `guid(...)`, `time(1h)`.
    Raw {
        /// False when the line ended before the `)`.
        terminated: bool,
    },
    /// Punctuation or a symbolic operator.
    Sym(Sym),
    /// One character that starts no token (`&`, `#`, a lone `!`, `é`).
    Unknown,
}

/// True for a character that can start a word.
pub fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

/// True for a character that can continue a word.
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every token of `src`, in order; their spans tile `src` exactly.
pub fn scan(src: &str) -> Vec<Token> {
    let mut s = Scanner { src, pos: 0 };
    let mut out = Vec::new();
    while s.pos < src.len() {
        let start = s.pos;
        let kind = s.token();
        // Every rule consumes at least one character; this guards the loop if one ever does not.
        if s.pos == start {
            s.pos += s.peek_at(0).map_or(1, char::len_utf8);
        }
        out.push(Token { kind, span: Span::new(start, s.pos) });
    }
    out
}

/// Joins `a`, `-`, `b` written without spaces into one [`Kind::Word`] when
/// `accept` takes the joined text (`project-away`, `mv-expand`); the longest
/// accepted chain wins.
pub fn join_hyphens(src: &str, tokens: &[Token], accept: impl Fn(&str) -> bool) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while let Some(&t) = tokens.get(i) {
        let last = if t.kind == Kind::Word { chain_end(tokens, i) } else { i };
        let joined = (i + 2..=last)
            .rev()
            .step_by(2)
            .find(|&end| accept(Span::new(t.span.start, tokens[end].span.end).text(src)));
        match joined {
            Some(end) => {
                out.push(Token { kind: Kind::Word, span: Span::new(t.span.start, tokens[end].span.end) });
                i = end + 1;
            }
            None => {
                out.push(t);
                i += 1;
            }
        }
    }
    out
}

/// The index of the last word of the adjacent `word-word-...` chain starting at word `i`.
fn chain_end(tokens: &[Token], i: usize) -> usize {
    let mut last = i;
    while let (Some(word), Some(dash), Some(next)) = (tokens.get(last), tokens.get(last + 1), tokens.get(last + 2)) {
        let joins = dash.kind == Kind::Sym(Sym::Minus)
            && next.kind == Kind::Word
            && dash.span.start == word.span.end
            && next.span.start == dash.span.end;
        if !joins {
            break;
        }
        last += 2;
    }
    last
}

struct Scanner<'a> {
    src: &'a str,
    pos: usize,
}

/// Where a decimal number at the start of a text ends, and what it has.
pub(crate) struct DecimalExtent {
    /// Its length in bytes: digits, a `.digits` fraction, an `e[+-]digits` exponent.
    pub len: usize,
    /// It has a fraction.
    pub fraction: bool,
    /// It has an exponent.
    pub exponent: bool,
}

/// The decimal number at the start of `s`: the scanner and the lexer both
/// read numbers with it, so they agree on where one ends.
pub(crate) fn decimal_extent(s: &str) -> DecimalExtent {
    let b = s.as_bytes();
    let digits = |from: usize| from + b.get(from..).map_or(0, |t| t.iter().take_while(|c| c.is_ascii_digit()).count());
    let mut len = digits(0);
    let fraction = b.get(len) == Some(&b'.') && b.get(len + 1).is_some_and(u8::is_ascii_digit);
    if fraction {
        len = digits(len + 1);
    }
    let exponent = matches!(b.get(len), Some(b'e' | b'E'))
        && match b.get(len + 1) {
            Some(b'+' | b'-') => b.get(len + 2).is_some_and(u8::is_ascii_digit),
            Some(c) => c.is_ascii_digit(),
            None => false,
        };
    if exponent {
        len = digits(len + 2);
    }
    DecimalExtent { len, fraction, exponent }
}

/// Kusto's white space, as Microsoft's analyzer reads it: Unicode white
/// space except U+000B, U+0085, U+2028 and U+2029, plus the zero-width space
/// and the byte-order mark that queries pasted from web pages carry.
pub fn is_space(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{FEFF}')
        || (c.is_whitespace() && !matches!(c, '\u{0B}' | '\u{85}' | '\u{2028}' | '\u{2029}'))
}

impl Scanner<'_> {
    fn rest(&self) -> &str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn take_while(&mut self, f: impl Fn(char) -> bool) {
        self.pos += self.rest().find(|c| !f(c)).unwrap_or(self.rest().len());
    }

    /// One token from the current position, which is not at the end.
    fn token(&mut self) -> Kind {
        let c = self.peek_at(0).unwrap_or(' ');
        let next = self.peek_at(1);
        match c {
            c if is_space(c) => {
                self.take_while(is_space);
                Kind::Whitespace
            }
            '/' if next == Some('/') => {
                self.take_while(|c| c != '\n');
                Kind::Comment
            }
            '"' | '\'' => self.quoted(),
            '@' if matches!(next, Some('"' | '\'')) => {
                self.pos += 1;
                self.verbatim()
            }
            '`' if self.rest().starts_with("```") => self.multiline(),
            'h' | 'H' if self.obfuscated_follows() => {
                self.pos += 1;
                if self.rest().starts_with('@') {
                    self.pos += 1;
                    self.verbatim()
                } else {
                    self.quoted()
                }
            }
            '0'..='9' => self.number(),
            '$' if next.is_some_and(is_word_start) => {
                self.pos += 1;
                self.take_while(is_word_char);
                Kind::Word
            }
            '!' if next.is_some_and(is_word_start) => {
                self.pos += 1;
                self.word();
                Kind::BangWord
            }
            c if is_word_start(c) => self.word_or_raw(),
            _ => self.symbol(),
        }
    }

    /// After `h`/`H`: `"`, `'`, `@"` or `@'`.
    fn obfuscated_follows(&self) -> bool {
        match self.peek_at(1) {
            Some('"' | '\'') => true,
            Some('@') => matches!(self.peek_at(2), Some('"' | '\'')),
            _ => false,
        }
    }

    /// A word, with `~` taken for `in~`.
    fn word(&mut self) {
        let start = self.pos;
        self.take_while(is_word_char);
        if self.src.get(start..self.pos) == Some("in") && self.rest().starts_with('~') {
            self.pos += 1;
        }
    }

    /// A word, or a whole raw literal when it is `datetime` etc. followed by `(`.
    fn word_or_raw(&mut self) -> Kind {
        let start = self.pos;
        self.word();
        let word = self.src.get(start..self.pos).unwrap_or("");
        if !RAW_LITERALS.contains(&word) || !self.rest().trim_start_matches([' ', '\t']).starts_with('(') {
            return Kind::Word;
        }
        self.take_while(|c| c == ' ' || c == '\t');
        self.pos += 1; // '('
        self.take_while(|c| c != ')' && c != '\n');
        let terminated = self.rest().starts_with(')');
        if terminated {
            self.pos += 1;
        }
        Kind::Raw { terminated }
    }

    /// `"..."` / `'...'` with backslash escapes; ends before a line break when unterminated.
    fn quoted(&mut self) -> Kind {
        let quote = self.peek_at(0).unwrap_or('"');
        self.pos += 1;
        while let Some(c) = self.peek_at(0) {
            match c {
                '\n' | '\r' => return Kind::String { terminated: false },
                '\\' => {
                    self.pos += 1;
                    // The escaped character, whatever it is (the lexer judges it).
                    self.pos += self.peek_at(0).map_or(0, char::len_utf8);
                }
                c => {
                    self.pos += c.len_utf8();
                    if c == quote {
                        return Kind::String { terminated: true };
                    }
                }
            }
        }
        Kind::String { terminated: false }
    }

    /// A verbatim string at its quote (after `@`): a doubled quote is one quote.
    fn verbatim(&mut self) -> Kind {
        let quote = self.peek_at(0).unwrap_or('"');
        self.pos += 1;
        while let Some(c) = self.peek_at(0) {
            if c == '\n' || c == '\r' {
                return Kind::String { terminated: false };
            }
            self.pos += c.len_utf8();
            if c == quote {
                if self.peek_at(0) != Some(quote) {
                    return Kind::String { terminated: true };
                }
                self.pos += 1;
            }
        }
        Kind::String { terminated: false }
    }

    /// ```` ```...``` ````, across lines; to the end of the text when unterminated.
    fn multiline(&mut self) -> Kind {
        self.pos += 3;
        match self.rest().find("```") {
            Some(len) => {
                self.pos += len + 3;
                Kind::String { terminated: true }
            }
            None => {
                self.pos = self.src.len();
                Kind::String { terminated: false }
            }
        }
    }

    /// A number as the lexer reads it, with any unit word after it.
    fn number(&mut self) -> Kind {
        if self.rest().starts_with("0x") || self.rest().starts_with("0X") {
            self.pos += 2;
            // Hex digits, and any word characters glued on (an error the lexer reports).
            self.take_while(is_word_char);
            return Kind::Number;
        }
        self.pos += decimal_extent(self.rest()).len;
        if self.peek_at(0).is_some_and(is_word_start) {
            self.take_while(is_word_char);
        }
        Kind::Number
    }

    fn symbol(&mut self) -> Kind {
        for (text, sym) in SYMBOLS {
            if self.rest().starts_with(text) {
                self.pos += text.len();
                return Kind::Sym(*sym);
            }
        }
        self.pos += self.peek_at(0).map_or(1, char::len_utf8);
        Kind::Unknown
    }
}

#[cfg(test)]
mod tests;
