//! The trees the parser builds for each construct, its error messages, and its limits.

use crate::cases::{fails, p};
use kqlhunt::data::DataType;
use kqlhunt::kql::ErrorKind;
use kqlhunt::kql::ast::*;

/// The last statement's expression.
fn last(src: &str) -> Expr {
    match p(src).statements.pop() {
        Some(Statement::Expr(e)) => e,
        other => panic!("{other:?}"),
    }
}

/// The tabular pipeline of the last statement.
fn tab(src: &str) -> TabularExpr {
    match last(src).kind {
        ExprKind::Tabular(t) => *t,
        other => panic!("{other:?}"),
    }
}

/// The operators of the last statement's pipeline.
fn ops(src: &str) -> Vec<OpKind> {
    tab(src).ops.into_iter().map(|op| op.kind).collect()
}

/// The predicate of `T | where <pred>`.
fn pred(pred: &str) -> Expr {
    match ops(&format!("T | where {pred}")).pop() {
        Some(OpKind::Where(e)) => e,
        other => panic!("{other:?}"),
    }
}

fn lit(src: &str) -> Literal {
    match pred(src).kind {
        ExprKind::Literal(l) => l,
        other => panic!("{other:?}"),
    }
}

#[test]
fn precedence_or_and_comparison_additive_multiplicative() {
    let e = pred("a == 1 or b + 2 * 3 > 4 and c");
    let ExprKind::Binary { op: BinOp::Or, right, .. } = e.kind else { panic!() };
    let ExprKind::Binary { op: BinOp::And, left: gt, .. } = right.kind else { panic!() };
    let ExprKind::Binary { op: BinOp::Gt, left: sum, .. } = gt.kind else { panic!() };
    let ExprKind::Binary { op: BinOp::Add, right: product, .. } = sum.kind else { panic!() };
    assert!(matches!(product.kind, ExprKind::Binary { op: BinOp::Mul, .. }));
}

#[test]
fn string_operators_map_to_strcmp() {
    let cmp = |src: &str| match pred(&format!("x {src} 'v'")).kind {
        ExprKind::Binary { op: BinOp::Str(c), .. } => c,
        other => panic!("{other:?}"),
    };
    let c = cmp("!contains_cs");
    assert_eq!((c.op, c.case_sensitive, c.negated), (StrOp::Contains, true, true));
    let c = cmp("hasprefix");
    assert_eq!((c.op, c.case_sensitive, c.negated), (StrOp::HasPrefix, false, false));
    let c = cmp("!hassuffix_cs");
    assert_eq!((c.op, c.case_sensitive, c.negated), (StrOp::HasSuffix, true, true));
    let c = cmp("matches regex");
    assert_eq!((c.op, c.case_sensitive, c.negated), (StrOp::MatchesRegex, true, false));
    let c = cmp("startswith_cs");
    assert_eq!((c.op, c.case_sensitive), (StrOp::StartsWith, true));
}

#[test]
fn list_operators_and_their_items() {
    let ExprKind::List { op, items, .. } = pred("x !in~ ('a', dynamic(['b']), L)").kind else { panic!() };
    assert_eq!(op, ListOp::In { case_insensitive: true, negated: true });
    assert_eq!(items.len(), 3);
    assert!(matches!(items[1].kind, ExprKind::Literal(Literal::Dynamic(_))));
    assert!(matches!(items[2].kind, ExprKind::Name(_)));
    let ExprKind::List { op, items, .. } = pred("x has_any ((U | project y))").kind else { panic!() };
    assert_eq!(op, ListOp::HasAny);
    assert!(matches!(&items[0].kind, ExprKind::Tabular(t) if t.ops.len() == 1));
    assert!(matches!(pred("x has_all ('a')").kind, ExprKind::List { op: ListOp::HasAll, .. }));
}

#[test]
fn between_and_not_between() {
    let ExprKind::Between { negated, high, .. } = pred("Timestamp !between (datetime(2026-01-01) .. 1d)").kind else {
        panic!()
    };
    assert!(negated);
    assert_eq!(high.kind, ExprKind::Literal(Literal::Timespan(864_000_000_000)));
    assert!(matches!(pred("a between(s..e)").kind, ExprKind::Between { negated: false, .. }));
}

#[test]
fn timespan_literals_are_ticks() {
    assert_eq!(lit("5d"), Literal::Timespan(5 * 864_000_000_000));
    assert_eq!(lit("1.5h"), Literal::Timespan(54_000_000_000));
    assert_eq!(lit("30m"), Literal::Timespan(18_000_000_000));
    assert_eq!(lit("100ms"), Literal::Timespan(1_000_000));
    assert_eq!(lit("10microsecond"), Literal::Timespan(100));
    assert_eq!(lit("1tick"), Literal::Timespan(1));
    assert_eq!(lit("-5d"), Literal::Timespan(-5 * 864_000_000_000));
    assert_eq!(lit("time(15 seconds)"), Literal::Timespan(150_000_000));
    assert_eq!(lit("timespan(2)"), Literal::Timespan(2 * 864_000_000_000));
    assert_eq!(lit("time(null)"), Literal::Null(DataType::Timespan));
}

#[test]
fn numbers_strings_and_typed_literals() {
    assert_eq!(lit("0x1F"), Literal::Long(31));
    assert_eq!(lit("1e3"), Literal::Real(1000.0));
    assert_eq!(lit("-7"), Literal::Long(-7));
    assert_eq!(lit("@'it''s'"), Literal::String("it's".into()));
    assert_eq!(lit(r#""a\"b\\c\n""#), Literal::String("a\"b\\c\n".into()));
    assert_eq!(lit(r#"h"x" 'y'"#), Literal::String("xy".into()));
    assert_eq!(lit("long(null)"), Literal::Null(DataType::Long));
    assert_eq!(lit("int(-5)"), Literal::Int(-5));
    assert_eq!(lit("real(1)"), Literal::Real(1.0));
    assert_eq!(lit("bool(true)"), Literal::Bool(true));
    assert_eq!(lit("True"), Literal::Bool(true));
    assert_eq!(
        lit("guid(74BE27DE-1E4E-49D9-B579-FE0B331D3642)"),
        Literal::Guid("74be27de-1e4e-49d9-b579-fe0b331d3642".into())
    );
    assert_eq!(lit("datetime(1970-01-02)"), Literal::DateTime(864_000_000_000));
    assert_eq!(lit("datetime(1970-01-01 00:00:01)"), Literal::DateTime(10_000_000));
    assert_eq!(lit("datetime(null)"), Literal::Null(DataType::DateTime));
    // Not a literal: a call the evaluator resolves.
    assert!(matches!(pred("long(x)").kind, ExprKind::Call { .. }));
}

#[test]
fn dynamic_literals_are_json() {
    let Literal::Dynamic(v) = lit("dynamic({'a': [1, -2.5, \"x\", datetime(1970-01-01), null, true], b: {}})") else {
        panic!()
    };
    // A datetime inside a dynamic is Kusto's text of it, with 7 fraction digits.
    assert_eq!(v, serde_json::json!({"a": [1, -2.5, "x", "1970-01-01T00:00:00.0000000Z", null, true], "b": {}}));
    assert_eq!(lit("dynamic(null)"), Literal::Dynamic(serde_json::Value::Null));
}

#[test]
fn member_index_star_and_join_sides() {
    let e = pred("f(a.b[0]['k'], *)");
    let ExprKind::Call { args, .. } = e.kind else { panic!() };
    assert_eq!(args[1].kind, ExprKind::Star);
    let ExprKind::Index { expr, .. } = &args[0].kind else { panic!() };
    assert!(matches!(&expr.kind, ExprKind::Index { expr, .. } if matches!(expr.kind, ExprKind::Member { .. })));
    let ExprKind::Member { expr, name } = pred("$left.x").kind else { panic!() };
    assert_eq!((expr.kind, name.name.as_str()), (ExprKind::JoinSide(JoinSide::Left), "x"));
}

#[test]
fn let_statements_functions_and_views() {
    let q = p("let f = (x:string, y:long = 5, T:(*)) { x }; let v = view () { T }; let s = 5d; f('a')");
    let Statement::Let { value: LetValue::Function(f), .. } = &q.statements[0] else { panic!() };
    assert_eq!(f.params.len(), 3);
    assert_eq!(f.params[1].dtype, Some(DataType::Long));
    assert!(f.params[1].default.is_some());
    assert_eq!(f.params[2].dtype, None);
    let Statement::Let { value: LetValue::Function(v), .. } = &q.statements[1] else { panic!() };
    assert!(v.is_view && v.params.is_empty());
    assert!(matches!(&q.statements[2], Statement::Let { value: LetValue::Expr(_), .. }));
    // A parenthesised expression is not a function.
    let q = p("let x = (1 + 2); print x");
    assert!(matches!(&q.statements[0], Statement::Let { value: LetValue::Expr(_), .. }));
}

#[test]
fn sources() {
    assert!(matches!(tab("materialize(T) | take 1").source, Source::Call { .. }));
    let Source::Datatable { columns, values, .. } = tab("datatable(a:string, b:long)['x', 1, 'y', 2]").source else {
        panic!()
    };
    assert_eq!((columns.len(), values.len()), (2, 4));
    let Source::Union(u) = tab("union withsource=S isfuzzy=true Device*Events, (T | take 1), f(1)").source else {
        panic!()
    };
    assert!(u.is_fuzzy && !u.inner && u.with_source.is_some());
    assert!(matches!(&u.legs[0], UnionLeg::Pattern(p) if p.pattern == "Device*Events"));
    assert!(matches!(&u.legs[1], UnionLeg::Expr(_)));
    assert!(matches!(&u.legs[2], UnionLeg::Expr(t) if matches!(t.source, Source::Call { .. })));
    assert!(matches!(tab("range x from 1 to 3 step 1").source, Source::Range { .. }));
    assert!(matches!(tab("print a = 1").source, Source::Print(..)));
    assert!(matches!(tab("(T | take 1) | count").source, Source::Paren(_)));
    // A bare name with no pipeline stays a name.
    assert!(matches!(last("T").kind, ExprKind::Name(_)));
}

#[test]
fn summarize_top_sort_and_count() {
    let [OpKind::Summarize { aggs, by }] =
        &ops("T | summarize hint.shufflekey=k N = count(), dcount(x) by bin(Timestamp, 1h), k")[..]
    else {
        panic!()
    };
    assert_eq!((aggs.len(), by.len()), (2, 2));
    assert_eq!(aggs[0].names[0].name, "N");
    let [OpKind::Top { by, .. }] = &ops("T | top 10 by x asc nulls last")[..] else { panic!() };
    assert_eq!((by.descending, by.nulls_first), (false, Some(false)));
    let [OpKind::Sort(keys)] = &ops("T | order by a, b asc, c desc nulls first")[..] else { panic!() };
    let flags: Vec<_> = keys.iter().map(|k| (k.descending, k.nulls_first)).collect();
    assert_eq!(flags, [(true, None), (false, None), (true, Some(true))]);
    assert!(matches!(&ops("T | count")[..], [OpKind::Count(None)]));
}

#[test]
fn join_kinds_and_conditions() {
    let [OpKind::Join { kind, right, on }] =
        &ops("T | join kind=leftantisemi hint.remote=auto (U | take 1) on a, $right.c == $left.b")[..]
    else {
        panic!()
    };
    assert_eq!(*kind, JoinKind::LeftAnti);
    assert_eq!(right.ops.len(), 1);
    assert!(matches!(&on[0], JoinOn::Column(c) if c.name == "a"));
    assert!(matches!(&on[1], JoinOn::Equal { left, right } if left.name == "b" && right.name == "c"));
    assert!(matches!(&ops("T | join U on a")[..], [OpKind::Join { kind: JoinKind::InnerUnique, .. }]));
    assert!(matches!(&ops("T | lookup kind=inner (U) on a")[..], [OpKind::Lookup { inner: true, .. }]));
}

#[test]
fn mv_expand_parse_make_series() {
    let [OpKind::MvExpand { items, limit, .. }] = &ops("T | mv-expand X = a to typeof(long), b limit 5")[..] else {
        panic!()
    };
    assert_eq!(items[0].1, Some(DataType::Long));
    assert!(limit.is_some());
    let [OpKind::Parse { kind, pattern, .. }] = &ops("T | parse kind=relaxed x with * 'id=' Id:long ',' Rest")[..]
    else {
        panic!()
    };
    assert_eq!(*kind, ParseKind::Relaxed);
    assert_eq!(pattern.len(), 5);
    assert_eq!(
        pattern[2],
        ParsePart::Column(Ident { name: "Id".into(), span: pattern_span(&pattern[2]) }, Some(DataType::Long))
    );
    let [OpKind::MakeSeries { aggs, from, to, by, .. }] =
        &ops("T | make-series N = count() default = 0 on Timestamp from ago(1d) to now() step 1h by k")[..]
    else {
        panic!()
    };
    assert!(aggs[0].default.is_some() && from.is_some() && to.is_some() && by.len() == 1);
}

fn pattern_span(part: &ParsePart) -> kqlhunt::kql::Span {
    match part {
        ParsePart::Column(ident, _) => ident.span,
        _ => panic!(),
    }
}

#[test]
fn spans_cover_their_text() {
    let src = "T | where FileName has 'x' | take 10";
    let t = tab(src);
    assert_eq!(t.span.text(src), src);
    assert_eq!(t.ops[0].span.text(src), "where FileName has 'x'");
    let OpKind::Where(e) = &t.ops[0].kind else { panic!() };
    assert_eq!(e.span.text(src), "FileName has 'x'");
}

#[test]
fn errors_name_what_was_expected() {
    let e = fails("T\n| extend x = (a + 1\n| take 1");
    assert_eq!(e.message, "expected ')' to close '(' opened at 2:14, found '|'");
    let e = fails("print dynamic([1, 2)");
    assert_eq!(e.message, "expected ']' to close '[' opened at 1:15, found ')'");
    let e = fails("T | summarise count()");
    assert_eq!(
        (e.message.as_str(), e.help.as_deref()),
        ("unknown operator 'summarise'", Some("did you mean 'summarize'?"))
    );
    assert_eq!(e.span, kqlhunt::kql::Span::new(4, 13));
    let e = fails("T | projct a");
    assert_eq!(e.help.as_deref(), Some("did you mean 'project'?"));
    let e = fails("T | frobnicate");
    assert_eq!(e.help, None);
    let e = fails("T | where x between (1, 2)");
    assert!(e.message.starts_with("expected '..'"), "{}", e.message);
    let e = fails("");
    assert_eq!(e.message, "expected a query, found the end of the query");
}

#[test]
fn unsupported_constructs_name_themselves() {
    for (src, word) in [
        ("T | fork (take 1)", "fork"),
        ("T | facet by x", "facet"),
        ("T | sample 5", "sample"),
        ("T | top-hitters 5 of x", "top-hitters"),
        ("set query_now = datetime(2020-01-01);\nT", "'set query_now'"),
        ("declare pattern app;\nT", "'declare pattern'"),
        ("declare query_parameters(x:long);\nT", "'x'"),
        ("T | mv-apply bagexpansion=array x on (take 1)", "bagexpansion=array"),
    ] {
        let e = fails(src);
        assert_eq!(e.kind, ErrorKind::Unsupported, "{src}");
        assert!(e.message.contains(word), "{src}: {}", e.message);
        assert!(
            src[e.span.start..].starts_with(word.trim_matches('\'').split('=').next().unwrap()),
            "{src}: {:?}",
            e.span
        );
    }
}

#[test]
fn nesting_ten_thousand_levels_is_an_error_not_a_crash() {
    let n = 10_000;
    for src in [
        format!("print {}1{}", "(".repeat(n), ")".repeat(n)),
        format!("print {}1", "-".repeat(n)),
        format!("print dynamic({}{})", "[".repeat(n), "]".repeat(n)),
        format!("T | where x in ({}T | where y in (1{})", "(T | where y in (".repeat(n), "))".repeat(n + 1)),
        format!("print 1{}", " == 1".repeat(n)),
        format!("print a{}", ".b".repeat(n)),
    ] {
        let e = fails(&src);
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.message.contains("too deeply"), "{}", e.message);
    }
    // Up to the limit is fine.
    p(&format!("print {}1{}", "(".repeat(100), ")".repeat(100)));
    p(&format!("print 1{}", " or 1".repeat(500)));
    // A chain of one operator level is flat, however long (issue #18).
    p(&format!("print 1{}", " + 1".repeat(n)));
    p(&format!("print true{}", " or true".repeat(n)));
}
