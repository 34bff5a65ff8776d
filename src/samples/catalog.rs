//! The simulated estate: devices, user accounts and service accounts of the
//! fictitious `contoso.local` domain. Names are fixed; ids and assignments
//! come from the seed.

use std::sync::Arc;

use super::rng::Rng;

/// The AD domain's NetBIOS name, as `AccountDomain` shows it.
pub const DOMAIN: &str = "contoso";

/// The domain SID prefix of every domain account.
pub(super) const DOMAIN_SID: &str = "S-1-5-21-1004336348-1177238915-682003330";

/// Device name stems and how many of each (`ws-fin-001` …). Servers last.
const FLEET: &[(&str, u32)] = &[
    ("ws-fin", 9),
    ("ws-hr", 5),
    ("ws-eng", 12),
    ("ws-sales", 8),
    ("ws-mkt", 4),
    ("ws-exec", 2),
    ("ws-it", 4),
    ("ws-helpdesk", 3),
];

/// Named servers (one each).
const SERVERS: &[&str] = &[
    "srv-dc-01",
    "srv-dc-02",
    "srv-file-01",
    "srv-sql-01",
    "srv-app-01",
    "srv-app-02",
    "srv-web-01",
    "srv-sccm-01",
    "srv-kaseya-01",
    "srv-sam-01",
    "srv-ansible-01",
    "srv-veeam-01",
    "srv-jump-01",
];

/// Domain users (sAMAccountName).
const PEOPLE: &[&str] = &[
    "jsmith",
    "mgarcia",
    "lchen",
    "apatel",
    "kmueller",
    "snakamura",
    "rjohnson",
    "eoconnor",
    "tnguyen",
    "bwilliams",
    "dkowalski",
    "frossi",
    "hmartin",
    "ilopez",
    "jbrown",
    "kdavis",
    "lwilson",
    "mmoore",
    "ntaylor",
    "oanderson",
    "pthomas",
    "qjackson",
    "rwhite",
    "sharris",
    "tclark",
    "ulewis",
    "vrobinson",
    "wwalker",
    "xyoung",
    "yallen",
    "zking",
    "awright",
    "bscott",
    "cgreen",
    "dbaker",
    "eadams",
    "fnelson",
    "ghill",
    "hcampbell",
    "imitchell",
    "jroberts",
    "kcarter",
    "lphillips",
    "mevans",
    "nturner",
    "otorres",
    "pparker",
    "qcollins",
    "redwards",
    "sstewart",
];

/// An account as MDE reports it on a process.
#[derive(Clone, Debug)]
pub struct Account {
    /// `AccountDomain` (lower case, as MDE writes it).
    pub domain: &'static str,
    /// `AccountName` (catalogue text is shared by every row that names it).
    pub name: Arc<str>,
    /// `AccountSid`.
    pub sid: Arc<str>,
    /// `AccountUpn` (`""` for built-in accounts).
    pub upn: Arc<str>,
    /// `AccountObjectId`, the Entra ID object id (`""` for built-in accounts).
    pub object_id: Arc<str>,
    /// True for built-in service identities (SYSTEM, LOCAL SERVICE, …).
    pub builtin: bool,
}

impl Account {
    fn domain_user(rng: &mut Rng, name: &str, rid: u32) -> Account {
        Account {
            domain: DOMAIN,
            name: name.into(),
            sid: format!("{DOMAIN_SID}-{rid}").into(),
            upn: format!("{name}@contoso.com").into(),
            object_id: rng.guid().into(),
            builtin: false,
        }
    }

    fn builtin(name: &str, sid: &str) -> Account {
        Account {
            domain: "nt authority",
            name: name.into(),
            sid: sid.into(),
            upn: "".into(),
            object_id: "".into(),
            builtin: true,
        }
    }
}

/// One onboarded device.
#[derive(Clone, Debug)]
pub struct Device {
    /// `DeviceName`, fully qualified (`ws-fin-014.contoso.local`).
    pub name: Arc<str>,
    /// `DeviceId`, 40 hex digits.
    pub id: Arc<str>,
    /// True for servers.
    pub server: bool,
    /// Index into [`Catalog::users`] of the person who mostly uses it.
    pub owner: usize,
    /// Its private IPv4 address.
    pub ip: Arc<str>,
    /// The first ReportId this device uses; each event adds a small step.
    pub report_base: i64,
}

/// Everything the generators draw identities from.
#[derive(Clone, Debug)]
pub struct Catalog {
    /// Devices, workstations first.
    pub devices: Vec<Device>,
    /// Domain users (people).
    pub users: Vec<Account>,
    /// `nt authority\system`.
    pub system: Account,
    /// `nt authority\local service`.
    pub local_service: Account,
    /// `nt authority\network service`.
    pub network_service: Account,
    /// IT administrators (AccountName contains `ITAdmin`).
    pub it_admins: Vec<Account>,
    /// Remote-support accounts (AccountName contains `support_user`).
    pub support_users: Vec<Account>,
    /// Names of the servers among `devices` (for `{host}` in command lines).
    pub servers: Vec<Arc<str>>,
}

impl Catalog {
    /// The estate for a seed.
    pub fn new(seed: u64) -> Catalog {
        let mut rng = Rng::derive(seed, "catalog");
        let users: Vec<Account> =
            PEOPLE.iter().enumerate().map(|(i, p)| Account::domain_user(&mut rng, p, 1104 + i as u32 * 3)).collect();
        let it_admins = ["ITAdmin-mkhan", "ITAdmin-jlee", "svc_ITAdmin"]
            .iter()
            .enumerate()
            .map(|(i, n)| Account::domain_user(&mut rng, n, 2201 + i as u32))
            .collect();
        let support_users = ["support_user", "support_user02"]
            .iter()
            .enumerate()
            .map(|(i, n)| Account::domain_user(&mut rng, n, 2301 + i as u32))
            .collect();
        let mut devices = Vec::new();
        let names = FLEET
            .iter()
            .flat_map(|(stem, n)| (1..=*n).map(move |i| (format!("{stem}-{:03}", i * 7 % 50 + 1), false)))
            .chain(SERVERS.iter().map(|s| (s.to_string(), true)));
        for (i, (stem, server)) in names.enumerate() {
            // ReportIds are per-device counters; long-lived agents show
            // 18-digit values, freshly onboarded ones small ones.
            let report_base = match rng.below(3) {
                0 => rng.range(100_000_000_000_000_000, 900_000_000_000_000_000),
                1 => rng.range(1_000_000_000, 90_000_000_000),
                _ => rng.range(10_000, 9_000_000),
            };
            devices.push(Device {
                name: format!("{stem}.contoso.local").into(),
                id: rng.hex(40).into(),
                server,
                owner: rng.below(users.len() as u64) as usize,
                ip: format!("10.{}.{}.{}", if server { 1 } else { 20 + i / 200 }, 10 + i / 250, 10 + i % 240).into(),
                report_base,
            });
        }
        let mut catalog = Catalog {
            devices,
            users,
            system: Account::builtin("system", "S-1-5-18"),
            local_service: Account::builtin("local service", "S-1-5-19"),
            network_service: Account::builtin("network service", "S-1-5-20"),
            it_admins,
            support_users,
            servers: Vec::new(),
        };
        catalog.refresh_servers();
        catalog
    }

    /// Recomputes [`Catalog::servers`] after devices were added.
    pub fn refresh_servers(&mut self) {
        self.servers = self.devices.iter().filter(|d| d.server).map(|d| d.name.clone()).collect();
    }

    /// The index of a device by its short name (`srv-sccm-01`).
    pub fn device_named(&self, short: &str) -> Option<usize> {
        self.devices.iter().position(|d| d.name.split('.').next() == Some(short))
    }

    /// Indices of devices whose name starts with a stem (`ws-it`).
    pub fn devices_with_stem(&self, stem: &str) -> Vec<usize> {
        self.devices.iter().enumerate().filter(|(_, d)| d.name.starts_with(stem)).map(|(i, _)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_is_large_and_well_formed() {
        let c = Catalog::new(1);
        assert!(c.devices.len() >= 50, "{} devices", c.devices.len());
        let mut names: Vec<&str> = c.devices.iter().map(|d| &*d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), c.devices.len(), "device names are unique");
        for d in &c.devices {
            assert_eq!(d.id.len(), 40);
            assert!(d.name.ends_with(".contoso.local"));
            assert!(d.report_base >= 10_000);
        }
        assert!(c.devices.iter().any(|d| d.report_base >= 100_000_000_000_000_000), "some 18-digit ReportIds");
        assert!(c.device_named("srv-sccm-01").is_some());
        assert_eq!(c.devices_with_stem("ws-it-").len(), 4);
    }

    #[test]
    fn seed_changes_ids_not_names() {
        let (a, b) = (Catalog::new(1), Catalog::new(2));
        assert_eq!(a.devices[0].name, b.devices[0].name);
        assert_ne!(a.devices[0].id, b.devices[0].id);
    }
}
