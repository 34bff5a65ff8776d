//! The save preview (`w`): the exact unified diff of every file a save would
//! write, per rule with unsaved changes, then save the selected rule only,
//! every changed rule, or nothing. The quit question lists the same files.

use crate::data::text::inert;
use crate::hunt::unified_diff;

use super::action::Action;
use super::app::{App, Overlay};
use super::dialogs::{PreviewFile, SavePreview};

impl App {
    /// Rules with unsaved changes, in hunt order.
    fn dirty_rules(&self) -> Vec<usize> {
        (0..self.hunt.len()).filter(|&r| self.hunt.is_dirty(r)).collect()
    }

    /// `w`: opens the save preview (or says there is nothing to save).
    pub(super) fn open_save_preview(&mut self) {
        let dirty = self.dirty_rules();
        if dirty.is_empty() {
            self.status.message = Some("nothing to save".into());
            return;
        }
        let mut preview = SavePreview { files: Vec::new(), notes: Vec::new(), this_rule: None, scroll: 0 };
        for &r in &dirty {
            let Some((rule, _)) = self.hunt.get(r) else { continue };
            let name = inert(&rule.name).into_owned();
            match self.hunt.save_plan(r) {
                Ok(plan) if plan.is_empty() => {
                    preview.notes.push(format!("{name}: the edits cancel out; nothing to write"));
                }
                Ok(plan) => preview.files.extend(plan.iter().map(|w| PreviewFile {
                    rule: name.clone(),
                    path: inert(&w.path().display().to_string()).into_owned(),
                    diff: unified_diff(w).lines().map(|l| inert(l).into_owned()).collect(),
                    read_only: w.read_only,
                })),
                Err(e) => preview.notes.push(format!("{name}: cannot save: {}", inert(&e.to_string()))),
            }
        }
        preview.this_rule = self.rule().filter(|r| dirty.contains(r));
        self.overlay = Overlay::SavePreview(Box::new(preview));
    }

    /// An action while the save preview is open.
    pub(super) fn save_preview_action(&mut self, action: Action) {
        let Overlay::SavePreview(p) = &mut self.overlay else { return };
        let step = |s: u16, d: i32| (s as i32 + d).clamp(0, u16::MAX as i32) as u16;
        let page = (self.size.1 / 2).max(1) as i32;
        match action {
            Action::Up => p.scroll = step(p.scroll, -1),
            Action::Down => p.scroll = step(p.scroll, 1),
            Action::PageUp => p.scroll = step(p.scroll, -page),
            Action::PageDown => p.scroll = step(p.scroll, page),
            Action::Top => p.scroll = 0,
            Action::Cancel => self.overlay = Overlay::None,
            Action::SaveRule => {
                let Some(r) = p.this_rule else {
                    self.status.message = Some("the selected rule has no unsaved changes; a saves all".into());
                    return;
                };
                self.overlay = Overlay::None;
                self.save_one(r);
            }
            Action::SaveAll => {
                self.overlay = Overlay::None;
                self.save_all(false);
            }
            Action::Quit => {
                self.overlay = Overlay::None;
                self.quit_asked();
            }
            _ => {}
        }
    }

    /// Saves rule `r` alone (a bundled rule asks for a folder, as saving all does).
    fn save_one(&mut self, r: usize) {
        if self.hunt.is_read_only(r) {
            self.save_all(false);
            return;
        }
        self.status.message = Some(match self.hunt.save(r) {
            Ok(files) if files.is_empty() => "nothing to write: the edits cancel out".into(),
            Ok(files) => {
                let list: Vec<String> = files.iter().map(|f| inert(&f.display().to_string()).into_owned()).collect();
                format!("saved {} file(s): {}", files.len(), list.join(", "))
            }
            Err(e) => format!("save failed: {e}"),
        });
    }
}
