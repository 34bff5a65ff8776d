//! The remote-management tools the seed rules hunt for, their benign
//! wrappers, and the look-alike products that must not match.

use crate::samples::binaries::{Binary, SignerType};

const DIGICERT: &str = "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1";
const SECTIGO: &str = "Sectigo Public Code Signing CA R36";

/// Shorthand for a third-party tool signed through a public CA.
macro_rules! tool {
    ($file:expr, $dir:expr, $co:expr, $prod:expr, $ver:expr, $desc:expr, $size:expr, $signer:expr, $issuer:expr, [$($cmd:expr),+ $(,)?]) => {
        Binary {
            file: $file, dir: $dir, company: $co, product: $prod, version: $ver, description: $desc, size: $size,
            signer: $signer, issuer: $issuer, signer_type: SignerType::ThirdParty, commands: &[$($cmd),+],
            hashes: std::sync::OnceLock::new(),
        }
    };
}

// LiteManager (rule 02481117): product names LiteManager / ROMViewer / ROMServer.
/// `ROMServer.exe`
pub static ROMSERVER: Binary = tool!(
    "ROMServer.exe",
    r"C:\Program Files (x86)\LiteManager Pro - Server",
    "LiteManagerTeam",
    "LiteManager Pro",
    "5.1.0.0",
    "LiteManager Pro - Server",
    6_311_936,
    "LiteManagerTeam",
    SECTIGO,
    [r#""C:\Program Files (x86)\LiteManager Pro - Server\ROMServer.exe""#,]
);
/// `ROMFUSClient.exe`
pub static ROMFUSCLIENT: Binary = tool!(
    "ROMFUSClient.exe",
    r"C:\Program Files (x86)\LiteManager Pro - Server",
    "LiteManagerTeam",
    "LiteManager Pro",
    "5.1.0.0",
    "LiteManager Pro - File transfer",
    3_457_536,
    "LiteManagerTeam",
    SECTIGO,
    [r#""C:\Program Files (x86)\LiteManager Pro - Server\ROMFUSClient.exe" -run"#,]
);
/// `ROMViewer.exe`
pub static ROMVIEWER: Binary = tool!(
    "ROMViewer.exe",
    r"C:\Program Files (x86)\LiteManager Pro - Viewer",
    "LiteManagerTeam",
    "ROMViewer",
    "5.1.0.0",
    "LiteManager Pro - Viewer",
    9_894_400,
    "LiteManagerTeam",
    SECTIGO,
    [r#""C:\Program Files (x86)\LiteManager Pro - Viewer\ROMViewer.exe""#,]
);
/// `LiteManager.exe`
pub static LITEMANAGER: Binary = tool!(
    "LiteManager.exe",
    r"C:\Program Files (x86)\LiteManager Pro - Viewer",
    "LiteManagerTeam",
    "LiteManager Pro",
    "5.1.0.0",
    "LiteManager Pro - Console",
    4_120_576,
    "LiteManagerTeam",
    SECTIGO,
    [r#""C:\Program Files (x86)\LiteManager Pro - Viewer\LiteManager.exe" /console"#,]
);
/// Near miss: `NotLiteManagerX` is one term, not `LiteManager`.
pub static NOT_LITEMANAGER: Binary = tool!(
    "nlmx.exe",
    r"C:\Program Files\NLMX Tools",
    "NLMX Tools",
    "NotLiteManagerX",
    "2.3.1",
    "NLMX remote inventory",
    812_032,
    "NLMX Tools",
    SECTIGO,
    [r#""C:\Program Files\NLMX Tools\nlmx.exe" --inventory"#,]
);
/// Near miss: `LiteManagerPro` is one term (no boundary before `Pro`).
pub static LITEMANAGERPRO: Binary = tool!(
    "lmpro_setup.exe",
    r"C:\Users\{user}\Downloads",
    "LMP Software",
    "LiteManagerPro",
    "1.0.4",
    "LiteManagerPro unofficial installer",
    2_203_648,
    "LMP Software",
    SECTIGO,
    [r#""C:\Users\{user}\Downloads\lmpro_setup.exe" /S"#,]
);

// mRemoteNG (rule a2d8dde6).
/// `mRemoteNG.exe`
pub static MREMOTENG: Binary = tool!(
    "mRemoteNG.exe",
    r"C:\Program Files (x86)\mRemoteNG",
    "mRemoteNG",
    "mRemoteNG",
    "1.76.20.24615",
    "Multi-Remote Next Generation Connection Manager",
    5_724_160,
    "mRemoteNG",
    DIGICERT,
    [r#""C:\Program Files (x86)\mRemoteNG\mRemoteNG.exe""#,]
);
/// Near miss: `mRemoteNGPlus` is one term.
pub static MREMOTENG_PLUS: Binary = tool!(
    "mRemoteNGPlus.exe",
    r"C:\Tools\mRemoteNGPlus",
    "RNG Labs",
    "mRemoteNGPlus",
    "0.9.2",
    "mRemoteNGPlus connection manager fork",
    6_102_016,
    "",
    "",
    [r#""C:\Tools\mRemoteNGPlus\mRemoteNGPlus.exe""#,]
);

// ConnectWise / ScreenConnect / Continuum (rule 83f7b313).
/// `ScreenConnect.ClientService.exe`
pub static SC_CLIENTSERVICE: Binary = tool!(
    "ScreenConnect.ClientService.exe",
    r"C:\Program Files (x86)\ScreenConnect Client (8d2e6f1a9b3c4d5e)",
    "ScreenConnect Software",
    "ScreenConnect",
    "24.3.7.9067",
    "ScreenConnect Client Service",
    96_312,
    "ConnectWise, LLC",
    DIGICERT,
    [
        r#""C:\Program Files (x86)\ScreenConnect Client (8d2e6f1a9b3c4d5e)\ScreenConnect.ClientService.exe" "?e=Access&y=Guest&h=relay.screenconnect.com&p=443&s=6c1f0b6e-2d1a-4b7e-9f7c-3a2b1c0d9e8f&k=BgIAAACkAABSU0Ex""#,
    ]
);
/// `ScreenConnect.WindowsClient.exe`
pub static SC_WINDOWSCLIENT: Binary = tool!(
    "ScreenConnect.WindowsClient.exe",
    r"C:\Program Files (x86)\ScreenConnect Client (8d2e6f1a9b3c4d5e)",
    "ScreenConnect Software",
    "ScreenConnect",
    "24.3.7.9067",
    "ScreenConnect Client",
    612_104,
    "ConnectWise, LLC",
    DIGICERT,
    [
        r#""C:\Program Files (x86)\ScreenConnect Client (8d2e6f1a9b3c4d5e)\ScreenConnect.WindowsClient.exe" "RunRole" "b1a2c3d4-e5f6-4789-abcd-ef0123456789" "User""#,
    ]
);
/// `LTSVC.exe`
pub static LTSVC: Binary = tool!(
    "LTSVC.exe",
    r"C:\Windows\LTSvc",
    "ConnectWise, Inc.",
    "ConnectWise Automate",
    "2024.11.41",
    "LabTech Agent Service",
    4_587_520,
    "ConnectWise, LLC",
    DIGICERT,
    [r#""C:\Windows\LTSvc\LTSVC.exe" /service"#,]
);
/// `SAAZOD.exe`
pub static SAAZOD: Binary = tool!(
    "SAAZOD.exe",
    r"C:\Program Files (x86)\SAAZOD",
    "Continuum Managed Services, LLC",
    "ITSPlatform",
    "3.0.5.1",
    "Continuum Agent Service",
    1_363_968,
    "Continuum Managed Services, LLC",
    DIGICERT,
    [r#""C:\Program Files (x86)\SAAZOD\SAAZOD.exe""#,]
);
/// `connectwise_agent.exe`
pub static CW_AGENT: Binary = tool!(
    "connectwise_agent.exe",
    r"C:\Program Files\ConnectWise\Agent",
    "ConnectWise, Inc.",
    "ConnectWise RMM Agent",
    "2024.11.2",
    "ConnectWise RMM Agent",
    2_940_928,
    "ConnectWise, LLC",
    DIGICERT,
    [r#""C:\Program Files\ConnectWise\Agent\connectwise_agent.exe" --service"#,]
);
/// A parent image literally named `connectwise` (no extension), as the seed's
/// pseudo-filter expects.
pub static CW_PARENT: Binary = tool!(
    "connectwise",
    r"C:\Program Files\ConnectWise",
    "ConnectWise, Inc.",
    "ConnectWise RMM",
    "2024.11.2",
    "ConnectWise RMM task runner",
    1_048_576,
    "ConnectWise, LLC",
    DIGICERT,
    [r"C:\Program Files\ConnectWise\connectwise --task-runner",]
);
/// The same parent in another case: `=~` must still match it.
pub static CW_PARENT_CASED: Binary = tool!(
    "ConnectWise",
    r"C:\Program Files\ConnectWise",
    "ConnectWise, Inc.",
    "ConnectWise RMM",
    "2024.11.2",
    "ConnectWise RMM task runner",
    1_048_576,
    "ConnectWise, LLC",
    DIGICERT,
    [r"C:\Program Files\ConnectWise\ConnectWise --task-runner",]
);
/// A parent named `connectwise_agent`.
pub static CW_AGENT_PARENT: Binary = tool!(
    "connectwise_agent",
    r"C:\Program Files\ConnectWise\Agent",
    "ConnectWise, Inc.",
    "ConnectWise RMM Agent",
    "2024.11.2",
    "ConnectWise RMM Agent loader",
    524_288,
    "ConnectWise, LLC",
    DIGICERT,
    [r"C:\Program Files\ConnectWise\Agent\connectwise_agent --init",]
);
/// `ConnectWise.exe` is not `== "connectwise"`: rows under it escape the filters that test the parent name.
pub static CW_PARENT_EXE: Binary = tool!(
    "ConnectWise.exe",
    r"C:\Program Files\ConnectWise",
    "ConnectWise, Inc.",
    "ConnectWise RMM",
    "2024.11.2",
    "ConnectWise RMM console",
    3_145_728,
    "ConnectWise, LLC",
    DIGICERT,
    [r#""C:\Program Files\ConnectWise\ConnectWise.exe""#,]
);
/// Near miss: `ScreenConnectorTools` is one term.
pub static SCREENCONNECTOR: Binary = tool!(
    "sct_sync.exe",
    r"C:\Program Files\ScreenConnectorTools",
    "ScreenConnectorTools",
    "SCT Sync",
    "4.2.0",
    "Display connector sync",
    402_944,
    "ScreenConnectorTools",
    SECTIGO,
    [r#""C:\Program Files\ScreenConnectorTools\sct_sync.exe" --tray"#,]
);
/// Near miss: `ConnectWiseControl` is one term.
pub static CWCONTROL_LABS: Binary = tool!(
    "cwc_helper.exe",
    r"C:\Program Files\CWC Labs",
    "ConnectWiseControl Labs",
    "CWC Helper",
    "1.1.0",
    "Session recorder plug-in",
    260_608,
    "CWC Labs",
    SECTIGO,
    [r#""C:\Program Files\CWC Labs\cwc_helper.exe""#,]
);

// Action1 (rule 7da76b41): company and product must both have the term Action1.
/// `action1_agent.exe`
pub static ACTION1_AGENT: Binary = tool!(
    "action1_agent.exe",
    r"C:\Windows\Action1",
    "Action1 Corporation",
    "Action1 Agent",
    "5.190.2.1",
    "Action1 Endpoint Agent",
    13_547_008,
    "Action1 Corporation",
    DIGICERT,
    [r#""C:\Windows\Action1\action1_agent.exe" service"#,]
);

/// The Action1 agent under the file name another management tool gave it.
macro_rules! action1_as {
    ($name:ident, $file:expr, $dir:expr, $cmd:expr) => {
        #[doc = concat!("The Action1 agent as `", $file, "`.")]
        pub static $name: Binary = tool!(
            $file,
            $dir,
            "Action1 Corporation",
            "Action1 Agent",
            "5.190.2.1",
            "Action1 Endpoint Agent",
            13_547_008,
            "Action1 Corporation",
            DIGICERT,
            [$cmd]
        );
    };
}
action1_as!(
    A1_SETUP,
    "setup.exe",
    r"C:\Windows\ccmcache\3f",
    r#""C:\Windows\ccmcache\3f\setup.exe" /quiet /norestart"#
);
action1_as!(
    A1_NCC,
    "ncc.exe",
    r"C:\Program Files (x86)\SolarWinds\Orion\NCM",
    r#""C:\Program Files (x86)\SolarWinds\Orion\NCM\ncc.exe" /sync"#
);
action1_as!(
    A1_ALTIRIS,
    "altirisagent.exe",
    r"C:\Program Files\Altiris\Altiris Agent",
    r#""C:\Program Files\Altiris\Altiris Agent\AltirisAgent.exe" /inventory"#
);
action1_as!(
    A1_INTUNE,
    "intunewin32.exe",
    r"C:\Program Files (x86)\Microsoft Intune Management Extension\Content\Staging",
    r#""C:\Program Files (x86)\Microsoft Intune Management Extension\Content\Staging\intunewin32.exe" /sync"#
);
action1_as!(
    A1_VSA,
    "vsaagent.exe",
    r"C:\Program Files (x86)\Kaseya\Agent",
    r#""C:\Program Files (x86)\Kaseya\Agent\vsaagent.exe" /backup"#
);
