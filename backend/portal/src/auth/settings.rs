//! How the portal is registered at its identity provider, and which kind of provider it is.

use serde::Deserialize;
use std::path::PathBuf;

/// The three providers the portal signs in with, chosen by configuration only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// The identity provider `mrdp all` runs (Globus Auth compatible).
    Embedded,
    /// The real Globus Auth at `https://auth.globus.org`.
    Globus,
    /// Any standard OpenID Connect provider.
    Oidc,
}

impl ProviderKind {
    /// Globus Auth (and the embedded provider, which speaks its API) names the resource server of
    /// every token, gives refresh tokens for `access_type=offline`, and signs out at `/v2/web/logout`.
    pub fn speaks_globus(self) -> bool {
        matches!(self, Self::Embedded | Self::Globus)
    }
}

/// Where the portal's OAuth client id and secret come from.
#[derive(Clone)]
pub enum ClientCredentials {
    /// A TOML file with `client_id` and `client_secret` (the embedded provider writes one on its
    /// first start); read at the first sign-in.
    File(PathBuf),
    /// Given by configuration (`auth.client_id`, `auth.client_secret`).
    Inline {
        client_id: String,
        client_secret: String,
    },
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => write!(f, "File({})", path.display()),
            Self::Inline { client_id, .. } => write!(f, "Inline({client_id}, [redacted])"),
        }
    }
}

/// How the portal signs people in.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub kind: ProviderKind,
    /// The provider's issuer; discovery is at `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    /// Where the portal itself calls the provider (discovery, tokens, keys, revocation,
    /// userinfo), when that is not the issuer that browsers are sent to: the embedded provider's
    /// own address when a proxy gives it a public one. `None`: the issuer.
    pub back_channel: Option<String>,
    pub credentials: ClientCredentials,
    /// `<portal>/api/auth/callback`, as registered at the provider.
    pub redirect_uri: String,
    /// Space-separated scopes to ask for at sign-in.
    pub scopes: String,
    /// The Groups API the researcher's groups are read from (Globus Groups, or the embedded
    /// provider); `None`: groups are not known, and group-restricted datasets are not shown.
    pub groups_url: Option<String>,
}

impl AuthSettings {
    /// The name the vault files a token under when the provider does not say which resource
    /// server it is for (standard OIDC): the issuer's host.
    pub fn default_resource_server(&self) -> String {
        let without_scheme = self
            .issuer
            .split_once("://")
            .map_or(self.issuer.as_str(), |(_, rest)| rest);
        without_scheme
            .split(['/', '?'])
            .next()
            .unwrap_or(without_scheme)
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(issuer: &str) -> AuthSettings {
        AuthSettings {
            kind: ProviderKind::Oidc,
            issuer: issuer.to_owned(),
            back_channel: None,
            credentials: ClientCredentials::Inline {
                client_id: "portal".into(),
                client_secret: "s3cret".into(),
            },
            redirect_uri: "http://127.0.0.1/api/auth/callback".into(),
            scopes: "openid".into(),
            groups_url: None,
        }
    }

    #[test]
    fn tokens_of_a_standard_provider_are_filed_under_its_host() {
        assert_eq!(
            settings("https://login.example.edu/realms/lab").default_resource_server(),
            "login.example.edu"
        );
        assert_eq!(
            settings("http://127.0.0.1:9000").default_resource_server(),
            "127.0.0.1:9000"
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!("{:?}", settings("https://x"));
        assert!(shown.contains("portal"));
        assert!(!shown.contains("s3cret"));
    }
}
