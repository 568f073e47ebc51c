//! `GET /api/auth/login?next=&collection=`: starts the authorization code flow with `state`,
//! `nonce` and PKCE (S256); what the callback must check is kept server-side, keyed by the state,
//! and bound to the browser by its sign-in cookie. With `collection` (a collection's id), the
//! sign-in also asks for that collection's HTTPS scope, as a Globus app asks for consent to a
//! collection it was not allowed at first sign-in (a folder shared with the researcher since).
//! With `apps=true`, it also asks to manage the researcher's apps (the Developer page).

use super::sign_in_cookie;
use crate::apps::MANAGE_PROJECTS_SCOPE;
use crate::transfers::service_made_id;
use crate::{PortalError, PortalState};
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::auth::collection_https_scope;
use mrdp_service::local_path::{MAX_LOCAL_PATH_BYTES, local_path};
use mrdp_service::secrets::{digest, random_token};
use serde::Deserialize;

/// How long a sign-in may take between leaving and coming back.
pub const LOGIN_LIFETIME: i64 = 10 * 60;

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    collection: Option<String>,
    #[serde(default)]
    apps: bool,
}

/// The scopes a sign-in asks for beyond the configured ones: the HTTPS scope of `collection`,
/// a collection's id (a UUID, so that nothing else enters the scope string), and with `apps` the
/// scope to manage the researcher's apps.
fn more_scopes(query: &LoginQuery) -> Result<Vec<String>, PortalError> {
    let mut more = Vec::new();
    if let Some(id) = &query.collection {
        let id = service_made_id(id, "collection")
            .map_err(|_| PortalError::BadRequest("collection: a collection's id".into()))?;
        more.push(collection_https_scope(&id));
    }
    if query.apps {
        more.push(MANAGE_PROJECTS_SCOPE.to_owned());
    }
    Ok(more)
}

/// A path on this portal to return to; anything else (another origin, a path a browser could
/// read as one) becomes `/`. A `next` over [`MAX_LOCAL_PATH_BYTES`] is refused before this.
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or("/").to_owned()
}

pub async fn get_login(
    req: HttpRequest,
    state: web::Data<PortalState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, PortalError> {
    let more = more_scopes(&query)?;
    start(&req, &state, query.next.as_deref(), (false, &more)).await
}

/// `GET /api/auth/signup?next=`: the same flow, asking the provider to offer account creation
/// (Globus Auth reads `signup=1`; other providers show their usual page).
pub async fn get_signup(
    req: HttpRequest,
    state: web::Data<PortalState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, PortalError> {
    let more = more_scopes(&query)?;
    start(&req, &state, query.next.as_deref(), (true, &more)).await
}

async fn start(
    req: &HttpRequest,
    state: &PortalState,
    next: Option<&str>,
    asked: (bool, &[String]),
) -> Result<HttpResponse, PortalError> {
    // Refused rather than cut or replaced: every sign-in request stays small (anyone can start one).
    if next.is_some_and(|next| next.len() > MAX_LOCAL_PATH_BYTES) {
        return Err(PortalError::BadRequest(format!(
            "next is longer than {MAX_LOCAL_PATH_BYTES} bytes"
        )));
    }
    let (oauth_state, nonce, verifier) = (random_token(), random_token(), random_token());
    let location = state
        .provider
        .authorization_url(oauth_state.clone(), &nonce, verifier.clone(), asked)
        .await?;
    let browser = sign_in_cookie::value(req, state.secure_cookies);
    sqlx::query("INSERT INTO login_requests (state_hash, nonce, code_verifier, next, expires_at, browser_hash) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(digest(&oauth_state))
        .bind(&nonce)
        .bind(&verifier)
        .bind(safe_next(next))
        .bind(state.clock.now() + LOGIN_LIFETIME)
        .bind(digest(&browser))
        .execute(state.store.pool())
        .await?;
    Ok(HttpResponse::Found()
        .insert_header((LOCATION, location))
        .cookie(sign_in_cookie::cookie(browser, state.secure_cookies))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::{LoginQuery, MANAGE_PROJECTS_SCOPE, more_scopes, safe_next};

    fn query(collection: Option<&str>, apps: bool) -> LoginQuery {
        LoginQuery {
            next: None,
            collection: collection.map(str::to_owned),
            apps,
        }
    }

    #[test]
    fn a_collection_adds_its_https_scope_apps_the_apps_scope_and_nothing_else_enters() {
        let id = "6ad5b8a4-6a5e-4b43-9a55-0e2f3b1e5c11";
        assert_eq!(
            more_scopes(&query(Some(id), false)).unwrap(),
            [format!("https://auth.globus.org/scopes/{id}/https")]
        );
        assert!(more_scopes(&query(None, false)).unwrap().is_empty());
        assert!(more_scopes(&query(Some("x openid"), false)).is_err());
        assert_eq!(
            more_scopes(&query(None, true)).unwrap(),
            [MANAGE_PROJECTS_SCOPE]
        );
    }

    #[test]
    fn next_stays_on_the_portal() {
        assert_eq!(safe_next(Some("/datasets?x=1")), "/datasets?x=1");
        for hostile in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile}");
        }
    }
}
