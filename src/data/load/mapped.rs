//! A plain JSON Lines file read through memory maps instead of `read`.
//!
//! Why: at 1 M enterprise rows `perf` put 44 % of a load's cycles in the
//! kernel's copy of the file into the read buffers (`_copy_to_iter`), all of
//! it on the one reading thread, while the parser threads waited. A mapped
//! chunk is parsed where the page cache holds it: nothing is copied.
//!
//! Each chunk is a window of the file mapped on its own and unmapped once it
//! is merged, so only the chunks in flight are resident (a whole-file map
//! would count every page read in the process's RSS). Only regular files of
//! at least [`MIN_MAPPED`] bytes are mapped; smaller ones, gzip and anything
//! that is not a regular file take the `read` path.

use std::fs::File;
use std::io;
use std::path::Path;

use memmap2::{Mmap, MmapOptions};

/// Smallest file worth mapping: below it the copy is a few milliseconds
/// and the `read` path's smaller first reads start the parse sooner.
pub(crate) const MIN_MAPPED: u64 = 32 << 20;

/// A file to read in mapped windows.
pub(crate) struct MappedFile {
    file: File,
    /// Its length when opened: windows never reach past it, so a file that
    /// grows while it loads is read as it was.
    len: u64,
}

impl MappedFile {
    /// `path` for mapped reading, when it is a regular file of at least
    /// [`MIN_MAPPED`] bytes.
    pub(crate) fn open(path: &Path) -> Option<MappedFile> {
        let file = File::open(path).ok()?;
        let meta = file.metadata().ok()?;
        (meta.is_file() && meta.len() >= MIN_MAPPED).then(|| MappedFile { file, len: meta.len() })
    }

    /// The file's length when it was opened.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// The bytes from `start` to the end of the file, mapped; `size` bytes
    /// at most. The caller cuts the window at a line end and asks again,
    /// larger, when it holds none.
    pub(crate) fn window(&self, start: u64, size: usize) -> io::Result<Option<Mmap>> {
        let rest = self.len.saturating_sub(start);
        if rest == 0 {
            return Ok(None);
        }
        let len = usize::try_from(rest).map_or(size, |rest| rest.min(size));
        // SAFETY: the map is read-only and private to this load. Its bytes
        // change only if another process writes the file while it loads, and
        // a truncation then ends the process with SIGBUS; exported event
        // files are not rewritten in place, and a file that grows is read up
        // to its length at open.
        let map = unsafe { MmapOptions::new().offset(start).len(len).map(&self.file)? };
        // Read ahead: each window is read once, front to back.
        let _ = map.advise(memmap2::Advice::Sequential);
        Ok(Some(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn windows_cover_the_file_and_stop_at_its_length() {
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        let body: Vec<u8> = (0..(MIN_MAPPED as usize + 5000)).map(|i| b"abc\n"[i % 4]).collect();
        tmp.write_all(&body).unwrap();
        let mapped = MappedFile::open(tmp.path()).unwrap();
        assert_eq!(mapped.len(), body.len() as u64);
        // An unaligned start works: memmap2 aligns the offset itself.
        let w = mapped.window(4097, 10).unwrap().unwrap();
        assert_eq!(&w[..], &body[4097..4107]);
        let tail = mapped.window(body.len() as u64 - 3, 1 << 20).unwrap().unwrap();
        assert_eq!(&tail[..], &body[body.len() - 3..]);
        assert!(mapped.window(body.len() as u64, 10).unwrap().is_none());
    }

    #[test]
    fn small_files_and_folders_are_not_mapped() {
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.write_all(b"{}\n").unwrap();
        assert!(MappedFile::open(tmp.path()).is_none());
        assert!(MappedFile::open(tmp.path().parent().unwrap()).is_none());
    }
}
