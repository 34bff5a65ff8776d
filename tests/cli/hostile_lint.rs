//! No `unwrap`/`expect` in library code: event files, rules and queries come
//! from outside, so a failure there must be an error value, not a panic.
//! Test modules (`#[cfg(test)] mod ... { ... }`) are skipped.

use std::path::{Path, PathBuf};

const FORBIDDEN: &[&str] = &[".unwrap()", ".expect(", ".unwrap_unchecked()", ".expect_err(", ".unwrap_err()"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The lines of `text` outside `#[cfg(test)]` items, with their numbers.
/// Braces are counted outside string and char literals and comments, which
/// is enough for the module blocks this skips.
fn non_test_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut skipping = false;
    let mut depth: i64 = 0;
    let mut entered = false;
    for (i, line) in text.lines().enumerate() {
        if !skipping && line.trim_start().starts_with("#[cfg(test)]") {
            skipping = true;
            depth = 0;
            entered = false;
            continue;
        }
        if !skipping {
            out.push((i + 1, line));
            continue;
        }
        let code = line.split("//").next().unwrap_or("");
        let mut in_str = false;
        let mut prev = ' ';
        for c in code.chars() {
            match c {
                '"' if prev != '\\' => in_str = !in_str,
                '{' if !in_str => {
                    depth += 1;
                    entered = true;
                }
                '}' if !in_str => depth -= 1,
                ';' if !in_str && !entered => {
                    // `#[cfg(test)] use ...;` or a one-line item.
                    entered = true;
                }
                _ => {}
            }
            prev = c;
        }
        if entered && depth <= 0 {
            skipping = false;
        }
    }
    out
}

#[test]
fn library_code_has_no_unwrap_or_expect() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 50, "found only {} files", files.len());
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in non_test_lines(&text) {
            let code = line.split("//").next().unwrap_or("");
            if FORBIDDEN.iter().any(|bad| code.contains(bad)) {
                found.push(format!("{}:{n}: {}", f.display(), line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "unwrap/expect in library code:\n{}", found.join("\n"));
}

#[test]
fn the_scanner_skips_test_modules_and_sees_code_after_them() {
    let text = "fn a() { x.unwrap(); }\n#[cfg(test)]\nmod tests {\n    fn t() { let s = \"}\"; y.unwrap(); }\n}\nfn b() { z.expect(\"no\"); }\n";
    let kept: Vec<usize> = non_test_lines(text).into_iter().map(|(n, _)| n).collect();
    assert_eq!(kept, vec![1, 6]);
}
