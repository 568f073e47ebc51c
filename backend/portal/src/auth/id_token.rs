//! ID token verification: the signature against the provider's published keys (cached, fetched
//! again when a token names a key the cache does not hold, as after a rotation), then issuer,
//! audience, expiry and nonce.

use crate::PortalError;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;
use std::sync::Arc;
use tokio::sync::RwLock;

/// What the portal reads from a verified ID token.
#[derive(Debug, Clone, Deserialize)]
pub struct IdClaims {
    pub sub: String,
    pub nonce: Option<String>,
    pub name: Option<String>,
    pub preferred_username: Option<String>,
    pub email: Option<String>,
    /// Globus Auth's claim for the person's institution.
    pub organization: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

#[derive(Debug, Deserialize)]
struct Jwk {
    kid: Option<String>,
    #[serde(default)]
    kty: String,
    #[serde(default)]
    n: String,
    #[serde(default)]
    e: String,
}

/// The accepted signature algorithms: RSA, as Globus Auth (RS512) and most providers (RS256) sign.
const ALGORITHMS: [Algorithm; 3] = [Algorithm::RS256, Algorithm::RS384, Algorithm::RS512];
/// Clock skew tolerated between the provider and the portal, in seconds.
const LEEWAY: u64 = 60;

/// The provider's signing keys, kept between sign-ins.
#[derive(Debug, Default)]
pub struct KeyCache {
    keys: RwLock<Option<Arc<Jwks>>>,
}

/// What an ID token must match.
#[derive(Debug)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub audience: &'a str,
    pub nonce: &'a str,
    pub jwks_uri: &'a str,
}

fn rejected(why: &'static str) -> PortalError {
    tracing::warn!(why, "ID token rejected");
    PortalError::SignInFailed("the sign-in provider's answer could not be verified".to_owned())
}

impl KeyCache {
    pub async fn verify(
        &self,
        http: &reqwest::Client,
        id_token: &str,
        expected: &Expected<'_>,
    ) -> Result<IdClaims, PortalError> {
        let header = decode_header(id_token).map_err(|_| rejected("malformed"))?;
        if !ALGORITHMS.contains(&header.alg) {
            return Err(rejected("algorithm"));
        }
        let kid = header.kid.as_deref();
        let key = match self.find(kid).await {
            Some(key) => key,
            None => {
                self.refresh(http, expected.jwks_uri).await?;
                self.find(kid)
                    .await
                    .ok_or_else(|| rejected("unknown key"))?
            }
        };
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[expected.audience]);
        validation.set_issuer(&[expected.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY;
        let claims = decode::<IdClaims>(id_token, &key, &validation)
            .map_err(|_| rejected("signature or claims"))?
            .claims;
        if claims.nonce.as_deref() != Some(expected.nonce) {
            return Err(rejected("nonce"));
        }
        Ok(claims)
    }

    /// The cached RSA key with this id (any RSA key when the token names none).
    async fn find(&self, kid: Option<&str>) -> Option<DecodingKey> {
        let keys = self.keys.read().await;
        keys.as_ref()?
            .keys
            .iter()
            .filter(|k| k.kty == "RSA")
            .find(|k| kid.is_none() || k.kid.as_deref() == kid)
            .and_then(|k| DecodingKey::from_rsa_components(&k.n, &k.e).ok())
    }

    async fn refresh(&self, http: &reqwest::Client, jwks_uri: &str) -> Result<(), PortalError> {
        let unreachable = |e: reqwest::Error| {
            tracing::warn!(error = %e, "fetching the provider's keys failed");
            PortalError::Upstream("the sign-in provider did not answer (keys)".to_owned())
        };
        let jwks: Jwks = http
            .get(jwks_uri)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unreachable)?
            .json()
            .await
            .map_err(unreachable)?;
        *self.keys.write().await = Some(Arc::new(jwks));
        Ok(())
    }
}
