//! The rule catalogue's pseudo-filter language: lexer and parser.
//!
//! ```text
//! expr    := or
//! or      := and (("OR" | "||") and)*
//! and     := unary (("AND" | "&&") unary)*
//! unary   := ("NOT" | "!") unary | "(" expr ")" | compare
//! compare := FIELD op VALUE
//! op      := "==" | "=" | "!=" | "contains" | "LIKE"
//! VALUE   := "..." | '...' | bare word
//! ```
//!
//! Keywords are case-insensitive (`AND`, `and`, `And`). In quoted values a
//! backslash escapes `\`, `"`, `'`, `n`, `t`, `r`; any other backslash is
//! literal, so Windows paths such as `"C:\Windows\temp"` read as written.
//! `AND` binds tighter than `OR`, as in SQL and KQL.

use crate::kql::Span;

/// A comparison operator of the pseudo language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `==` or `=`.
    Eq,
    /// `!=`.
    Ne,
    /// `contains`.
    Contains,
    /// `LIKE` with `%` wildcards.
    Like,
}

/// A parsed pseudo-filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// `field op value`.
    Compare {
        /// The pseudo field name.
        field: String,
        /// Where the field is in the filter text.
        field_span: Span,
        /// The operator.
        op: Op,
        /// The value, unescaped.
        value: String,
        /// Where the value is.
        value_span: Span,
    },
    /// Both.
    And(Box<Expr>, Box<Expr>),
    /// Either.
    Or(Box<Expr>, Box<Expr>),
    /// Negation.
    Not(Box<Expr>),
}

/// A syntax error in a pseudo-filter, at a byte span of its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// What was wrong.
    pub message: String,
    /// Where.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Str(String),
    Op(Op),
    And,
    Or,
    Not,
    LParen,
    RParen,
}

fn err<T>(start: usize, end: usize, message: impl Into<String>) -> Result<T, SyntaxError> {
    Err(SyntaxError { message: message.into(), span: Span::new(start, end) })
}

fn lex(src: &str) -> Result<Vec<(Tok, Span)>, SyntaxError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let two = src.get(i..i + 2).unwrap_or("");
        let (tok, len) = match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            _ if two == "==" => (Tok::Op(Op::Eq), 2),
            _ if two == "!=" => (Tok::Op(Op::Ne), 2),
            _ if two == "&&" => (Tok::And, 2),
            _ if two == "||" => (Tok::Or, 2),
            b'=' => (Tok::Op(Op::Eq), 1),
            b'!' => (Tok::Not, 1),
            b'"' | b'\'' => {
                let (value, end) = string(src, i)?;
                (Tok::Str(value), end - i)
            }
            _ => {
                let len =
                    src[i..].find(|ch: char| ch.is_whitespace() || "()=!&|\"'".contains(ch)).unwrap_or(src.len() - i);
                if len == 0 {
                    let ch = src[i..].chars().next().map(|c| c.len_utf8()).unwrap_or(1);
                    return err(i, i + ch, format!("unexpected '{}'", &src[i..i + ch]));
                }
                let word = &src[i..i + len];
                let tok = match word.to_ascii_lowercase().as_str() {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => Tok::Not,
                    "contains" => Tok::Op(Op::Contains),
                    "like" => Tok::Op(Op::Like),
                    _ => Tok::Word(word.to_string()),
                };
                (tok, len)
            }
        };
        i += len;
        out.push((tok, Span::new(start, i)));
    }
    Ok(out)
}

/// A quoted string starting at `start` (the quote): its value and the offset after the closing quote.
fn string(src: &str, start: usize) -> Result<(String, usize), SyntaxError> {
    let quote = src.as_bytes()[start] as char;
    let mut value = String::new();
    let mut chars = src[start + 1..].char_indices().peekable();
    while let Some((off, ch)) = chars.next() {
        let at = start + 1 + off;
        if ch == quote {
            return Ok((value, at + 1));
        }
        if ch == '\\'
            && let Some(&(_, next)) = chars.peek()
        {
            let escaped = match next {
                '\\' | '"' | '\'' => Some(next),
                'n' => Some('\n'),
                't' => Some('\t'),
                'r' => Some('\r'),
                _ => None,
            };
            if let Some(e) = escaped {
                value.push(e);
                chars.next();
                continue;
            }
        }
        value.push(ch);
    }
    err(start, src.len(), format!("unterminated string: no closing {quote}"))
}

/// Parses a pseudo-filter.
pub fn parse(src: &str) -> Result<Expr, SyntaxError> {
    let toks = lex(src)?;
    let mut p = Parser { toks, pos: 0, len: src.len() };
    let e = p.or()?;
    match p.toks.get(p.pos) {
        None => Ok(e),
        Some((Tok::RParen, s)) => err(s.start, s.end, "')' without a matching '('"),
        Some((_, s)) => err(s.start, s.end, "expected AND, OR or the end of the filter"),
    }
}

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn span(&self) -> Span {
        self.toks.get(self.pos).map(|(_, s)| *s).unwrap_or(Span::new(self.len, self.len))
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        let span = self.span();
        match self.peek() {
            Some(Tok::Not) => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let e = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    let at = self.span();
                    return err(span.start, at.end.max(span.end), "'(' is never closed");
                }
                self.pos += 1;
                Ok(e)
            }
            Some(Tok::Word(_)) => self.compare(),
            None => err(span.start, span.end, "expected a comparison, found the end of the filter"),
            Some(_) => err(span.start, span.end, "expected a field name"),
        }
    }

    fn compare(&mut self) -> Result<Expr, SyntaxError> {
        let (Some((Tok::Word(field), field_span)), Some((op, op_span))) =
            (self.toks.get(self.pos).cloned(), self.toks.get(self.pos + 1).cloned())
        else {
            let s = self.span();
            return err(s.start, s.end, "expected a field, an operator and a value");
        };
        let Tok::Op(op) = op else {
            return err(op_span.start, op_span.end, "expected ==, !=, contains or LIKE after the field");
        };
        self.pos += 2;
        let value = match self.toks.get(self.pos).cloned() {
            Some((Tok::Str(v), s)) | Some((Tok::Word(v), s)) => (v, s),
            _ => {
                let s = self.span();
                return err(s.start, s.end, "expected a value after the operator");
            }
        };
        self.pos += 1;
        Ok(Expr::Compare { field, field_span, op, value: value.0, value_span: value.1 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_over_or() {
        let e = parse("a == 'x' OR b == 'y' AND c == 'z'").unwrap();
        assert!(matches!(e, Expr::Or(_, ref r) if matches!(**r, Expr::And(_, _))));
    }

    #[test]
    fn escapes_and_literal_backslashes() {
        let Expr::Compare { value, .. } = parse(r#"a == "C:\Temp\"x\"""#).unwrap() else { panic!() };
        assert_eq!(value, r#"C:\Temp"x""#);
    }

    #[test]
    fn error_spans() {
        assert_eq!(parse("a == 'x").unwrap_err().span, Span::new(5, 7));
        assert_eq!(parse("(a == 'x'").unwrap_err().span.start, 0);
        assert_eq!(parse("a == 'x')").unwrap_err().span, Span::new(8, 9));
    }
}
