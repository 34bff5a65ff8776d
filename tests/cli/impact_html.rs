//! `kqlhunt impact --format html`: one section per rule, one table row per
//! exclusion, well-formed markup (parsed strictly as XML, which the page is
//! written to be), nothing fetched from the network, every value escaped.

use assert_cmd::Command;
use roxmltree::{Document, Node, ParsingOptions};
use serde_json::Value;

fn kqlhunt() -> Command {
    Command::cargo_bin("kqlhunt").expect("binary")
}

fn output(args: &[&str]) -> (String, Option<i32>) {
    let out = kqlhunt().args(args).output().expect("run");
    (String::from_utf8(out.stdout).expect("UTF-8 page"), out.status.code())
}

fn parse(html: &str) -> Document<'_> {
    let opts = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    Document::parse_with_options(html, opts).unwrap_or_else(|e| panic!("the page is not well-formed: {e}"))
}

fn elements<'a, 'i>(node: Node<'a, 'i>, tag: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.descendants().filter(move |n| n.is_element() && n.tag_name().name() == tag)
}

/// No element loads anything: every `src`/`href` stays on the page, no
/// script, no external stylesheet, no `url(` or `@import` in the CSS.
fn assert_self_contained(doc: &Document, html: &str) {
    for n in doc.descendants().filter(|n| n.is_element()) {
        assert_ne!(n.tag_name().name(), "script");
        assert_ne!(n.tag_name().name(), "link", "no external stylesheet");
        for a in n.attributes() {
            if matches!(a.name(), "src" | "href" | "action" | "srcset" | "poster" | "data") {
                assert!(a.value().starts_with('#'), "{}={:?} leaves the page", a.name(), a.value());
            }
            assert!(!a.name().starts_with("on"), "no event handler attributes: {}", a.name());
        }
    }
    let style: String = elements(doc.root(), "style").filter_map(|s| s.text()).collect();
    assert!(!style.contains("url(") && !style.contains("@import"), "CSS fetches nothing");
    assert!(!html.contains("http://") && !html.contains("https://"), "no network address at all on the bundled rules");
}

#[test]
fn a_section_per_rule_and_a_row_per_exclusion() {
    let (json, _) = output(&["impact", "--format", "json", "--exclusions", "all"]);
    let report: Value = serde_json::from_str(&json).expect("JSON");
    let rules = report["rules"].as_array().expect("rules");
    let (html, code) = output(&["impact", "--format", "html", "--exclusions", "all"]);
    assert_eq!(code, Some(0), "exit codes as for the other formats: hits left");
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    let doc = parse(&html);
    assert_self_contained(&doc, &html);
    let sections: Vec<Node> = elements(doc.root(), "section").collect();
    assert_eq!(sections.len(), rules.len());
    for (section, rule) in sections.iter().zip(rules) {
        let name = rule["name"].as_str().expect("name");
        let h2 = elements(*section, "h2").next().expect("a heading");
        assert_eq!(h2.text(), Some(name));
        let rows: Vec<Node> = elements(*section, "tbody").flat_map(|b| elements(b, "tr")).collect();
        let exclusions = rule["exclusions"].as_array().expect("exclusions");
        assert_eq!(rows.len(), exclusions.len(), "{name}");
        for (row, e) in rows.iter().zip(exclusions) {
            let text: String = row.descendants().filter_map(|n| n.text()).collect();
            assert!(text.contains(e["name"].as_str().expect("name")), "{text}");
            assert!(text.contains(&format!("{} (", e["hides_alone"])), "{text}");
            let over_broad = e["over_broad"].as_bool().expect("flag");
            assert_eq!(text.contains("over-broad"), over_broad, "{text}");
            assert_eq!(elements(*row, "svg").count(), 2, "alone and uniquely, as bars");
            for d in e["devices_gone"].as_array().expect("devices") {
                assert!(text.contains(d.as_str().expect("device")), "{text}");
            }
        }
        // The before/after chart: a bar per busy bucket, grey and blue.
        if rule["hits_before"].as_u64() > Some(0) {
            let chart = elements(*section, "figure").next().expect("a timeline");
            assert!(elements(chart, "rect").count() > 2, "bars in the chart");
        }
        let before = rule["hits_before"].to_string();
        let after = rule["hits_after"].to_string();
        let said: String = section.descendants().filter_map(|n| n.text()).collect();
        assert!(said.contains(&format!("{before} → {after}")), "{said}");
    }
    // The summary links to each section.
    let links = elements(doc.root(), "a").filter(|a| a.attribute("href").is_some_and(|h| h.starts_with("#rule-")));
    assert_eq!(links.count(), rules.len());
}

#[test]
fn rule_names_and_filters_are_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rule = std::fs::read_to_string("rules/remote-management-and-monitoring-tool-connectwise-create-process.yaml")
        .expect("bundled rule");
    let evil_name = r#"<script>alert("x")</script> Bob's & "co" <b>"#;
    let rule = rule
        .replacen(
            "name: Remote Management and Monitoring tool - ConnectWise - Create Process",
            &format!("name: '{}'", evil_name.replace('\'', "''")),
            1,
        )
        .replacen(
            "  - name: Scheduled Job Execution via ConnectWise",
            "  - name: '<img src=\"http://example.com/x.png\"> ''quoted'''",
            1,
        );
    assert!(rule.contains("<script>") && rule.contains("<img"), "the fixture carries the markup");
    std::fs::write(dir.path().join("evil.yaml"), rule).expect("write");
    let rules = dir.path().to_str().expect("utf-8 path");
    let (html, code) = output(&["impact", "--rules", rules, "--format", "html"]);
    assert_eq!(code, Some(0));
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"), "markup escaped");
    let doc = parse(&html);
    let h2 = elements(doc.root(), "h2").next().expect("heading");
    assert_eq!(h2.text(), Some(evil_name), "the name reads back exactly");
    let names: Vec<&str> =
        elements(doc.root(), "div").filter(|d| d.attribute("class") == Some("name")).filter_map(|d| d.text()).collect();
    assert!(names.contains(&r#"<img src="http://example.com/x.png"> 'quoted'"#), "{names:?}");
    // The address is text on the page, not an attribute anything loads.
    for n in doc.descendants().filter(|n| n.is_element()) {
        assert!(n.attribute("src").is_none(), "{n:?}");
    }
    // Filters with quotes and `<` arrive intact as code text.
    let filters: Vec<&str> = elements(doc.root(), "code").filter_map(|c| c.text()).collect();
    assert!(filters.iter().any(|f| f.contains(r#"=~ "connectwise""#)), "{filters:?}");
}

#[test]
fn html_is_refused_where_it_is_not_written() {
    kqlhunt().args(["run", "--format", "html"]).assert().code(2);
    kqlhunt().args(["query", "--format", "html", "DeviceProcessEvents | take 1"]).assert().code(2);
}

/// A rule that does not run still gets its section, with the error, and the
/// exit is 2 as for every other format.
#[test]
fn a_failing_rule_gets_its_section_and_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = std::fs::read_to_string("rules/remote-management-and-monitoring-tool-litemanager-create-process.yaml")
        .expect("bundled rule")
        .replace("ProcessVersionInfoProductName", "ProcessVersionInfoProductNam");
    std::fs::write(dir.path().join("bad.yaml"), bad).expect("write");
    let rules = dir.path().to_str().expect("utf-8 path");
    let (html, code) = output(&["impact", "--rules", rules, "--format", "html"]);
    assert_eq!(code, Some(2));
    let doc = parse(&html);
    let sections: Vec<Node> = elements(doc.root(), "section").collect();
    assert_eq!(sections.len(), 1);
    let pre = elements(sections[0], "pre").next().expect("the error");
    assert!(pre.text().is_some_and(|t| t.contains("ProcessVersionInfoProductNam")), "{pre:?}");
    assert_eq!(elements(sections[0], "tr").count(), 0, "no counts for a rule that did not run");
}
