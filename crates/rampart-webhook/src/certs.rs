//! A throw-away certificate authority and serving certificate for tests and development
//! clusters (`rampart webhook certs`). Production clusters should use cert-manager or their
//! own PKI; the webhook reloads whatever certificate is mounted.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use time::{Duration, OffsetDateTime};

/// PEM texts of a CA and a serving certificate it signed.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub ca_cert: String,
    pub ca_key: String,
    pub cert: String,
    pub key: String,
}

#[derive(Debug, thiserror::Error)]
#[error("certificate generation failed: {0}")]
pub struct CertError(#[from] rcgen::Error);

/// The names a webhook Service is reached by: `<service>`, `<service>.<ns>`,
/// `<service>.<ns>.svc` and `<service>.<ns>.svc.cluster.local`.
pub fn service_names(service: &str, namespace: &str) -> Vec<String> {
    vec![
        service.to_string(),
        format!("{service}.{namespace}"),
        format!("{service}.{namespace}.svc"),
        format!("{service}.{namespace}.svc.cluster.local"),
    ]
}

/// A new CA (valid 10 years) and a serving certificate (valid `days`, `serverAuth`) whose
/// subjectAltNames are `names` (IP addresses become IP SANs).
pub fn generate(names: &[String], days: i64) -> Result<Bundle, CertError> {
    let now = OffsetDateTime::now_utc();
    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name = name("rampart-webhook-ca");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca.not_before = now - Duration::hours(1);
    ca.not_after = now + Duration::days(3650);
    let ca_cert = ca.self_signed(&ca_key)?;

    let key = KeyPair::generate()?;
    let mut leaf = CertificateParams::new(names.to_vec())?;
    leaf.distinguished_name = name(names.first().map_or("rampart-webhook", String::as_str));
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    leaf.not_before = now - Duration::hours(1);
    leaf.not_after = now + Duration::days(days.max(1));
    let issuer = Issuer::from_params(&ca, &ca_key);
    let cert = leaf.signed_by(&key, &issuer)?;
    Ok(Bundle {
        ca_cert: ca_cert.pem(),
        ca_key: ca_key.serialize_pem(),
        cert: cert.pem(),
        key: key.serialize_pem(),
    })
}

fn name(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_pem() {
        let b = generate(&["localhost".into(), "127.0.0.1".into()], 30);
        let b = b.map_err(|e| e.to_string());
        assert!(b
            .as_ref()
            .is_ok_and(|b| b.ca_cert.starts_with("-----BEGIN CERTIFICATE-----")
                && b.key.contains("PRIVATE KEY")));
        assert_eq!(service_names("w", "ns")[2], "w.ns.svc");
    }
}
