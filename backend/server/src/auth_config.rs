//! `[auth]`: which identity provider the portal signs people in with. Three presets, chosen by
//! `auth.provider` alone; the other keys override a preset's defaults.
//!
//! | provider   | issuer                          | client                                  | default scopes |
//! |------------|---------------------------------|-----------------------------------------|----------------|
//! | `embedded` | the `idp` service               | written by its first start              | OIDC + transfer + groups + catalog HTTPS + graph |
//! | `globus`   | `https://auth.globus.org`       | `client_id` + `client_secret` (or file) | OIDC + transfer + groups + catalog HTTPS (+ `graph_scope`) |
//! | `oidc`     | `issuer` (required)             | `client_id` + `client_secret` (or file) | `openid profile email offline_access` |

use mrdp_portal::auth::settings::{AuthSettings, ClientCredentials, ProviderKind};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Globus Auth's production issuer.
pub const GLOBUS_ISSUER: &str = "https://auth.globus.org";
/// Globus Groups' production API.
pub const GLOBUS_GROUPS_URL: &str = "https://groups.api.globus.org";
/// Globus Groups' scope for the signed-in person's groups: the portal learns them at sign-in.
pub const VIEW_MY_GROUPS_SCOPE: &str =
    "urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships";
/// The Globus Transfer scope, as Globus spells it.
pub const TRANSFER_SCOPE: &str = "urn:globus:auth:scope:transfer.api.globus.org:all";
const OIDC_SCOPES: &str = "openid profile email";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    pub provider: ProviderKind,
    /// The provider's issuer URL (discovery at `<issuer>/.well-known/openid-configuration`).
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    /// Better given as `MRDP_AUTH__CLIENT_SECRET` than written in a file.
    pub client_secret: Option<ClientSecret>,
    /// A TOML file with `client_id` and `client_secret`, instead of the two keys.
    pub credentials_file: Option<PathBuf>,
    /// Space-separated scopes to ask for; replaces the preset's.
    pub scopes: Option<String>,
    /// `globus`: the graph service's scope, as registered at Globus (added to the default scopes).
    pub graph_scope: Option<String>,
    /// The Groups API the researcher's groups are read from (`globus`: Globus Groups; `oidc`:
    /// none unless given; `embedded`: the embedded provider).
    pub groups_url: Option<String>,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            provider: ProviderKind::Embedded,
            issuer: None,
            client_id: None,
            client_secret: None,
            credentials_file: None,
            scopes: None,
            graph_scope: None,
            groups_url: None,
        }
    }
}

/// A client secret: deserialised from configuration, never shown by `Debug`.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct ClientSecret(String);

impl ClientSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }
}

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// What the embedded deployment knows that a preset needs.
#[derive(Debug)]
pub struct Embedded<'a> {
    /// The embedded provider's issuer.
    pub issuer: &'a str,
    /// Where the embedded provider listens, which the portal calls.
    pub address: &'a str,
    /// Where its first start wrote the portal's client.
    pub credentials_file: PathBuf,
    /// The graph service's scope at the embedded provider, once it is registered.
    pub graph_scope: Option<String>,
    /// The HTTPS scope of the catalog's collection: the portal lists and signs the datasets'
    /// files as the researcher.
    pub catalog_scope: String,
    /// The HTTPS scope of the graph service's results collection: the portal signs the URLs of
    /// a researcher's charts as them. Asked for with the graph scope.
    pub graph_results_scope: String,
}

impl AuthConfig {
    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(issuer) = &self.issuer {
            anyhow::ensure!(
                (issuer.starts_with("http://") || issuer.starts_with("https://"))
                    && !issuer.ends_with('/'),
                "auth.issuer: `{issuer}` is not an http(s) URL without a trailing slash"
            );
        }
        anyhow::ensure!(
            self.client_id.is_some() == self.client_secret.is_some(),
            "auth.client_id and auth.client_secret: give both or neither"
        );
        anyhow::ensure!(
            !(self.client_id.is_some() && self.credentials_file.is_some()),
            "auth.credentials_file: give it or auth.client_id, not both"
        );
        if self.provider == ProviderKind::Embedded {
            return Ok(());
        }
        anyhow::ensure!(
            self.client_id.is_some() || self.credentials_file.is_some(),
            "auth.client_id: required for the `{}` provider (or auth.credentials_file)",
            self.provider_name()
        );
        anyhow::ensure!(
            self.provider != ProviderKind::Oidc || self.issuer.is_some(),
            "auth.issuer: required for the `oidc` provider"
        );
        Ok(())
    }

    fn provider_name(&self) -> &'static str {
        match self.provider {
            ProviderKind::Embedded => "embedded",
            ProviderKind::Globus => "globus",
            ProviderKind::Oidc => "oidc",
        }
    }

    /// The portal's sign-in settings for this configuration.
    pub fn settings(&self, embedded: Embedded<'_>, portal_url: &str) -> AuthSettings {
        let kind = self.provider;
        let preset_issuer = match kind {
            ProviderKind::Embedded => embedded.issuer,
            ProviderKind::Globus => GLOBUS_ISSUER,
            // `validate` requires `auth.issuer` for a standard provider.
            ProviderKind::Oidc => "",
        };
        let credentials = match (&self.client_id, &self.client_secret, &self.credentials_file) {
            (Some(client_id), Some(ClientSecret(client_secret)), _) => ClientCredentials::Inline {
                client_id: client_id.clone(),
                client_secret: client_secret.clone(),
            },
            (_, _, Some(file)) => ClientCredentials::File(file.clone()),
            _ => ClientCredentials::File(embedded.credentials_file),
        };
        let scopes = self.scopes.clone().unwrap_or_else(|| {
            let graph = match kind {
                ProviderKind::Embedded => embedded.graph_scope,
                _ => self.graph_scope.clone(),
            };
            match kind {
                ProviderKind::Oidc => format!("{OIDC_SCOPES} offline_access"),
                _ => [
                    format!("{OIDC_SCOPES} {TRANSFER_SCOPE} {VIEW_MY_GROUPS_SCOPE}"),
                    embedded.catalog_scope,
                ]
                .into_iter()
                .chain(graph.map(|graph| format!("{graph} {}", embedded.graph_results_scope)))
                .collect::<Vec<_>>()
                .join(" "),
            }
        });
        // The embedded provider behind a proxy that gives it another (public) address.
        let back_channel = (kind == ProviderKind::Embedded
            && self.issuer.is_none()
            && embedded.address != embedded.issuer)
            .then(|| embedded.address.to_owned());
        AuthSettings {
            kind,
            issuer: self
                .issuer
                .clone()
                .unwrap_or_else(|| preset_issuer.to_owned()),
            credentials,
            back_channel: back_channel.clone(),
            redirect_uri: format!("{portal_url}/api/auth/callback"),
            scopes,
            groups_url: match kind {
                ProviderKind::Embedded => Some(back_channel.unwrap_or(embedded.issuer.to_owned())),
                ProviderKind::Globus => self
                    .groups_url
                    .clone()
                    .or_else(|| Some(GLOBUS_GROUPS_URL.to_owned())),
                ProviderKind::Oidc => self.groups_url.clone(),
            },
        }
    }
}

/// The embedded deployment's client file for the portal, under the data directory.
pub fn embedded_credentials_file(data_dir: &Path, client: &str) -> PathBuf {
    data_dir
        .join("secrets")
        .join("clients")
        .join(format!("{client}.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> Embedded<'static> {
        Embedded {
            issuer: "http://127.0.0.1:8081",
            address: "http://127.0.0.1:8081",
            credentials_file: PathBuf::from("var/secrets/clients/portal.toml"),
            graph_scope: Some("https://auth.globus.org/scopes/g/all".into()),
            catalog_scope: "https://auth.globus.org/scopes/c/https".into(),
            graph_results_scope: "https://auth.globus.org/scopes/r/https".into(),
        }
    }

    fn with(provider: ProviderKind) -> AuthConfig {
        AuthConfig {
            provider,
            ..AuthConfig::default()
        }
    }

    #[test]
    fn behind_a_proxy_the_portal_calls_the_embedded_provider_where_it_listens() {
        let direct = AuthConfig::default().settings(embedded(), "http://127.0.0.1:8080");
        assert_eq!(direct.back_channel, None);
        let proxied = Embedded {
            issuer: "https://login.example.edu",
            ..embedded()
        };
        let settings = AuthConfig::default().settings(proxied, "https://portal.example.edu");
        assert_eq!(settings.issuer, "https://login.example.edu");
        assert_eq!(
            settings.back_channel.as_deref(),
            Some("http://127.0.0.1:8081")
        );
        assert_eq!(
            settings.groups_url.as_deref(),
            Some("http://127.0.0.1:8081")
        );
    }

    #[test]
    fn the_default_is_the_embedded_provider_with_transfer_groups_catalog_graph_and_its_results() {
        let settings = AuthConfig::default().settings(embedded(), "http://127.0.0.1:8080");
        assert_eq!(settings.issuer, "http://127.0.0.1:8081");
        assert_eq!(
            settings.scopes,
            format!(
                "openid profile email {TRANSFER_SCOPE} {VIEW_MY_GROUPS_SCOPE} \
                 https://auth.globus.org/scopes/c/https https://auth.globus.org/scopes/g/all \
                 https://auth.globus.org/scopes/r/https"
            )
        );
        assert_eq!(
            settings.redirect_uri,
            "http://127.0.0.1:8080/api/auth/callback"
        );
        assert!(matches!(settings.credentials, ClientCredentials::File(_)));
    }

    #[test]
    fn the_globus_preset_has_the_production_issuer_and_scope_strings() {
        let config = AuthConfig {
            client_id: Some("c".into()),
            client_secret: Some(ClientSecret::new("s")),
            graph_scope: Some("https://auth.globus.org/scopes/abc/all".into()),
            ..with(ProviderKind::Globus)
        };
        config.validate().unwrap();
        let settings = config.settings(embedded(), "https://portal.example.org");
        assert_eq!(settings.issuer, "https://auth.globus.org");
        assert_eq!(
            settings.scopes,
            "openid profile email urn:globus:auth:scope:transfer.api.globus.org:all \
             urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships \
             https://auth.globus.org/scopes/c/https https://auth.globus.org/scopes/abc/all \
             https://auth.globus.org/scopes/r/https"
        );
        assert!(matches!(
            settings.credentials,
            ClientCredentials::Inline { .. }
        ));
    }

    #[test]
    fn a_standard_provider_needs_an_issuer_and_a_client() {
        let error = with(ProviderKind::Oidc).validate().unwrap_err();
        assert!(error.to_string().starts_with("auth.client_id:"), "{error}");
        let config = AuthConfig {
            credentials_file: Some("portal.toml".into()),
            ..with(ProviderKind::Oidc)
        };
        let error = config.validate().unwrap_err();
        assert!(error.to_string().starts_with("auth.issuer:"), "{error}");
        let config = AuthConfig {
            issuer: Some("https://login.example.edu".into()),
            ..config
        };
        config.validate().unwrap();
        let settings = config.settings(embedded(), "http://p");
        assert_eq!(settings.scopes, "openid profile email offline_access");
        assert_eq!(settings.issuer, "https://login.example.edu");
    }

    #[test]
    fn half_a_client_is_refused_and_the_secret_is_never_shown() {
        let config = AuthConfig {
            client_id: Some("c".into()),
            ..with(ProviderKind::Globus)
        };
        assert!(config.validate().is_err());
        let config = AuthConfig {
            client_secret: Some(ClientSecret::new("hunter2")),
            ..config
        };
        assert!(!format!("{config:?}").contains("hunter2"));
    }
}
