//! OpenID Connect discovery and the signing keys, at the paths Globus Auth uses. Every URL is
//! this server's own absolute URL: the Globus SDK fetches `jwks_uri` as given.

use crate::IdpState;
use crate::error::OAuthError;
use crate::keys::Jwks;
use actix_web::web;
use serde::Serialize;

pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";
pub const JWKS_PATH: &str = "/jwk.json";
pub const AUTHORIZE_PATH: &str = "/v2/oauth2/authorize";
pub const TOKEN_PATH: &str = "/v2/oauth2/token";
pub const INTROSPECT_PATH: &str = "/v2/oauth2/token/introspect";
pub const REVOKE_PATH: &str = "/v2/oauth2/token/revoke";
pub const USERINFO_PATH: &str = "/v2/oauth2/userinfo";

#[derive(Debug, Serialize)]
pub struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    userinfo_endpoint: String,
    token_endpoint: String,
    revocation_endpoint: String,
    introspection_endpoint: String,
    jwks_uri: String,
    response_types_supported: [&'static str; 1],
    id_token_signing_alg_values_supported: [&'static str; 1],
    scopes_supported: [&'static str; 3],
    token_endpoint_auth_methods_supported: [&'static str; 1],
    claims_supported: [&'static str; 10],
    subject_types_supported: [&'static str; 1],
    code_challenge_methods_supported: [&'static str; 1],
}

pub async fn get_discovery(state: web::Data<IdpState>) -> web::Json<Discovery> {
    let url = |path: &str| state.settings.url(path);
    web::Json(Discovery {
        issuer: state.settings.issuer.clone(),
        authorization_endpoint: url(AUTHORIZE_PATH),
        userinfo_endpoint: url(USERINFO_PATH),
        token_endpoint: url(TOKEN_PATH),
        revocation_endpoint: url(REVOKE_PATH),
        introspection_endpoint: url(INTROSPECT_PATH),
        jwks_uri: url(JWKS_PATH),
        response_types_supported: ["code"],
        id_token_signing_alg_values_supported: ["RS512"],
        scopes_supported: ["openid", "email", "profile"],
        token_endpoint_auth_methods_supported: ["client_secret_basic"],
        claims_supported: [
            "at_hash",
            "aud",
            "email",
            "exp",
            "name",
            "nonce",
            "preferred_username",
            "iat",
            "iss",
            "sub",
        ],
        subject_types_supported: ["public"],
        code_challenge_methods_supported: ["S256"],
    })
}

/// The keys as the store holds them now: a key rotated through another replica is listed here at
/// once.
pub async fn get_jwks(state: web::Data<IdpState>) -> Result<web::Json<Jwks>, OAuthError> {
    let keys = state
        .keys
        .current()
        .await
        .map_err(|e| OAuthError::Internal(format!("reading the signing keys: {e}")))?;
    Ok(web::Json(keys.jwks().clone()))
}
