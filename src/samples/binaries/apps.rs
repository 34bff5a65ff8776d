//! Applications: browsers, Office, developer tools, management agents.

use super::windows::MS;
use super::{Binary, SignerType};

const MS_APP_SIGNER: &str = "Microsoft Corporation";
const MS_CS_PCA: &str = "Microsoft Code Signing PCA 2011";
const DIGICERT: &str = "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1";
const SECTIGO: &str = "Sectigo Public Code Signing CA R36";

/// Shorthand for a signed application.
macro_rules! app {
    ($file:expr, $dir:expr, $co:expr, $prod:expr, $ver:expr, $desc:expr, $size:expr, $signer:expr, $issuer:expr, $st:expr, [$($cmd:expr),+ $(,)?]) => {
        Binary {
            file: $file, dir: $dir, company: $co, product: $prod, version: $ver, description: $desc, size: $size,
            signer: $signer, issuer: $issuer, signer_type: $st, commands: &[$($cmd),+],
            hashes: std::sync::OnceLock::new(),
        }
    };
}

/// `chrome.exe`
pub static CHROME: Binary = app!(
    "chrome.exe",
    r"C:\Program Files\Google\Chrome\Application",
    "Google LLC",
    "Google Chrome",
    "131.0.6778.86",
    "Google Chrome",
    3_229_464,
    "Google LLC",
    DIGICERT,
    SignerType::ThirdParty,
    [
        r#""C:\Program Files\Google\Chrome\Application\chrome.exe""#,
        r#""C:\Program Files\Google\Chrome\Application\chrome.exe" --type=renderer --lang=en-US --renderer-client-id={n} --mojo-platform-channel-handle=4120 /prefetch:1"#,
        r#""C:\Program Files\Google\Chrome\Application\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none /prefetch:11"#,
        r#""C:\Program Files\Google\Chrome\Application\chrome.exe" --type=gpu-process --gpu-preferences=UAAAAAAAAADgAAAEAAAAAAAAAAAAAAAAAABgAAEAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA== /prefetch:2"#,
    ]
);
/// `msedge.exe`
pub static MSEDGE: Binary = app!(
    "msedge.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application",
    MS,
    "Microsoft Edge",
    "131.0.2903.70",
    "Microsoft Edge",
    4_047_384,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [
        r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --profile-directory=Default"#,
        r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --type=renderer --instant-process --lang=en-US --renderer-client-id={n} /prefetch:1"#,
        r#""C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --type=utility --utility-sub-type=storage.mojom.StorageService --lang=en-US /prefetch:8"#,
    ]
);
/// `ms-teams.exe`
pub static TEAMS: Binary = app!(
    "ms-teams.exe",
    r"C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe",
    MS,
    "Microsoft Teams",
    "24295.605.3225.8804",
    "Microsoft Teams",
    1_216_904,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [
        r#""C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe" msteams:system-initiated"#,
        r#""C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe""#,
    ]
);
/// `msedgewebview2.exe`
pub static WEBVIEW2: Binary = app!(
    "msedgewebview2.exe",
    r"C:\Program Files (x86)\Microsoft\EdgeWebView\Application\131.0.2903.70",
    MS,
    "Microsoft Edge WebView2",
    "131.0.2903.70",
    "Microsoft Edge WebView2",
    3_316_256,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [
        r#""C:\Program Files (x86)\Microsoft\EdgeWebView\Application\131.0.2903.70\msedgewebview2.exe" --embedded-browser-webview=1 --webview-exe-name=ms-teams.exe --user-data-dir="C:\Users\{user}\AppData\Local\Packages\MSTeams_8wekyb3d8bbwe\LocalCache\Microsoft\MSTeams\EBWebView" --noerrdialogs"#,
    ]
);
/// `OUTLOOK.EXE`
pub static OUTLOOK: Binary = app!(
    "OUTLOOK.EXE",
    r"C:\Program Files\Microsoft Office\root\Office16",
    MS,
    "Microsoft Office",
    "16.0.18129.20158",
    "Microsoft Outlook",
    43_516_800,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [
        r#""C:\Program Files\Microsoft Office\Root\Office16\OUTLOOK.EXE""#,
        r#""C:\Program Files\Microsoft Office\Root\Office16\OUTLOOK.EXE" /recycle"#,
    ]
);
/// `WINWORD.EXE`
pub static WINWORD: Binary = app!(
    "WINWORD.EXE",
    r"C:\Program Files\Microsoft Office\root\Office16",
    MS,
    "Microsoft Office",
    "16.0.18129.20158",
    "Microsoft Word",
    1_631_704,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [
        r#""C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" /n "C:\Users\{user}\Documents\Q4 report.docx" /o """#,
    ]
);
/// `EXCEL.EXE`
pub static EXCEL: Binary = app!(
    "EXCEL.EXE",
    r"C:\Program Files\Microsoft Office\root\Office16",
    MS,
    "Microsoft Office",
    "16.0.18129.20158",
    "Microsoft Excel",
    66_023_936,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [
        r#""C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE" "C:\Users\{user}\OneDrive - Contoso\Budget FY27.xlsx""#,
    ]
);
/// `OneDrive.exe`
pub static ONEDRIVE: Binary = app!(
    "OneDrive.exe",
    r"C:\Program Files\Microsoft OneDrive",
    MS,
    "Microsoft OneDrive",
    "24.221.1029.0001",
    "Microsoft OneDrive",
    3_592_568,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [r#""C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background"#,]
);
/// `Code.exe`
pub static VSCODE: Binary = app!(
    "Code.exe",
    r"C:\Users\{user}\AppData\Local\Programs\Microsoft VS Code",
    MS,
    "Visual Studio Code",
    "1.95.3",
    "Visual Studio Code",
    163_346_832,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [r#""C:\Users\{user}\AppData\Local\Programs\Microsoft VS Code\Code.exe""#,]
);
/// `git.exe`
pub static GIT: Binary = app!(
    "git.exe",
    r"C:\Program Files\Git\cmd",
    "The Git Development Community",
    "Git",
    "2.47.1.windows.1",
    "Git for Windows",
    45_576,
    "Johannes Schindelin",
    SECTIGO,
    SignerType::ThirdParty,
    [
        "git.exe fetch --all --prune",
        "git status --porcelain=v2 --branch",
        "git.exe -c core.quotepath=false log --oneline -n 20",
    ]
);
/// `CcmExec.exe` (Configuration Manager client)
pub static CCMEXEC: Binary = app!(
    "CcmExec.exe",
    r"C:\Windows\CCM",
    MS,
    "System Center Configuration Manager",
    "5.0.9128.1007",
    "Host Process for Microsoft Configuration Manager",
    3_145_520,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [r"C:\Windows\CCM\CcmExec.exe",]
);
/// `sqlservr.exe`
pub static SQLSERVR: Binary = app!(
    "sqlservr.exe",
    r"C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn",
    MS,
    "Microsoft SQL Server",
    "2022.160.4135.4",
    "SQL Server Windows NT - 64 Bit",
    495_416,
    MS_APP_SIGNER,
    MS_CS_PCA,
    SignerType::Microsoft,
    [r#""C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\sqlservr.exe" -sMSSQLSERVER"#,]
);
/// `7zFM.exe`
pub static SEVENZIP: Binary = app!(
    "7zFM.exe",
    r"C:\Program Files\7-Zip",
    "Igor Pavlov",
    "7-Zip",
    "24.08",
    "7-Zip File Manager",
    1_001_984,
    "",
    "",
    SignerType::ThirdParty,
    [r#""C:\Program Files\7-Zip\7zFM.exe" "C:\Users\{user}\Downloads\logs_{n}.zip""#,]
);
