//! The OpenID Connect provider the portal signs people in with, found by discovery.

use crate::PortalError;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use mrdp_globus::auth::TokenResponse;
use serde::Deserialize;
use std::path::PathBuf;
use tokio::sync::OnceCell;

/// How the portal is registered at its provider.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// The provider's issuer; discovery is at `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    /// TOML with `client_id` and `client_secret` (written by the embedded IdP's first start).
    pub credentials_file: PathBuf,
    /// `<portal>/api/auth/callback`, as registered.
    pub redirect_uri: String,
    /// Space-separated scopes to ask for.
    pub scopes: String,
}

#[derive(Deserialize)]
pub struct Credentials {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, [redacted])", self.client_id)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub revocation_endpoint: Option<String>,
    pub jwks_uri: String,
}

/// What the portal reads from a verified ID token.
#[derive(Debug, Clone, Deserialize)]
pub struct IdClaims {
    pub sub: String,
    pub nonce: Option<String>,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Debug, Deserialize)]
struct Jwk {
    kid: Option<String>,
    n: String,
    e: String,
}

#[derive(Debug)]
pub struct Provider {
    pub settings: AuthSettings,
    http: reqwest::Client,
    discovery: OnceCell<Discovery>,
}

fn upstream(what: &str) -> impl Fn(reqwest::Error) -> PortalError + '_ {
    move |e| {
        tracing::warn!(error = %e, "{what} failed");
        PortalError::Upstream(format!("the sign-in provider did not answer ({what})"))
    }
}

impl Provider {
    pub fn new(settings: AuthSettings, http: reqwest::Client) -> Self {
        Self {
            settings,
            http,
            discovery: OnceCell::new(),
        }
    }

    pub async fn discovery(&self) -> Result<&Discovery, PortalError> {
        self.discovery
            .get_or_try_init(|| async {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.settings.issuer.trim_end_matches('/')
                );
                let response = self
                    .http
                    .get(url)
                    .send()
                    .await
                    .map_err(upstream("discovery"))?;
                response
                    .error_for_status()
                    .map_err(upstream("discovery"))?
                    .json()
                    .await
                    .map_err(upstream("discovery"))
            })
            .await
    }

    pub fn credentials(&self) -> Result<Credentials, PortalError> {
        let text = std::fs::read_to_string(&self.settings.credentials_file)?;
        toml::from_str(&text)
            .map_err(|e| PortalError::Misconfigured(format!("portal client credentials: {e}")))
    }

    /// Exchanges the code (with the PKCE verifier) for the provider's tokens.
    pub async fn exchange(&self, code: &str, verifier: &str) -> Result<TokenResponse, PortalError> {
        let discovery = self.discovery().await?;
        let credentials = self.credentials()?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &self.settings.redirect_uri),
            ("code_verifier", verifier),
        ];
        let response = self
            .http
            .post(&discovery.token_endpoint)
            .basic_auth(&credentials.client_id, Some(&credentials.client_secret))
            .form(&form)
            .send()
            .await
            .map_err(upstream("token exchange"))?;
        if !response.status().is_success() {
            tracing::warn!(status = %response.status(), "the provider refused the code");
            return Err(PortalError::SignInFailed(
                "the sign-in could not be completed; please sign in again".to_owned(),
            ));
        }
        response.json().await.map_err(upstream("token exchange"))
    }

    /// Verifies an ID token: signature (JWKS), issuer, audience, expiry, and nonce.
    pub async fn verify_id_token(
        &self,
        id_token: &str,
        nonce: &str,
    ) -> Result<IdClaims, PortalError> {
        let discovery = self.discovery().await?;
        let invalid = |why: &str| {
            tracing::warn!(why, "ID token rejected");
            PortalError::SignInFailed(
                "the sign-in provider's answer could not be verified".to_owned(),
            )
        };
        let header = decode_header(id_token).map_err(|_| invalid("malformed"))?;
        if !matches!(header.alg, Algorithm::RS512 | Algorithm::RS256) {
            return Err(invalid("algorithm"));
        }
        let jwks: Jwks = self
            .http
            .get(&discovery.jwks_uri)
            .send()
            .await
            .map_err(upstream("keys"))?
            .json()
            .await
            .map_err(upstream("keys"))?;
        let key = jwks
            .keys
            .iter()
            .find(|k| header.kid.is_none() || k.kid == header.kid)
            .ok_or_else(|| invalid("unknown key"))?;
        let decoding =
            DecodingKey::from_rsa_components(&key.n, &key.e).map_err(|_| invalid("key"))?;
        let credentials = self.credentials()?;
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[&credentials.client_id]);
        validation.set_issuer(&[&discovery.issuer]);
        validation.leeway = 60;
        let claims = decode::<IdClaims>(id_token, &decoding, &validation)
            .map_err(|_| invalid("claims"))?
            .claims;
        if claims.nonce.as_deref() != Some(nonce) {
            return Err(invalid("nonce"));
        }
        Ok(claims)
    }

    /// Revokes a token at the provider; failures are logged, not fatal (the session ends anyway).
    pub async fn revoke(&self, token: &str) {
        let Ok(discovery) = self.discovery().await else {
            return;
        };
        let (Some(endpoint), Ok(credentials)) =
            (&discovery.revocation_endpoint, self.credentials())
        else {
            return;
        };
        let outcome = self
            .http
            .post(endpoint)
            .basic_auth(&credentials.client_id, Some(&credentials.client_secret))
            .form(&[("token", token)])
            .send()
            .await;
        if let Err(e) = outcome.and_then(reqwest::Response::error_for_status) {
            tracing::warn!(error = %e, "token revocation failed");
        }
    }
}
