//! Punctuation and symbolic operators.

/// Punctuation and symbolic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sym {
    /// `==`
    EqEq,
    /// `!=`
    Ne,
    /// `<>`
    LtGt,
    /// `=~`
    EqTilde,
    /// `!~`
    BangTilde,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `%`
    Percent,
    /// `..`
    DotDot,
    /// `.`
    Dot,
    /// `|`
    Pipe,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `,`
    Comma,
    /// `;`
    Semi,
    /// `:`
    Colon,
    /// `=`
    Eq,
    /// `=>`
    Arrow,
}

impl Sym {
    /// The symbol as written.
    pub fn as_str(self) -> &'static str {
        use Sym::*;
        match self {
            EqEq => "==",
            Ne => "!=",
            LtGt => "<>",
            EqTilde => "=~",
            BangTilde => "!~",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            DotDot => "..",
            Dot => ".",
            Pipe => "|",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            LBrace => "{",
            RBrace => "}",
            Comma => ",",
            Semi => ";",
            Colon => ":",
            Eq => "=",
            Arrow => "=>",
        }
    }

    /// True for the comparison symbols (`==`, `!=`, `<>`, `=~`, `!~`, `<`, `<=`, `>`, `>=`).
    pub fn is_comparison(self) -> bool {
        use Sym::*;
        matches!(self, EqEq | Ne | LtGt | EqTilde | BangTilde | Lt | Le | Gt | Ge)
    }
}

/// Two-character symbols first, so `==` is not read as `=` `=`.
pub(super) const SYMBOLS: &[(&str, Sym)] = &[
    ("==", Sym::EqEq),
    ("!=", Sym::Ne),
    ("<>", Sym::LtGt),
    ("=~", Sym::EqTilde),
    ("!~", Sym::BangTilde),
    ("<=", Sym::Le),
    (">=", Sym::Ge),
    ("..", Sym::DotDot),
    ("=>", Sym::Arrow),
    ("<", Sym::Lt),
    (">", Sym::Gt),
    ("+", Sym::Plus),
    ("-", Sym::Minus),
    ("*", Sym::Star),
    ("/", Sym::Slash),
    ("%", Sym::Percent),
    (".", Sym::Dot),
    ("|", Sym::Pipe),
    ("(", Sym::LParen),
    (")", Sym::RParen),
    ("[", Sym::LBracket),
    ("]", Sym::RBracket),
    ("{", Sym::LBrace),
    ("}", Sym::RBrace),
    (",", Sym::Comma),
    (";", Sym::Semi),
    (":", Sym::Colon),
    ("=", Sym::Eq),
];
