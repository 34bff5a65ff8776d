//! Run-specific command-line arguments for the enterprise profile: what
//! makes nine in ten real command lines unique.

use std::fmt::Write as _;

use super::rng::Rng;

/// Appends the arguments that differ per run, as the binary family shows them.
pub(super) fn run_arguments(out: &mut String, file: &str, rng: &mut Rng) {
    // Writing to a String cannot fail.
    let _ = match file {
        "chrome.exe" | "msedge.exe" | "msedgewebview2.exe" | "ms-teams.exe" | "Teams.exe" | "Code.exe" => write!(
            out,
            " --type=renderer --renderer-client-id={} --launch-time-ticks={} --field-trial-handle={},i,{},{},262144 /prefetch:1",
            rng.range(4, 400),
            rng.range(1_000_000_000, 99_999_999_999),
            rng.range(1_000, 9_999),
            rng.range(1 << 40, 1 << 62),
            rng.range(1 << 40, 1 << 62)
        ),
        "powershell.exe" => {
            let n = 40 + rng.below(80) as usize;
            out.push_str(" -NoProfile -EncodedCommand ");
            base64ish(out, rng, n);
            Ok(())
        }
        "cmd.exe" => {
            out.push_str(" /d /c \"C:\\Windows\\TEMP\\");
            push_guid(out, rng);
            out.push_str(".cmd\"");
            Ok(())
        }
        "msiexec.exe" => {
            out.push_str(" /V /L*v \"C:\\Windows\\Temp\\MSI");
            push_hex(out, rng, 5);
            out.push_str(".LOG\"");
            Ok(())
        }
        "rundll32.exe" => {
            out.push(' ');
            push_hex(out, rng, 8);
            write!(out, ",#{}", rng.range(1, 400))
        }
        "svchost.exe" => {
            out.push_str(" -p -s ");
            push_hex(out, rng, 12);
            Ok(())
        }
        "git.exe" => {
            out.push_str(" -c credential.helper= fetch --no-tags origin ");
            push_hex(out, rng, 40);
            Ok(())
        }
        "7z.exe" | "7zG.exe" => {
            write!(out, " x \"C:\\Users\\Public\\Downloads\\export_{}.zip\"", rng.range(1, 999_999))
        }
        "sqlservr.exe" | "w3wp.exe" => {
            let written = write!(out, " -ap \"Pool{}\" -v \"v4.0\" -a \\\\.\\pipe\\iisipm", rng.range(1, 99));
            push_guid(out, rng);
            written
        }
        _ => {
            out.push_str(" /session:");
            push_guid(out, rng);
            write!(out, " /pid:{}", rng.range(1, 16_383) * 4)
        }
    };
}

/// Appends a GUID ([`Rng::guid`]'s text).
fn push_guid(out: &mut String, rng: &mut Rng) {
    let mut guid = [0; 36];
    rng.guid_into(&mut guid);
    out.push_str(std::str::from_utf8(&guid).unwrap_or_default());
}

/// Appends `n` hex digits ([`Rng::hex`]'s text).
fn push_hex(out: &mut String, rng: &mut Rng, n: usize) {
    let mut digits = [0; 64];
    let digits = &mut digits[..n.min(64)];
    rng.fill_hex(digits);
    out.push_str(std::str::from_utf8(digits).unwrap_or_default());
}

/// Appends base64 text of `n` characters (an encoded PowerShell command's shape).
fn base64ish(out: &mut String, rng: &mut Rng, n: usize) {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    out.extend((0..n).map(|_| char::from(DIGITS[rng.below(64) as usize])));
}
