//! `kqlhunt export --effective`: each rule's query with its active
//! exclusions applied, ready to paste into Advanced Hunting or Sentinel;
//! `--format yaml` writes a Sentinel rule with the effective query.
//! `kqlhunt export --overlay [FILE]`: the current tuning as an overlay file
//! (`RuleSet::tuning_overlay`), never over an existing file without `--force`.

use std::io::Write;
use std::path::Path;

use anyhow::bail;

use crate::data::text::inert;
use crate::rules::Rule;
use crate::rules::file::save::write_atomic_with;
use crate::rules::layout::top_level_keys;

use super::Outcome;
use super::args::{ExportArgs, Format, Inputs};
use super::run::select;
use super::setup::{self, load_hunt};

/// Runs `kqlhunt export`.
pub fn run(inputs: &Inputs, args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    if !args.effective && args.overlay.is_none() {
        bail!(
            "export: say what to export: --effective (the query with the active exclusions) \
             or --overlay [FILE] (the tuning as an overlay file)"
        );
    }
    if let Some(Some(path)) = &args.overlay
        && !args.force
        && std::fs::symlink_metadata(path).is_ok()
    {
        bail!("export --overlay: {} exists; not overwritten (add --force to replace it)", path.display());
    }
    let mut loaded = load_hunt(&setup::options(inputs, &args.rule))?;
    let idx = select(&mut loaded.hunt, &args.exclusions)?;
    if let Some(target) = &args.overlay {
        overlay(&loaded.hunt, &idx, target.as_deref(), out)?;
        return Ok(exported(&loaded.hunt, &idx));
    }
    let many = idx.len() > 1;
    for (n, &i) in idx.iter().enumerate() {
        let (Some((rule, _)), Some(kql)) = (loaded.hunt.get(i), loaded.hunt.effective_kql(i)) else { continue };
        match args.format {
            Format::Yaml => {
                if many {
                    writeln!(out, "---")?;
                }
                write!(out, "{}", effective_yaml(rule, &kql))?;
            }
            Format::Table => {
                if many {
                    if n > 0 {
                        writeln!(out)?;
                    }
                    writeln!(out, "// {}", rule.name.replace('\n', " "))?;
                }
                writeln!(out, "{}", kql.trim_end())?;
            }
            other => bail!("export: --format {other:?} is not supported (table prints KQL, yaml a rule)"),
        }
    }
    Ok(exported(&loaded.hunt, &idx))
}

/// Exporting is a success whether or not the rules have hits.
fn exported(hunt: &crate::hunt::Hunt, idx: &[usize]) -> Outcome {
    match setup::outcome(hunt, idx) {
        Outcome::Failed => Outcome::Failed,
        Outcome::Hits | Outcome::NoHits => Outcome::Hits,
    }
}

/// Writes the tuning overlay to `target` (atomically) or to `out`.
fn overlay(hunt: &crate::hunt::Hunt, idx: &[usize], target: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<()> {
    let tuning = hunt.rule_set().tuning_overlay(idx);
    for name in &tuning.without_id {
        eprintln!("kqlhunt: warning: rule '{}' has no id; an overlay cannot carry its tuning", inert(name));
    }
    match target {
        None => out.write_all(tuning.text.as_bytes())?,
        Some(path) => {
            // The error names the file and the reason; its source would repeat the reason.
            if let Err(e) = write_atomic_with(path, |f| f.write_all(tuning.text.as_bytes())) {
                bail!("export --overlay: {e}");
            }
            eprintln!(
                "kqlhunt: wrote {} exclusion entr{} for {} rule(s) to {}",
                tuning.entries,
                if tuning.entries == 1 { "y" } else { "ies" },
                tuning.rules,
                inert(&path.display().to_string())
            );
        }
    }
    Ok(())
}

/// The rule file with its `query:` replaced by the effective query and our
/// `exclusions:` key removed (Sentinel does not know it); other keys verbatim.
pub fn effective_yaml(rule: &Rule, kql: &str) -> String {
    let text = &rule.text;
    let blocks = top_level_keys(text);
    let mut out = String::new();
    let mut pos = 0;
    for b in &blocks {
        out.push_str(&text[pos..b.start]);
        match b.key.as_str() {
            "query" => {
                out.push_str("query: |\n");
                for line in kql.trim_end().lines() {
                    if line.is_empty() {
                        out.push('\n');
                    } else {
                        out.push_str("  ");
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
            "exclusions" => {}
            _ => out.push_str(&text[b.start..b.end]),
        }
        pos = b.end;
    }
    out.push_str(&text[pos..]);
    out
}
