//! KQL errors: every one carries the byte span of the offending text and a
//! code saying what went wrong, set where it is raised, and renders as the
//! source line with a caret under it.

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

/// What exactly went wrong; each code belongs to one [`ErrorKind`].
/// Callers classify errors by this, never by their message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The text does not lex or parse: `T | where (`.
    Syntax,
    /// A table that is neither loaded, nor an MDE table, nor a `let`: `Nope | take 1`.
    UnknownTable,
    /// A column or name that is not in scope: `T | where FileNme == 1`.
    UnknownColumn,
    /// A function kqlhunt does not know: `T | extend x = nofunc(1)`.
    UnknownFunction,
    /// An operand or predicate of the wrong type: `T | where 1`.
    TypeMismatch,
    /// A wrong number or shape of arguments: `T | extend x = strlen()`.
    Arguments,
    /// A construct used where it is not allowed: `T | extend x = count()`.
    Misplaced,
    /// A name declared or produced twice: `T | project a, a`.
    DuplicateName,
    /// A regular expression or `parse` pattern that does not compile.
    BadPattern,
    /// Any other query that cannot mean anything: `let x = 1;` alone.
    Invalid,
    /// Valid KQL that kqlhunt does not implement: `T | evaluate autocluster()`.
    Unsupported,
    /// Valid KQL that needs Microsoft's services or a download: `FileProfile()`.
    ServiceOnly,
    /// Expressions or function calls nested too deeply.
    TooDeep,
    /// An operator produced more rows than the session allows.
    TooManyRows,
    /// The query's operators need more memory than `--max-memory` allows.
    OutOfMemory,
    /// The run was cancelled (Ctrl-C).
    Cancelled,
    /// An `externaldata` file could not be read.
    ExternalData,
    /// Any other failure while running (a function or operator failed on a value).
    Runtime,
    /// A remote source (`--source`) could not run the rule's query.
    Remote,
}

impl ErrorCode {
    /// The broad kind, which gives the message its label.
    pub fn kind(self) -> ErrorKind {
        use ErrorCode::*;
        match self {
            Syntax => ErrorKind::Syntax,
            UnknownTable | UnknownColumn | UnknownFunction | TypeMismatch | Arguments | Misplaced | DuplicateName
            | BadPattern | Invalid => ErrorKind::Semantic,
            Unsupported | ServiceOnly => ErrorKind::Unsupported,
            TooDeep | TooManyRows | OutOfMemory | Cancelled | ExternalData | Runtime | Remote => ErrorKind::Runtime,
        }
    }

    /// A stable kebab-case name, for machine-readable output.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            Syntax => "syntax",
            UnknownTable => "unknown-table",
            UnknownColumn => "unknown-column",
            UnknownFunction => "unknown-function",
            TypeMismatch => "type-mismatch",
            Arguments => "arguments",
            Misplaced => "misplaced",
            DuplicateName => "duplicate-name",
            BadPattern => "bad-pattern",
            Invalid => "invalid",
            Unsupported => "unsupported",
            // `check` has always called this "offline"; the name stays.
            ServiceOnly => "offline",
            TooDeep => "too-deep",
            TooManyRows => "too-many-rows",
            OutOfMemory => "out-of-memory",
            Cancelled => "cancelled",
            ExternalData => "external-data",
            Runtime => "runtime",
            Remote => "remote",
        }
    }
}

/// A KQL error with its span.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", kind.label())]
pub struct KqlError {
    /// The kind (always `code.kind()`; kept as a field for matching).
    pub kind: ErrorKind,
    /// What exactly went wrong.
    pub code: ErrorCode,
    /// The message, naming what was expected where that helps.
    pub message: String,
    /// Where.
    pub span: Span,
    /// A hint (e.g. "did you mean ...").
    pub help: Option<String>,
}

/// One short constructor per code, so raise sites stay one line.
macro_rules! constructors {
    ($($(#[$doc:meta])* $name:ident => $code:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(span: Span, message: impl Into<String>) -> KqlError {
                KqlError::new(ErrorCode::$code, span, message)
            }
        )*
    };
}

impl KqlError {
    /// A new error; its kind follows from `code`.
    pub fn new(code: ErrorCode, span: Span, message: impl Into<String>) -> KqlError {
        KqlError { kind: code.kind(), code, message: message.into(), span, help: None }
    }

    constructors! {
        /// A syntax error.
        syntax => Syntax;
        /// An unknown table.
        unknown_table => UnknownTable;
        /// An unknown column or name.
        unknown_column => UnknownColumn;
        /// An unknown function.
        unknown_function => UnknownFunction;
        /// A type that does not fit.
        type_mismatch => TypeMismatch;
        /// Wrong arguments.
        arguments => Arguments;
        /// A construct where it is not allowed.
        misplaced => Misplaced;
        /// A name given twice.
        duplicate_name => DuplicateName;
        /// A pattern that does not compile.
        bad_pattern => BadPattern;
        /// Any other semantic error.
        semantic => Invalid;
        /// An unsupported construct.
        unsupported => Unsupported;
        /// A construct that needs Microsoft's services.
        service_only => ServiceOnly;
        /// Nesting too deep.
        too_deep => TooDeep;
        /// Over the row limit.
        too_many_rows => TooManyRows;
        /// Over the memory budget.
        out_of_memory => OutOfMemory;
        /// Cancelled.
        cancelled => Cancelled;
        /// An `externaldata` file that cannot be read.
        external_data => ExternalData;
        /// Any other runtime failure.
        runtime => Runtime;
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
    let (shown, caret_col, caret_len) = source_window(text, col - 1, caret_len);
    let mut out = format!("{message}\n{pad}--> {line}:{col}\n{pad} |\n{line} | {shown}\n{pad} | ");
    out.push_str(&" ".repeat(caret_col));
    out.push_str(&"^".repeat(caret_len));
    if let Some(h) = help {
        out.push_str(&format!("\n{pad} = help: {h}"));
    }
    out
}

/// Most characters of a source line an error shows: a 3,000-term query on
/// one line must not print 80 KB and a caret line as long.
const WINDOW: usize = 200;
/// Characters kept before the span when the line is cut.
const LEAD: usize = 60;

/// The part of `text` (a line) shown around the span at character `col0`
/// (`…` marks cut text), the caret's column in it and its length.
fn source_window(text: &str, col0: usize, caret_len: usize) -> (String, usize, usize) {
    let n = text.chars().count();
    if n <= WINDOW {
        return (text.to_string(), col0, caret_len);
    }
    let start = col0.saturating_sub(LEAD).min(n.saturating_sub(WINDOW));
    let end = (start + WINDOW).min(n);
    let mut shown: String = if start > 0 { "…".into() } else { String::new() };
    shown.extend(text.chars().skip(start).take(end - start));
    if end < n {
        shown.push('…');
    }
    let caret_col = col0 - start + usize::from(start > 0);
    (shown, caret_col, caret_len.min(end.saturating_sub(col0)).max(1))
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
    fn a_long_line_shows_a_window_around_the_span() {
        let src = format!("print x = {}", (0..3000).map(|i| format!("a{i}")).collect::<Vec<_>>().join(" or "));
        let at = src.find("a1500 ").unwrap_or(0);
        let r = render_caret(&src, Span::new(at, src.len()), "x", None);
        let lines: Vec<&str> = r.lines().collect();
        assert!(lines.iter().all(|l| l.chars().count() <= WINDOW + 12), "{r}");
        let (code, carets) = (lines[3], lines[4]);
        // Cut on both sides, with up to LEAD characters of context before the span.
        assert!(code.starts_with("1 | …") && code.contains("a1499 or a1500 or") && code.ends_with('…'), "{code}");
        let caret_at = carets.chars().position(|c| c == '^').unwrap_or(0);
        assert_eq!(code.chars().skip(caret_at).take(5).collect::<String>(), "a1500", "{r}");
        assert!(r.contains(&format!("--> 1:{}", at + 1)), "{r}");
    }

    #[test]
    fn span_past_the_end_is_clamped() {
        let r = render_caret("abc", Span::new(10, 20), "x", None);
        assert!(r.ends_with("   ^"), "{r}");
    }

    #[test]
    fn codes_are_set_where_raised() {
        use crate::data::Database;
        use crate::kql::eval::{Evaluator, Session};
        let code = |q: &str| {
            let parsed = crate::kql::parse(q).map_err(|e| e.code)?;
            let mut ev = Evaluator::new(Session::new(std::sync::Arc::new(Database::default()), 0));
            ev.run(&parsed).map(|_| ()).map_err(|e| e.code)
        };
        assert_eq!(code("DeviceFileEvents | where"), Err(ErrorCode::Syntax));
        assert_eq!(code("DeviceFileEvents | where FileNme == 'x'"), Err(ErrorCode::UnknownColumn));
        assert_eq!(code("DeviceFileEvnts | take 1"), Err(ErrorCode::UnknownTable));
        assert_eq!(code("DeviceFileEvents | extend x = nofunc(1)"), Err(ErrorCode::UnknownFunction));
        assert_eq!(code("DeviceFileEvents | where 1"), Err(ErrorCode::TypeMismatch));
        assert_eq!(
            code("DeviceFileEvents | extend g = geo_info_from_ip_address(FileName)"),
            Err(ErrorCode::ServiceOnly)
        );
        assert_eq!(code("DeviceFileEvents | project x = 1, x = 2"), Err(ErrorCode::DuplicateName));
    }

    #[test]
    fn kind_follows_the_code() {
        let e = KqlError::unknown_column(Span::new(0, 1), "unknown column 'x'");
        assert_eq!((e.kind, e.code.as_str()), (ErrorKind::Semantic, "unknown-column"));
        assert_eq!(KqlError::cancelled(Span::new(0, 0), "cancelled").to_string(), "runtime error: cancelled");
        assert_eq!(KqlError::service_only(Span::new(0, 0), "x").kind, ErrorKind::Unsupported);
    }
}
