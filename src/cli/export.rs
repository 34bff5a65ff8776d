//! `kqlhunt export --effective`: each rule's query with its active
//! exclusions applied, ready to paste into Advanced Hunting or Sentinel;
//! `--format yaml` writes a Sentinel rule with the effective query.

use std::io::Write;

use anyhow::bail;

use crate::rules::Rule;
use crate::rules::layout::top_level_keys;

use super::Outcome;
use super::args::{ExportArgs, Format, Inputs};
use super::run::select;
use super::setup::{self, load_hunt};

/// Runs `kqlhunt export`.
pub fn run(inputs: &Inputs, args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    if !args.effective {
        bail!("export: say what to export: --effective (the query with the active exclusions)");
    }
    let mut loaded = load_hunt(&setup::options(inputs, &args.rule))?;
    let idx = select(&mut loaded.hunt, &args.exclusions)?;
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
    Ok(match setup::outcome(&loaded.hunt, &idx) {
        Outcome::Failed => Outcome::Failed,
        // Exporting a rule is a success whether or not it has hits.
        Outcome::Hits | Outcome::NoHits => Outcome::Hits,
    })
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
