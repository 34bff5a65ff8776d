//! Executables with their version-info resources and signers, as MDE
//! reports them, and the parent → child chains ordinary machines produce.

mod apps;
mod windows;

use std::sync::OnceLock;

pub use apps::*;
pub use windows::*;

/// How a binary is signed, as `InitiatingProcessSignerType` shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignerType {
    /// Part of Windows.
    OsVendor,
    /// Signed by Microsoft, not part of Windows.
    Microsoft,
    /// Signed by anyone else.
    ThirdParty,
}

impl SignerType {
    /// The MDE text of the signer type.
    pub fn text(self) -> &'static str {
        match self {
            SignerType::OsVendor => "OsVendor",
            SignerType::Microsoft => "Microsoft",
            SignerType::ThirdParty => "ThirdParty",
        }
    }
}

/// One executable image.
#[derive(Debug)]
pub struct Binary {
    /// `FileName`.
    pub file: &'static str,
    /// Its folder; `{user}` stands for the user's profile name.
    pub dir: &'static str,
    /// `ProcessVersionInfoCompanyName`.
    pub company: &'static str,
    /// `ProcessVersionInfoProductName`.
    pub product: &'static str,
    /// `ProcessVersionInfoProductVersion`.
    pub version: &'static str,
    /// `ProcessVersionInfoFileDescription`.
    pub description: &'static str,
    /// `FileSize` in bytes.
    pub size: i64,
    /// The certificate's subject (`Signer`).
    pub signer: &'static str,
    /// The certificate's issuer.
    pub issuer: &'static str,
    /// The signer type.
    pub signer_type: SignerType,
    /// Command-line templates; `{user}` is the profile name, `{n}` a number, `{guid}` a GUID, `{host}` a server.
    pub commands: &'static [&'static str],
    /// SHA1, SHA256 and MD5, made on first use (every process row needs six).
    pub hashes: OnceLock<[String; 3]>,
}

impl Binary {
    /// `ProcessVersionInfoInternalFileName` / `OriginalFileName`: the file
    /// name as compiled (MDE shows it without a path).
    pub fn internal_name(&self) -> &'static str {
        self.file
    }
}

/// Who a process runs as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// `nt authority\system`.
    System,
    /// `nt authority\network service`.
    NetworkService,
    /// The device's signed-in user.
    User,
}

/// An ordinary process creation: (grandparent, parent, child, who, weight).
pub type Chain = (&'static Binary, &'static Binary, &'static Binary, Context, u32);

/// The process chains behind background noise, weighted by how common they are.
pub static CHAINS: &[Chain] = &[
    (&WININIT, &SERVICES, &SVCHOST, Context::System, 18),
    (&SERVICES, &SVCHOST, &TASKHOSTW, Context::User, 6),
    (&SERVICES, &SVCHOST, &BGTASKHOST, Context::User, 4),
    (&SERVICES, &SVCHOST, &WMIPRVSE, Context::NetworkService, 4),
    (&SERVICES, &SVCHOST, &COMPATTEL, Context::System, 2),
    (&SERVICES, &SVCHOST, &WUAUCLT, Context::System, 2),
    (&SERVICES, &SVCHOST, &SEARCHPROTO, Context::System, 3),
    (&SERVICES, &SVCHOST, &RUNDLL32, Context::User, 2),
    (&SERVICES, &SVCHOST, &POWERSHELL, Context::System, 2),
    (&USERINIT, &EXPLORER, &CHROME, Context::User, 8),
    (&EXPLORER, &CHROME, &CHROME, Context::User, 14),
    (&USERINIT, &EXPLORER, &MSEDGE, Context::User, 6),
    (&EXPLORER, &MSEDGE, &MSEDGE, Context::User, 8),
    (&USERINIT, &EXPLORER, &TEAMS, Context::User, 4),
    (&EXPLORER, &TEAMS, &WEBVIEW2, Context::User, 4),
    (&USERINIT, &EXPLORER, &OUTLOOK, Context::User, 3),
    (&USERINIT, &EXPLORER, &WINWORD, Context::User, 2),
    (&USERINIT, &EXPLORER, &EXCEL, Context::User, 2),
    (&USERINIT, &EXPLORER, &ONEDRIVE, Context::User, 2),
    (&USERINIT, &EXPLORER, &CMD, Context::User, 2),
    (&EXPLORER, &CMD, &CONHOST, Context::User, 3),
    (&USERINIT, &EXPLORER, &POWERSHELL, Context::User, 2),
    (&USERINIT, &EXPLORER, &VSCODE, Context::User, 2),
    (&EXPLORER, &VSCODE, &GIT, Context::User, 3),
    (&SERVICES, &CCMEXEC, &MSIEXEC, Context::System, 1),
    (&SERVICES, &MSIEXEC, &MSIEXEC, Context::System, 1),
    (&USERINIT, &EXPLORER, &SEVENZIP, Context::User, 1),
    (&WININIT, &SERVICES, &SQLSERVR, Context::NetworkService, 1),
    (&SERVICES, &SVCHOST, &W3WP, Context::NetworkService, 1),
];

/// Every binary of the background, for the certificate inventory.
pub static ALL: &[&Binary] = &[
    &SERVICES,
    &WININIT,
    &USERINIT,
    &SVCHOST,
    &EXPLORER,
    &TASKHOSTW,
    &BGTASKHOST,
    &WMIPRVSE,
    &CMD,
    &CONHOST,
    &POWERSHELL,
    &RUNDLL32,
    &MSIEXEC,
    &SEARCHPROTO,
    &COMPATTEL,
    &WUAUCLT,
    &CHROME,
    &MSEDGE,
    &TEAMS,
    &WEBVIEW2,
    &OUTLOOK,
    &WINWORD,
    &EXCEL,
    &ONEDRIVE,
    &VSCODE,
    &GIT,
    &CCMEXEC,
    &SQLSERVR,
    &W3WP,
    &SEVENZIP,
];

impl Binary {
    /// The file's SHA1: fixed by name and version, so the same build has the
    /// same hash on every device, in every table.
    pub fn sha1(&'static self) -> &'static str {
        &self.stable_hashes()[0]
    }

    /// The file's SHA256.
    pub fn sha256(&'static self) -> &'static str {
        &self.stable_hashes()[1]
    }

    /// The file's MD5.
    pub fn md5(&'static self) -> &'static str {
        &self.stable_hashes()[2]
    }

    /// The three hashes, made once per run: hex digits fixed by the binary's
    /// name and version.
    fn stable_hashes(&'static self) -> &'static [String; 3] {
        self.hashes.get_or_init(|| {
            let hash = |kind: &str, n| super::rng::stable_hex(&format!("{kind}:{}:{}", self.file, self.version), n);
            [hash("sha1", 40), hash("sha256", 64), hash("md5", 32)]
        })
    }
}
