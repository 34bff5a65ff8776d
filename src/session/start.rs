//! Where a face starts a session: the events — event files, a folder of
//! saved remote results, or a remote source (`--source`) — then every
//! selected rule run over them.

use crate::data::load::Progress;
use crate::rules::RuleSet;

use super::eager::LoadFor;
use super::error::SessionError;
use super::load::{Events, Loaded, check_paths, hunt_files, load_files, selected_rules};
use super::results::is_results_folder;
use super::{Options, remote, remote_open};

/// Loads the events named in `inputs` (the bundled samples when none) for
/// `purpose` (see [`LoadFor`]), reporting progress to `progress` (the TUI's
/// gauge, the CLI's bar). An error when a named path is missing, when no row
/// at all could be read, or when the load stopped at the memory budget; a
/// bad file among good ones is only a problem in the report. A notice (a
/// remote source's throttling wait) becomes the progress label, which the
/// TUI's loading screen shows.
pub fn load_events(
    inputs: &Options,
    purpose: LoadFor,
    progress: &mut dyn FnMut(Progress),
) -> Result<Events, SessionError> {
    let progress = std::cell::RefCell::new(progress);
    load_events_noting(inputs, purpose, &mut |p| (progress.borrow_mut())(p), &mut |note| {
        (progress.borrow_mut())(Progress { bytes_done: 0, bytes_total: 0, file: note, rows: 0 })
    })
}

/// [`load_events`], telling `notice` what the user should see while a
/// remote source makes it wait. With `--source`, each selected rule's hit
/// rows are fetched and saved; `--events DIR` on such a saved folder
/// reopens them offline.
pub fn load_events_noting(
    inputs: &Options,
    purpose: LoadFor,
    progress: &mut dyn FnMut(Progress),
    notice: &mut dyn FnMut(&str),
) -> Result<Events, SessionError> {
    if let Some(src) = &inputs.remote {
        let LoadFor::Rules(rules) = purpose else {
            let why = "--source runs the rules' queries remotely; an ad-hoc query runs over local events";
            return Err(SessionError::Conflict(why.into()));
        };
        return remote::fetch(inputs, src, rules, progress, notice);
    }
    check_paths("--events", &inputs.events)?;
    match inputs.events.as_slice() {
        [dir] if is_results_folder(&inputs.events) => remote_open::open(inputs, dir, progress),
        _ => load_files(inputs, purpose, progress),
    }
}

/// Loads the selected rules, then the events for them, and runs every rule.
pub fn load_hunt(inputs: &Options, progress: &mut dyn FnMut(Progress)) -> Result<Loaded, SessionError> {
    let rules = rules_for_hunt(inputs)?;
    let events = load_events(inputs, LoadFor::Rules(&rules.rules), progress)?;
    hunt_over(inputs, events, rules)
}

/// The selected rules of `inputs`, read once for a hunt: they decide what
/// its events load decodes, then they run. A missing `--events` path is
/// named first, as loading the events would.
pub fn rules_for_hunt(inputs: &Options) -> Result<RuleSet, SessionError> {
    if inputs.remote.is_none() {
        check_paths("--events", &inputs.events)?;
    }
    selected_rules(inputs)
}

/// Runs every rule of `rules` (from [`rules_for_hunt`]) over `events`
/// (loaded for them with [`load_events`]): over the tables, or over each
/// rule's remote hit rows.
pub fn hunt_over(inputs: &Options, mut events: Events, rules: RuleSet) -> Result<Loaded, SessionError> {
    match events.remote.take() {
        Some(set) => {
            let mut loaded = remote_open::hunt_remote(inputs, events, &set, rules)?;
            loaded.events.remote = Some(set);
            Ok(loaded)
        }
        None => hunt_files(inputs, events, rules),
    }
}
