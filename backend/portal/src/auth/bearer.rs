//! Bearer access, the Globus way: an app (a script, a notebook, a service) calls the API with
//! `Authorization: Bearer <token>` for the portal's own scope
//! (`https://auth.globus.org/scopes/<portal client id>/all`). The portal is then a resource
//! server:
//!
//! - it introspects the token at the provider as its own client (answers kept 30 s, never past
//!   the token's expiry): it must be active, addressed to the portal, and carry its scope;
//! - on the token's first use it exchanges it for dependent tokens (Transfer, Groups, the graph
//!   service's, the collections' HTTPS scopes: what the portal's scope depends on) and files them
//!   in the vault under a session of the token's own, so every route authorises an app's caller
//!   exactly as it does a signed-in browser, with the same grants and the same rules.
//!
//! The session's id is the token's digest; it ends with the sessions' lifetimes or as soon as
//! the token is no longer active, whichever comes first, and is made again on the next use.

use super::session::{self, Session, SignedIn};
use super::{grants, memberships};
use crate::{PortalError, PortalState};
use actix_web::http::header::{AUTHORIZATION, HeaderMap};
use mrdp_globus::delegation::TokenError;
use mrdp_globus::introspection::Introspector;
use mrdp_globus::scopes::scope_string;
use mrdp_service::secrets::digest;

/// The bearer token the request sends, if it sends one (`Authorization: Bearer <token>`; the
/// scheme is case-insensitive, RFC 7235).
pub fn presented(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The portal's own scope at its provider, which apps ask for.
pub async fn portal_scope(state: &PortalState) -> Result<String, PortalError> {
    Ok(scope_string(
        state.provider.client_id().await?.as_str(),
        "all",
    ))
}

/// The session of the person (or service) `token` acts for; made on the token's first use.
pub async fn session(state: &PortalState, token: &str) -> Result<Session, PortalError> {
    if token.is_empty() {
        return Err(PortalError::InvalidToken(
            "the bearer token is empty".to_owned(),
        ));
    }
    let introspector = introspector(state).await?;
    let id_hash = digest(&format!("bearer {token}"));
    let active = introspector
        .introspect(token, state.clock.now())
        .await
        .map_err(|e| PortalError::Upstream(e.to_string()))?;
    let Some(active) = active else {
        // Revoked or expired: what the portal holds for it goes at once.
        session::delete(state, &id_hash).await?;
        return Err(PortalError::InvalidToken(
            "the token is not active: it expired, was revoked, or was never issued".to_owned(),
        ));
    };
    let client_id = state.provider.client_id().await?.as_str().to_owned();
    let scope = portal_scope(state).await?;
    if !active.aud.contains(&client_id) {
        return Err(PortalError::InvalidToken(format!(
            "the token is for another service; ask for the portal's scope {scope}"
        )));
    }
    if !active.has_scope(&scope) {
        return Err(PortalError::InsufficientScope(scope));
    }
    if let Some(session) = session::live(state, &id_hash).await? {
        return Ok(session);
    }
    let tokens = introspector
        .dependent_tokens(token, true)
        .await
        .map_err(|e| match e {
            TokenError::Refused(why) => PortalError::Forbidden(format!(
                "the identity provider does not let the portal act for you: {why}"
            )),
            TokenError::Unreachable(why) => PortalError::Upstream(why),
        })?;
    // The organization is the one detail introspection names only in the identity set's.
    let organization = active
        .identity_set_detail
        .iter()
        .flatten()
        .find(|identity| identity.sub == active.sub)
        .and_then(|identity| identity.organization.clone());
    let who = SignedIn {
        identity_id: active.sub,
        username: active.username,
        name: active.name,
        email: active.email,
        organization,
        groups: memberships::learn(state, &tokens).await,
    };
    let now = state.clock.now();
    // A session of this token past its lifetimes may still be stored.
    session::delete(state, &id_hash).await?;
    session::create_with_id(&state.store, &id_hash, &who, now).await?;
    grants::store(state, &id_hash, &tokens, now).await?;
    session::live(state, &id_hash)
        .await?
        .ok_or(PortalError::Unauthenticated)
}

/// The portal's introspection client, made at first use (the credentials may come from a file
/// the embedded provider writes at its first start). Only a provider that speaks Globus Auth's
/// API introspects and gives dependent tokens.
async fn introspector(state: &PortalState) -> Result<&Introspector, PortalError> {
    if !state.provider.settings.kind.speaks_globus() {
        return Err(PortalError::InvalidToken(
            "this portal signs in with a standard OpenID Connect provider and accepts no bearer tokens; use the web app"
                .to_owned(),
        ));
    }
    state
        .introspector
        .get_or_try_init(|| async {
            let (id, secret) = state.provider.basic_credentials().await?;
            Ok(Introspector::new(
                state.http.clone(),
                &state.provider.settings.issuer,
                id,
                secret,
            ))
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn with_authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_bearer_token_is_read_whatever_the_case_of_its_scheme() {
        assert_eq!(presented(&with_authorization("Bearer abc")), Some("abc"));
        assert_eq!(presented(&with_authorization("bearer  abc ")), Some("abc"));
        assert_eq!(presented(&with_authorization("Basic abc")), None);
        assert_eq!(presented(&with_authorization("Bearer")), None);
        assert_eq!(presented(&HeaderMap::new()), None);
    }
}
