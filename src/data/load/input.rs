//! Finding the input files (directories walked recursively, symlink loops
//! cut, each file once) and opening them (gzip by magic bytes, bytes read
//! counted for progress, a read error delivered after the bytes before it).

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::counting::{Consumed, Counting};
use super::detect::GZIP_MAGIC;
use super::gunzip::{Gunzip, Inflating};

/// Read buffer size for files.
const FILE_BUFFER: usize = 1 << 20;

/// One file to load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct InputFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its size on disk.
    pub size: u64,
}

/// A path that could not be used, and why.
#[derive(Debug)]
pub(crate) struct InputProblem {
    /// The path as named or found.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// The files named by `paths`: files as they are, directories walked
/// recursively in name order (hidden entries skipped, each directory entered
/// once so symlink loops end), every file listed once.
pub(crate) fn collect_files(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<InputProblem>) {
    let mut walk = Walk::default();
    for path in paths {
        walk.visit(path, true);
    }
    (walk.files, walk.problems)
}

#[derive(Default)]
struct Walk {
    files: Vec<InputFile>,
    problems: Vec<InputProblem>,
    seen_files: HashSet<PathBuf>,
    seen_dirs: HashSet<PathBuf>,
}

impl Walk {
    fn problem(&mut self, path: &Path, message: impl Into<String>) {
        self.problems.push(InputProblem { path: path.to_path_buf(), message: message.into() });
    }

    fn visit(&mut self, path: &Path, named: bool) {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => return self.problem(path, format!("cannot read: {e}")),
        };
        // A file or directory reached twice (named twice, or via a link) loads once.
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if meta.is_dir() {
            if !self.seen_dirs.insert(canonical) {
                if !named {
                    self.problem(path, "directory already visited (symlink loop?); skipped");
                }
                return;
            }
            self.walk_dir(path);
        } else if meta.is_file() {
            if self.seen_files.insert(canonical) {
                self.files.push(InputFile { path: path.to_path_buf(), size: meta.len() });
            }
        } else {
            self.problem(path, "not a regular file or directory; skipped");
        }
    }

    fn walk_dir(&mut self, dir: &Path) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => return self.problem(dir, format!("cannot read directory: {e}")),
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) if entry.file_name().to_string_lossy().starts_with('.') => {}
                // Documentation beside the data (a README) is not event data;
                // named on the command line, such a file is still tried.
                Ok(entry) if is_documentation(&entry.path()) => {}
                Ok(entry) => paths.push(entry.path()),
                Err(e) => self.problem(dir, format!("cannot read directory entry: {e}")),
            }
        }
        paths.sort();
        for path in paths {
            self.visit(&path, false);
        }
    }
}

/// True for files that a folder of exports holds beside the data: READMEs,
/// rule and query files. (`.txt` is not among them: exports are saved as text too.)
fn is_documentation(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("md" | "markdown" | "rst" | "yaml" | "yml" | "kql" | "pdf" | "html"))
}

/// An opened input: its content (decompressed), whether it was gzip, and
/// how many of its bytes on disk have been read so far.
pub(crate) struct Opened<'a> {
    /// The content.
    pub reader: Box<dyn Read + 'a>,
    /// True when the file was gzip.
    pub gzip: bool,
    /// Bytes of the raw input read so far.
    pub consumed: Consumed,
}

/// An input with its first bytes looked at: plain, or gzip to decompress.
enum Sniffed<R> {
    Plain(BufReader<Counting<R>>),
    Gzip(Box<Gunzip<R>>),
}

/// Buffers raw input and tells gzip (by its magic bytes; several
/// concatenated members read as one stream) from plain content.
fn sniff<R: Read>(raw: R) -> io::Result<(Sniffed<R>, Consumed)> {
    let consumed = Consumed::default();
    let mut buffered = BufReader::with_capacity(FILE_BUFFER, Counting { inner: raw, count: consumed.clone() });
    let sniffed = if buffered.fill_buf()?.starts_with(GZIP_MAGIC) {
        let decoder = flate2::bufread::MultiGzDecoder::new(buffered);
        Sniffed::Gzip(Box::new(Gunzip { decoder, consumed: consumed.clone() }))
    } else {
        Sniffed::Plain(buffered)
    };
    Ok((sniffed, consumed))
}

/// Opens raw input held by the caller, decompressing gzip as it is read.
pub(crate) fn open_reader<'a>(raw: impl Read + 'a) -> io::Result<Opened<'a>> {
    let (sniffed, consumed) = sniff(raw)?;
    Ok(match sniffed {
        Sniffed::Plain(reader) => Opened { reader: Box::new(reader), gzip: false, consumed },
        Sniffed::Gzip(gunzip) => Opened { reader: gunzip, gzip: true, consumed },
    })
}

/// Opens a file for loading; a gzip file is decompressed on a thread of its
/// own, beside the parsing.
pub(crate) fn open_file(path: &Path) -> io::Result<Opened<'static>> {
    let (sniffed, consumed) = sniff(File::open(path)?)?;
    let reader: Box<dyn Read> = match sniffed {
        Sniffed::Plain(reader) => return Ok(Opened { reader: Box::new(reader), gzip: false, consumed }),
        Sniffed::Gzip(gunzip) => Box::new(Inflating::start(*gunzip)?),
    };
    Ok(Opened { reader, gzip: true, consumed })
}

/// Reads up to `limit` bytes. A read error ends the read early and is
/// returned beside the bytes read before it.
pub(crate) fn read_head(reader: &mut dyn Read, limit: usize) -> (Vec<u8>, Option<io::Error>) {
    let mut head = Vec::with_capacity(limit.min(FILE_BUFFER));
    let error = reader.take(limit as u64).read_to_end(&mut head).err();
    (head, error)
}

/// The head already read, then the rest of the reader; an error met while
/// reading the head is delivered once the head's bytes are consumed.
pub(crate) struct Resumed<'a> {
    head: io::Cursor<Vec<u8>>,
    pending_error: Option<io::Error>,
    rest: Box<dyn Read + 'a>,
}

impl<'a> Resumed<'a> {
    /// Glues `head` (and its error) back in front of `rest`.
    pub(crate) fn new(head: Vec<u8>, pending_error: Option<io::Error>, rest: Box<dyn Read + 'a>) -> Self {
        Resumed { head: io::Cursor::new(head), pending_error, rest }
    }
}

impl Read for Resumed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.head.read(buf)?;
        if n > 0 || buf.is_empty() {
            return Ok(n);
        }
        match self.pending_error.take() {
            Some(e) => Err(e),
            None => self.rest.read(buf),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_detected_and_decoded() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"{\"a\":1}\n").unwrap();
        let gz = enc.finish().unwrap();
        let mut opened = open_reader(&gz[..]).unwrap();
        let mut out = String::new();
        opened.reader.read_to_string(&mut out).unwrap();
        assert!(opened.gzip);
        assert_eq!(out, "{\"a\":1}\n");
        assert_eq!(opened.consumed.get(), gz.len() as u64);
    }

    #[test]
    fn resumed_delivers_head_then_error() {
        let err = io::Error::new(io::ErrorKind::UnexpectedEof, "cut");
        let mut r = Resumed::new(b"abc".to_vec(), Some(err), Box::new(&b"zzz"[..]));
        let mut buf = [0u8; 8];
        assert_eq!(r.read(&mut buf).unwrap(), 3);
        assert!(r.read(&mut buf).is_err());
        assert_eq!(r.read(&mut buf).unwrap(), 3, "after the error the rest is readable again");
    }
}
