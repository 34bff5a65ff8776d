//! `kqlhunt init DIR`: writes the bundled rules and samples (the copies
//! compiled into kqlhunt) into `DIR/rules/` and `DIR/samples/`, so that
//! `cd DIR && kqlhunt` uses them and saves tuned rules there. Never writes
//! over an existing file: one that exists stops the command before any write.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context as _;

use super::Outcome;
use super::args::InitArgs;
use crate::session::bundled::{RULES, SAMPLES};

/// Runs `init`.
pub fn run(args: &InitArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let files: Vec<(PathBuf, &[u8])> = RULES.iter().chain(SAMPLES).map(|f| (args.dir.join(f.path), f.bytes)).collect();
    if let Some((path, _)) = files.iter().find(|(p, _)| p.symlink_metadata().is_ok()) {
        anyhow::bail!("init: {} already exists; nothing written (choose an empty folder)", path.display());
    }
    for (path, bytes) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        // create_new: a file that appeared since the check is not replaced.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .with_context(|| format!("writing {}", path.display()))?;
        f.write_all(bytes).with_context(|| format!("writing {}", path.display()))?;
        writeln!(out, "wrote {}", path.display())?;
    }
    let dir = args.dir.display();
    writeln!(out, "{} files written; `cd {dir} && kqlhunt` uses them, and saves tuned rules there", files.len())?;
    Ok(Outcome::Hits)
}
