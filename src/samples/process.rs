//! `DeviceProcessEvents` rows: one process creation each, with its image,
//! account, and the initiating (parent) process and grandparent.

use super::binaries::{Binary, CHAINS, Context};
use super::catalog::{Account, Catalog};
use super::clock::HOUR;
use super::rng::Rng;
use super::row::{Cell, Layout, Row, RowBuilder};
use super::{Event, Noise};
use crate::data::TICKS_PER_SECOND;

/// What a planted or background process creation looks like; anything left
/// `None` is filled from the binaries' catalogue entries.
pub struct ProcSpec<'c> {
    /// Index of the device in the catalogue.
    pub device: usize,
    /// `Timestamp` in ticks.
    pub time: i64,
    /// The created process's image.
    pub child: &'static Binary,
    /// The initiating process's image.
    pub parent: &'static Binary,
    /// The initiating process's parent image.
    pub grandparent: &'static Binary,
    /// The account the new process runs as.
    pub account: &'c Account,
    /// The account of the initiating process.
    pub parent_account: &'c Account,
    /// `ProcessCommandLine` instead of one of the child's templates.
    pub command: Option<String>,
    /// `InitiatingProcessCommandLine` instead of one of the parent's templates.
    pub parent_command: Option<String>,
    /// `FolderPath` instead of the child's catalogue folder.
    pub folder: Option<String>,
    /// True when the new process runs elevated (High integrity).
    pub elevated: bool,
}

impl<'c> ProcSpec<'c> {
    /// A process creation on `device` at `time`, everything else by default.
    pub fn new(
        device: usize,
        time: i64,
        child: &'static Binary,
        parent: &'static Binary,
        grandparent: &'static Binary,
        account: &'c Account,
        parent_account: &'c Account,
    ) -> ProcSpec<'c> {
        ProcSpec {
            device,
            time,
            child,
            parent,
            grandparent,
            account,
            parent_account,
            command: None,
            parent_command: None,
            folder: None,
            elevated: false,
        }
    }
}

/// Fills a command-line or path template: `{user}` is `user`; `{n}` a
/// number, `{guid}` an upper-case GUID and `{host}` a server, each drawn once
/// per template (in that order, so the streams stay as they always were).
pub fn expand(template: &str, user: &str, rng: &mut Rng, catalog: &Catalog) -> String {
    let mut out = String::with_capacity(template.len() + 48);
    expand_into(&mut out, template, user, rng, catalog);
    out
}

/// [`expand`], appending to `out` in one pass.
pub fn expand_into(out: &mut String, template: &str, user: &str, rng: &mut Rng, catalog: &Catalog) {
    if !template.contains('{') {
        return out.push_str(template);
    }
    let n = template.contains("{n}").then(|| rng.range(1000, 99_999));
    let mut guid = [0u8; 36];
    let has_guid = template.contains("{guid}");
    if has_guid {
        rng.guid_into(&mut guid);
        guid.make_ascii_uppercase();
    }
    let host = if template.contains("{host}") {
        rng.pick(&catalog.servers).map_or("srv-dc-01.contoso.local", |h| &**h)
    } else {
        ""
    };
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        let (text, len): (&str, usize) = if tail.starts_with("{user}") {
            (user, 6)
        } else if let (Some(n), true) = (n, tail.starts_with("{n}")) {
            out.push_str(itoa::Buffer::new().format(n));
            ("", 3)
        } else if has_guid && tail.starts_with("{guid}") {
            // Hex digits and dashes: always UTF-8.
            (std::str::from_utf8(&guid).unwrap_or_default(), 6)
        } else if tail.starts_with("{host}") {
            (host, 6)
        } else {
            ("{", 1)
        };
        out.push_str(text);
        rest = &tail[len..];
    }
    out.push_str(rest);
}

/// The full path of a binary for a user.
pub fn full_path(binary: &Binary, user: &str) -> String {
    let mut out = String::with_capacity(binary.dir.len() + binary.file.len() + 16);
    match binary.dir.split_once("{user}") {
        Some((before, after)) => {
            out.push_str(before);
            out.push_str(user);
            // A folder names its user once at most.
            out.push_str(&after.replace("{user}", user));
        }
        None => out.push_str(binary.dir),
    }
    out.push('\\');
    out.push_str(binary.file);
    out
}

/// A Windows process id (always a multiple of 4).
pub fn pid(rng: &mut Rng) -> i64 {
    rng.range(1, 16_383) * 4
}

/// An interactive or service logon id.
pub fn logon_id(rng: &mut Rng, account: &Account) -> i64 {
    match &*account.name {
        "system" => 999,
        "local service" => 997,
        "network service" => 996,
        _ => rng.range(100_000, 99_999_999),
    }
}

/// The integrity level and token elevation of a process run by `account`.
fn integrity(account: &Account, elevated: bool) -> (&'static str, &'static str) {
    if account.builtin {
        ("System", "TokenElevationTypeDefault")
    } else if elevated {
        ("High", "TokenElevationTypeFull")
    } else {
        ("Medium", "TokenElevationTypeLimited")
    }
}

/// Sets the `InitiatingProcess*` columns that describe the initiating image
/// itself (hashes, file name and size, version info); process and network
/// rows share them.
pub fn set_initiating_image(b: &mut RowBuilder<'_>, image: &'static Binary) {
    b.set("InitiatingProcessSHA1", image.sha1())
        .set("InitiatingProcessSHA256", image.sha256())
        .set("InitiatingProcessMD5", image.md5())
        .set("InitiatingProcessFileName", image.file)
        .set("InitiatingProcessFileSize", Cell::Long(image.size))
        .set("InitiatingProcessVersionInfoCompanyName", image.company)
        .set("InitiatingProcessVersionInfoProductName", image.product)
        .set("InitiatingProcessVersionInfoProductVersion", image.version)
        .set("InitiatingProcessVersionInfoInternalFileName", image.internal_name())
        .set("InitiatingProcessVersionInfoOriginalFileName", image.internal_name())
        .set("InitiatingProcessVersionInfoFileDescription", image.description);
}

/// Builds one process-creation row.
pub fn process_row<'c>(layout: &Layout, catalog: &'c Catalog, rng: &mut Rng, spec: &ProcSpec<'c>) -> Row {
    let device = &catalog.devices[spec.device.min(catalog.devices.len().saturating_sub(1))];
    let owner: &str = &catalog.users[device.owner % catalog.users.len().max(1)].name;
    let user_for = |a: &'c Account| if a.builtin { owner } else { &*a.name };
    let (child_user, parent_user) = (user_for(spec.account), user_for(spec.parent_account));
    let child_cmd = match &spec.command {
        Some(c) => c.clone(),
        None => expand(rng.pick(spec.child.commands).copied().unwrap_or(""), child_user, rng, catalog),
    };
    let parent_cmd = match &spec.parent_command {
        Some(c) => c.clone(),
        None => expand(rng.pick(spec.parent.commands).copied().unwrap_or(""), parent_user, rng, catalog),
    };
    let (il, te) = integrity(spec.account, spec.elevated);
    let (pil, pte) = integrity(spec.parent_account, false);
    let created = spec.time - rng.range(0, 300_000);
    let parent_created = created - rng.range(2 * TICKS_PER_SECOND, 30 * HOUR);
    let grand_created = parent_created - rng.range(TICKS_PER_SECOND, 20 * HOUR);
    let mut b = RowBuilder::new(layout);
    b.set("Timestamp", Cell::Time(spec.time))
        .set("DeviceId", device.id.clone())
        .set("DeviceName", device.name.clone())
        .set("ActionType", "ProcessCreated")
        .set("FileName", spec.child.file)
        .set("FolderPath", spec.folder.clone().unwrap_or_else(|| full_path(spec.child, child_user)))
        .set("SHA1", spec.child.sha1())
        .set("SHA256", spec.child.sha256())
        .set("MD5", spec.child.md5())
        .set("FileSize", Cell::Long(spec.child.size))
        .set("ProcessVersionInfoCompanyName", spec.child.company)
        .set("ProcessVersionInfoProductName", spec.child.product)
        .set("ProcessVersionInfoProductVersion", spec.child.version)
        .set("ProcessVersionInfoInternalFileName", spec.child.internal_name())
        .set("ProcessVersionInfoOriginalFileName", spec.child.internal_name())
        .set("ProcessVersionInfoFileDescription", spec.child.description)
        .set("ProcessId", Cell::Long(pid(rng)))
        .set("ProcessCommandLine", child_cmd)
        .set("ProcessIntegrityLevel", il)
        .set("ProcessTokenElevation", te)
        .set("ProcessCreationTime", Cell::Time(created));
    set_account(&mut b, &ACCOUNT_COLUMNS, spec.account, rng);
    set_account(&mut b, &PARENT_ACCOUNT_COLUMNS, spec.parent_account, rng);
    b.set("InitiatingProcessIntegrityLevel", pil).set("InitiatingProcessTokenElevation", pte);
    set_initiating_image(&mut b, spec.parent);
    b.set("InitiatingProcessId", Cell::Long(pid(rng)))
        .set("InitiatingProcessCommandLine", parent_cmd)
        .set("InitiatingProcessCreationTime", Cell::Time(parent_created))
        .set("InitiatingProcessFolderPath", full_path(spec.parent, parent_user))
        .set("InitiatingProcessParentId", Cell::Long(pid(rng)))
        .set("InitiatingProcessParentFileName", spec.grandparent.file)
        .set("InitiatingProcessParentCreationTime", Cell::Time(grand_created))
        .set("InitiatingProcessSignerType", spec.parent.signer_type.text())
        .set("InitiatingProcessSignatureStatus", if spec.parent.signer.is_empty() { "Unsigned" } else { "Valid" });
    b.finish()
}

/// The account columns of the created process.
const ACCOUNT_COLUMNS: [&str; 6] =
    ["AccountDomain", "AccountName", "AccountSid", "AccountUpn", "AccountObjectId", "LogonId"];

/// The account columns of the initiating process.
const PARENT_ACCOUNT_COLUMNS: [&str; 6] = [
    "InitiatingProcessAccountDomain",
    "InitiatingProcessAccountName",
    "InitiatingProcessAccountSid",
    "InitiatingProcessAccountUpn",
    "InitiatingProcessAccountObjectId",
    "InitiatingProcessLogonId",
];

/// Sets the account columns named by `columns` (one of the two lists above).
fn set_account(b: &mut RowBuilder<'_>, columns: &[&str; 6], a: &Account, rng: &mut Rng) {
    let [domain, name, sid, upn, object_id, logon] = columns;
    b.set(domain, a.domain)
        .set(name, a.name.clone())
        .set(sid, a.sid.clone())
        .set(upn, a.upn.clone())
        .set(object_id, a.object_id.clone())
        .set(logon, Cell::Long(logon_id(rng, a)));
}

/// The account a chain's context runs as on a device.
pub fn account_for<'c>(catalog: &'c Catalog, device: usize, ctx: Context, rng: &mut Rng) -> &'c Account {
    match ctx {
        Context::System => &catalog.system,
        Context::NetworkService => &catalog.network_service,
        Context::User => {
            let d = &catalog.devices[device];
            // Servers are logged on by admins; a workstation mostly by its owner.
            if d.server || rng.chance(8) {
                rng.pick(&catalog.it_admins).unwrap_or(&catalog.system)
            } else {
                &catalog.users[d.owner]
            }
        }
    }
}

/// Background process creations drawn from [`CHAINS`].
pub struct ProcessNoise<'c> {
    layout: &'c Layout,
    catalog: &'c Catalog,
    rng: Rng,
}

impl<'c> ProcessNoise<'c> {
    /// A noise source with its own random stream.
    pub fn new(layout: &'c Layout, catalog: &'c Catalog, seed: u64) -> ProcessNoise<'c> {
        ProcessNoise { layout, catalog, rng: Rng::derive(seed, "process-noise") }
    }
}

impl Noise for ProcessNoise<'_> {
    fn event(&mut self, time: i64) -> Event {
        let rng = &mut self.rng;
        let device = rng.below(self.catalog.devices.len() as u64) as usize;
        let chain = pick_chain(rng);
        let (grandparent, parent, child, ctx) = (chain.0, chain.1, chain.2, chain.3);
        let account = account_for(self.catalog, device, ctx, rng);
        // User processes descend from the user's shell; service ones from services.
        let parent_account =
            if matches!(ctx, Context::User) && parent.file != "svchost.exe" { account } else { &self.catalog.system };
        let elevated = !account.builtin && account.name.contains("ITAdmin") && rng.chance(50);
        let spec =
            ProcSpec { elevated, ..ProcSpec::new(device, time, child, parent, grandparent, account, parent_account) };
        Event { device, time, row: process_row(self.layout, self.catalog, rng, &spec) }
    }

    fn restart(&mut self, seed: u64, chunk: u64) {
        self.rng = Rng::derive_chunk(seed, "process-noise", chunk);
    }
}

/// One chain, by weight.
fn pick_chain(rng: &mut Rng) -> &'static super::binaries::Chain {
    let total: u64 = CHAINS.iter().map(|c| u64::from(c.4)).sum();
    let mut x = rng.below(total);
    for c in CHAINS {
        if x < u64::from(c.4) {
            return c;
        }
        x -= u64::from(c.4);
    }
    &CHAINS[0]
}
