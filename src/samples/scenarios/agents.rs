//! Planted connections of the Action1 agent and files signed by Level.

use super::tools::*;
use super::{Planter, Role, RuleKey, When};
use crate::samples::binaries::{Binary, SERVICES};
use crate::samples::certificate::CertSpec;
use crate::samples::network::NetSpec;

const DIGICERT: &str = "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1";

/// An Action1 connection from `process` on `device`.
fn conn<'c>(p: &Planter<'c>, device: usize, time: i64, process: &'static Binary, url: &str, ip: &str) -> NetSpec<'c> {
    NetSpec {
        device,
        time,
        process,
        parent: &SERVICES,
        account: &p.catalog.system,
        action: "ConnectionSuccess",
        remote_ip: ip.to_string().into(),
        remote_port: 443,
        remote_url: url.to_string().into(),
        protocol: "Tcp",
        command: None,
        folder: None,
    }
}

/// Action1: the agent phoning home from a few unmanaged desks, and the
/// agent deployed by five other management tools (look-alikes).
pub(super) fn action1(p: &mut Planter<'_>) {
    let key = RuleKey::Action1;
    let tps: [(&str, usize, &str, &str, When); 6] = [
        ("ws-eng-", 2, "https://server.action1.com/agent/v2/heartbeat", "3.215.44.187", When::Inside),
        ("ws-eng-", 2, "https://server.action1.com/agent/v2/heartbeat", "3.215.44.187", When::Inside),
        ("ws-eng-", 2, "server.action1.com", "3.215.44.187", When::JustInside),
        ("ws-fin-", 6, "https://server.action1.com/agent/v2/tasks", "54.86.120.9", When::Inside),
        ("ws-mkt-", 3, "eu.server.action1.com", "18.197.61.205", When::Inside),
        ("ws-mkt-", 3, "https://eu.server.action1.com/agent/v2/heartbeat", "18.197.61.205", When::Inside),
    ];
    for (stem, k, url, ip, when) in tps {
        let device = p.device(stem, k);
        let time = p.time(when);
        let spec = conn(p, device, time, &ACTION1_AGENT, url, ip);
        p.network(key, Role::TruePositive, spec);
    }
    for when in [When::JustOutside, When::Outside] {
        let device = p.device("ws-eng-", 2);
        let time = p.time(when);
        let spec =
            conn(p, device, time, &ACTION1_AGENT, "https://server.action1.com/agent/v2/heartbeat", "3.215.44.187");
        p.network(key, Role::OutsideWindow, spec);
    }
    // Each scenario: the agent under the deploying tool's file name, and the
    // agent talking to the tool's on-premises relay address.
    let looks: [(&'static Binary, &str, &str); 5] = [
        (&A1_SETUP, "10.10.10.10", "srv-sccm-"),
        (&A1_NCC, "10.10.10.20", "srv-sam-"),
        (&A1_ALTIRIS, "10.10.10.30", "srv-app-"),
        (&A1_INTUNE, "10.10.10.40", "ws-it-"),
        (&A1_VSA, "10.10.10.50", "srv-kaseya-"),
    ];
    for (scenario, (process, relay, stem)) in looks.into_iter().enumerate() {
        let device = p.device(stem, scenario);
        let time = p.time(When::Inside);
        let spec = conn(p, device, time, process, "https://server.action1.com/agent/v2/deploy", "3.215.44.187");
        p.network(key, Role::LookAlike(scenario), spec);
        let time = p.time(When::Inside);
        let spec = conn(p, device, time, &ACTION1_AGENT, "https://server.action1.com/agent/v2/heartbeat", relay);
        p.network(key, Role::LookAlike(scenario), spec);
    }
    // Near misses: the phrase server.action1.com is not aligned on term boundaries.
    for (k, url, ip) in [
        (4usize, "agent.server.action1.community", "104.21.77.3"),
        (5, "https://xserver.action1.com/agent", "172.67.150.12"),
        (5, "xserver.action1.com", "172.67.150.12"),
    ] {
        let device = p.device("ws-sales-", k);
        let time = p.time(When::Inside);
        let spec = conn(p, device, time, &ACTION1_AGENT, url, ip);
        p.network(key, Role::NearMiss, spec);
    }
}

/// Level: its agent's signed files on a few desks, on the servers of the five
/// management tools in the seed's scenarios, and signers that only look alike.
pub(super) fn level(p: &mut Planter<'_>) {
    let key = RuleKey::Level;
    let level = |p: &mut Planter<'_>, device: usize, when: When, file: &str| {
        let time = p.time(when);
        CertSpec {
            device,
            time,
            sha1: crate::samples::rng::stable_hex(&format!("sha1:{file}:level-1.4.2"), 40).into(),
            signer: "Level Software, Inc.",
            issuer: DIGICERT,
            signature_type: "Embedded",
            countersigned: Some(time - 30 * crate::data::TICKS_PER_DAY),
        }
    };
    let tps = [
        ("ws-sales-", 6usize, When::Inside, "level.exe"),
        ("ws-sales-", 6, When::Inside, "level-windows-amd64.exe"),
        ("ws-fin-", 7, When::JustInside, "level.exe"),
        ("ws-hr-", 4, When::Inside, "level-remote-control.exe"),
    ];
    for (stem, k, when, file) in tps {
        let device = p.device(stem, k);
        let spec = level(p, device, when, file);
        p.certificate(key, Role::TruePositive, spec);
    }
    for when in [When::JustOutside, When::Outside] {
        let device = p.device("ws-sales-", 6);
        let spec = level(p, device, when, "level.exe");
        p.certificate(key, Role::OutsideWindow, spec);
    }
    let servers = ["srv-sccm-", "srv-kaseya-", "srv-sam-", "srv-ansible-", "ws-helpdesk-"];
    for (scenario, stem) in servers.into_iter().enumerate() {
        let device = p.device(stem, 0);
        let spec = level(p, device, When::Inside, "level-windows-amd64.exe");
        p.certificate(key, Role::LookAlike(scenario), spec);
    }
    for (k, signer) in
        [(1usize, "NextLevel Software, Inc."), (2, "Level Software Inc"), (3, "NextLevel Software, Inc.")]
    {
        let device = p.device("ws-eng-", k);
        let time = p.time(When::Inside);
        let spec = CertSpec {
            device,
            time,
            sha1: p.rng.hex(40).into(),
            signer,
            issuer: "Sectigo Public Code Signing CA R36",
            signature_type: "Embedded",
            countersigned: None,
        };
        p.certificate(key, Role::NearMiss, spec);
    }
}
