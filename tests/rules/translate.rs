//! The pseudo-filter translator: every operator form, precedence, quoting,
//! and the malformed filters that must stay "needs a filter".

use kqlhunt::rules::import::translate::{Problem, exclusion, translate};
use kqlhunt::rules::{FieldMap, TranslateError};

const DPE: &str = "DeviceProcessEvents";
const DNE: &str = "DeviceNetworkEvents";

fn map() -> FieldMap {
    FieldMap::bundled().unwrap()
}

fn ok(src: &str, table: &str) -> String {
    translate(src, table, &map()).unwrap_or_else(|e| panic!("{src}: {}", e.render(src)))
}

fn fails(src: &str, table: &str) -> TranslateError {
    translate(src, table, &map()).expect_err(src)
}

#[test]
fn the_over_broad_seed_filter_stays_faithful() {
    assert_eq!(
        ok(r#"process.parent_process_name != "LiteManager" OR process.command_line contains "scheduled_task""#, DPE),
        r#"InitiatingProcessFileName !~ "LiteManager" or ProcessCommandLine contains "scheduled_task""#
    );
}

#[test]
fn equality_is_case_insensitive() {
    assert_eq!(ok(r#"process.name == "cmd.exe""#, DPE), r#"FileName =~ "cmd.exe""#);
    assert_eq!(ok(r#"process.name = 'cmd.exe'"#, DPE), r#"FileName =~ "cmd.exe""#);
    assert_eq!(ok(r#"process.user != "svc""#, DPE), r#"AccountName !~ "svc""#);
}

#[test]
fn like_patterns() {
    assert_eq!(
        ok(r#"process.command_line LIKE "%scheduled_job%""#, DPE),
        r#"ProcessCommandLine contains "scheduled_job""#
    );
    assert_eq!(
        ok(r#"process.file_path LIKE "C:\Program Files%""#, DPE),
        r#"FolderPath startswith "C:\\Program Files""#
    );
    assert_eq!(
        ok(r#"process.file_path like "%connectwise_agent.exe""#, DPE),
        r#"FolderPath endswith "connectwise_agent.exe""#
    );
    assert_eq!(ok(r#"process.name LIKE "agent.exe""#, DPE), r#"FileName =~ "agent.exe""#);
    assert_eq!(fails(r#"process.name LIKE "%%""#, DPE).problem, Problem::Unsupported);
    assert_eq!(fails(r#"process.name LIKE "a%b""#, DPE).problem, Problem::Unsupported);
}

#[test]
fn connectives_in_every_spelling() {
    let want = r#"FileName =~ "a" and FileName =~ "b" or FileName =~ "c""#;
    assert_eq!(ok(r#"process.name == "a" AND process.name == "b" OR process.name == "c""#, DPE), want);
    assert_eq!(ok(r#"process.name == "a" && process.name == "b" || process.name == "c""#, DPE), want);
    assert_eq!(ok(r#"process.name == "a" and process.name == "b" or process.name == "c""#, DPE), want);
}

#[test]
fn parentheses_kept_where_precedence_needs_them() {
    assert_eq!(
        ok(r#"process.name == "a" AND (process.name == "b" OR process.name == "c")"#, DPE),
        r#"FileName =~ "a" and (FileName =~ "b" or FileName =~ "c")"#
    );
    // Redundant parentheses need not be kept: the meaning is the same.
    assert_eq!(
        ok(r#"(process.name == "a" AND process.name == "b") OR process.name == "c""#, DPE),
        r#"FileName =~ "a" and FileName =~ "b" or FileName =~ "c""#
    );
    assert_eq!(
        ok(r#"process.name == "a" OR (process.name == "b" OR process.name == "c")"#, DPE),
        r#"FileName =~ "a" or (FileName =~ "b" or FileName =~ "c")"#
    );
    assert_eq!(
        ok(r#"NOT (process.name == "a" OR process.name == "b")"#, DPE),
        r#"not(FileName =~ "a" or FileName =~ "b")"#
    );
}

#[test]
fn quoting_and_escapes() {
    assert_eq!(ok(r#"process.command_line contains 'say "hi"'"#, DPE), r#"ProcessCommandLine contains "say \"hi\"""#);
    assert_eq!(
        ok(r#"process.command_line contains "it\'s \"x\"""#, DPE),
        r#"ProcessCommandLine contains "it's \"x\"""#
    );
    assert_eq!(ok(r#"process.file_path == "C:\\Temp\\a b""#, DPE), r#"FolderPath =~ "C:\\Temp\\a b""#);
    assert_eq!(
        ok(r#"process.command_line contains "a # b: c != d""#, DPE),
        r#"ProcessCommandLine contains "a # b: c != d""#
    );
}

#[test]
fn per_table_mapping_and_numbers() {
    assert_eq!(
        ok(r#"process.name != "setup.exe" && destination_ip != "10.10.10.10""#, DNE),
        r#"InitiatingProcessFileName !~ "setup.exe" and RemoteIP !~ "10.10.10.10""#
    );
    assert_eq!(ok(r#"destination_port == "443""#, DNE), "RemotePort == 443");
    assert_eq!(fails(r#"destination_port contains "44""#, DNE).problem, Problem::Unsupported);
    assert_eq!(fails(r#"destination_port == "https""#, DNE).problem, Problem::Unsupported);
}

#[test]
fn unknown_field_has_its_span() {
    let src = r#"process.name == "a" OR proc.nme == "b""#;
    let e = fails(src, DPE);
    assert_eq!(e.problem, Problem::UnknownField);
    assert_eq!(&src[e.span.start..e.span.end], "proc.nme");
    // A field the table deliberately lacks says why.
    let e = fails(r#"process.name == "x""#, "DeviceFileCertificateInfo");
    assert_eq!(e.problem, Problem::Unsupported);
    assert!(e.message.contains("SHA1"), "{}", e.message);
}

#[test]
fn malformed_filters() {
    let e = fails(r#"(process.name == "a" OR process.name == "b""#, DPE);
    assert_eq!((e.problem, e.span.start), (Problem::Syntax, 0));
    let e = fails(r#"process.name == "a")"#, DPE);
    assert_eq!((e.problem, e.span.start), (Problem::Syntax, 19));
    let e = fails(r#"process.name == "unterminated"#, DPE);
    assert_eq!((e.problem, e.span.start), (Problem::Syntax, 16));
    let e = fails(r#"process.name == "a" OR"#, DPE);
    assert_eq!((e.problem, e.span.start), (Problem::Syntax, 22));
    let e = fails(r#"process.name "a""#, DPE);
    assert_eq!((e.problem, e.span.start), (Problem::Syntax, 13));
    assert!(e.render(r#"process.name "a""#).contains("             ^^^"));
}

#[test]
fn prose_is_recognised() {
    for src in [
        "Exclude processes initiated by the Microsoft Endpoint Manager service or tasks scheduled by Task Scheduler.",
        "Check for the presence of known administrative tasks or scripts in the command line, such as Update-Module",
        "Filter out processes associated with known Microsoft update mechanisms.",
    ] {
        assert_eq!(fails(src, DPE).problem, Problem::Prose, "{src}");
    }
}

#[test]
fn exclusion_from_a_scenario() {
    let e = exclusion("Prose", Some("why"), "Exclude processes initiated by Ansible.", DPE, &map());
    assert!(e.needs_filter());
    assert_eq!(e.source.as_deref(), Some("Exclude processes initiated by Ansible."));
    assert!(e.note.as_deref().unwrap().starts_with("needs a filter: prose"), "{:?}", e.note);
    assert!(!e.enabled);
    let e = exclusion("Ok", None, r#"process.name == "a""#, DPE, &map());
    assert_eq!(e.filter.as_deref(), Some(r#"FileName =~ "a""#));
    assert_eq!(e.note, None);
}

/// Found by the `translate` fuzz target: a long run of `!` became nested
/// `not(...)` deeper than the KQL parser accepts. Such a filter is reported
/// as unsupported instead of emitting KQL that does not parse.
#[test]
fn a_translation_that_would_nest_too_deep_is_unsupported() {
    let map = kqlhunt::rules::FieldMap::bundled().unwrap();
    let src = format!("{}process.name == \"x\"", "!".repeat(400));
    let err = kqlhunt::rules::translate(&src, "DeviceProcessEvents", &map).unwrap_err();
    assert_eq!(err.problem, kqlhunt::rules::import::translate::Problem::Unsupported, "{err}");
    assert!(err.message.contains("nests too deeply"), "{err}");
    let ok = kqlhunt::rules::translate("!!process.name == \"x\"", "DeviceProcessEvents", &map).unwrap();
    assert!(kqlhunt::kql::parse_expr(&ok).is_ok(), "{ok}");
}
