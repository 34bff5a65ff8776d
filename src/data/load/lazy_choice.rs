//! Which files of a load keep lazy columns, decided per table before any
//! file is read: a plain JSON Lines file is read lazily unless the table it
//! feeds also gets a file of another kind in the same load (those decode
//! every column, and the table's lazy part would then be parsed twice).
//!
//! The table of a file is guessed from its name, as the router names tables
//! (`DeviceProcessEvents-2.jsonl`, `DeviceProcessEvents.json`), else from
//! `--table`. A file whose table cannot be told before reading it (its
//! content decides) may feed any table whose name is not known either, so
//! two such files count as feeding the same one. A wrong guess changes only
//! speed: a table that does mix decodes its lazy part at the end of the load
//! (`lazy_decode::fill_skipped`).

use std::path::Path;

use super::detect::table_from_file_name;
use super::input::InputFile;

/// For each of `files`, true when it may keep lazy columns (`option_table`:
/// `--table`). Only its name is read.
pub(crate) fn lazy_files(files: &[InputFile], option_table: Option<&str>) -> Vec<bool> {
    let eager_tables: Vec<Option<&str>> =
        files.iter().filter(|f| !is_json_lines_name(&f.path)).map(|f| guessed_table(&f.path, option_table)).collect();
    files
        .iter()
        .map(|f| is_json_lines_name(&f.path) && !eager_tables.contains(&guessed_table(&f.path, option_table)))
        .collect()
}

/// The table a file's rows go to when they name none, as far as its name
/// tells (`None`: its content decides).
fn guessed_table<'a>(path: &Path, option_table: Option<&'a str>) -> Option<&'a str> {
    let name = path.file_name().map(|n| n.to_string_lossy());
    name.and_then(|n| table_from_file_name(&n)).or(option_table)
}

/// True for a `.jsonl` or `.ndjson` file name (not compressed).
fn is_json_lines_name(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    name.ends_with(".jsonl") || name.ends_with(".ndjson")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn lazy(names: &[&str], option_table: Option<&str>) -> Vec<bool> {
        let files: Vec<InputFile> =
            names.iter().map(|n| InputFile { path: PathBuf::from("dir").join(n), size: 1 }).collect();
        lazy_files(&files, option_table)
    }

    #[test]
    fn a_json_lines_file_is_lazy_unless_its_table_gets_another_kind_of_file() {
        let names = [
            "DeviceProcessEvents-1.jsonl",
            "DeviceProcessEvents-2.ndjson",
            "DeviceNetworkEvents.json",
            "DeviceNetworkEvents-older.jsonl",
            "DeviceFileCertificateInfo.csv",
            "DeviceEvents.jsonl.gz",
        ];
        assert_eq!(lazy(&names, None), [true, true, false, false, false, false]);
    }

    #[test]
    fn files_named_for_no_table_may_feed_the_same_one() {
        assert_eq!(lazy(&["a.jsonl", "b.csv", "DeviceProcessEvents.jsonl"], None), [false, false, true]);
        assert_eq!(lazy(&["a.jsonl", "DeviceNetworkEvents.csv"], None), [true, false]);
        // `--table` names the table of every file whose name does not.
        assert_eq!(lazy(&["a.jsonl", "DeviceProcessEvents.csv"], Some("DeviceProcessEvents")), [false, false]);
        assert_eq!(lazy(&["a.jsonl", "b.csv"], Some("DeviceEvents")), [false, false]);
    }
}
