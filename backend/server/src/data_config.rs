//! `[data]`: the data server. It speaks HTTPS itself when given a certificate and its key (PEM
//! files); the `https_server` of every collection then starts with `https://`. Behind a load
//! balancer, `public_url` is where clients reach the data servers.

use anyhow::Context;
use mrdp_service::tls::Tls;
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DataConfig {
    /// The certificate chain (PEM, leaf first).
    pub tls_certificate: Option<PathBuf>,
    /// The certificate's private key (PEM).
    pub tls_private_key: Option<PathBuf>,
    /// Where browsers and clients reach the data servers (`https://data.example.edu`, in front
    /// of several): collections' `https_server` and signed URLs start with it. Unset: the data
    /// server's own address.
    pub public_url: Option<String>,
}

impl DataConfig {
    pub fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.tls_certificate.is_some() == self.tls_private_key.is_some(),
            "data.tls_certificate and data.tls_private_key: set both, or neither"
        );
        if let Some(url) = &self.public_url {
            anyhow::ensure!(
                (url.starts_with("http://") || url.starts_with("https://")) && !url.ends_with('/'),
                "data.public_url: `{url}` is not an http(s) URL without a trailing slash"
            );
        }
        Ok(())
    }

    /// Where clients reach the data servers: `public_url`, or `own` (where this configuration's
    /// data server is reached).
    pub fn public_url(&self, own: &str) -> String {
        self.public_url.clone().unwrap_or_else(|| own.to_owned())
    }

    /// The TLS configuration, when the data server speaks HTTPS.
    pub fn tls(&self) -> anyhow::Result<Option<Tls>> {
        match (&self.tls_certificate, &self.tls_private_key) {
            (Some(certificate), Some(key)) => Tls::from_pem_files(certificate, key)
                .map(Some)
                .context("data.tls_certificate / data.tls_private_key"),
            _ => Ok(None),
        }
    }
}
