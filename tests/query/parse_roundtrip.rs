//! Property tests: random well-formed queries parse and print back to the
//! same tree; random token soup never panics.

use proptest::prelude::*;

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FileName".to_string()),
        Just("DeviceId".to_string()),
        Just("count".to_string()),
        Just("table".to_string()),
        Just("['by']".to_string()),
        Just("['with space']".to_string()),
        "[A-Z][a-z]{1,6}",
    ]
}

fn func() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["strcat", "tolower", "iff", "not", "count", "f"])
}

fn literal() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i32>().prop_map(|v| v.to_string()),
        (-1e6f64..1e6).prop_map(|v| format!("{v:?}")),
        "[ -~]{0,8}".prop_map(|s| format!("{s:?}")),
        "[a-z ]{0,6}".prop_map(|s| format!("@'{s}'")),
        (1u32..1000, prop::sample::select(vec!["d", "h", "m", "s", "ms", "tick"])).prop_map(|(n, u)| format!("{n}{u}")),
        Just("datetime(2026-11-20 10:00:00)".to_string()),
        Just("datetime(null)".to_string()),
        Just("dynamic(['a', 1, {'k': [true, null]}])".to_string()),
        Just("long(null)".to_string()),
        Just("int(-3)".to_string()),
        Just("time(1.02:03:04)".to_string()),
        Just("true".to_string()),
    ]
}

fn scalar() -> BoxedStrategy<String> {
    let leaf = prop_oneof![literal(), name()];
    leaf.prop_recursive(4, 32, 3, |inner| {
        let bin = prop::sample::select(vec![
            "==",
            "!=",
            "<",
            ">=",
            "=~",
            "!~",
            "+",
            "-",
            "*",
            "/",
            "%",
            "and",
            "or",
            "has",
            "!has",
            "contains_cs",
            "!startswith",
            "hasprefix",
            "endswith_cs",
            "matches regex",
        ]);
        let list = prop::sample::select(vec!["in", "!in", "in~", "!in~", "has_any", "has_all"]);
        prop_oneof![
            (inner.clone(), bin, inner.clone()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (inner.clone(), list, prop::collection::vec(inner.clone(), 1..3))
                .prop_map(|(a, op, items)| format!("{a} {op} ({})", items.join(", "))),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, l, h)| format!("{a} between ({l} .. {h})")),
            (func(), prop::collection::vec(inner.clone(), 0..3))
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (inner.clone(), name()).prop_map(|(a, n)| format!("({a}).{n}")),
            (inner.clone(), inner).prop_map(|(a, i)| format!("({a})[{i}]")),
        ]
    })
    .boxed()
}

fn operator() -> impl Strategy<Value = String> {
    let named = (prop::option::of(name()), scalar()).prop_map(|(n, e)| match n {
        Some(n) => format!("{n} = {e}"),
        None => e,
    });
    let nameds = prop::collection::vec(named, 1..3).prop_map(|v| v.join(", ")).boxed();
    prop_oneof![
        scalar().prop_map(|e| format!("where {e}")),
        nameds.clone().prop_map(|e| format!("project {e}")),
        nameds.clone().prop_map(|e| format!("extend {e}")),
        (nameds.clone(), prop::option::of(nameds.clone())).prop_map(|(a, b)| match b {
            Some(b) => format!("summarize {a} by {b}"),
            None => format!("summarize {a}"),
        }),
        (1u32..100, scalar(), any::<bool>())
            .prop_map(|(n, e, d)| format!("top {n} by {e} {}", if d { "desc nulls first" } else { "asc" })),
        prop::collection::vec(scalar(), 1..3).prop_map(|k| format!("sort by {}", k.join(", "))),
        (1u32..100).prop_map(|n| format!("take {n}")),
        Just("count".to_string()),
        Just("distinct *".to_string()),
        Just("project-away Device*, FileName".to_string()),
        Just("project-rename A = B".to_string()),
        (prop::sample::select(vec!["inner", "leftouter", "leftanti", "rightsemi", "innerunique"]), name())
            .prop_map(|(k, n)| format!("join kind={k} (Other | where {n} > 1) on {n}, $left.A == $right.B")),
        Just("mv-expand X = arr to typeof(string) limit 5".to_string()),
        Just("parse kind=regex FileName with \"a\" X:long * \"b\"".to_string()),
        Just("make-series count() default = 0 on Timestamp from ago(1d) to now() step 1h by DeviceId".to_string()),
        Just("union withsource=T Device*Events, (Other | take 1)".to_string()),
        Just("evaluate bag_unpack(AdditionalFields)".to_string()),
        Just("serialize rn = row_number()".to_string()),
        Just("render timechart with (title='x')".to_string()),
        Just("lookup kind=inner (Dim) on DeviceId".to_string()),
    ]
}

fn query() -> impl Strategy<Value = String> {
    (
        prop::option::of(scalar()),
        prop::collection::vec(operator(), 0..5),
        prop_oneof![Just("DeviceProcessEvents"), Just("datatable(a:long)[1, 2]"), Just("range x from 1 to 3 step 1")],
    )
        .prop_map(|(l, ops, source)| {
            let mut q = String::new();
            if let Some(l) = l {
                q.push_str(&format!("let v = {l};\n"));
            }
            q.push_str(source);
            for op in ops {
                q.push_str("\n| ");
                q.push_str(&op);
            }
            q
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_queries_round_trip(q in query()) {
        crate::cases::round_trip(&q);
    }

    #[test]
    fn token_soup_never_panics(parts in prop::collection::vec(prop_oneof![
        Just("("), Just(")"), Just("["), Just("]"), Just("{"), Just("}"), Just("|"), Just(";"), Just(","),
        Just("where"), Just("let"), Just("x"), Just("="), Just("=="), Just("1"), Just("5d"), Just("'s'"),
        Just("dynamic("), Just("datetime(2020-01-01)"), Just("in"), Just("!has"), Just(".."), Just("between"),
        Just("join"), Just("on"), Just("$left"), Just("."), Just("-"), Just("*"), Just("summarize"), Just("by"),
        Just("\""), Just("@"), Just("h"), Just("0x"), Just("1e"), Just("view"), Just("T"),
    ], 0..40)) {
        let src = parts.join(" ");
        let _ = kqlhunt::kql::parse(&src);
        let _ = kqlhunt::kql::parse(&parts.concat());
    }

    #[test]
    fn arbitrary_text_never_panics(src in "\\PC{0,80}") {
        if let Err(e) = kqlhunt::kql::parse(&src) {
            prop_assert!(e.span.start <= e.span.end && e.span.end <= src.len(), "{:?}", e.span);
            let _ = e.render(&src);
        }
    }
}
