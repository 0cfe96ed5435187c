//! TLS for the server (rustls with the ring provider, TLS 1.2 and 1.3, ALPN h2 and http/1.1)
//! with a certificate resolver whose key pair can be swapped while running: new connections get
//! the new certificate, established ones keep theirs.

use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{ClientConfig, RootCertStore, ServerConfig};

/// A certificate or key that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("TLS: {0}")]
    Rustls(#[from] rustls::Error),
}

fn file_err(path: &Path, message: impl Into<String>) -> TlsError {
    TlsError::File {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The ring provider (the only one compiled in).
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads every certificate of a PEM file.
pub fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = fs::read(path).map_err(|e| file_err(path, e.to_string()))?;
    let certs = rustls_pemfile::certs(&mut BufReader::new(pem.as_slice()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| file_err(path, format!("invalid PEM: {e}")))?;
    if certs.is_empty() {
        return Err(file_err(path, "no CERTIFICATE block found"));
    }
    Ok(certs)
}

/// Reads the first private key (PKCS#8, PKCS#1 or SEC1) of a PEM file.
pub fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let pem = fs::read(path).map_err(|e| file_err(path, e.to_string()))?;
    rustls_pemfile::private_key(&mut BufReader::new(pem.as_slice()))
        .map_err(|e| file_err(path, format!("invalid PEM: {e}")))?
        .ok_or_else(|| file_err(path, "no PRIVATE KEY block found"))
}

/// Loads a certificate chain and its key, checking that they belong together.
pub fn load_certified_key(cert: &Path, key: &Path) -> Result<CertifiedKey, TlsError> {
    let chain = read_certs(cert)?;
    let der = read_key(key)?;
    let signing = provider()
        .key_provider
        .load_private_key(der)
        .map_err(|e| file_err(key, format!("unusable private key: {e}")))?;
    let ck = CertifiedKey::new(chain, signing);
    ck.keys_match().map_err(|e| {
        file_err(
            key,
            format!("the key does not match {}: {e}", cert.display()),
        )
    })?;
    Ok(ck)
}

/// A serving certificate that can be replaced at run time.
#[derive(Debug)]
pub struct ReloadingCert {
    current: RwLock<Arc<CertifiedKey>>,
    cert_path: PathBuf,
    key_path: PathBuf,
    stamp: RwLock<FileStamp>,
}

/// What a file looked like when last loaded (modification time and length of both files).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileStamp(Vec<Option<(SystemTime, u64)>>);

impl FileStamp {
    pub fn of(paths: &[&Path]) -> Self {
        Self(
            paths
                .iter()
                .map(|p| {
                    fs::metadata(p)
                        .ok()
                        .and_then(|m| Some((m.modified().ok()?, m.len())))
                })
                .collect(),
        )
    }
}

impl ReloadingCert {
    pub fn load(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let stamp = FileStamp::of(&[cert, key]);
        let ck = load_certified_key(cert, key)?;
        Ok(Self {
            current: RwLock::new(Arc::new(ck)),
            cert_path: cert.to_path_buf(),
            key_path: key.to_path_buf(),
            stamp: RwLock::new(stamp),
        })
    }

    /// Reloads when either file changed since the last load. `Ok(true)` when swapped; on error
    /// the old certificate stays in use (and the same files are not retried until they change).
    pub fn reload_if_changed(&self) -> Result<bool, TlsError> {
        let now = FileStamp::of(&[&self.cert_path, &self.key_path]);
        let unchanged = self.stamp.read().map(|s| *s == now).unwrap_or(false);
        if unchanged {
            return Ok(false);
        }
        if let Ok(mut s) = self.stamp.write() {
            *s = now;
        }
        let ck = load_certified_key(&self.cert_path, &self.key_path)?;
        if let Ok(mut c) = self.current.write() {
            *c = Arc::new(ck);
        }
        Ok(true)
    }

    fn get(&self) -> Arc<CertifiedKey> {
        match self.current.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.get())
    }
}

/// The server's TLS configuration around a reloading certificate. With `client_ca`, clients
/// must present a certificate signed by it (kube-apiserver's optional client authentication).
pub fn server_config(
    cert: Arc<ReloadingCert>,
    client_ca: Option<&Path>,
) -> Result<ServerConfig, TlsError> {
    let builder =
        ServerConfig::builder_with_provider(provider()).with_safe_default_protocol_versions()?;
    let builder = match client_ca {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let roots = roots(ca)?;
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider(),
            )
            .build()
            .map_err(|e| file_err(ca, format!("unusable client CA: {e}")))?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let mut cfg = builder.with_cert_resolver(cert);
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(cfg)
}

fn roots(ca: &Path) -> Result<RootCertStore, TlsError> {
    let mut roots = RootCertStore::empty();
    for c in read_certs(ca)? {
        roots
            .add(c)
            .map_err(|e| file_err(ca, format!("unusable CA certificate: {e}")))?;
    }
    Ok(roots)
}

/// A client configuration trusting only the CA certificates in `ca` (tests, the load
/// generator, the API server client).
pub fn client_config(ca: &Path, alpn: &[&[u8]]) -> Result<ClientConfig, TlsError> {
    let roots = roots(ca)?;
    let mut cfg = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    cfg.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(cfg)
}
