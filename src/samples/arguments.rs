//! Run-specific command-line arguments for the enterprise profile: what
//! makes nine in ten real command lines unique.

use super::rng::Rng;

/// Arguments that differ per run, as the binary family shows them.
pub(super) fn run_arguments(file: &str, rng: &mut Rng) -> String {
    match file {
        "chrome.exe" | "msedge.exe" | "msedgewebview2.exe" | "ms-teams.exe" | "Teams.exe" | "Code.exe" => format!(
            " --type=renderer --renderer-client-id={} --launch-time-ticks={} --field-trial-handle={},i,{},{},262144 /prefetch:1",
            rng.range(4, 400),
            rng.range(1_000_000_000, 99_999_999_999),
            rng.range(1_000, 9_999),
            rng.range(1 << 40, 1 << 62),
            rng.range(1 << 40, 1 << 62)
        ),
        "powershell.exe" => {
            let n = 40 + rng.below(80) as usize;
            format!(" -NoProfile -EncodedCommand {}", base64ish(rng, n))
        }
        "cmd.exe" => format!(" /d /c \"C:\\Windows\\TEMP\\{}.cmd\"", rng.guid()),
        "msiexec.exe" => format!(" /V /L*v \"C:\\Windows\\Temp\\MSI{}.LOG\"", rng.hex(5)),
        "rundll32.exe" => format!(" {},#{}", rng.hex(8), rng.range(1, 400)),
        "svchost.exe" => format!(" -p -s {}", rng.hex(12)),
        "git.exe" => format!(" -c credential.helper= fetch --no-tags origin {}", rng.hex(40)),
        "7z.exe" | "7zG.exe" => format!(" x \"C:\\Users\\Public\\Downloads\\export_{}.zip\"", rng.range(1, 999_999)),
        "sqlservr.exe" | "w3wp.exe" => {
            format!(" -ap \"Pool{}\" -v \"v4.0\" -a \\\\.\\pipe\\iisipm{}", rng.range(1, 99), rng.guid())
        }
        _ => format!(" /session:{} /pid:{}", rng.guid(), rng.range(1, 16_383) * 4),
    }
}

/// Base64 text of `n` characters (an encoded PowerShell command's shape).
fn base64ish(rng: &mut Rng, n: usize) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..n).map(|_| char::from(DIGITS[rng.below(64) as usize])).collect()
}
