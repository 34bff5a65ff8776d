//! Usable at 80×24: long rule names keep their distinguishing tail, and the
//! footer always shows how to open the help.

use crate::tui_common::*;
use kqlhunt::tui::action::Action;
use kqlhunt::tui::app::Focus;
use kqlhunt::tui::draw;
use kqlhunt::tui::fmt::middle_ellipsis;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(app: &kqlhunt::tui::app::App) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    t.draw(|f| draw::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    (0..buf.area.height).map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect()).collect()
}

#[test]
fn middle_ellipsis_keeps_head_and_tail_and_moves_the_hits() {
    let (s, hits) = middle_ellipsis("Monitoring tool - Level - File Signature copy 7", &[0, 20, 46], 20);
    assert_eq!(s, "Monitoring…re copy 7");
    assert_eq!(s.chars().count(), 20);
    assert_eq!(hits, vec![0, 19]);
    assert_eq!(middle_ellipsis("short", &[1], 20), ("short".to_string(), vec![1]));
    assert_eq!(middle_ellipsis("abcdef", &[], 0).0, "");
    assert_eq!(middle_ellipsis("abcdef", &[], 1).0, "…");
}

#[test]
fn long_rule_names_keep_their_tail_at_80x24() {
    let rules = rules_copy();
    let app = app_over(rules.path(), &[], (80, 24));
    // Distinct tails, as copies of a catalogue rule have.
    let n = app.hunt.len();
    assert!(n >= 3);
    let lines = screen(&app);
    let names: Vec<String> = (0..n).map(|i| app.hunt.get(i).unwrap().0.name.clone()).collect();
    for name in &names {
        let tail: String = name.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
        assert!(lines.iter().any(|l| l.contains(&tail)), "the tail {tail:?} of {name:?} shows:\n{}", lines.join("\n"));
    }
    assert!(lines.iter().any(|l| l.contains('…')), "a long name is cut in the middle:\n{}", lines.join("\n"));
}

#[test]
fn the_help_hint_shows_at_every_width() {
    let rules = rules_copy();
    for w in [20, 30, 50, 80, 120] {
        let mut app = app_over(rules.path(), &[], (w, 24));
        for focus in Focus::ALL {
            app.focus = focus;
            app.update(Action::Resize(w, 24));
            let lines = screen(&app);
            let footer = lines.last().unwrap();
            assert!(footer.contains(" ? ") && footer.contains("help"), "{w} wide, {focus:?}: {footer:?}");
        }
    }
}

/// A status message too long for the bar is cut at a word and points to
/// the log; `M` shows it whole.
#[test]
fn long_messages_are_cut_at_a_word_and_kept_in_the_log() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (40, 24));
    open_litemanager(&mut app);
    // A device, its first hit, then a field with a long name, copied.
    send(&mut app, &[Action::Enter, Action::Enter]);
    assert!(app.in_event());
    let long = app
        .results
        .drill
        .as_ref()
        .and_then(|d| d.event.as_ref())
        .and_then(|ev| ev.fields.iter().position(|(k, _)| k == "ProcessVersionInfoCompanyName"));
    send(&mut app, &vec![Action::Down; long.expect("the event has the column")]);
    send(&mut app, &[Action::Copy]);
    let message = app.status.message.clone().expect("copying says what it copied");
    assert!(message.len() > 40 && message.len() < 70, "{message:?}");
    let lines = screen(&app);
    let status = &lines[lines.len() - 2];
    app.update(Action::Resize(80, 24));
    let wide = screen(&app);
    assert!(wide[wide.len() - 2].starts_with(&format!(" {message} ·")), "fits whole at 80: {:?}", wide[wide.len() - 2]);
    app.update(Action::Resize(40, 24));
    let shown = status.strip_prefix(' ').expect("the message starts the bar");
    let (words, more) = shown.split_once(" … ").expect("the message is cut with a pointer to the log");
    assert!(message.starts_with(words), "{words:?} is a whole-word prefix of {message:?}");
    assert!(message[words.len()..].starts_with(' '), "cut between words: {status:?}");
    assert!(more.starts_with("(M: whole message)"), "{status:?}");
    let key = ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('M'));
    let action = kqlhunt::tui::action_of(&app, ratatui::crossterm::event::Event::Key(key)).unwrap();
    send(&mut app, &[action, Action::Resize(80, 24)]);
    assert_eq!(app.status.log, vec![message.clone()], "logged once, resizes aside");
    assert!(screen(&app).iter().any(|l| l.contains(&message)), "the log shows it whole");
    send(&mut app, &[Action::Cancel]);
    assert_eq!(app.overlay, kqlhunt::tui::app::Overlay::None);
}

/// The input line's hint wraps at 80 columns instead of losing its end
/// (how to overwrite, how to cancel), and its box says what it is for.
#[test]
fn the_export_prompt_hint_is_whole_at_80x24() {
    let rules = rules_copy();
    let mut app = app_over(rules.path(), &[], (80, 24));
    open_litemanager(&mut app);
    send(&mut app, &[Action::Export]);
    let text = screen(&app).join("\n");
    let flat: String = text.split(|c| "┃│\n".contains(c)).map(str::trim).collect::<Vec<_>>().join(" ");
    assert!(flat.contains("an existing file needs a second Enter"), "{text}");
    assert!(flat.contains("Esc cancels"), "{text}");
    assert!(text.contains(" export "), "{text}");
    assert!(!text.contains(" check "), "{text}");
}
