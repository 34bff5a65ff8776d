//! Scalar library tests, table-driven through the registry (as the evaluator calls it).
//! Each case cites its Kusto doc page (`data-explorer/kusto/query/...`).

use std::sync::Arc;

use super::convert::to_string;
use super::*;
use crate::data::time::parse_datetime;
use crate::data::{TICKS_PER_DAY, TICKS_PER_SECOND};

fn call(name: &str, args: &[Value]) -> Value {
    let ctx = FnCtx { now: dt("2026-11-20T12:00:00Z"), ..FnCtx::default() };
    match lookup(name) {
        Some(f) => (f.eval)(args, &ctx).unwrap_or_else(|e| Value::str(&format!("ERROR {e}"))),
        None => Value::str("NO SUCH FUNCTION"),
    }
}

/// The result as text (`tostring` rules), `<null>` for null, for compact tables.
fn show(name: &str, args: &[Value]) -> String {
    let v = call(name, args);
    // Datetimes in the trimmed display form keep the expectations short.
    if v.is_null() { "<null>".into() } else { super::convert::display_text(&v).into_owned() }
}

fn st(s: &str) -> Value {
    Value::str(s)
}

fn l(n: i64) -> Value {
    Value::Long(n)
}

fn dt(s: &str) -> i64 {
    parse_datetime(s).unwrap_or(i64::MIN)
}

fn d(s: &str) -> Value {
    Value::DateTime(dt(s))
}

fn j(text: &str) -> Value {
    Value::Dynamic(Arc::new(serde_json::from_str(text).unwrap_or(serde_json::Value::Null)))
}

#[test]
fn registry_names_are_unique_and_exclude_service_only() {
    let mut seen = std::collections::HashSet::new();
    for f in registry() {
        for n in std::iter::once(f.name).chain(f.aliases.iter().copied()) {
            assert!(seen.insert(n), "duplicate {n}");
        }
    }
    for (name, _) in SERVICE_ONLY {
        assert!(lookup(name).is_none(), "{name} must not be in the registry");
    }
}

#[test]
fn string_functions() {
    let cases: &[(&str, &[Value], &str)] = &[
        ("tolower", &[st("AbÇ")], "abç"),
        ("strlen", &[st("héllo")], "5"),
        ("substring", &[st("123456"), l(1)], "23456"), // substring-function.md
        ("substring", &[st("123456"), l(2), l(2)], "34"),
        ("substring", &[st("ABCD"), l(-1), l(2)], "A"),
        ("substring", &[st("ABCD"), l(10), l(2)], ""),
        ("strcat", &[st("a"), l(1), Value::Null], "a1"),
        ("strcat_delim", &[st("-"), st("a"), st("b")], "a-b"),
        ("split", &[st("aa_bb"), st("_")], r#"["aa","bb"]"#), // split-function.md
        ("split", &[st("aaa_bbb_ccc"), st("_"), l(1)], r#"["bbb"]"#),
        ("split", &[st("a"), st("_"), l(5)], "[]"),
        ("replace_string", &[st("A magic trick"), st("magic"), st("cool")], "A cool trick"),
        ("indexof", &[st("abcdefg"), st("cde")], "2"), // indexof-function.md
        ("indexof", &[st("abcdefg"), st("cde"), l(1), l(4)], "2"),
        ("indexof", &[st("abcdefg"), st("cde"), l(1), l(2)], "-1"),
        ("indexof", &[st("abcdefgabcdefg"), st("cde"), l(1), l(-1), l(2)], "9"),
        // A negative start counts back from the end (the page's example: -5 → 2).
        ("indexof", &[st("abcdefg"), st("cde"), l(-1)], "-1"),
        ("indexof", &[st("abcdefg"), st("cde"), l(-5)], "2"),
        ("countof", &[st("aaaa"), st("aa")], "3"), // countof-function.md: plain matches overlap
        ("countof", &[st("ababa"), st("aba"), st("regex")], "1"),
        ("countof", &[st("abcabc"), st("a.c"), st("regex")], "2"),
        ("reverse", &[st("abc")], "cba"),
        ("strrep", &[st("ab"), l(3), st(",")], "ab,ab,ab"),
        ("extract", &[st(r"x=([0-9.]+)"), l(1), st("hello x=45.6|wo")], "45.6"), // extract-function.md
        ("extract", &[st(r"(\d+)"), l(1), st("none")], ""),
        ("extract_all", &[st(r"(\w)(\d)"), st("a1 b2")], r#"[["a","1"],["b","2"]]"#),
        ("extract_all", &[st(r"(\d)"), st("x")], "<null>"),
        ("replace_regex", &[st("abc123"), st(r"([a-z]+)(\d+)"), st(r"\2-\1$")], "123-abc$"),
        ("replace", &[st(r"\d"), st("#"), st("a1b2")], "a#b#"), // legacy argument order
        ("trim", &[st("--"), st("--a--b----")], "a--b"),        // trim-function.md
        ("trim_start", &[st(r"\s+"), st("  x ")], "x "),
        ("trim_end", &[st(r"\.exe"), st("a.exe.exe")], "a"),
    ];
    for (name, args, want) in cases {
        assert_eq!(show(name, args), *want, "{name}({args:?})");
    }
    assert!(show("extract", &[st("("), l(0), st("x")]).starts_with("ERROR"));
}

#[test]
fn logic_functions() {
    let cases: &[(&str, &[Value], &str)] = &[
        ("iff", &[Value::Bool(true), l(1), Value::Real(2.5)], "1"),
        ("iff", &[Value::Null, st("a"), st("b")], "b"), // iff-function.md: null predicate → else
        ("case", &[Value::Bool(false), l(1), Value::Bool(true), l(2), l(3)], "2"),
        ("case", &[Value::Bool(false), l(1), l(3)], "3"),
        ("coalesce", &[Value::Null, st(""), st("x")], "x"), // coalescefunction.md: empty strings skipped
        ("not", &[Value::Null], "<null>"),
        ("isnull", &[st("")], "false"), // kql-semantics.md §7
        ("isempty", &[st("")], "true"),
        ("isempty", &[j("null")], "true"),
        ("isnotempty", &[l(0)], "true"),
        ("gettype", &[j("[1]")], "array"),
        ("gettype", &[j("{}")], "dictionary"),
        ("gettype", &[l(1)], "long"),
    ];
    for (name, args, want) in cases {
        assert_eq!(show(name, args), *want, "{name}({args:?})");
    }
    assert!(matches!(call("iff", &[Value::Bool(true), l(1), Value::Real(2.5)]), Value::Real(f) if f == 1.0));
}

#[test]
fn conversion_functions() {
    let cases: &[(&str, &[Value], &str)] = &[
        ("tostring", &[Value::Null], ""),
        ("tolong", &[st("abc")], "<null>"),
        ("toint", &[Value::Real(2.7)], "2"),
        ("tobool", &[st("true")], "true"),
        ("todatetime", &[st("2024-01-31 13:45:00")], "2024-01-31T13:45:00Z"),
        ("totimespan", &[st("0.12:34:56.7")], "12:34:56.7000000"),
        ("toguid", &[st("{0123456789ABCDEF0123456789ABCDEF}")], "01234567-89ab-cdef-0123-456789abcdef"),
    ];
    for (name, args, want) in cases {
        assert_eq!(show(name, args), *want, "{name}({args:?})");
    }
}

#[test]
fn dynamic_functions() {
    let cases: &[(&str, &[Value], &str)] = &[
        ("parse_json", &[st(r#"{"a":[1,2]}"#)], r#"{"a":[1,2]}"#),
        ("parse_json", &[st("not json")], "not json"), // parse-json-function.md: keeps the string
        ("extract_json", &[st("$.a.b[1]"), st(r#"{"a":{"b":[1,"x"]}}"#)], "x"),
        ("extract_json", &[st("$['a']"), st(r#"{"a":5}"#)], "5"),
        ("extract_json", &[st("$.zz"), st(r#"{"a":5}"#)], ""),
        ("array_length", &[j("[1,2,3]")], "3"),
        ("array_length", &[j("{}")], "<null>"),
        ("set_has_element", &[j(r#"["a",1]"#), l(1)], "true"),
        ("set_has_element", &[j(r#"["a",1]"#), st("b")], "false"),
        ("array_index_of", &[j(r#"["a","b","a"]"#), st("a"), l(1)], "2"),
        ("array_concat", &[j("[1]"), j("[2,3]")], "[1,2,3]"),
        ("array_slice", &[j("[1,2,3,4]"), l(1), l(-2)], "[2,3]"), // array-slice-function.md
        ("bag_keys", &[j(r#"{"a":1,"b":2}"#)], r#"["a","b"]"#),
        ("pack", &[st("k"), l(1)], r#"{"k":1}"#),
        ("pack_array", &[l(1), st("x")], r#"[1,"x"]"#),
    ];
    for (name, args, want) in cases {
        assert_eq!(show(name, args), *want, "{name}({args:?})");
    }
}

#[test]
fn datetime_functions() {
    let cases: &[(&str, &[Value], &str)] = &[
        ("now", &[], "2026-11-20T12:00:00Z"),
        ("now", &[Value::Timespan(-5 * TICKS_PER_DAY)], "2026-11-15T12:00:00Z"), // now(-5d) = now + (-5d)
        ("ago", &[Value::Timespan(TICKS_PER_DAY)], "2026-11-19T12:00:00Z"),
        ("bin", &[d("2024-01-01 13:47"), Value::Timespan(3600 * TICKS_PER_SECOND)], "2024-01-01T13:00:00Z"), // §9
        ("bin", &[l(-7), l(5)], "-10"),
        ("bin", &[Value::Real(4.5), l(1)], "4"),
        ("bin", &[Value::Null, l(1)], "<null>"),
        ("bin", &[l(7), l(0)], "<null>"),
        ("startofday", &[d("2026-11-20T10:01:02Z")], "2026-11-20T00:00:00Z"),
        ("startofweek", &[d("2026-11-20T10:01:02Z")], "2026-11-15T00:00:00Z"), // weeks start on Sunday
        ("startofmonth", &[d("2026-11-20T10:01:02Z"), l(-1)], "2026-10-01T00:00:00Z"),
        ("endofday", &[d("2026-11-20T10:01:02Z")], "2026-11-20T23:59:59.9999999Z"),
        ("dayofweek", &[d("2026-11-20")], "5.00:00:00"), // a Friday
        ("hourofday", &[d("2026-11-20T10:01:02Z")], "10"),
        ("datetime_diff", &[st("year"), d("2017-01-01"), d("2000-12-31")], "17"), // datetime-diff-function.md
        ("datetime_diff", &[st("day"), d("2017-10-30 23:05:01"), d("2017-10-29 23:00")], "1"),
        ("datetime_diff", &[st("week"), d("2017-10-29 00:00"), d("2017-09-30 23:59")], "5"),
        ("datetime_add", &[st("month"), l(1), d("2024-01-31")], "2024-02-29T00:00:00Z"),
        ("datetime_add", &[st("hour"), l(-2), d("2024-01-31")], "2024-01-30T22:00:00Z"),
        ("make_datetime", &[l(2017), l(10), l(1), l(12), l(10), Value::Real(30.5)], "2017-10-01T12:10:30.5Z"),
        ("make_datetime", &[l(2017), l(13), l(1)], "<null>"),
        ("format_datetime", &[d("2017-01-29 09:00:05.123"), st("yy-MM-dd [HH:mm:ss.fff]")], "17-01-29 [09:00:05.123]"),
        ("format_datetime", &[d("2017-01-29 21:00:05"), st("yyyy-M-d h:mm tt")], "2017-1-29 9:00 PM"),
        ("format_timespan", &[Value::Timespan(TICKS_PER_DAY + 3_600 * TICKS_PER_SECOND), st("d.hh:mm")], "1.01:00"),
        ("unixtime_seconds_todatetime", &[l(1546300800)], "2019-01-01T00:00:00Z"),
    ];
    for (name, args, want) in cases {
        assert_eq!(show(name, args), *want, "{name}({args:?})");
    }
}

#[test]
fn math_and_net_functions() {
    let cases: &[(&str, &[Value], &str)] = &[
        ("abs", &[l(i64::MIN)], "<null>"),                 // no overflow panic
        ("round", &[Value::Real(2.98765), l(3)], "2.988"), // round-function.md
        ("round", &[Value::Real(-50.55), l(-2)], "-100"),
        ("pow", &[l(2), l(10)], "1024"),
        ("sqrt", &[l(-1)], "NaN"),
        ("min_of", &[l(10), l(1), Value::Null], "1"),
        ("max_of", &[st("a"), st("b")], "b"),
        ("tohex", &[l(-546)], "fffffffffffffdde"), // tohex-function.md
        ("tohex", &[l(256), l(8)], "00000100"),
        ("tohex", &[Value::Int(-256), l(8)], "ffffff00"), // an int is 32-bit
        ("tohex", &[l(1), l(20)], "0000000000000001"),    // min_length capped at 16
        ("ipv4_is_private", &[st("192.168.1.1")], "true"), // ipv4-is-private-function.md
        ("ipv4_is_private", &[st("8.8.8.8")], "false"),
        ("ipv4_is_private", &[st("172.15.0.1")], "false"),
        ("ipv4_is_private", &[st("not ip")], "<null>"),
        ("ipv4_is_in_range", &[st("192.168.1.6"), st("192.168.1.1/24")], "true"),
        ("ipv4_is_in_range", &[st("192.168.2.6"), st("192.168.1.1/24")], "false"),
        ("ipv4_is_match", &[st("192.168.1.1/24"), st("192.168.1.255")], "true"),
        ("url_encode", &[st("https://www.bing.com/")], "https%3a%2f%2fwww.bing.com%2f"), // url-encode-function.md
        ("url_decode", &[st("https%3a%2f%2fwww.bing.com%2f")], "https://www.bing.com/"),
        ("base64_encode_tostring", &[st("Kusto1")], "S3VzdG8x"), // base64-encode-tostring-function.md
        ("base64_decode_tostring", &[st("S3VzdG8x")], "Kusto1"),
        ("base64_decode_tostring", &[st("!!")], "<null>"),
    ];
    for (name, args, want) in cases {
        assert_eq!(show(name, args), *want, "{name}({args:?})");
    }
    let url = call("parse_url", &[st("https://user:pw@host.com:8080/p/a.exe?x=1&y=%20#frag")]);
    assert_eq!(
        to_string(&url),
        r#"{"Scheme":"https","Host":"host.com","Port":"8080","Path":"/p/a.exe","Username":"user","Password":"pw","Query Parameters":{"x":"1","y":" "},"Fragment":"frag"}"#
    );
    let path = call("parse_path", &[st(r"C:\temp\file.txt")]);
    assert_eq!(
        to_string(&path),
        r#"{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\temp","DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}"#
    );
}

/// Hostile values reach every function (STYLE/brief: no panics on any input):
/// each function is called with every combination of edge values up to 3 args.
#[test]
fn no_function_panics_on_edge_values() {
    let edge = [
        Value::Null,
        l(i64::MIN),
        l(-1),
        l(0),
        Value::Real(f64::NAN),
        Value::Real(-1e300),
        Value::DateTime(i64::MAX),
        Value::Timespan(i64::MIN),
        st(""),
        st("é€𝄞\u{0}"),
        st("$.a[99999999999999999999]"),
        j("[1,[2],{\"a\":null}]"),
        j("null"),
    ];
    let ctx = FnCtx::default();
    for f in registry() {
        let max = f.max_args.min(3);
        for n in f.min_args..=max.max(f.min_args) {
            let mut idx = vec![0usize; n];
            loop {
                let args: Vec<Value> = idx.iter().map(|&i| edge[i].clone()).collect();
                let _ = (f.eval)(&args, &ctx);
                let _ = (f.return_type)(&args.iter().filter_map(Value::data_type).collect::<Vec<_>>());
                let Some(pos) = idx.iter().position(|&i| i + 1 < edge.len()) else { break };
                idx[pos] += 1;
                idx[..pos].iter_mut().for_each(|i| *i = 0);
            }
        }
    }
}
