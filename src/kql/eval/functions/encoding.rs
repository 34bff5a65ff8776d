//! Hashes and encodings: `hash`/`hash_xxhash64` (xxHash64), `hash_sha256`,
//! `hash_sha1`, `hash_md5` (hex digests of the UTF-8 text),
//! `base64_encode_fromguid`/`base64_decode_toguid` (.NET's GUID byte order),
//! `base64_encode_fromarray`/`base64_decode_toarray`, and
//! `unicode_codepoints_from_string`/`unicode_codepoints_to_string`.

use md5::Md5;
use serde_json::Value as Json;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::args::{Kind, arg, check, dynamic, long, sf, text};
use super::web::{b64_decode, b64_encode};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("base64_decode_toarray", &[], 1, 1, text_to(DataType::Dynamic), |a, _| {
        Ok(b64_decode(&text(a, 0))
            .map_or(Value::Null, |b| dynamic(Json::Array(b.into_iter().map(Json::from).collect()))))
    }),
    sf("base64_decode_toguid", &[], 1, 1, text_to(DataType::Guid), |a, _| {
        Ok(b64_decode(&text(a, 0)).and_then(|b| guid_text(&b)).map_or(Value::Null, |g| Value::str(&g)))
    }),
    sf("base64_encode_fromarray", &[], 1, 1, |t| check(t, &[Kind::Dyn], DataType::String), encode_fromarray),
    sf(
        "base64_encode_fromguid",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::String),
        |a, _| Ok(guid_bytes(&text(a, 0)).map_or(Value::Null, |b| Value::str(&b64_encode(&b)))),
    ),
    sf("hash", &["hash_xxhash64"], 1, 2, |t| check(t, &[Kind::Any, Kind::Integer], DataType::Long), xxhash),
    sf("hash_md5", &[], 1, 1, |t| check(t, &[Kind::Any], DataType::String), |a, _| Ok(hex(Md5::digest(bytes(a))))),
    sf("hash_sha1", &[], 1, 1, |t| check(t, &[Kind::Any], DataType::String), |a, _| Ok(hex(Sha1::digest(bytes(a))))),
    sf(
        "hash_sha256",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Any], DataType::String),
        |a, _| Ok(hex(Sha256::digest(bytes(a)))),
    ),
    sf("unicode_codepoints_from_string", &["to_utf8"], 1, 1, text_to(DataType::Dynamic), |a, _| {
        Ok(dynamic(Json::Array(text(a, 0).chars().map(|c| Json::from(u32::from(c))).collect())))
    }),
    sf(
        "unicode_codepoints_to_string",
        // unicode-codepoints-to-string-function.md: make_string() is its
        // deprecated alias; it takes up to 64 arguments.
        &["make_string"],
        1,
        64,
        |t| check(t, &[Kind::Any], DataType::String),
        codepoints_to_string,
    ),
];

const fn text_to(ret: DataType) -> fn(&[DataType]) -> Result<DataType, String> {
    match ret {
        DataType::Guid => |t| check(t, &[Kind::Text], DataType::Guid),
        _ => |t| check(t, &[Kind::Text], DataType::Dynamic),
    }
}

/// The bytes a hash reads: the value's text in UTF-8.
fn bytes(a: &[Value]) -> Vec<u8> {
    text(a, 0).as_bytes().to_vec()
}

fn hex(digest: impl AsRef<[u8]>) -> Value {
    let s: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    Value::str(&s)
}

/// .NET's ticks at the Unix epoch (`DateTime` counts from 0001-01-01).
const DOTNET_UNIX_EPOCH_TICKS: i64 = 621_355_968_000_000_000;

/// `hash(value[, mod])`: xxHash64 (seed 0), as a long; with `mod`, the
/// unsigned hash modulo `mod` (hash-function.md: `hash("World", 100)` = 51).
/// Text hashes its UTF-8 bytes; a datetime its .NET ticks and a timespan its
/// ticks, as 8 little-endian bytes (hash-function.md:
/// `hash(datetime("2015-01-01"))` = 1380966698541616202).
fn xxhash(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let input = match arg(a, 0) {
        v if v.is_null() => return Ok(Value::Null),
        Value::DateTime(t) => t.saturating_add(DOTNET_UNIX_EPOCH_TICKS).to_le_bytes().to_vec(),
        Value::Timespan(t) => t.to_le_bytes().to_vec(),
        _ => bytes(a),
    };
    let h = xxhash_rust::xxh64::xxh64(&input, 0);
    if a.len() < 2 {
        return Ok(Value::Long(h as i64));
    }
    Ok(match long(a, 1) {
        Some(m) if m > 0 => Value::Long((h % m as u64) as i64),
        _ => Value::Null,
    })
}

/// A GUID's 16 bytes in .NET's `Guid.ToByteArray` order (the first three
/// fields little-endian).
fn guid_bytes(s: &str) -> Option<[u8; 16]> {
    let hexdigits: String = s.trim().trim_matches(['{', '}']).chars().filter(|c| *c != '-').collect();
    if hexdigits.len() != 32 {
        return None;
    }
    let mut raw = [0u8; 16];
    for (i, b) in raw.iter_mut().enumerate() {
        *b = u8::from_str_radix(hexdigits.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    raw[0..4].reverse();
    raw[4..6].reverse();
    raw[6..8].reverse();
    Some(raw)
}

/// The GUID text of 16 bytes in .NET order; `None` for another length.
fn guid_text(b: &[u8]) -> Option<String> {
    let mut raw: [u8; 16] = b.try_into().ok()?;
    raw[0..4].reverse();
    raw[4..6].reverse();
    raw[6..8].reverse();
    let h: String = raw.iter().map(|x| format!("{x:02x}")).collect();
    Some(format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]))
}

/// `base64_encode_fromarray([bytes])`: null when an element is not a byte.
fn encode_fromarray(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Value::Dynamic(j) = arg(a, 0) else { return Ok(Value::Null) };
    let Some(items) = j.as_array() else { return Ok(Value::Null) };
    let bytes: Option<Vec<u8>> = items.iter().map(|x| x.as_u64().and_then(|n| u8::try_from(n).ok())).collect();
    Ok(bytes.map_or(Value::Null, |b| Value::str(&b64_encode(&b))))
}

/// `unicode_codepoints_to_string(cp, ...)`: code points given as numbers or
/// arrays of numbers; null when one is not a valid code point.
fn codepoints_to_string(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let mut out = String::new();
    for (i, v) in a.iter().enumerate() {
        let points: Vec<Option<i64>> = match v {
            Value::Dynamic(j) => match &**j {
                Json::Array(items) => items.iter().map(Json::as_i64).collect(),
                other => vec![other.as_i64()],
            },
            _ => vec![long(a, i)],
        };
        for p in points {
            match p.and_then(|p| u32::try_from(p).ok()).and_then(char::from_u32) {
                Some(c) => out.push(c),
                None => return Ok(Value::Null),
            }
        }
    }
    Ok(Value::str(&out))
}
