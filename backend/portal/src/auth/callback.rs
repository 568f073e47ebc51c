//! `GET /api/auth/callback`: the provider sends the browser back with a code (or an error).
//!
//! The state must name a sign-in this portal started in this browser (its sign-in cookie; single
//! use, 10 minutes); the code is exchanged with the PKCE verifier; the ID token is verified
//! (signature, issuer, audience, expiry, nonce); every token goes into the vault; a new session id
//! is issued. Failures send the browser to the app's sign-in error page, never leaving it on a raw
//! error.

use super::session::{self, SignedIn};
use super::{grants, memberships, sign_in_cookie};
use crate::{PortalError, PortalState};
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_service::clock::UnixTime;
use mrdp_service::secrets::digest;
use mrdp_service::store::Store;
use serde::Deserialize;

/// The app's page that explains a failed sign-in (`?reason=`).
pub const ERROR_PAGE: &str = "/signin-error";

#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    /// The issuer that sent the browser back (RFC 9207), against mix-up attacks.
    iss: Option<String>,
}

fn redirect(location: &str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((LOCATION, location))
        .finish()
}

fn failed(reason: &str) -> HttpResponse {
    redirect(&format!("{ERROR_PAGE}?reason={reason}"))
}

pub async fn get_callback(
    req: HttpRequest,
    state: web::Data<PortalState>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, PortalError> {
    if let Some(error) = &query.error {
        let reason = if error == "access_denied" {
            "access_denied"
        } else {
            "provider_error"
        };
        return Ok(failed(reason));
    }
    let (Some(code), Some(oauth_state)) = (&query.code, &query.state) else {
        return Ok(failed("invalid_request"));
    };
    let Some(browser_hash) = sign_in_cookie::presented(&req, state.secure_cookies) else {
        return Ok(failed("invalid_state"));
    };
    // Another browser's sign-in is left for its own browser to complete.
    let pending: Option<(String, String, String, i64)> = sqlx::query_as(
        "DELETE FROM login_requests WHERE state_hash = $1 AND browser_hash = $2 \
         RETURNING nonce, code_verifier, next, expires_at",
    )
    .bind(digest(oauth_state))
    .bind(&browser_hash)
    .fetch_optional(state.store.pool())
    .await?;
    // Unknown state: forged, replayed, or started in another browser.
    let Some((nonce, verifier, next, expires_at)) = pending else {
        return Ok(failed("invalid_state"));
    };
    let now = state.clock.now();
    if now >= expires_at {
        return Ok(failed("expired"));
    }
    // A provider that names itself must be the one this sign-in went to (RFC 9207).
    if let Some(iss) = &query.iss
        && *iss != state.provider.discovery().await?.issuer
    {
        return Ok(failed("wrong_issuer"));
    }
    let grant = match state.provider.exchange(code.clone(), verifier).await {
        Ok(grant) => grant,
        Err(PortalError::SignInFailed(_)) => return Ok(failed("invalid_code")),
        Err(e) => return Err(e),
    };
    let Some(id_token) = grant.id_token.as_deref() else {
        return Ok(failed("no_identity"));
    };
    let claims = match state.provider.verify_id_token(id_token, &nonce).await {
        Ok(claims) => claims,
        Err(PortalError::SignInFailed(_)) => return Ok(failed("unverified")),
        Err(e) => return Err(e),
    };
    let claims = state.provider.complete_claims(claims, &grant).await;
    let username = claims
        .preferred_username
        .clone()
        .unwrap_or_else(|| claims.sub.clone());
    let who = SignedIn {
        identity_id: claims.sub,
        name: claims.name.unwrap_or_else(|| username.clone()),
        username,
        email: claims.email,
        organization: claims.organization,
        groups: memberships::learn(&state, &grant.tokens).await,
    };
    // A sign-in always gets a new session id (no fixation); an older session of this browser ends.
    if let Some(previous) = session::current(&req, &state).await? {
        session::delete(&state, &previous.id_hash).await?;
    }
    let (cookie, session_hash) = session::create(&state.store, &who, now).await?;
    grants::store(&state, &session_hash, &grant.tokens, now).await?;
    let mut response = redirect(&next);
    response
        .add_cookie(&session::cookie(cookie, state.secure_cookies))
        .ok();
    if !under_way(&state.store, &browser_hash, now).await? {
        response
            .add_cookie(&sign_in_cookie::removal(state.secure_cookies))
            .ok();
    }
    Ok(response)
}

/// Whether the browser has another sign-in under way (another tab), which still needs its cookie.
async fn under_way(store: &Store, browser_hash: &str, now: UnixTime) -> Result<bool, sqlx::Error> {
    let pending: Option<i64> = sqlx::query_scalar(
        "SELECT expires_at FROM login_requests WHERE browser_hash = $1 AND expires_at > $2 LIMIT 1",
    )
    .bind(browser_hash)
    .bind(now)
    .fetch_optional(store.pool())
    .await?;
    Ok(pending.is_some())
}
