//! The OpenID Connect provider the portal signs people in with: found by discovery (kept after the
//! first success), spoken to through the `oauth2` crate (authorization URL with PKCE, code
//! exchange, refresh, revocation), its ID tokens checked by [`KeyCache`].

mod discovery;
mod sign_out;
mod userinfo;

pub use discovery::Discovery;
pub use sign_out::TokenHint;

use super::id_token::{Expected, IdClaims, KeyCache};
use super::settings::{AuthSettings, ClientCredentials};
use crate::PortalError;
use mrdp_globus::auth::Token;
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, RefreshToken, RequestTokenError, RevocationUrl, Scope, StandardRevocableToken,
    StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;

#[derive(Deserialize)]
struct Credentials {
    client_id: String,
    client_secret: String,
}

/// What a token response carries beyond RFC 6749: the ID token, and Globus Auth's resource server
/// of the main token plus one token per further resource server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProviderFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource_server: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    other_tokens: Vec<Token>,
}

impl ExtraTokenFields for ProviderFields {}

type ProviderResponse = StandardTokenResponse<ProviderFields, BasicTokenType>;
type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    ProviderResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointSet,
>;

/// Every token a sign-in or a refresh gave, one per resource server.
#[derive(Debug)]
pub struct Grant {
    pub tokens: Vec<Token>,
    pub id_token: Option<String>,
}

/// A token lifetime for providers that do not say (RFC 6749 makes `expires_in` optional).
const ASSUMED_LIFETIME: i64 = 3600;

#[derive(Debug)]
pub struct Provider {
    pub settings: AuthSettings,
    http: reqwest::Client,
    discovery: OnceCell<Discovery>,
    credentials: OnceCell<(ClientId, ClientSecret)>,
    keys: KeyCache,
}

pub(super) fn unreachable(what: &'static str) -> impl Fn(reqwest::Error) -> PortalError {
    move |e| {
        tracing::warn!(error = %e, "{what} failed");
        PortalError::Upstream(format!("the sign-in provider did not answer ({what})"))
    }
}

fn misconfigured(what: &str) -> impl Fn(oauth2::url::ParseError) -> PortalError + '_ {
    move |e| PortalError::Misconfigured(format!("the provider's {what} is not a URL: {e}"))
}

impl Provider {
    /// `http` must not follow redirects (the `oauth2` crate's advice against SSRF).
    pub fn new(settings: AuthSettings, http: reqwest::Client) -> Self {
        Self {
            settings,
            http,
            discovery: OnceCell::new(),
            credentials: OnceCell::new(),
            keys: KeyCache::default(),
        }
    }

    /// The portal's client id at the provider.
    pub async fn client_id(&self) -> Result<&ClientId, PortalError> {
        Ok(&self.credentials().await?.0)
    }

    /// The portal's client id and secret, for an API that takes them as HTTP Basic credentials.
    pub async fn basic_credentials(&self) -> Result<(String, String), PortalError> {
        let (id, secret) = self.credentials().await?;
        Ok((id.as_str().to_owned(), secret.secret().clone()))
    }

    async fn credentials(&self) -> Result<&(ClientId, ClientSecret), PortalError> {
        self.credentials
            .get_or_try_init(|| async {
                let credentials = match &self.settings.credentials {
                    ClientCredentials::Inline {
                        client_id,
                        client_secret,
                    } => Credentials {
                        client_id: client_id.clone(),
                        client_secret: client_secret.clone(),
                    },
                    ClientCredentials::File(path) => {
                        let text = tokio::fs::read_to_string(path).await?;
                        toml::from_str(&text).map_err(|e| {
                            PortalError::Misconfigured(format!("portal client credentials: {e}"))
                        })?
                    }
                };
                Ok((
                    ClientId::new(credentials.client_id),
                    ClientSecret::new(credentials.client_secret),
                ))
            })
            .await
    }

    async fn client(&self) -> Result<OAuthClient, PortalError> {
        let discovery = self.discovery().await?;
        let (client_id, client_secret) = self.credentials().await?;
        let revocation = discovery
            .revocation_endpoint
            .clone()
            .map(RevocationUrl::new)
            .transpose()
            .map_err(misconfigured("revocation endpoint"))?;
        Ok(oauth2::Client::new(client_id.clone())
            .set_client_secret(client_secret.clone())
            .set_auth_uri(
                AuthUrl::new(discovery.authorization_endpoint.clone())
                    .map_err(misconfigured("authorization endpoint"))?,
            )
            .set_token_uri(
                TokenUrl::new(discovery.token_endpoint.clone())
                    .map_err(misconfigured("token endpoint"))?,
            )
            .set_redirect_uri(
                RedirectUrl::new(self.settings.redirect_uri.clone())
                    .map_err(misconfigured("redirect URI"))?,
            )
            .set_revocation_url_option(revocation))
    }

    /// Where to send the browser to sign in: state, nonce, the PKCE S256 challenge of `verifier`.
    pub async fn authorization_url(
        &self,
        state: String,
        nonce: &str,
        verifier: String,
        (signup, more_scopes): (bool, &[String]),
    ) -> Result<String, PortalError> {
        let client = self.client().await?;
        let challenge =
            PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier));
        let mut request = client
            .authorize_url(|| CsrfToken::new(state))
            .add_scopes(
                self.settings
                    .scopes
                    .split_whitespace()
                    .map(|s| Scope::new(s.to_owned()))
                    .chain(more_scopes.iter().cloned().map(Scope::new)),
            )
            .set_pkce_challenge(challenge)
            .add_extra_param("nonce", nonce);
        if self.settings.kind.speaks_globus() {
            request = request.add_extra_param("access_type", "offline");
            if signup {
                request = request.add_extra_param("signup", "1");
            }
        }
        Ok(request.url().0.into())
    }

    /// Exchanges the code (with the PKCE verifier) for the provider's tokens.
    pub async fn exchange(&self, code: String, verifier: String) -> Result<Grant, PortalError> {
        let response = self
            .client()
            .await?
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| token_error("code exchange", &e))?;
        Ok(self.grant(response))
    }

    /// Uses a refresh token; the answer holds the resource server's new tokens.
    pub async fn refresh(&self, refresh_token: String) -> Result<Grant, PortalError> {
        let refresh_token = RefreshToken::new(refresh_token);
        let response = self
            .client()
            .await?
            .exchange_refresh_token(&refresh_token)
            .request_async(&self.http)
            .await
            .map_err(|e| token_error("refresh", &e))?;
        Ok(self.grant(response))
    }

    /// Tokens for the portal itself (client credentials), for what it does as the portal, such
    /// as keeping the catalog's folders and rules.
    pub async fn own_tokens(&self, scopes: &str) -> Result<Grant, PortalError> {
        let response = self
            .client()
            .await?
            .exchange_client_credentials()
            .add_scopes(scopes.split_whitespace().map(|s| Scope::new(s.to_owned())))
            .request_async(&self.http)
            .await
            .map_err(|e| token_error("client credentials", &e))?;
        Ok(self.grant(response))
    }

    pub async fn verify_id_token(
        &self,
        id_token: &str,
        nonce: &str,
    ) -> Result<IdClaims, PortalError> {
        let discovery = self.discovery().await?;
        let expected = Expected {
            issuer: &discovery.issuer,
            audience: self.client_id().await?.as_str(),
            nonce,
            jwks_uri: &discovery.jwks_uri,
        };
        self.keys.verify(&self.http, id_token, &expected).await
    }

    fn grant(&self, response: ProviderResponse) -> Grant {
        let extra = response.extra_fields();
        let main = Token {
            access_token: response.access_token().secret().clone(),
            scope: response
                .scopes()
                .map(|scopes| {
                    scopes
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default(),
            expires_in: response
                .expires_in()
                .and_then(|d| i64::try_from(d.as_secs()).ok())
                .unwrap_or(ASSUMED_LIFETIME),
            token_type: "Bearer".to_owned(),
            resource_server: extra
                .resource_server
                .clone()
                .unwrap_or_else(|| self.settings.default_resource_server()),
            refresh_token: response.refresh_token().map(|t| t.secret().clone()),
            state: None,
        };
        Grant {
            tokens: std::iter::once(main)
                .chain(extra.other_tokens.iter().cloned())
                .collect(),
            id_token: extra.id_token.clone(),
        }
    }
}

/// A refused grant is the person's to fix (sign in again); anything else is the provider's fault.
fn token_error<RE: std::error::Error + 'static>(
    what: &'static str,
    error: &RequestTokenError<RE, BasicErrorResponse>,
) -> PortalError {
    match error {
        RequestTokenError::ServerResponse(refusal) => {
            tracing::warn!(error = %refusal.error(), "the provider refused the {what}");
            PortalError::SignInFailed(
                "the sign-in could not be completed; please sign in again".to_owned(),
            )
        }
        other => {
            tracing::warn!(error = %other, "{what} failed");
            PortalError::Upstream(format!("the sign-in provider did not answer ({what})"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::settings::ProviderKind;

    fn provider() -> Provider {
        Provider::new(
            AuthSettings {
                kind: ProviderKind::Oidc,
                issuer: "https://login.example.edu/realms/lab".into(),
                back_channel: None,
                credentials: ClientCredentials::Inline {
                    client_id: "portal".into(),
                    client_secret: "secret".into(),
                },
                redirect_uri: "https://portal.example.edu/api/auth/callback".into(),
                scopes: "openid".into(),
                groups_url: None,
            },
            reqwest::Client::new(),
        )
    }

    fn grant_of(body: serde_json::Value) -> Grant {
        provider().grant(serde_json::from_value(body).unwrap())
    }

    #[test]
    fn a_globus_answer_gives_one_token_per_resource_server() {
        let grant = grant_of(serde_json::json!({
            "access_token": "a1", "token_type": "Bearer", "expires_in": 172800,
            "scope": "openid profile email", "resource_server": "auth.globus.org",
            "refresh_token": "r1", "id_token": "header.payload.signature",
            "other_tokens": [{
                "access_token": "a2", "token_type": "Bearer", "expires_in": 172800,
                "scope": "urn:globus:auth:scope:transfer.api.globus.org:all",
                "resource_server": "transfer.api.globus.org", "refresh_token": "r2"
            }]
        }));
        let servers: Vec<&str> = grant
            .tokens
            .iter()
            .map(|t| t.resource_server.as_str())
            .collect();
        assert_eq!(servers, ["auth.globus.org", "transfer.api.globus.org"]);
        assert_eq!(grant.tokens[0].scope, "openid profile email");
        assert_eq!(grant.tokens[1].refresh_token.as_deref(), Some("r2"));
        assert_eq!(grant.id_token.as_deref(), Some("header.payload.signature"));
    }

    #[test]
    fn a_standard_answer_is_filed_under_the_issuer_host() {
        let grant = grant_of(serde_json::json!({
            "access_token": "a1", "token_type": "bearer", "scope": "openid email"
        }));
        assert_eq!(grant.tokens.len(), 1);
        assert_eq!(grant.tokens[0].resource_server, "login.example.edu");
        assert_eq!(
            grant.tokens[0].expires_in, ASSUMED_LIFETIME,
            "no expires_in given"
        );
        assert_eq!(grant.tokens[0].refresh_token, None);
    }
}
