//! `externaldata`: read from a local folder instead of the network.

use std::sync::Arc;

use crate::data::{ColumnBuilder, DataType};
use crate::kql::ast::{Expr, Ident};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::{Evaluator, Result};
use super::reshape::cell_value;

/// Largest file `externaldata` reads.
const MAX_EXTERNAL_BYTES: u64 = 512 << 20;

impl Evaluator {
    /// Reads each URL's file (by its file name) from `--externaldata DIR`;
    /// formats csv (default), tsv, txt (one column per line) and json/multijson.
    pub(crate) fn externaldata(
        &mut self,
        columns: &[(Ident, DataType)],
        urls: &[Expr],
        properties: &[(Ident, Expr)],
        span: Span,
    ) -> Result<Frame> {
        let mut format = "csv".to_string();
        let mut skip_first = false;
        for (k, v) in properties {
            let val = self.constant(v)?;
            match k.name.to_ascii_lowercase().as_str() {
                "format" => format = val.as_str().unwrap_or("csv").to_ascii_lowercase(),
                "ignorefirstrecord" => skip_first = matches!(val, crate::data::Value::Bool(true)),
                _ => {}
            }
        }
        let mut builders: Vec<ColumnBuilder> = columns.iter().map(|(_, t)| ColumnBuilder::new(*t)).collect();
        for u in urls {
            let url = self.constant(u)?;
            let url = url.as_str().unwrap_or("").to_string();
            let file = url.split(['?', '#']).next().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
            let Some(dir) = self.session.externaldata_dir.clone() else {
                return Err(KqlError::service_only(
                    u.span,
                    format!(
                        "externaldata would download {url}; kqlhunt runs offline: pass --externaldata DIR with a copy of '{file}'"
                    ),
                ));
            };
            let path = dir.join(&file);
            if file.is_empty() || file.contains("..") {
                return Err(KqlError::arguments(u.span, format!("cannot take a file name from '{url}'")));
            }
            let meta = std::fs::metadata(&path)
                .map_err(|e| KqlError::external_data(u.span, format!("externaldata: {}: {e}", path.display())))?;
            if meta.len() > MAX_EXTERNAL_BYTES {
                return Err(KqlError::external_data(u.span, format!("externaldata: {} is too large", path.display())));
            }
            let bytes = std::fs::read(&path)
                .map_err(|e| KqlError::external_data(u.span, format!("externaldata: {}: {e}", path.display())))?;
            let text = String::from_utf8_lossy(&bytes);
            let text = text.trim_start_matches('\u{feff}');
            match format.as_str() {
                "txt" | "raw" => {
                    for line in text.lines().skip(usize::from(skip_first)) {
                        push_row(&mut builders, columns, &[line]);
                    }
                }
                "json" | "multijson" => {
                    for line in text.lines().filter(|l| !l.trim().is_empty()) {
                        let Ok(serde_json::Value::Object(obj)) = serde_json::from_str::<serde_json::Value>(line) else {
                            continue;
                        };
                        let cells: Vec<String> = columns
                            .iter()
                            .map(|(c, _)| match obj.get(&c.name) {
                                Some(serde_json::Value::String(s)) => s.clone(),
                                Some(serde_json::Value::Null) | None => String::new(),
                                Some(v) => v.to_string(),
                            })
                            .collect();
                        push_row(&mut builders, columns, &cells.iter().map(String::as_str).collect::<Vec<_>>());
                    }
                }
                "csv" | "tsv" | "psv" | "scsv" => {
                    let delim = match format.as_str() {
                        "tsv" => b'\t',
                        "psv" => b'|',
                        "scsv" => b';',
                        _ => b',',
                    };
                    let mut rdr = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .flexible(true)
                        .delimiter(delim)
                        .from_reader(text.as_bytes());
                    for rec in rdr.records().skip(usize::from(skip_first)).flatten() {
                        push_row(&mut builders, columns, &rec.iter().collect::<Vec<_>>());
                    }
                }
                other => {
                    return Err(KqlError::unsupported(span, format!("externaldata format '{other}' is not supported")));
                }
            }
        }
        Ok(Frame::from_columns(
            columns.iter().zip(builders).map(|((n, _), b)| (n.name.clone(), Arc::new(b.finish()))).collect(),
        ))
    }
}

fn push_row(builders: &mut [ColumnBuilder], columns: &[(Ident, DataType)], cells: &[&str]) {
    for (i, ((_, t), b)) in columns.iter().zip(builders.iter_mut()).enumerate() {
        b.push(&cell_value(cells.get(i).copied().unwrap_or(""), *t));
    }
}
