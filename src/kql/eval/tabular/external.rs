//! `externaldata`: parse the rows of each URL's file; where the bytes come
//! from (a local folder, the download cache, the network) is `external_fetch`.

use std::io::Read;
use std::sync::Arc;

use crate::data::{ColumnBuilder, DataType};
use crate::kql::ast::{Expr, ExprKind, Ident};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::{Evaluator, Result};
use super::external_fetch::{MAX_EXTERNAL_BYTES, external_bytes, url_file_name};
use super::reshape::cell_value;

impl Evaluator {
    /// Reads each URL's file (see [`external_bytes`]); formats csv (the
    /// default when neither `format` nor the file's extension says), tsv,
    /// psv, scsv, txt (one column per line) and json/multijson; `.gz` files
    /// are decompressed.
    pub(crate) fn externaldata(
        &mut self,
        columns: &[(Ident, DataType)],
        urls: &[Expr],
        properties: &[(Ident, Expr)],
        span: Span,
    ) -> Result<Frame> {
        let mut format = None;
        let mut skip_first = false;
        for (k, v) in properties {
            // A bare word names itself (`format=multijson`), as Kusto's
            // ingestion properties allow; anything else is a constant.
            let val = match &v.kind {
                ExprKind::Name(word) => crate::data::Value::str(&word.name),
                _ => self.constant(v)?,
            };
            match k.name.to_ascii_lowercase().as_str() {
                "format" => format = val.as_str().map(str::to_ascii_lowercase),
                "ignorefirstrecord" => skip_first = matches!(val, crate::data::Value::Bool(true)),
                _ => {}
            }
        }
        let mut builders: Vec<ColumnBuilder> = columns.iter().map(|(_, t)| ColumnBuilder::new(*t)).collect();
        for u in urls {
            let url = self.constant(u)?;
            let url = url.as_str().unwrap_or("").to_string();
            let file = url_file_name(&url).to_ascii_lowercase();
            let mut bytes = external_bytes(&self.session, &url, u.span, &mut self.notes)?;
            let inner = match file.strip_suffix(".gz") {
                Some(inner) => {
                    bytes = gunzip(&bytes, &url, u.span)?;
                    inner
                }
                None => file.as_str(),
            };
            let format = format.clone().unwrap_or_else(|| format_of(inner).to_string());
            let text = String::from_utf8_lossy(&bytes);
            let text = text.trim_start_matches('\u{feff}');
            match format.as_str() {
                "txt" | "raw" => {
                    for line in text.lines().skip(usize::from(skip_first)) {
                        push_row(&mut builders, columns, &[line]);
                    }
                }
                "json" | "multijson" => {
                    for obj in json_records(text) {
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

/// The JSON objects of a `json`/`multijson` document: one per line, or the
/// elements of one top-level array (multijson also reads a whole document,
/// such as an API's array of records, that spans lines).
fn json_records(text: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let objects = |v: serde_json::Value| match v {
        serde_json::Value::Object(o) => vec![o],
        serde_json::Value::Array(items) => items
            .into_iter()
            .filter_map(|i| match i {
                serde_json::Value::Object(o) => Some(o),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(whole @ serde_json::Value::Array(_)) => objects(whole),
        _ => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .flat_map(objects)
            .collect(),
    }
}

/// The format a file's extension names (Kusto's detection), else csv.
fn format_of(file: &str) -> &'static str {
    match file.rsplit_once('.').map(|(_, ext)| ext) {
        Some("tsv") => "tsv",
        Some("psv") => "psv",
        Some("scsv") => "scsv",
        Some("txt") => "txt",
        Some("json") => "json",
        Some("multijson") => "multijson",
        _ => "csv",
    }
}

/// Decompresses a `.gz` file, within the size cap.
fn gunzip(bytes: &[u8], url: &str, span: Span) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(MAX_EXTERNAL_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| KqlError::external_data(span, format!("externaldata: {url}: not a valid .gz file: {e}")))?;
    if out.len() as u64 > MAX_EXTERNAL_BYTES {
        return Err(KqlError::external_data(
            span,
            format!("externaldata: {url}: decompressed, it is larger than {} MiB", MAX_EXTERNAL_BYTES >> 20),
        ));
    }
    Ok(out)
}
