//! `DeviceNetworkEvents` rows: connections made (or accepted) by a process.

use super::binaries::{
    Binary, CCMEXEC, CHROME, Context, EXPLORER, GIT, MSEDGE, ONEDRIVE, OUTLOOK, SERVICES, SQLSERVR, SVCHOST, TEAMS,
    VSCODE, W3WP, WININIT,
};
use super::catalog::{Account, Catalog};
use super::clock::HOUR;
use super::process::{account_for, expand, full_path, pid, set_initiating_image};
use super::rng::Rng;
use super::row::{Cell, Layout, Row, RowBuilder};
use super::{Event, Noise};
use crate::data::TICKS_PER_SECOND;

/// What one connection looks like.
pub struct NetSpec<'c> {
    /// Index of the device in the catalogue.
    pub device: usize,
    /// `Timestamp` in ticks.
    pub time: i64,
    /// The process that made the connection.
    pub process: &'static Binary,
    /// Its parent.
    pub parent: &'static Binary,
    /// The account it runs as.
    pub account: &'c Account,
    /// `ActionType`.
    pub action: &'static str,
    /// `RemoteIP`.
    pub remote_ip: Cell,
    /// `RemotePort`.
    pub remote_port: i32,
    /// `RemoteUrl` (`""` when MDE saw no name).
    pub remote_url: Cell,
    /// `Protocol` (`Tcp`, `Udp`).
    pub protocol: &'static str,
    /// `InitiatingProcessCommandLine` instead of one of the process's templates.
    pub command: Option<String>,
    /// `InitiatingProcessFolderPath` instead of the catalogue folder.
    pub folder: Option<String>,
}

/// Where ordinary processes connect: (url, ip, port).
type Destination = (&'static str, &'static str, i32);

const WEB: &[Destination] = &[
    ("www.google.com", "142.250.185.68", 443),
    ("outlook.office365.com", "52.97.146.178", 443),
    ("login.microsoftonline.com", "20.190.159.2", 443),
    ("contoso.sharepoint.com", "13.107.136.10", 443),
    ("github.com", "140.82.121.4", 443),
    ("www.bing.com", "204.79.197.200", 443),
    ("www.linkedin.com", "13.107.42.14", 443),
    ("stackoverflow.com", "104.18.32.7", 443),
    ("update.googleapis.com", "142.250.186.35", 443),
    ("https://docs.microsoft.com/en-us/defender-endpoint/", "23.55.124.11", 443),
];
const TEAMS_DST: &[Destination] = &[
    ("teams.microsoft.com", "52.113.194.132", 443),
    ("presence.teams.microsoft.com", "52.113.205.5", 443),
    ("login.microsoftonline.com", "20.190.159.2", 443),
];
const OFFICE_DST: &[Destination] =
    &[("outlook.office365.com", "52.97.146.178", 443), ("contoso-my.sharepoint.com", "13.107.136.10", 443)];
const WINDOWS_DST: &[Destination] = &[
    ("settings-win.data.microsoft.com", "20.42.73.29", 443),
    ("ctldl.windowsupdate.com", "93.184.221.240", 80),
    ("v10.events.data.microsoft.com", "20.189.173.1", 443),
    ("", "10.1.10.10", 53),
    ("", "10.1.10.11", 389),
];
const DEV_DST: &[Destination] = &[("github.com", "140.82.121.4", 443), ("dev.azure.com", "13.107.42.20", 443)];
const SCCM_DST: &[Destination] = &[("srv-sccm-01.contoso.local", "10.1.10.17", 443)];

/// (process, parent, who, destinations, weight) of background connections.
type Talker = (&'static Binary, &'static Binary, Context, &'static [Destination], u32);

const TALKERS: &[Talker] = &[
    (&CHROME, &EXPLORER, Context::User, WEB, 20),
    (&MSEDGE, &EXPLORER, Context::User, WEB, 14),
    (&TEAMS, &EXPLORER, Context::User, TEAMS_DST, 10),
    (&OUTLOOK, &EXPLORER, Context::User, OFFICE_DST, 8),
    (&ONEDRIVE, &EXPLORER, Context::User, OFFICE_DST, 6),
    (&SVCHOST, &SERVICES, Context::System, WINDOWS_DST, 16),
    (&GIT, &VSCODE, Context::User, DEV_DST, 3),
    (&CCMEXEC, &SERVICES, Context::System, SCCM_DST, 2),
];

/// Builds one connection row.
pub fn network_row(layout: &Layout, catalog: &Catalog, rng: &mut Rng, spec: &NetSpec<'_>) -> Row {
    let device = &catalog.devices[spec.device.min(catalog.devices.len().saturating_sub(1))];
    let user: &str = if spec.account.builtin { &catalog.users[device.owner].name } else { &spec.account.name };
    let command = match &spec.command {
        Some(c) => c.clone(),
        None => expand(rng.pick(spec.process.commands).copied().unwrap_or(""), user, rng, catalog),
    };
    let remote_ip = spec.remote_ip.text();
    let private = remote_ip.starts_with("10.") || remote_ip.starts_with("192.168.");
    let created = spec.time - rng.range(5 * TICKS_PER_SECOND, 40 * HOUR);
    let session = if spec.account.builtin { 0 } else { rng.range(1, 4) };
    // Connections on the jump server come from admins' RDP sessions.
    let remote_session = !spec.account.builtin && device.name.starts_with("srv-jump");
    let mut b = RowBuilder::new(layout);
    b.set("Timestamp", Cell::Time(spec.time))
        .set("DeviceId", device.id.clone())
        .set("DeviceName", device.name.clone())
        .set("ActionType", spec.action)
        .set("RemoteIP", spec.remote_ip.clone())
        .set("RemotePort", Cell::Int(spec.remote_port))
        .set("RemoteUrl", spec.remote_url.clone())
        .set("LocalIP", device.ip.clone())
        .set("LocalPort", Cell::Int(rng.range(49_152, 65_535) as i32))
        .set("Protocol", spec.protocol)
        .set("LocalIPType", "Private")
        .set("RemoteIPType", if private { "Private" } else { "Public" });
    set_initiating_image(&mut b, spec.process);
    b.set("InitiatingProcessId", Cell::Long(pid(rng)))
        .set("InitiatingProcessCommandLine", command)
        .set("InitiatingProcessCreationTime", Cell::Time(created))
        .set("InitiatingProcessFolderPath", spec.folder.clone().unwrap_or_else(|| full_path(spec.process, user)))
        .set("InitiatingProcessParentFileName", spec.parent.file)
        .set("InitiatingProcessParentId", Cell::Long(pid(rng)))
        .set("InitiatingProcessParentCreationTime", Cell::Time(created - rng.range(TICKS_PER_SECOND, 10 * HOUR)))
        .set("InitiatingProcessAccountDomain", spec.account.domain)
        .set("InitiatingProcessAccountName", spec.account.name.clone())
        .set("InitiatingProcessAccountSid", spec.account.sid.clone())
        .set("InitiatingProcessAccountUpn", spec.account.upn.clone())
        .set("InitiatingProcessAccountObjectId", spec.account.object_id.clone())
        .set("InitiatingProcessIntegrityLevel", if spec.account.builtin { "System" } else { "Medium" })
        .set(
            "InitiatingProcessTokenElevation",
            if spec.account.builtin { "TokenElevationTypeDefault" } else { "TokenElevationTypeLimited" },
        )
        .set("InitiatingProcessSessionId", Cell::Long(session))
        .set("IsInitiatingProcessRemoteSession", Cell::Bool(remote_session));
    if remote_session {
        let from = &catalog.devices[rng.below(catalog.devices.len() as u64) as usize];
        b.set("InitiatingProcessRemoteSessionDeviceName", from.name.split('.').next().unwrap_or("").to_uppercase())
            .set("InitiatingProcessRemoteSessionIP", from.ip.clone());
    }
    b.finish()
}

/// Background connections drawn from [`TALKERS`].
pub struct NetworkNoise<'c> {
    layout: &'c Layout,
    catalog: &'c Catalog,
    rng: Rng,
}

impl<'c> NetworkNoise<'c> {
    /// A noise source with its own random stream.
    pub fn new(layout: &'c Layout, catalog: &'c Catalog, seed: u64) -> NetworkNoise<'c> {
        NetworkNoise { layout, catalog, rng: Rng::derive(seed, "network-noise") }
    }
}

impl Noise for NetworkNoise<'_> {
    fn event(&mut self, time: i64) -> Event {
        let rng = &mut self.rng;
        let device = rng.below(self.catalog.devices.len() as u64) as usize;
        let server = self.catalog.devices[device].server;
        if server && rng.chance(30) {
            return Event { device, time, row: inbound(self.layout, self.catalog, rng, device, time) };
        }
        let talker = pick_talker(rng);
        let (url, ip, port) = rng.pick(talker.3).copied().unwrap_or(WEB[0]);
        let account = account_for(self.catalog, device, talker.2, rng);
        let action = *rng
            .weighted(&[("ConnectionSuccess", 90), ("ConnectionFailed", 6), ("ConnectionAttempt", 4)])
            .unwrap_or(&"ConnectionSuccess");
        let spec = NetSpec {
            device,
            time,
            process: talker.0,
            parent: talker.1,
            account,
            action,
            remote_ip: ip.into(),
            remote_port: port,
            remote_url: url.into(),
            protocol: if port == 53 { "Udp" } else { "Tcp" },
            command: None,
            folder: None,
        };
        Event { device, time, row: network_row(self.layout, self.catalog, rng, &spec) }
    }

    fn restart(&mut self, seed: u64, chunk: u64) {
        self.rng = Rng::derive_chunk(seed, "network-noise", chunk);
    }
}

/// One talker, by weight (the draws of [`Rng::weighted`], without a list per row).
fn pick_talker(rng: &mut Rng) -> &'static Talker {
    let total: u64 = TALKERS.iter().map(|t| u64::from(t.4)).sum();
    let mut x = rng.below(total);
    for t in TALKERS {
        if x < u64::from(t.4) {
            return t;
        }
        x -= u64::from(t.4);
    }
    &TALKERS[0]
}

/// A connection a server accepted from a workstation.
fn inbound(layout: &Layout, catalog: &Catalog, rng: &mut Rng, device: usize, time: i64) -> Row {
    let (process, parent, port) = if rng.chance(50) { (&SQLSERVR, &WININIT, 1433) } else { (&W3WP, &SVCHOST, 443) };
    let client = &catalog.devices[rng.below(catalog.devices.len() as u64) as usize];
    let spec = NetSpec {
        device,
        time,
        process,
        parent,
        account: &catalog.network_service,
        action: "InboundConnectionAccepted",
        remote_ip: client.ip.clone().into(),
        remote_port: rng.range(49_152, 65_535) as i32,
        remote_url: "".into(),
        protocol: "Tcp",
        command: None,
        folder: None,
    };
    let mut row = network_row(layout, catalog, rng, &spec);
    if let Some(i) = layout.position("LocalPort") {
        row.cells[i] = Cell::Int(port);
    }
    row
}
