//! `parse_command_line(command_line, "windows")`: the arguments of a Windows
//! command line, split as `CommandLineToArgvW` splits them
//! (parse-command-line-function.md). Hand-written: no crate implements the
//! Windows rules for reading another process's command line.

use serde_json::Value as Json;

use super::args::{Kind, check, dynamic, sf, text};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] =
    &[sf("parse_command_line", &[], 2, 2, |t| check(t, &[Kind::Text], DataType::Dynamic), parse_command_line)];

fn parse_command_line(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    if !text(a, 1).eq_ignore_ascii_case("windows") {
        return Err("parse_command_line's parser must be \"windows\"".into());
    }
    Ok(dynamic(Json::Array(split_windows(&text(a, 0)).into_iter().map(Json::String).collect())))
}

/// The program name ends at the closing quote or the first blank, with no
/// escapes; later arguments follow the backslash and quote rules: 2n
/// backslashes before `"` give n and toggle quoting, 2n+1 give n and a
/// literal `"`, `""` inside quotes is a literal `"`.
fn split_windows(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let blank = |c: char| c == ' ' || c == '\t';
    let mut out = Vec::new();
    let mut i = 0;
    // The program name.
    let mut prog = String::new();
    if chars.first() == Some(&'"') {
        i = 1;
        while i < chars.len() && chars[i] != '"' {
            prog.push(chars[i]);
            i += 1;
        }
        i += 1;
    } else {
        while i < chars.len() && !blank(chars[i]) {
            prog.push(chars[i]);
            i += 1;
        }
    }
    if chars.is_empty() {
        return out;
    }
    out.push(prog);
    loop {
        while i < chars.len() && blank(chars[i]) {
            i += 1;
        }
        if i >= chars.len() {
            return out;
        }
        let mut arg = String::new();
        let mut quoted = false;
        while i < chars.len() && (quoted || !blank(chars[i])) {
            match chars[i] {
                '\\' => {
                    let start = i;
                    while i < chars.len() && chars[i] == '\\' {
                        i += 1;
                    }
                    let n = i - start;
                    if chars.get(i) == Some(&'"') {
                        arg.extend(std::iter::repeat_n('\\', n / 2));
                        if n % 2 == 1 {
                            arg.push('"');
                            i += 1;
                        }
                    } else {
                        arg.extend(std::iter::repeat_n('\\', n));
                    }
                }
                '"' if quoted && chars.get(i + 1) == Some(&'"') => {
                    arg.push('"');
                    i += 2;
                }
                '"' => {
                    quoted = !quoted;
                    i += 1;
                }
                c => {
                    arg.push(c);
                    i += 1;
                }
            }
        }
        out.push(arg);
    }
}

#[cfg(test)]
mod tests {
    use super::split_windows;

    #[test]
    fn windows_rules() {
        assert_eq!(split_windows(r#"echo "hello world!" print$?"#), ["echo", "hello world!", "print$?"]);
        assert_eq!(
            split_windows(r#""C:\Program Files\a.exe" -x "a\"b" c\\d"#),
            [r"C:\Program Files\a.exe", "-x", "a\"b", r"c\\d"]
        );
        assert_eq!(split_windows(r#"a.exe "x\\" y"#), ["a.exe", r"x\", "y"]);
        assert!(split_windows("").is_empty());
    }
}
