//! `[idp]`: the embedded identity provider's public address and token lifetimes.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IdpConfig {
    /// The public base URL (`iss`) when it differs from where the service listens (behind a
    /// TLS-terminating proxy, say).
    pub issuer: Option<String>,
    /// Seconds an access token lives (Globus: 172800).
    pub access_token_lifetime: i64,
    /// Seconds a refresh token lives; each use rotates it and starts a new lifetime.
    pub refresh_token_lifetime: i64,
}

impl Default for IdpConfig {
    fn default() -> Self {
        Self {
            issuer: None,
            access_token_lifetime: mrdp_idp::settings::DEFAULT_ACCESS_TOKEN_LIFETIME,
            refresh_token_lifetime: mrdp_idp::settings::DEFAULT_REFRESH_TOKEN_LIFETIME,
        }
    }
}
