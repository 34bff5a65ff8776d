//! Planted process creations for LiteManager, mRemoteNG and ConnectWise.

use super::tools::*;
use super::{Planter, Role, RuleKey, When};
use crate::samples::binaries::{Binary, CCMEXEC, EXPLORER, POWERSHELL, SERVICES, SVCHOST, USERINIT, WININIT};
use crate::samples::process::{ProcSpec, full_path};

/// LiteManager: the server component on a few workstations where nobody
/// expects it, and the console used by IT for the five benign scenarios.
pub(super) fn lite_manager(p: &mut Planter<'_>) {
    let key = RuleKey::LiteManager;
    let sys = &p.catalog.system;
    // True positives: the LiteManager server installed on finance and sales
    // workstations, its file-transfer helper, and an admin's viewer.
    let tps: [(&str, usize, &'static Binary, &'static Binary, When); 6] = [
        ("ws-fin-", 1, &ROMSERVER, &SERVICES, When::Inside),
        ("ws-fin-", 1, &ROMFUSCLIENT, &ROMSERVER, When::Inside),
        ("ws-fin-", 1, &ROMSERVER, &SERVICES, When::JustInside),
        ("ws-sales-", 2, &ROMSERVER, &SERVICES, When::Inside),
        ("ws-sales-", 2, &ROMFUSCLIENT, &ROMSERVER, When::Inside),
        ("ws-eng-", 5, &ROMVIEWER, &EXPLORER, When::Inside),
    ];
    for (stem, k, child, parent, when) in tps {
        let device = p.device(stem, k);
        let time = p.time(when);
        let user = p.owner(device);
        let (acct, grand) = if parent.file == "explorer.exe" { (user, &USERINIT) } else { (sys, &WININIT) };
        p.process(key, Role::TruePositive, ProcSpec::new(device, time, child, parent, grand, acct, acct));
    }
    for when in [When::JustOutside, When::Outside, When::Outside] {
        let device = p.device("ws-fin-", 1);
        let time = p.time(when);
        p.process(key, Role::OutsideWindow, ProcSpec::new(device, time, &ROMSERVER, &SERVICES, &WININIT, sys, sys));
    }
    // Look-alikes: IT runs the LiteManager console (LiteManager.exe) against managed machines.
    let server = |p: &Planter<'_>, k| p.device("srv-app-", k);
    let cases: [(usize, &str, Option<usize>, Option<usize>); 9] = [
        (0, r#"/scheduled_task "Nightly maintenance""#, None, None),
        (0, r#"/scheduled_task "Disk cleanup""#, None, None),
        (1, r#"/deploy "software deployment" /package "7z2408-x64.msi""#, None, None),
        (1, "/deploy /package NotepadPlusPlus-8.7.1.msi", Some(0), None),
        (2, "/monitoring /interval 300 /counters cpu,mem,disk", None, None),
        (3, r#"/connect "remote support" /ticket INC0041877"#, None, Some(0)),
        (3, "/connect /ticket INC0041902", None, Some(1)),
        (4, "/patching KB5048685 /reboot-window 02:00", None, None),
        (4, r#"/patching "2026-11 cumulative update""#, None, None),
    ];
    for (i, (scenario, args, admin, support)) in cases.into_iter().enumerate() {
        let device = if i % 2 == 0 { p.device("ws-it-", i) } else { server(p, i) };
        let time = p.time(When::Inside);
        let acct = match (admin, support) {
            (Some(a), _) => &p.catalog.it_admins[a],
            (_, Some(s)) => &p.catalog.support_users[s],
            _ => sys,
        };
        let mut s = ProcSpec::new(device, time, &ROMSERVER, &LITEMANAGER, &SERVICES, acct, acct);
        s.command = Some(format!(r#""{}" {args}"#, full_path(&ROMSERVER, "")));
        p.process(key, Role::LookAlike(scenario), s);
    }
    // Near misses: products whose names only contain LiteManager as a substring.
    for (k, child) in [(3usize, &NOT_LITEMANAGER), (4, &LITEMANAGERPRO), (6, &NOT_LITEMANAGER)] {
        let device = p.device("ws-eng-", k);
        let time = p.time(When::Inside);
        let user = p.owner(device);
        p.process(key, Role::NearMiss, ProcSpec::new(device, time, child, &EXPLORER, &USERINIT, user, user));
    }
}

/// mRemoteNG: a connection manager on ordinary desks (suspicious) and on IT
/// machines for the five prose scenarios.
pub(super) fn mremoteng(p: &mut Planter<'_>) {
    let key = RuleKey::MRemoteNg;
    for (stem, k, when) in [("ws-hr-", 1, When::Inside), ("ws-hr-", 1, When::Inside), ("ws-mkt-", 2, When::JustInside)]
    {
        let device = p.device(stem, k);
        let time = p.time(when);
        let user = p.owner(device);
        p.process(key, Role::TruePositive, ProcSpec::new(device, time, &MREMOTENG, &EXPLORER, &USERINIT, user, user));
    }
    for when in [When::JustOutside, When::Outside] {
        let device = p.device("ws-hr-", 1);
        let time = p.time(when);
        let user = p.owner(device);
        p.process(key, Role::OutsideWindow, ProcSpec::new(device, time, &MREMOTENG, &EXPLORER, &USERINIT, user, user));
    }
    let admin = &p.catalog.it_admins[0];
    let sys = &p.catalog.system;
    let looks: [(usize, &str, &'static Binary, &'static Binary, &str); 6] = [
        (
            0,
            "srv-jump-",
            &POWERSHELL,
            &EXPLORER,
            r#"powershell.exe -NoProfile -Command "Update-Module -Name PSWindowsUpdate -Force; Install-Script -Name Get-WindowsAutopilotInfo -Force; & 'C:\Program Files (x86)\mRemoteNG\mRemoteNG.exe'""#,
        ),
        (1, "srv-sam-", &SVCHOST, &SERVICES, r"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule"),
        (1, "srv-sam-", &SVCHOST, &SERVICES, r"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule"),
        (2, "srv-sccm-", &CCMEXEC, &SERVICES, r"C:\Windows\CCM\CcmExec.exe"),
        (3, "srv-jump-", &EXPLORER, &USERINIT, r"C:\Windows\Explorer.EXE"),
        (
            4,
            "srv-veeam-",
            &POWERSHELL,
            &SVCHOST,
            r#"powershell.exe -NoProfile -ExecutionPolicy Bypass -File "C:\Scripts\Veeam\Start-VeeamBackupJob.ps1" -Job "Nightly-SQL" -Repository "\\srv-file-01.contoso.local\VeeamRepo""#,
        ),
    ];
    let commands = [
        r#""C:\Program Files (x86)\mRemoteNG\mRemoteNG.exe" --cons "C:\Admin\update-targets.xml""#,
        r#""C:\Program Files (x86)\mRemoteNG\mRemoteNG.exe" --cons "C:\ProgramData\PRTG\prtg-monitoring.xml" --startup"#,
        r#""C:\Program Files (x86)\mRemoteNG\mRemoteNG.exe" --cons "C:\ProgramData\Nagios\nagios-checks.xml" --startup"#,
        r#""C:\Program Files (x86)\mRemoteNG\mRemoteNG.exe" --cons "C:\Windows\CCM\Staging\mem-agent-update.xml""#,
        r#""C:\Program Files (x86)\mRemoteNG\mRemoteNG.exe" --connect "ws-eng-015 RDP (Windows Update)""#,
        r#""C:\Program Files (x86)\mRemoteNG\mRemoteNG.exe" --cons "C:\Scripts\Veeam\backup-targets.xml""#,
    ];
    for ((scenario, stem, parent, grand, parent_cmd), cmd) in looks.into_iter().zip(commands) {
        let device = p.device(stem, 0);
        let time = p.time(When::Inside);
        let acct = if parent.file == "svchost.exe" || parent.file == "CcmExec.exe" { sys } else { admin };
        let mut s = ProcSpec::new(device, time, &MREMOTENG, parent, grand, acct, acct);
        s.command = Some(cmd.to_string());
        s.parent_command = Some(parent_cmd.to_string());
        s.elevated = !acct.builtin;
        p.process(key, Role::LookAlike(scenario), s);
    }
    for k in [7usize, 8] {
        let device = p.device("ws-eng-", k);
        let time = p.time(When::Inside);
        let user = p.owner(device);
        p.process(key, Role::NearMiss, ProcSpec::new(device, time, &MREMOTENG_PLUS, &EXPLORER, &USERINIT, user, user));
    }
}

/// ConnectWise: ScreenConnect and Continuum on a few desks (suspicious), and
/// the RMM agent's benign activity for the five filter scenarios.
pub(super) fn connectwise(p: &mut Planter<'_>) {
    let key = RuleKey::ConnectWise;
    let sys = &p.catalog.system;
    let tps: [(&str, usize, &'static Binary, &'static Binary, When); 5] = [
        ("ws-hr-", 3, &SC_CLIENTSERVICE, &SERVICES, When::Inside),
        ("ws-hr-", 3, &SC_WINDOWSCLIENT, &SC_CLIENTSERVICE, When::Inside),
        ("ws-sales-", 5, &SC_CLIENTSERVICE, &SERVICES, When::JustInside),
        ("ws-exec-", 1, &SAAZOD, &SERVICES, When::Inside),
        ("ws-fin-", 4, &LTSVC, &SERVICES, When::Inside),
    ];
    for (stem, k, child, parent, when) in tps {
        let device = p.device(stem, k);
        let time = p.time(when);
        p.process(key, Role::TruePositive, ProcSpec::new(device, time, child, parent, &WININIT, sys, sys));
    }
    for (when, child) in [(When::JustOutside, &SC_CLIENTSERVICE), (When::Outside, &SAAZOD)] {
        let device = p.device("ws-hr-", 3);
        let time = p.time(when);
        p.process(key, Role::OutsideWindow, ProcSpec::new(device, time, child, &SERVICES, &WININIT, sys, sys));
    }
    // (scenario, parent, child, sub-folder under C:\ProgramData\ConnectWise, command suffix)
    let looks: [(usize, &'static Binary, &'static Binary, Option<&str>, &str); 11] = [
        (0, &CW_PARENT, &LTSVC, None, r#"/run --scheduled_job "Log cleanup""#),
        (0, &CW_PARENT_EXE, &LTSVC, None, r#"/run --scheduled_job "Patch window""#),
        (1, &CW_PARENT, &LTSVC, Some("software_update"), "/install --package Chrome-131.msi"),
        (1, &CW_PARENT_CASED, &SC_CLIENTSERVICE, Some("software_update"), "/install --package ScreenConnect-24.3.msi"),
        (1, &CW_PARENT_EXE, &LTSVC, Some("software_update"), "/install --package Zoom-6.2.msi"),
        (2, &SERVICES, &CW_AGENT, None, "--service"),
        (2, &CW_AGENT_PARENT, &LTSVC, None, "/init"),
        (3, &CW_PARENT_CASED, &LTSVC, Some("diagnostic_script"), "/diag --collect perf"),
        (3, &CW_PARENT, &SAAZOD, Some("diagnostic_script"), "/diag --collect eventlog"),
        (4, &CW_PARENT, &LTSVC, Some("third_party_integration"), "/sync --target Intune"),
        (4, &CW_PARENT, &LTSVC, Some("third_party_integration"), "/sync --target SCCM"),
    ];
    for (i, (scenario, parent, child, sub, args)) in looks.into_iter().enumerate() {
        let device = if i % 3 == 0 { p.device("srv-app-", i) } else { p.device("ws-it-", i) };
        let time = p.time(When::Inside);
        let mut s = ProcSpec::new(device, time, child, parent, &SERVICES, sys, sys);
        let path = match sub {
            Some(sub) => format!(r"C:\ProgramData\ConnectWise\{sub}\{}", child.file),
            None => full_path(child, ""),
        };
        s.command = Some(format!(r#""{path}" {args}"#));
        s.folder = Some(path);
        p.process(key, Role::LookAlike(scenario), s);
    }
    for (stem, k, child) in [("ws-mkt-", 1usize, &SCREENCONNECTOR), ("ws-eng-", 9, &CWCONTROL_LABS)] {
        let device = p.device(stem, k);
        let time = p.time(When::Inside);
        let user = p.owner(device);
        p.process(key, Role::NearMiss, ProcSpec::new(device, time, child, &EXPLORER, &USERINIT, user, user));
    }
}
