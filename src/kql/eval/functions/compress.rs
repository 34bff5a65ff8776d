//! Compression functions over base64 text: `gzip_compress_to_base64_string`,
//! `gzip_decompress_from_base64_string`, `zlib_compress_to_base64_string`,
//! `zlib_decompress_from_base64_string`, with `flate2`. Input that is not
//! valid base64, not valid compressed data or not UTF-8 gives `""`.
//! Compressed bytes may differ from Kusto's (the deflate encoder is free to
//! choose), but decompressing either gives the same text.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::{GzDecoder, ZlibDecoder};
use flate2::write::{GzEncoder, ZlibEncoder};

use super::ScalarFn;
use super::args::{Kind, check, sf, text};
use super::web::{b64_decode, b64_encode};
use crate::data::{DataType, Value};

fn text_fn(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Text], DataType::String)
}

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("gzip_compress_to_base64_string", &[], 1, 1, text_fn, |a, _| {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        Ok(compressed(e.write_all(text(a, 0).as_bytes()).and_then(|()| e.finish())))
    }),
    sf("gzip_decompress_from_base64_string", &[], 1, 1, text_fn, |a, _| {
        Ok(decompressed(b64_decode(&text(a, 0)).map(|b| GzDecoder::new(std::io::Cursor::new(b)))))
    }),
    sf("zlib_compress_to_base64_string", &[], 1, 1, text_fn, |a, _| {
        let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
        Ok(compressed(e.write_all(text(a, 0).as_bytes()).and_then(|()| e.finish())))
    }),
    sf("zlib_decompress_from_base64_string", &[], 1, 1, text_fn, |a, _| {
        Ok(decompressed(b64_decode(&text(a, 0)).map(|b| ZlibDecoder::new(std::io::Cursor::new(b)))))
    }),
];

fn compressed(bytes: std::io::Result<Vec<u8>>) -> Value {
    Value::str(&bytes.map(|b| b64_encode(&b)).unwrap_or_default())
}

fn decompressed(reader: Option<impl Read>) -> Value {
    let mut out = String::new();
    match reader.map(|mut r| r.read_to_string(&mut out)) {
        Some(Ok(_)) => Value::str(&out),
        _ => Value::str(""),
    }
}
