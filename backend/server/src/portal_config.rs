//! `[portal]`: the portal's sessions, its token vault key, which origins' pages may call its API
//! (CORS), and its rate limits.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mrdp_portal::auth::session::SessionLifetimes;
use mrdp_portal::is_origin;
use mrdp_portal::rate_limits::RateLimitSettings;
use mrdp_service::vault::VaultKey;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PortalConfig {
    /// Seconds a session may go unused before it ends.
    pub session_idle_lifetime: i64,
    /// Seconds after which a session ends however much it is used.
    pub session_absolute_lifetime: i64,
    /// The token vault's key, base64 of 32 bytes (every replica of a portal sharing a database
    /// needs the same). Unset: generated into `<data_dir>/secrets/portal-vault.key`.
    pub vault_key: Option<VaultKeyText>,
    /// The collection whose folders hold the catalog's datasets, and on which the catalog keeps
    /// one read rule per dataset. Unset: the embedded deployment's "Research data catalog".
    pub catalog_collection: Option<String>,
    /// The portal's address as browsers reach it, when not its own listening address: behind a
    /// reverse proxy, or through `trunk serve` (`http://127.0.0.1:8090`). Sign-ins return there.
    pub public_url: Option<String>,
    /// Origins (`https://host[:port]`) whose web pages may call the API from a browser, with
    /// credentials. None by default: only the portal's own pages.
    pub cors_allowed_origins: Vec<String>,
    /// `[portal.rate_limit]`.
    pub rate_limit: RateLimitSettings,
}

impl Default for PortalConfig {
    fn default() -> Self {
        let lifetimes = SessionLifetimes::default();
        Self {
            session_idle_lifetime: lifetimes.idle,
            session_absolute_lifetime: lifetimes.absolute,
            vault_key: None,
            catalog_collection: None,
            public_url: None,
            cors_allowed_origins: Vec::new(),
            rate_limit: RateLimitSettings::default(),
        }
    }
}

/// The vault key as configured: never shown by `Debug`.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct VaultKeyText(String);

impl std::fmt::Debug for VaultKeyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl PortalConfig {
    pub fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.session_idle_lifetime >= 60,
            "portal.session_idle_lifetime: at least 60 seconds"
        );
        anyhow::ensure!(
            self.session_absolute_lifetime >= self.session_idle_lifetime,
            "portal.session_absolute_lifetime: at least portal.session_idle_lifetime"
        );
        self.configured_vault_key()?;
        if let Some(url) = self.public_url.as_deref().filter(|url| !is_origin(url)) {
            anyhow::bail!(
                "portal.public_url: {url:?} is not scheme://host[:port] (no path, no trailing slash)"
            );
        }
        if let Some(origin) = self.cors_allowed_origins.iter().find(|o| !is_origin(o)) {
            anyhow::bail!(
                "portal.cors_allowed_origins: {origin:?} is not an origin (scheme://host[:port], no path, no wildcard)"
            );
        }
        anyhow::ensure!(
            self.rate_limit.burst_seconds >= 1,
            "portal.rate_limit.burst_seconds: at least 1"
        );
        Ok(())
    }

    pub fn session_lifetimes(&self) -> SessionLifetimes {
        SessionLifetimes {
            idle: self.session_idle_lifetime,
            absolute: self.session_absolute_lifetime,
        }
    }

    /// The configured vault key, if one is.
    pub fn configured_vault_key(&self) -> anyhow::Result<Option<VaultKey>> {
        let Some(VaultKeyText(text)) = &self.vault_key else {
            return Ok(None);
        };
        STANDARD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| VaultKey::from_bytes(&bytes))
            .map(Some)
            .ok_or_else(|| anyhow::anyhow!("portal.vault_key: not base64 of exactly 32 bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cors_origins_must_be_origins_and_never_a_wildcard() {
        let config = |origins: &[&str]| PortalConfig {
            cors_allowed_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
            ..PortalConfig::default()
        };
        config(&["https://notebooks.example.org", "http://127.0.0.1:8090"])
            .validate()
            .unwrap();
        for bad in ["*", "https://example.org/app"] {
            let error = config(&[bad]).validate().unwrap_err().to_string();
            assert!(error.starts_with("portal.cors_allowed_origins:"), "{error}");
        }
    }

    #[test]
    fn lifetimes_must_make_sense() {
        let config = PortalConfig {
            session_idle_lifetime: 10,
            ..PortalConfig::default()
        };
        let error = config.validate().unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("portal.session_idle_lifetime:")
        );
        let config = PortalConfig {
            session_idle_lifetime: 7200,
            session_absolute_lifetime: 3600,
            ..PortalConfig::default()
        };
        let error = config.validate().unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("portal.session_absolute_lifetime:")
        );
    }

    #[test]
    fn a_configured_vault_key_is_32_bytes_of_base64_and_never_shown() {
        let good = PortalConfig {
            vault_key: Some(VaultKeyText(STANDARD.encode([7_u8; 32]))),
            ..PortalConfig::default()
        };
        assert!(good.configured_vault_key().unwrap().is_some());
        assert!(!format!("{good:?}").contains(&STANDARD.encode([7_u8; 32])));
        for bad in ["not base64!", &STANDARD.encode([7_u8; 16])] {
            let config = PortalConfig {
                vault_key: Some(VaultKeyText(bad.to_owned())),
                ..PortalConfig::default()
            };
            let error = config.validate().unwrap_err();
            assert!(
                error.to_string().starts_with("portal.vault_key:"),
                "{error}"
            );
        }
    }
}
