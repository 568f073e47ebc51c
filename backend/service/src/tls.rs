//! TLS for a service that terminates it itself (the data server): a certificate chain and its
//! private key, read from PEM files, served with rustls (ring, TLS 1.2 and 1.3).

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;
use std::sync::Arc;

/// A service's TLS configuration.
#[derive(Debug, Clone)]
pub struct Tls {
    pub(crate) config: rustls::ServerConfig,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: no PEM certificate can be read: {why}")]
    Certificate { path: String, why: String },
    #[error("{path}: no PEM private key can be read: {why}")]
    PrivateKey { path: String, why: String },
    #[error("the certificate and the private key do not make a TLS configuration: {0}")]
    Unusable(#[from] rustls::Error),
}

impl Tls {
    /// The certificate chain in `certificate` (leaf first) with the private key in `key`.
    pub fn from_pem_files(certificate: &Path, key: &Path) -> Result<Self, TlsError> {
        let shown = |path: &Path| path.display().to_string();
        let chain = CertificateDer::pem_file_iter(certificate)
            .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
            .map_err(|e| TlsError::Certificate {
                path: shown(certificate),
                why: e.to_string(),
            })?;
        if chain.is_empty() {
            return Err(TlsError::Certificate {
                path: shown(certificate),
                why: "the file holds no certificate".to_owned(),
            });
        }
        let private_key = PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::PrivateKey {
            path: shown(key),
            why: e.to_string(),
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, private_key)?;
        Ok(Self { config })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_or_mismatched_files_are_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let (certificate, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        let missing = Tls::from_pem_files(&certificate, &key).unwrap_err();
        assert!(missing.to_string().contains("cert.pem"), "{missing}");
        std::fs::write(&certificate, "not a certificate").unwrap();
        let empty = Tls::from_pem_files(&certificate, &key).unwrap_err();
        assert!(empty.to_string().contains("no certificate"), "{empty}");
    }
}
