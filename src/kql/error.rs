//! KQL errors: every one carries the byte span of the offending text, and
//! renders as the source line with a caret under it.

use super::span::Span;

/// What went wrong, broadly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text does not lex or parse.
    Syntax,
    /// Parses, but names or types do not fit (unknown column, wrong argument).
    Semantic,
    /// Valid KQL that kqlhunt does not implement, or that needs the service.
    Unsupported,
    /// Failed while running (limits, bad regex at run time, cancelled).
    Runtime,
}

impl ErrorKind {
    /// A short label for messages.
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Semantic => "error",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Runtime => "runtime error",
        }
    }
}

/// A KQL error with its span.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", kind.label())]
pub struct KqlError {
    /// The kind.
    pub kind: ErrorKind,
    /// The message, naming what was expected where that helps.
    pub message: String,
    /// Where.
    pub span: Span,
    /// A hint (e.g. "did you mean ...").
    pub help: Option<String>,
}

impl KqlError {
    /// A new error.
    pub fn new(kind: ErrorKind, span: Span, message: impl Into<String>) -> KqlError {
        KqlError { kind, message: message.into(), span, help: None }
    }

    /// A syntax error.
    pub fn syntax(span: Span, message: impl Into<String>) -> KqlError {
        KqlError::new(ErrorKind::Syntax, span, message)
    }

    /// A semantic error.
    pub fn semantic(span: Span, message: impl Into<String>) -> KqlError {
        KqlError::new(ErrorKind::Semantic, span, message)
    }

    /// An unsupported construct.
    pub fn unsupported(span: Span, message: impl Into<String>) -> KqlError {
        KqlError::new(ErrorKind::Unsupported, span, message)
    }

    /// A runtime failure.
    pub fn runtime(span: Span, message: impl Into<String>) -> KqlError {
        KqlError::new(ErrorKind::Runtime, span, message)
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> KqlError {
        self.help = Some(help.into());
        self
    }

    /// Renders the error under its source line:
    ///
    /// ```text
    /// error: unknown column 'FileNme'
    ///  --> 3:9
    ///   |
    /// 3 | | where FileNme == "x"
    ///   |         ^^^^^^^
    ///   = help: did you mean 'FileName'?
    /// ```
    pub fn render(&self, src: &str) -> String {
        render_caret(src, self.span, &self.to_string(), self.help.as_deref())
    }
}

/// Line and column (1-based, column in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(src, offset.min(src.len()));
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, src[line_start..offset].chars().count() + 1)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders `message` with the source line of `span` and carets under it.
/// Shared by every face (CLI, TUI, `check`) so errors look the same everywhere.
pub fn render_caret(src: &str, span: Span, message: &str, help: Option<&str>) -> String {
    let start = floor_char_boundary(src, span.start.min(src.len()));
    let end = floor_char_boundary(src, span.end.min(src.len())).max(start);
    let (line, col) = line_col(src, start);
    let line_start = src[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = src[start..].find('\n').map(|i| start + i).unwrap_or(src.len());
    let text = &src[line_start..line_end];
    let caret_len = src[start..end.min(line_end)].chars().count().max(1);
    let gutter = line.to_string().len();
    let pad = " ".repeat(gutter);
    let mut out = format!("{message}\n{pad}--> {line}:{col}\n{pad} |\n{line} | {text}\n{pad} | ");
    out.push_str(&" ".repeat(col - 1));
    out.push_str(&"^".repeat(caret_len));
    if let Some(h) = help {
        out.push_str(&format!("\n{pad} = help: {h}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_under_the_span() {
        let src = "T\n| where FileNme == 'x'";
        let e = KqlError::semantic(Span::new(10, 17), "unknown column 'FileNme'").with_help("did you mean 'FileName'?");
        let r = e.render(src);
        assert_eq!(
            r,
            "error: unknown column 'FileNme'\n --> 2:9\n  |\n2 | | where FileNme == 'x'\n  |         ^^^^^^^\n  = help: did you mean 'FileName'?"
        );
    }

    #[test]
    fn span_past_the_end_is_clamped() {
        let r = render_caret("abc", Span::new(10, 20), "x", None);
        assert!(r.ends_with("   ^"), "{r}");
    }
}
