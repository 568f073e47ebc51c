//! The provider's discovery document (OpenID Connect Discovery 1.0), and the back channel: the
//! endpoints the portal calls itself moved to where the provider listens, when browsers reach it
//! at another (public) address.

use super::{Provider, unreachable};
use crate::PortalError;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub revocation_endpoint: Option<String>,
    pub end_session_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub jwks_uri: String,
}

impl Discovery {
    /// The same, with the endpoints the portal calls (tokens, keys, revocation, userinfo) that
    /// are under `issuer` moved under `back_channel`.
    fn called_through(self, issuer: &str, back_channel: &str) -> Self {
        let moved = |url: String| match url.strip_prefix(issuer) {
            Some(path) => format!("{}{path}", back_channel.trim_end_matches('/')),
            None => url,
        };
        Self {
            token_endpoint: moved(self.token_endpoint),
            revocation_endpoint: self.revocation_endpoint.map(moved),
            userinfo_endpoint: self.userinfo_endpoint.map(moved),
            jwks_uri: moved(self.jwks_uri),
            ..self
        }
    }
}

impl Provider {
    /// The provider's discovery document, read once; with a back channel, the endpoints the
    /// portal calls itself moved onto it (browsers still go to the issuer's).
    pub async fn discovery(&self) -> Result<&Discovery, PortalError> {
        self.discovery
            .get_or_try_init(|| async {
                let issuer = self.settings.issuer.trim_end_matches('/');
                let base = self.settings.back_channel.as_deref().unwrap_or(issuer);
                let url = format!("{base}/.well-known/openid-configuration");
                let discovery: Discovery = self
                    .http
                    .get(url)
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .map_err(unreachable("discovery"))?
                    .json()
                    .await
                    .map_err(unreachable("discovery"))?;
                Ok(match &self.settings.back_channel {
                    Some(back_channel) => discovery.called_through(issuer, back_channel),
                    None => discovery,
                })
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn through_a_back_channel_the_portal_calls_the_provider_and_browsers_go_to_its_issuer() {
        let public = "https://login.example.edu";
        let discovery = Discovery {
            issuer: public.into(),
            authorization_endpoint: format!("{public}/v2/oauth2/authorize"),
            token_endpoint: format!("{public}/v2/oauth2/token"),
            revocation_endpoint: Some(format!("{public}/v2/oauth2/token/revoke")),
            end_session_endpoint: Some(format!("{public}/v2/web/logout")),
            userinfo_endpoint: Some("https://elsewhere.example.edu/userinfo".into()),
            jwks_uri: format!("{public}/jwk.json"),
        }
        .called_through(public, "http://10.0.0.5:8081/");
        assert_eq!(discovery.issuer, public);
        assert_eq!(
            discovery.authorization_endpoint,
            format!("{public}/v2/oauth2/authorize")
        );
        assert_eq!(
            discovery.end_session_endpoint,
            Some(format!("{public}/v2/web/logout"))
        );
        assert_eq!(
            discovery.token_endpoint,
            "http://10.0.0.5:8081/v2/oauth2/token"
        );
        assert_eq!(
            discovery.revocation_endpoint.as_deref(),
            Some("http://10.0.0.5:8081/v2/oauth2/token/revoke")
        );
        assert_eq!(discovery.jwks_uri, "http://10.0.0.5:8081/jwk.json");
        assert_eq!(
            discovery.userinfo_endpoint.as_deref(),
            Some("https://elsewhere.example.edu/userinfo"),
            "what is not the issuer's stays where it is"
        );
    }
}
