//! `kqlhunt samples` as a script runs it: piped, stderr carries only the
//! summary (the progress line is for a terminal), and `--format`/`--gzip`
//! write every table in one format.

use assert_cmd::Command;

fn kqlhunt() -> Command {
    Command::cargo_bin("kqlhunt").expect("binary")
}

#[test]
fn piped_samples_print_no_progress_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = kqlhunt().args(["samples", "--rows", "400", "--out"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("events"), "the summary is there: {stderr}");
    for progress in ["\r", "\x1b[", "rows/s", "left"] {
        assert!(!stderr.contains(progress), "{progress:?} in piped stderr: {stderr}");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn format_writes_every_table_in_one_format_and_gzip_needs_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = kqlhunt()
        .args(["samples", "--rows", "400", "--format", "api", "--gzip", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for table in ["DeviceProcessEvents", "DeviceNetworkEvents", "DeviceFileCertificateInfo"] {
        let gz = std::fs::read(dir.path().join(format!("{table}.json.gz"))).unwrap();
        assert_eq!(&gz[..2], &[0x1f, 0x8b], "{table} is gzip");
    }
    let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    assert!(readme.contains("--format api --gzip"), "the README says how it was made");

    let out = kqlhunt().args(["samples", "--rows", "400", "--gzip", "--out"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--gzip without --format is a usage error");
    let out = kqlhunt().args(["samples", "--jsonl-only", "--format", "csv", "--out"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--jsonl-only and --format conflict");
}
