//! The demo flow driven through `Action`s, asserting the counts every pane
//! shows: LiteManager → devices → a device → a ReportId → raw event → back
//! → toggle an exclusion → counts change → over-broad flag → save → reload.

use crate::tui_common::*;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::{App, Feedback, Focus, Overlay, PromptKind};

const SCHEDULED: &str = "Scheduled Job Execution by LiteManager";

#[test]
fn demo_flow_counts_follow_and_survive_a_save() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    assert_eq!(app.focus, Focus::Results);
    let (_, before, after) = counts(&app);
    assert_eq!((before, after), (15, 15));
    let r = app.rule().unwrap();
    let devices = app.hunt.get(r).unwrap().1.groups.len();
    assert_eq!(app.results.order.len(), devices);
    assert_eq!(devices, 6);

    // Second device → its hits → second hit → raw event.
    send(&mut app, &[Action::Down, Action::Enter]);
    let group = app.results.drill.as_ref().unwrap().group;
    let group_hits = app.hunt.get(r).unwrap().1.groups[group].hits_before();
    assert_eq!(app.results.drill.as_ref().unwrap().rows.len(), group_hits);
    send(&mut app, &[Action::Down, Action::Enter]);
    let drill = app.results.drill.as_ref().unwrap();
    let row = drill.rows[drill.selected].clone();
    let ev = drill.event.as_ref().unwrap();
    let report = ev.fields.iter().find(|(k, _)| k == "ReportId").map(|(_, v)| kqlhunt::cli::print::value_text(v));
    assert_eq!(report.as_deref(), Some(row.report.as_str()), "the raw event is the selected ReportId's");
    assert!(ev.fields.len() > 20, "every column of the event");

    // Back twice keeps the selections.
    send(&mut app, &[Action::Back]);
    assert!(app.results.drill.as_ref().unwrap().event.is_none());
    assert_eq!(app.results.drill.as_ref().unwrap().selected, 1);
    send(&mut app, &[Action::Back]);
    assert!(app.results.drill.is_none());
    assert_eq!(app.results.selected, 1);

    // Toggle the scheduled-job exclusion: every count follows.
    send(&mut app, &[Action::NextPane]);
    assert_eq!(app.focus, Focus::Exclusions);
    let ex = app.hunt.get(r).unwrap().0.exclusions.iter().position(|e| e.name == SCHEDULED).unwrap();
    app.exclusions.selected = ex;
    send(&mut app, &[Action::Toggle]);
    let (_, before, after) = counts(&app);
    assert_eq!(before, 15);
    assert!(after < before, "the exclusion hides hits: {before} → {after}");
    let run = app.hunt.get(r).unwrap().1;
    assert_eq!(run.groups.iter().map(|g| g.hits_after).sum::<usize>(), after, "device rows follow");
    assert_eq!(app.results.order.len(), devices, "groups hidden entirely stay listed");
    assert!(run.impact[ex].over_broad, "the scheduled-job exclusion hides over half the hits");
    let timeline = run.hourly(None);
    assert_eq!(timeline.after.iter().sum::<u64>() as usize, after, "the timeline follows");
    assert_eq!(app.status.timing.map(|t| t.0), Some("toggle"));
    assert!(app.hunt.is_dirty(r));

    // Quitting now asks; cancel, then save.
    send(&mut app, &[Action::Quit]);
    assert_eq!(app.overlay, Overlay::ConfirmQuit);
    send(&mut app, &[Action::Cancel]);
    assert!(!app.quit && app.overlay == Overlay::None);
    send(&mut app, &[Action::Save, Action::SaveAll]);
    assert!(!app.hunt.is_dirty(r));
    assert!(app.status.message.as_deref().unwrap_or("").starts_with("saved"));

    // Reload from the saved folder: the state is kept.
    let mut again = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut again);
    let (rule, _) = again.hunt.get(again.rule().unwrap()).unwrap();
    assert!(rule.exclusions.iter().find(|e| e.name == SCHEDULED).unwrap().enabled);
    assert_eq!(counts(&again).2, after);
    send(&mut again, &[Action::Quit]);
    assert!(again.quit, "nothing unsaved: quits at once");
}

#[test]
fn filters_are_validated_and_previewed_live() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    // The form starts on the name; Shift-Tab goes back round to the filter.
    send(&mut app, &[Action::NextPane, Action::Add, Action::PrevField]);
    type_text(&mut app, "FileName == \"ROMServer.exe");
    let Feedback::Error(e) = &form(&app).feedback else { panic!("an unterminated string is an error") };
    assert!(e.contains('^'), "the error has a caret: {e}");
    send(&mut app, &[Action::Submit]);
    assert!(matches!(app.overlay, Overlay::Form(_)), "an invalid filter is not added");
    type_text(&mut app, "\"");
    let Feedback::Hides(n, total) = form(&app).feedback else { panic!("valid now") };
    assert!(n > 0 && n < total, "{n} of {total}");
    let r = app.rule().unwrap();
    let count = app.hunt.get(r).unwrap().0.exclusions.len();
    send(&mut app, &[Action::Submit]);
    assert_eq!(app.hunt.get(r).unwrap().0.exclusions.len(), count + 1);
    assert_eq!(counts(&app).2, 15 - n, "the new exclusion is on");
    assert_eq!(app.exclusions.selected, count);
    send(&mut app, &[Action::Quit]);
    assert_eq!(app.overlay, Overlay::ConfirmQuit);
    send(&mut app, &[Action::No]);
    assert!(app.quit);
}

#[test]
fn raw_event_proposes_an_exclusion_and_copies_via_osc52() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    open_litemanager(&mut app);
    send(&mut app, &[Action::Enter, Action::Enter]);
    assert!(app.in_event());
    let ev = app.results.drill.as_ref().unwrap().event.as_ref().unwrap();
    let field = ev.fields.iter().position(|(k, _)| k == "FileName").unwrap();
    for _ in 0..field {
        app.update(Action::Down);
    }
    send(&mut app, &[Action::Copy]);
    let seq = app.clipboard.take().unwrap();
    assert!(seq.starts_with("\u{1b}]52;c;") && seq.ends_with('\u{7}'));
    send(&mut app, &[Action::Propose]);
    let Overlay::Chooser(c) = &app.overlay else { panic!("x opens the operator chooser") };
    assert!(c.filter().unwrap_or("").starts_with("FileName == \""), "{:?}", c.filter());
    assert!(matches!(&c.choices[0].preview, Some(Ok(p)) if p.alone_hits > 0 && p.hits == 15), "{:?}", c.choices[0]);
    send(&mut app, &[Action::Cancel]);
    assert!(app.overlay == Overlay::None && app.in_event());

    // h shows the hits an active exclusion hides, marked.
    send(&mut app, &[Action::Back]);
    let hits = app.results.drill.as_ref().unwrap().rows.len();
    let r = app.rule().unwrap();
    app.hunt.toggle(r, 0);
    send(&mut app, &[Action::Top]);
    assert!(app.results.drill.as_ref().unwrap().rows.len() < hits);
    send(&mut app, &[Action::ToggleHidden]);
    let rows = &app.results.drill.as_ref().unwrap().rows;
    assert_eq!(rows.len(), hits);
    assert!(rows.iter().any(|h| h.hidden));
}

#[test]
fn adhoc_query_shows_in_results_and_errors_keep_the_editor() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    editor_with(&mut app, "DeviceProcessEvents | summarize n=count() by DeviceNme");
    send(&mut app, &[Action::Submit]);
    app.settle_query();
    assert!(app.editor.open, "an error keeps the editor open");
    let mark = app.editor.error.clone().expect("the error is marked in the text");
    assert_eq!((mark.at.line, mark.at.col), (0, 45), "{mark:?}");
    assert!(mark.message.contains("DeviceNme"), "{mark:?}");
    assert_eq!(app.editor.buffer.cursor(), mark.at, "the cursor goes to the error");
    send(&mut app, &[Action::End]);
    for _ in 0..3 {
        app.update(Action::Backspace);
    }
    type_text(&mut app, "Name");
    send(&mut app, &[Action::Submit]);
    app.settle_query();
    assert!(!app.editor.open && app.editor.error.is_none());
    let v = app.results.adhoc.as_ref().unwrap();
    assert!(v.frame.as_ref().unwrap().len() > 1);
    send(&mut app, &[Action::Back]);
    assert!(app.results.adhoc.is_none());
}

#[test]
fn a_runaway_adhoc_query_is_cancelled_and_the_app_stays_usable() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (120, 40));
    // Hundreds of millions of pairs: it would run for minutes.
    editor_with(
        &mut app,
        "DeviceProcessEvents | extend k = 1 | join kind=inner (DeviceProcessEvents | extend k = 1) on k \
         | join kind=inner (DeviceProcessEvents | extend k = 1) on k | count",
    );
    send(&mut app, &[Action::Submit]);
    assert!(app.running.is_some(), "the query runs in the background");
    assert_eq!(app.contexts(), vec![kqlhunt::tui::keys::Context::Running]);
    app.update(Action::Tick);
    let Feedback::Running(m) = app.editor.feedback.clone() else { panic!("running") };
    assert!(m.contains("Esc or Ctrl-C cancels"), "{m}");
    send(&mut app, &[Action::CancelQuery]);
    app.settle_query();
    let Feedback::Error(e) = app.editor.feedback.clone() else { panic!("cancelled") };
    assert!(e.contains("cancelled"), "{e}");
    // Still usable: close the editor.
    send(&mut app, &[Action::Cancel]);
    assert!(!app.editor.open && app.running.is_none());
}

/// Runs `kqlhunt <cmd> --exclusions <sel> --format json` on the bundled data.
fn cli_json(cmd: &str, sel: &str) -> serde_json::Value {
    let out = assert_cmd::Command::cargo_bin("kqlhunt")
        .unwrap()
        .args([cmd, "--exclusions", sel, "--format", "json"])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{cmd}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Toggles, through the exclusions pane, every exclusion of the selected
/// rule whose state differs from what `sel` asks for.
fn select_in_tui(app: &mut App, sel: &str) {
    let r = app.rule().unwrap();
    let want: Vec<bool> = app
        .hunt
        .get(r)
        .unwrap()
        .0
        .exclusions
        .iter()
        .map(|e| match sel {
            "all" => !e.needs_filter(),
            "none" => false,
            _ => e.enabled,
        })
        .collect();
    app.focus = Focus::Exclusions;
    for (i, on) in want.into_iter().enumerate() {
        if app.hunt.get(r).unwrap().0.exclusions[i].enabled != on {
            app.exclusions.selected = i;
            send(app, &[Action::Toggle]);
        }
    }
    app.focus = Focus::Rules;
}

/// The flag `impact --format json` implies for an exclusion, as the TUI words it.
fn flag_from_json(e: &serde_json::Value) -> String {
    let state = e["state"].as_str().unwrap();
    let gone = e["devices_gone"].as_array().unwrap().len();
    if state == "needs a filter" {
        state.to_string()
    } else if state.starts_with("filter error") {
        "filter error".into()
    } else if e["over_broad"].as_bool().unwrap() {
        "OVER-BROAD".into()
    } else if gone > 0 {
        format!("hides {gone} device(s)")
    } else {
        String::new()
    }
}

/// For every bundled rule and exclusion, under the selections all, none and
/// saved: what the TUI shows (rule counts, device rows, exclusion flags, the
/// active count, alone/unique) equals what `run` and `impact` print as JSON.
#[test]
fn tui_and_cli_show_the_same_facts() {
    for sel in ["all", "none", "saved"] {
        let run = cli_json("run", sel);
        let impact = cli_json("impact", sel);
        let mut app = app_over(&std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules"), &[], (160, 50));
        let rules = run["rules"].as_array().unwrap();
        assert_eq!(rules.len(), app.rules.order.len(), "{sel}: every rule listed");
        app.focus = Focus::Rules;
        for pos in 0..app.rules.order.len() {
            let r = app.rule().unwrap();
            assert_eq!(app.rules.order[pos].index, r);
            select_in_tui(&mut app, sel);
            let (rule, rr) = app.hunt.get(r).unwrap();
            let (j, ij) = (&rules[r], &impact["rules"][r]);
            let what = format!("{sel} / {}", rule.name);
            assert_eq!(j["name"], rule.name.as_str(), "{what}");
            assert_eq!(ij["name"], rule.name.as_str(), "{what}");
            // The rules pane's before → after.
            for k in ["hits_before", "hits_after"] {
                assert_eq!(j[k], ij[k], "{what}: {k}");
            }
            assert_eq!(j["hits_before"], rr.hits_before(), "{what}");
            assert_eq!(j["hits_after"], rr.hits_after(), "{what}");
            // The results pane's device rows.
            let mut shown: Vec<(String, String, usize, usize)> = app
                .results
                .order
                .iter()
                .map(|&g| &rr.groups[g])
                .map(|g| (g.device_name.clone(), g.device_id.clone(), g.hits_before(), g.hits_after))
                .collect();
            let mut printed: Vec<(String, String, usize, usize)> = j["devices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    let s = |k: &str| d[k].as_str().unwrap().to_string();
                    let n = |k: &str| d[k].as_u64().unwrap() as usize;
                    (s("device_name"), s("device_id"), n("hits_before"), n("hits_after"))
                })
                .collect();
            shown.sort();
            printed.sort();
            assert_eq!(shown, printed, "{what}: device rows");
            // The exclusions pane: active count, and per exclusion its flag and counts.
            let runs_ok = j["status"] == "ok";
            let active = j["exclusions"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| runs_ok && e["enabled"] == true && e["needs_filter"] == false && e["error"].is_null())
                .count();
            assert_eq!(app.hunt.active_count(r), active, "{what}: active exclusions");
            let views = app.hunt.exclusion_views(r);
            let printed = ij["exclusions"].as_array().unwrap();
            assert_eq!(views.len(), printed.len(), "{what}");
            for ((v, e), p) in views.iter().zip(&rule.exclusions).zip(printed) {
                let what = format!("{what} / {}", e.name);
                assert_eq!(p["name"], e.name.as_str(), "{what}");
                assert_eq!(p["enabled"], v.enabled, "{what}: checkbox");
                assert_eq!(p["hides_alone"], v.impact.alone, "{what}: alone");
                assert_eq!(p["hides_uniquely"], v.impact.unique, "{what}: unique");
                assert_eq!(p["hides_alone_share"], v.impact.alone_share, "{what}");
                assert_eq!(p["hides_uniquely_share"], v.impact.unique_share, "{what}");
                let flag = kqlhunt::tui::panes::exclusions::flag(&v.state).content.to_string();
                assert_eq!(flag, flag_from_json(p), "{what}: flag");
            }
            send(&mut app, &[Action::Down]);
        }
    }
}

/// The app over the bundled rules compiled into kqlhunt (read-only).
fn app_over_embedded() -> (tempfile::TempDir, kqlhunt::tui::app::App) {
    use kqlhunt::hunt::Hunt;
    use kqlhunt::rules::RuleSet;
    use kqlhunt::session::{Options, bundled, load_hunt};
    let rules = rules_copy();
    let opts = Options { rules: vec![rules.path().to_path_buf()], ..Options::default() };
    let mut loaded = load_hunt(&opts, &mut |_| {}).unwrap();
    let session = loaded.hunt.session().clone();
    loaded.hunt = Hunt::new(RuleSet::from_texts(&bundled::rule_texts(), None), session);
    (tempfile::tempdir().unwrap(), kqlhunt::tui::app::App::new(loaded, (120, 40)))
}

#[test]
fn bundled_rules_are_read_only_and_w_writes_them_to_a_named_folder() {
    let (tmp, mut app) = app_over_embedded();
    open_litemanager(&mut app);
    let r = app.rule().unwrap();
    assert!(app.hunt.is_read_only(r));
    let ex = app.hunt.get(r).unwrap().0.exclusions.iter().position(|e| e.name == SCHEDULED).unwrap();
    app.exclusions.selected = ex;
    send(&mut app, &[Action::NextPane, Action::Toggle, Action::Save, Action::SaveAll]);
    assert!(app.status.message.as_deref().unwrap_or("").contains("read-only"), "{:?}", app.status.message);
    assert_eq!(app.prompt.as_ref().map(|p| p.kind.clone()), Some(PromptKind::WriteTo { then_quit: false }));
    assert!(app.hunt.is_dirty(r), "nothing written yet");

    // The folder named: every rule is written there, tuned, and named in the message.
    let dir = tmp.path().join("tuned");
    type_text(&mut app, &dir.display().to_string());
    send(&mut app, &[Action::Submit]);
    let msg = app.status.message.clone().unwrap_or_default();
    assert!(msg.starts_with("wrote 5 file(s): ") && msg.contains("litemanager-create-process.yaml"), "{msg}");
    assert!(app.prompt.is_none() && !app.hunt.is_dirty(r));
    let again = app_over(&dir, &[], (120, 40));
    let (rule, _) = again.hunt.get(r).unwrap();
    assert!(rule.exclusions.iter().find(|e| e.name == SCHEDULED).unwrap().enabled, "the toggle is in the file");

    // From then on the rules are saved in place, in that folder.
    send(&mut app, &[Action::Toggle, Action::Save, Action::SaveAll]);
    let msg = app.status.message.clone().unwrap_or_default();
    assert!(msg.starts_with("saved 1 file(s): ") && msg.contains(&dir.display().to_string()), "{msg}");

    // A folder holding other versions of the files is refused, naming the file.
    let (_tmp2, mut other) = app_over_embedded();
    open_litemanager(&mut other);
    other.exclusions.selected = ex;
    send(&mut other, &[Action::NextPane, Action::Toggle, Action::Quit, Action::Yes]);
    assert!(!other.quit);
    type_text(&mut other, &dir.display().to_string());
    send(&mut other, &[Action::Submit]);
    match other.prompt.as_ref().map(|p| &p.feedback) {
        Some(Feedback::Error(e)) => assert!(e.contains("already exists with different content"), "{e}"),
        f => panic!("expected a refusal, got {f:?}"),
    }
    assert!(!other.quit, "the write failed: no quit");
    send(&mut other, &[Action::Cancel]);
    send(&mut other, &[Action::Quit, Action::Yes]);
    type_text(&mut other, &tmp.path().join("fresh").display().to_string());
    send(&mut other, &[Action::Submit]);
    assert!(other.quit, "y in the quit prompt quits once the rules are written");
}

/// The open exclusion form.
pub fn form(app: &App) -> &kqlhunt::tui::dialogs::ExclusionForm {
    match &app.overlay {
        Overlay::Form(f) => f,
        other => panic!("the form is not open: {other:?}"),
    }
}
