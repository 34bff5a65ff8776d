//! URL, path and base64 functions: `url_encode`, `url_decode`, `parse_url`,
//! `parse_path`, `base64_encode_tostring`, `base64_decode_tostring`.

use serde_json::{Map, Value as Json};

use super::ScalarFn;
use super::args::{Kind, check, dynamic, s, sf, text};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("url_encode", &[], 1, 1, str_fn, |a, _| s(url_encode(&text(a, 0), "+"))),
    sf("url_encode_component", &[], 1, 1, str_fn, |a, _| s(url_encode(&text(a, 0), "%20"))),
    sf("url_decode", &[], 1, 1, str_fn, |a, _| Ok(pct_decode(&text(a, 0)).map_or(Value::Null, |d| Value::str(&d)))),
    sf("base64_encode_tostring", &["base64_encodestring"], 1, 1, str_fn, |a, _| s(b64_encode(text(a, 0).as_bytes()))),
    sf("base64_decode_tostring", &["base64_decodestring"], 1, 1, str_fn, |a, _| {
        Ok(b64_decode(&text(a, 0)).and_then(|b| String::from_utf8(b).ok()).map_or(Value::Null, |t| Value::str(&t)))
    }),
    sf(
        "parse_url",
        &["parseurl"],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::Dynamic),
        |a, _| Ok(parse_url(&text(a, 0))),
    ),
    sf(
        "parse_urlquery",
        &["parseurlquery"],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::Dynamic),
        |a, _| Ok(parse_urlquery(&text(a, 0))),
    ),
    sf("parse_path", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), |a, _| Ok(parse_path(&text(a, 0)))),
];

fn str_fn(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Text], DataType::String)
}

/// Form-style encoding (.NET `HttpUtility.UrlEncode`, as `url-encode-function.md`
/// shows: `https%3a%2f%2f...`): unreserved `A-Za-z0-9-_.!*()` kept, lowercase
/// hex, and a space written as `space`: `+` for `url_encode`, `%20` for
/// `url_encode_component` (`url-encode-component-function.md`).
fn url_encode(src: &str, space: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for b in src.bytes() {
        match b {
            b' ' => out.push_str(space),
            b if b.is_ascii_alphanumeric() || b"-_.!*()".contains(&b) => out.push(b as char),
            b => out.push_str(&format!("%{b:02x}")),
        }
    }
    out
}

/// `%XX` and `+` decoding; invalid UTF-8 after decoding gives null.
fn pct_decode(src: &str) -> Option<String> {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex =
            b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (c, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(super) fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64 with optional padding; `None` for invalid input.
pub(super) fn b64_decode(src: &str) -> Option<Vec<u8>> {
    let body = src.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xFF) as u8);
        }
    }
    (bits < 6).then_some(out)
}

/// `parse_url(url)`: `Scheme`, `Host`, `Port`, `Path`, `Username`, `Password`,
/// `Query Parameters`, `Fragment` (`parseurlfunction.md`); empty bag when the
/// text has no `scheme://`.
fn parse_url(url: &str) -> Value {
    let mut m = Map::new();
    let Some((scheme, rest)) = url.split_once("://") else { return dynamic(Json::Object(m)) };
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| (&rest[..i], &rest[i..]));
    let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("", authority));
    let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, p),
        _ => (hostport, ""),
    };
    let params = query_params(query);
    for (k, v) in
        [("Scheme", scheme), ("Host", host), ("Port", port), ("Path", path), ("Username", user), ("Password", pass)]
    {
        m.insert(k.into(), Json::String(v.into()));
    }
    m.insert("Query Parameters".into(), Json::Object(params));
    m.insert("Fragment".into(), Json::String(fragment.into()));
    dynamic(Json::Object(m))
}

/// The `k=v&...` pairs of a URL query, values percent-decoded.
fn query_params(query: &str) -> Map<String, Json> {
    let mut params = Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        params.insert(k.to_string(), Json::String(pct_decode(v).unwrap_or_else(|| v.to_string())));
    }
    params
}

/// `parse_urlquery(query)` (deprecated, parse-url-query-function.md): the
/// query's pairs under `Query Parameters`, as `parse_url` gives them.
fn parse_urlquery(query: &str) -> Value {
    let mut m = Map::new();
    m.insert("Query Parameters".into(), Json::Object(query_params(query)));
    dynamic(Json::Object(m))
}

/// `parse_path(path)`: `Scheme`, `RootPath`, `DirectoryPath`, `DirectoryName`,
/// `Filename`, `Extension`, `AlternateDataStreamName` (`parse-path-function.md`).
fn parse_path(path: &str) -> Value {
    let (scheme, rest) = match path.split_once("://") {
        Some((s, r)) => (s, r),
        None => ("", path),
    };
    // RootPath is a drive letter, also behind a long-path prefix (`\\?\C:`);
    // a share (`\\server\...`) has none (the documented example).
    let drive = rest.strip_prefix(r"\\?\").unwrap_or(rest);
    let root = if drive.get(1..2) == Some(":") { drive.get(..2).unwrap_or("") } else { "" };
    let (dir, file) = rest.rfind(['\\', '/']).map_or(("", rest), |i| (&rest[..i], &rest[i + 1..]));
    let (file, ads) = file.split_once(':').unwrap_or((file, ""));
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    let dir_name = dir.rfind(['\\', '/']).map_or(dir, |i| &dir[i + 1..]);
    let mut m = Map::new();
    for (k, v) in [
        ("Scheme", scheme),
        ("RootPath", root),
        ("DirectoryPath", dir),
        ("DirectoryName", dir_name),
        ("Filename", file),
        ("Extension", ext),
        ("AlternateDataStreamName", ads),
    ] {
        m.insert(k.into(), Json::String(v.into()));
    }
    dynamic(Json::Object(m))
}
