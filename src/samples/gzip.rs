//! The generator's gzip writer, on miniz_oxide's deflate itself rather than
//! through flate2: flate2's backend is chosen once for the whole program
//! (zlib-rs, for fast loading), and a different deflate encoder makes
//! different bytes. Samples must be the same bytes for a seed forever, so
//! they keep the encoder they were first written with.
//!
//! The stream is what flate2's `GzBuilder::new().mtime(0)` wrote over
//! miniz_oxide: a 10-byte header (no name, mtime 0, OS 255), raw deflate,
//! then CRC-32 and length.

use std::io::{self, Write};

use miniz_oxide::deflate::core::CompressorOxide;
use miniz_oxide::deflate::stream::deflate;
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// Compressed bytes produced per deflate call.
const OUT: usize = 1 << 16;

/// A gzip stream being written to `inner`.
pub struct GzWriter<W: Write> {
    inner: W,
    compressor: Box<CompressorOxide>,
    crc: crc32fast::Hasher,
    len: u32,
    out: Vec<u8>,
}

impl<W: Write> GzWriter<W> {
    /// Writes the header; `level` 0–10 (miniz_oxide's scale, 9 is gzip's best).
    pub fn new(mut inner: W, level: u8) -> io::Result<GzWriter<W>> {
        // The extra-flags byte says "best" or "fastest", as gzip's does.
        let xfl = match level {
            9.. => 2,
            0 | 1 => 4,
            _ => 0,
        };
        inner.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255])?;
        let mut compressor = Box::<CompressorOxide>::default();
        compressor.set_format_and_level(DataFormat::Raw, level);
        Ok(GzWriter { inner, compressor, crc: crc32fast::Hasher::new(), len: 0, out: vec![0; OUT] })
    }

    /// Deflates `input` (all of it) with `flush`, writing what comes out.
    fn run(&mut self, mut input: &[u8], flush: MZFlush) -> io::Result<()> {
        loop {
            let r = deflate(&mut self.compressor, input, &mut self.out, flush);
            self.inner.write_all(&self.out[..r.bytes_written])?;
            input = &input[r.bytes_consumed..];
            match r.status {
                Ok(MZStatus::StreamEnd) => return Ok(()),
                // Finishing: keep going until the stream has ended.
                Ok(_) if flush == MZFlush::Finish => {}
                Ok(_) if input.is_empty() && r.bytes_written < self.out.len() => return Ok(()),
                Ok(_) => {}
                // No progress possible: all input taken and nothing left to write.
                Err(MZError::Buf) if input.is_empty() => return Ok(()),
                Err(e) => return Err(io::Error::other(format!("deflate failed: {e:?}"))),
            }
        }
    }

    /// Ends the stream (deflate's last block, CRC-32, length) and returns
    /// the writer it went to.
    pub fn finish(mut self) -> io::Result<W> {
        self.run(&[], MZFlush::Finish)?;
        let crc = std::mem::take(&mut self.crc).finalize();
        self.inner.write_all(&crc.to_le_bytes())?;
        self.inner.write_all(&self.len.to_le_bytes())?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for GzWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.run(buf, MZFlush::None)?;
        self.crc.update(buf);
        self.len = self.len.wrapping_add(buf.len() as u32);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn decodes_to_the_input_in_one_write_or_many() {
        let text: Vec<u8> =
            (0..300_000u32).flat_map(|i| format!("{{\"row\":{i},\"x\":\"{}\"}}\n", i % 97).into_bytes()).collect();
        let mut one = GzWriter::new(Vec::new(), 9).unwrap();
        one.write_all(&text).unwrap();
        let one = one.finish().unwrap();
        let mut many = GzWriter::new(Vec::new(), 9).unwrap();
        for piece in text.chunks(777) {
            many.write_all(piece).unwrap();
        }
        assert_eq!(many.finish().unwrap(), one, "the bytes do not depend on how the input was cut");
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&one[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, text);
        let empty = GzWriter::new(Vec::new(), 6).unwrap().finish().unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&empty[..]).read_to_end(&mut back).unwrap();
        assert!(back.is_empty());
    }
}
