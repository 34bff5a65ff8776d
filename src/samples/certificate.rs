//! `DeviceFileCertificateInfo` rows: the signing certificate of a file seen
//! on a device.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rustc_hash::FxHashMap;

use super::binaries::{ALL, Binary, SignerType};
use super::catalog::Catalog;
use super::rng::{Rng, fnv1a, stable_hex};
use super::row::{Cell, Layout, Row, RowBuilder};
use super::{Event, Noise};
use crate::data::TICKS_PER_DAY;

/// What one certificate observation looks like.
pub struct CertSpec {
    /// Index of the device in the catalogue.
    pub device: usize,
    /// `Timestamp` in ticks.
    pub time: i64,
    /// `SHA1` of the signed file.
    pub sha1: Cell,
    /// `Signer`.
    pub signer: &'static str,
    /// `Issuer`.
    pub issuer: &'static str,
    /// `SignatureType` (`Embedded`, `Catalog`).
    pub signature_type: &'static str,
    /// When the file was countersigned (time-stamped), if it was.
    pub countersigned: Option<i64>,
}

impl CertSpec {
    /// The observation of a catalogue binary's signature.
    pub fn of_binary(binary: &'static Binary, device: usize, time: i64, rng: &mut Rng) -> CertSpec {
        CertSpec {
            device,
            time,
            sha1: binary.sha1().into(),
            signer: binary.signer,
            issuer: binary.issuer,
            signature_type: if binary.signer_type == SignerType::OsVendor { "Catalog" } else { "Embedded" },
            countersigned: rng.chance(85).then(|| time - rng.range(20, 400) * TICKS_PER_DAY),
        }
    }
}

/// The CRL distribution points an issuer's certificates name.
fn crl_urls(issuer: &str) -> String {
    let stem: String = issuer.chars().filter(char::is_ascii_alphanumeric).collect();
    if issuer.starts_with("Microsoft") {
        format!(r#"["http://www.microsoft.com/pkiops/crl/{stem}.crl"]"#)
    } else if issuer.starts_with("DigiCert") {
        format!(r#"["http://crl3.digicert.com/{stem}.crl","http://crl4.digicert.com/{stem}.crl"]"#)
    } else {
        let host = issuer.split_whitespace().next().unwrap_or("ca").to_ascii_lowercase();
        format!(r#"["http://crl.{host}.com/{stem}.crl"]"#)
    }
}

/// What a certificate's signer and issuer fix: hashes, serial, CRLs and validity.
struct CertFacts {
    signer_hash: Arc<str>,
    issuer_hash: Arc<str>,
    serial: Arc<str>,
    crl: Arc<str>,
    issued: i64,
    expires: i64,
}

impl CertFacts {
    fn new(signer: &str, issuer: &str) -> CertFacts {
        let cert_key = format!("{signer}|{issuer}");
        // Validity: issued some time in the two years before the samples, valid 1–3 years.
        let issued = super::clock::NOW - (40 + (fnv1a(&cert_key) % 700) as i64) * TICKS_PER_DAY;
        let expires = issued + (365 + (fnv1a(&cert_key) >> 20) as i64 % 730) * TICKS_PER_DAY;
        CertFacts {
            signer_hash: stable_hex(&format!("signer:{cert_key}"), 40).into(),
            issuer_hash: stable_hex(&format!("issuer:{issuer}"), 40).into(),
            serial: stable_hex(&format!("serial:{cert_key}"), 32).into(),
            crl: crl_urls(issuer).into(),
            issued,
            expires,
        }
    }

    /// The facts of a certificate, made once per run and shared by its rows.
    fn of(signer: &'static str, issuer: &'static str) -> Arc<CertFacts> {
        type Cache = Mutex<FxHashMap<(&'static str, &'static str), Arc<CertFacts>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let mut cache = CACHE.get_or_init(Cache::default).lock().unwrap_or_else(PoisonError::into_inner);
        cache.entry((signer, issuer)).or_insert_with(|| Arc::new(CertFacts::new(signer, issuer))).clone()
    }
}

/// Builds one certificate row. Certificate facts (serial, validity, hashes)
/// are fixed by signer and issuer, as they are for a real certificate.
pub fn certificate_row(layout: &Layout, catalog: &Catalog, spec: &CertSpec) -> Row {
    let device = &catalog.devices[spec.device.min(catalog.devices.len().saturating_sub(1))];
    let facts = CertFacts::of(spec.signer, spec.issuer);
    let mut b = RowBuilder::new(layout);
    b.set("Timestamp", Cell::Time(spec.time))
        .set("DeviceId", device.id.clone())
        .set("DeviceName", device.name.clone())
        .set("SHA1", spec.sha1.clone())
        .set("IsSigned", Cell::Bool(true))
        .set("SignatureType", spec.signature_type)
        .set("Signer", spec.signer)
        .set("SignerHash", &facts.signer_hash)
        .set("Issuer", spec.issuer)
        .set("IssuerHash", &facts.issuer_hash)
        .set("CertificateSerialNumber", &facts.serial)
        .set("CrlDistributionPointUrls", &facts.crl)
        .set("CertificateCreationTime", Cell::Time(facts.issued))
        .set("CertificateExpirationTime", Cell::Time(facts.expires))
        .set("CertificateCountersignatureTime", spec.countersigned.map_or(Cell::Null, Cell::Time))
        .set("IsTrusted", Cell::Bool(true))
        .set("IsRootSignerMicrosoft", Cell::Bool(spec.issuer.starts_with("Microsoft")));
    b.finish()
}

/// Background certificate observations of the catalogue's signed binaries.
pub struct CertificateNoise<'c> {
    layout: &'c Layout,
    catalog: &'c Catalog,
    rng: Rng,
    signed: Vec<&'static Binary>,
}

impl<'c> CertificateNoise<'c> {
    /// A noise source with its own random stream.
    pub fn new(layout: &'c Layout, catalog: &'c Catalog, seed: u64) -> CertificateNoise<'c> {
        let signed = ALL.iter().copied().filter(|b| !b.signer.is_empty()).collect();
        CertificateNoise { layout, catalog, rng: Rng::derive(seed, "certificate-noise"), signed }
    }
}

impl Noise for CertificateNoise<'_> {
    fn event(&mut self, time: i64) -> Event {
        let device = self.rng.below(self.catalog.devices.len() as u64) as usize;
        let binary = self.rng.pick(&self.signed).copied().unwrap_or(&super::binaries::SVCHOST);
        let spec = CertSpec::of_binary(binary, device, time, &mut self.rng);
        Event { device, time, row: certificate_row(self.layout, self.catalog, &spec) }
    }

    fn restart(&mut self, seed: u64, chunk: u64) {
        self.rng = Rng::derive_chunk(seed, "certificate-noise", chunk);
    }
}
