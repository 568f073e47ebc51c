//! OpenID Connect ID tokens: RS512-signed JWTs with the key JWKS publishes.

use crate::IdpState;
use crate::error::OAuthError;
use crate::keys::ALGORITHM;
use crate::registry::identities::IdentityRow;
use jsonwebtoken::{Header, encode};
use serde::Serialize;

#[derive(Debug, Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: i64,
    iat: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    name: &'a str,
    preferred_username: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<&'a str>,
}

/// The ID token for `identity`, issued to `client_id` (its audience), signed with the key the
/// store says is current.
pub async fn sign(
    state: &IdpState,
    identity: &IdentityRow,
    client_id: &str,
    nonce: Option<&str>,
) -> Result<String, OAuthError> {
    let now = state.clock.now();
    let claims = Claims {
        iss: &state.settings.issuer,
        sub: &identity.id,
        aud: client_id,
        exp: now + state.settings.access_token_lifetime,
        iat: now,
        nonce,
        name: &identity.name,
        preferred_username: &identity.username,
        email: identity.email.as_deref(),
        organization: identity.organization.as_deref(),
    };
    let keys = state
        .keys
        .current()
        .await
        .map_err(|e| OAuthError::Internal(format!("reading the signing keys: {e}")))?;
    let key = keys.signing();
    let mut header = Header::new(ALGORITHM);
    header.kid = Some(key.kid().to_owned());
    encode(&header, &claims, key.encoding_key())
        .map_err(|e| OAuthError::Internal(format!("signing an id token: {e}")))
}
