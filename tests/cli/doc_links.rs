//! The README and `docs/` link only to files that exist in the repository:
//! every relative Markdown link resolves to a file or folder inside it.

use std::path::{Path, PathBuf};

fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(k) = rest.find("](") {
        let tail = &rest[k + 2..];
        let end = tail.find(')').unwrap_or(tail.len());
        out.push(tail[..end].to_string());
        rest = &tail[end..];
    }
    out
}

#[test]
fn readme_and_docs_link_only_inside_the_repository() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for e in std::fs::read_dir(root.join("docs")).expect("docs/ exists") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(p);
        }
    }
    let mut bad = Vec::new();
    let mut checked = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        let dir = f.parent().unwrap_or(Path::new("."));
        for link in links(&text) {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with('#') {
                continue;
            }
            let target = link.split('#').next().unwrap_or("");
            checked += 1;
            let full = dir.join(target);
            let inside = full.canonicalize().is_ok_and(|c| c.starts_with(root.canonicalize().expect("root")));
            if !inside {
                bad.push(format!("{}: {link}", f.display()));
            }
        }
    }
    assert!(checked > 20, "the reader found only {checked} links");
    assert!(bad.is_empty(), "links to files that are not in the repository:\n{}", bad.join("\n"));
}
