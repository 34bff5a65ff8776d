//! `kqlhunt import FILE... [--out DIR]`: rule-catalogue text → rule YAML.
//! Notes for the reviewer (filters that stay prose, table mismatches) go to
//! stderr; the YAML to stdout (documents separated by `---`) or into DIR.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;

use super::Outcome;
use super::args::ImportArgs;
use crate::rules::FieldMap;
use crate::rules::file::save::write_atomic_with;
use crate::rules::import::{Imported, import};
use crate::session::bundled::{self, Source};

/// Runs `import`.
pub fn run(args: &ImportArgs) -> anyhow::Result<Outcome> {
    let map = match &args.fieldmap {
        Some(p) => FieldMap::load(p)?,
        None => match bundled::source() {
            // In a checkout (or a folder `init` wrote) its own field map is the bundled one.
            Source::Folders { rules, .. } if rules.join("fieldmap.yaml").is_file() => {
                FieldMap::load(&rules.join("fieldmap.yaml"))?
            }
            _ => FieldMap::bundled().context("the bundled field map")?,
        },
    };
    let mut done: Vec<(PathBuf, Imported)> = Vec::new();
    let mut failed = 0;
    for file in &args.files {
        let converted = std::fs::read_to_string(file)
            .with_context(|| format!("reading {}", file.display()))
            .and_then(|text| Ok(import(file, &text, &map)?));
        match converted {
            Ok(imported) => {
                for note in &imported.notes {
                    eprintln!("{}: note: {note}", file.display());
                }
                done.push((file.clone(), imported));
            }
            Err(e) => {
                eprintln!("kqlhunt import: {e:#}");
                failed += 1;
            }
        }
    }
    match &args.out {
        Some(dir) => write_all(dir, &done)?,
        None => {
            let mut out = std::io::stdout().lock();
            for (i, (_, imported)) in done.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"---\n")?;
                }
                out.write_all(imported.yaml.as_bytes())?;
            }
            out.flush()?;
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be imported", args.files.len());
    }
    Ok(Outcome::Hits)
}

fn write_all(dir: &std::path::Path, done: &[(PathBuf, Imported)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // Two inputs naming the same rule would silently overwrite each other.
    let mut by_name: BTreeMap<&str, &PathBuf> = BTreeMap::new();
    for (src, imported) in done {
        if let Some(other) = by_name.insert(&imported.file_name, src) {
            anyhow::bail!(
                "{} and {} both become {}; import them separately",
                other.display(),
                src.display(),
                imported.file_name
            );
        }
    }
    for (_, imported) in done {
        let path = dir.join(&imported.file_name);
        write_atomic_with(&path, |f| f.write_all(imported.yaml.as_bytes()))?;
        println!("{}", path.display());
    }
    Ok(())
}
