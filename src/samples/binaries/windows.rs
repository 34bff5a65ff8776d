//! Windows components (signed by Microsoft Windows).

use super::{Binary, SignerType};

pub(super) const MS: &str = "Microsoft Corporation";
const WIN: &str = "Microsoft® Windows® Operating System";
const WIN_VER: &str = "10.0.22621.4541";
const MS_SIGNER: &str = "Microsoft Windows";
const MS_PCA: &str = "Microsoft Windows Production PCA 2011";

/// Shorthand for a Windows component.
macro_rules! win {
    ($file:expr, $dir:expr, $desc:expr, $size:expr, [$($cmd:expr),+ $(,)?]) => {
        Binary {
            file: $file, dir: $dir, company: MS, product: WIN, version: WIN_VER, description: $desc,
            size: $size, signer: MS_SIGNER, issuer: MS_PCA, signer_type: SignerType::OsVendor,
            commands: &[$($cmd),+],
            hashes: std::sync::OnceLock::new(),
        }
    };
}

/// `services.exe`
pub static SERVICES: Binary = win!(
    "services.exe",
    r"C:\Windows\System32",
    "Services and Controller app",
    729_088,
    [r"C:\Windows\system32\services.exe"]
);
/// `wininit.exe`
pub static WININIT: Binary =
    win!("wininit.exe", r"C:\Windows\System32", "Windows Start-Up Application", 466_944, ["wininit.exe"]);
/// `userinit.exe`
pub static USERINIT: Binary = win!(
    "userinit.exe",
    r"C:\Windows\System32",
    "Userinit Logon Application",
    36_864,
    [r"C:\Windows\system32\userinit.exe"]
);
/// `svchost.exe`
pub static SVCHOST: Binary = win!(
    "svchost.exe",
    r"C:\Windows\System32",
    "Host Process for Windows Services",
    57_360,
    [
        r"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule",
        r"C:\Windows\system32\svchost.exe -k netsvcs -p -s Winmgmt",
        r"C:\Windows\System32\svchost.exe -k LocalServiceNetworkRestricted -p -s EventLog",
        r"C:\Windows\system32\svchost.exe -k DcomLaunch -p",
        r"C:\Windows\system32\svchost.exe -k netsvcs -p -s wuauserv",
        r"C:\Windows\System32\svchost.exe -k NetworkService -p -s Dnscache",
        r"C:\Windows\system32\svchost.exe -k UnistackSvcGroup -s CDPUserSvc_{n}",
    ]
);
/// `explorer.exe`
pub static EXPLORER: Binary =
    win!("explorer.exe", r"C:\Windows", "Windows Explorer", 5_484_040, [r"C:\Windows\Explorer.EXE"]);
/// `taskhostw.exe`
pub static TASKHOSTW: Binary = win!(
    "taskhostw.exe",
    r"C:\Windows\System32",
    "Host Process for Windows Tasks",
    101_704,
    [
        "taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly",
        "taskhostw.exe SYSTEM",
        "taskhostw.exe KEYROAMING",
    ]
);
/// `backgroundTaskHost.exe`
pub static BGTASKHOST: Binary = win!(
    "backgroundTaskHost.exe",
    r"C:\Windows\System32",
    "Background Task Host",
    24_360,
    [
        r#""C:\Windows\system32\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider"#,
        r#""C:\Windows\system32\BackgroundTaskHost.exe" -ServerName:App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca"#,
    ]
);
/// `WmiPrvSE.exe`
pub static WMIPRVSE: Binary = win!(
    "WmiPrvSE.exe",
    r"C:\Windows\System32\wbem",
    "WMI Provider Host",
    496_640,
    [r"C:\Windows\system32\wbem\wmiprvse.exe -secured -Embedding", r"C:\Windows\system32\wbem\wmiprvse.exe -Embedding",]
);
/// `cmd.exe`
pub static CMD: Binary = win!(
    "cmd.exe",
    r"C:\Windows\System32",
    "Windows Command Processor",
    323_584,
    [
        r#""C:\Windows\system32\cmd.exe" /c "ipconfig /all""#,
        r#"C:\Windows\system32\cmd.exe /c "C:\Users\{user}\Desktop\map_drives.bat""#,
        r#""C:\Windows\system32\cmd.exe" /c ping -n 1 {host}"#,
        r#"cmd.exe /c gpupdate /target:user /force"#,
    ]
);
/// `conhost.exe`
pub static CONHOST: Binary = win!(
    "conhost.exe",
    r"C:\Windows\System32",
    "Console Window Host",
    1_007_616,
    [r"\??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1",]
);
/// `powershell.exe`
pub static POWERSHELL: Binary = win!(
    "powershell.exe",
    r"C:\Windows\System32\WindowsPowerShell\v1.0",
    "Windows PowerShell",
    455_680,
    [
        r#""C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File "C:\ProgramData\Scripts\inventory.ps1""#,
        r#"powershell.exe -NoLogo -Command "Get-Service | Where-Object Status -eq Stopped""#,
        r#""C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe""#,
        r#"powershell.exe -ExecutionPolicy RemoteSigned -File \\srv-file-01.contoso.local\netlogon\logon.ps1"#,
    ]
);
/// `rundll32.exe`
pub static RUNDLL32: Binary = win!(
    "rundll32.exe",
    r"C:\Windows\System32",
    "Windows host process (Rundll32)",
    71_680,
    [
        r"C:\Windows\system32\rundll32.exe C:\Windows\system32\shell32.dll,SHCreateLocalServerRunDll {{guid}} -Embedding",
        r"rundll32.exe C:\Windows\System32\LogiLDA.dll,LogiFetch",
    ]
);
/// `msiexec.exe`
pub static MSIEXEC: Binary = win!(
    "msiexec.exe",
    r"C:\Windows\System32",
    "Windows® installer",
    69_632,
    [
        r"C:\Windows\system32\msiexec.exe /V",
        r#"C:\Windows\System32\MsiExec.exe -Embedding 5F{n}A1C2E9B3D0 E Global\MSI0000"#,
    ]
);
/// `SearchProtocolHost.exe`
pub static SEARCHPROTO: Binary = win!(
    "SearchProtocolHost.exe",
    r"C:\Windows\System32",
    "Microsoft Windows Search Protocol Host",
    430_080,
    [
        r#""C:\Windows\system32\SearchProtocolHost.exe" Global\UsGthrFltPipeMssGthrPipe{n}_ Global\UsGthrCtrlFltPipeMssGthrPipe{n} 1 -2147483646 "Software\Microsoft\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\ProgramData\Microsoft\Search\Data\Temp\usgthrsvc" "DownLevelDaemon""#,
    ]
);
/// `CompatTelRunner.exe`
pub static COMPATTEL: Binary = win!(
    "CompatTelRunner.exe",
    r"C:\Windows\System32",
    "Microsoft Compatibility Telemetry",
    209_816,
    [r"C:\Windows\system32\compattelrunner.exe -m:appraiser.dll -f:DoScheduledTelemetryRun -cv:{guid}.1",]
);
/// `wuauclt.exe`
pub static WUAUCLT: Binary = win!(
    "wuauclt.exe",
    r"C:\Windows\System32",
    "Windows Update",
    92_160,
    [
        r#""C:\Windows\system32\wuauclt.exe" /UpdateDeploymentProvider UpdateDeploymentProvider.dll /ClassId {guid} /RunHandlerComServer"#,
    ]
);

/// `w3wp.exe`
pub static W3WP: Binary = win!(
    "w3wp.exe",
    r"C:\Windows\System32\inetsrv",
    "IIS Worker Process",
    29_184,
    [
        r#"c:\windows\system32\inetsrv\w3wp.exe -ap "ContosoIntranet" -v "v4.0" -l "webengine4.dll" -a \\.\pipe\iisipm{guid} -h "C:\inetpub\temp\apppools\ContosoIntranet\ContosoIntranet.config" -w "" -m 0"#,
    ]
);
