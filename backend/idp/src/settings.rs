//! How the identity provider is configured by the process that runs it.

use std::path::PathBuf;

/// 48 hours, as in every Globus token response.
pub const DEFAULT_ACCESS_TOKEN_LIFETIME: i64 = 172_800;
/// About six months (Globus: refresh tokens expire after six months of no use).
pub const DEFAULT_REFRESH_TOKEN_LIFETIME: i64 = 182 * 24 * 3600;

#[derive(Debug, Clone)]
pub struct IdpSettings {
    /// This server's public base URL without a trailing slash: the `iss` of its tokens and the
    /// root of every URL that discovery advertises.
    pub issuer: String,
    /// Seconds an access token stays valid.
    pub access_token_lifetime: i64,
    /// Seconds a refresh token stays valid.
    pub refresh_token_lifetime: i64,
    /// Where the signing key is generated on first start (0600).
    pub secrets_dir: PathBuf,
}

impl IdpSettings {
    pub fn new(issuer: impl Into<String>, secrets_dir: PathBuf) -> Self {
        Self {
            issuer: issuer.into().trim_end_matches('/').to_owned(),
            access_token_lifetime: DEFAULT_ACCESS_TOKEN_LIFETIME,
            refresh_token_lifetime: DEFAULT_REFRESH_TOKEN_LIFETIME,
            secrets_dir,
        }
    }

    /// An absolute URL of this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }
}
