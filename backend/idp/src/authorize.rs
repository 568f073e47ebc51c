//! `GET /v2/oauth2/authorize`: the start of the authorization code flow.
//!
//! Problems with the client or its redirect URI are shown on a page (never redirected: the URI
//! is not trusted yet); every other problem goes back to the client as `error` on its redirect
//! URI. A browser without a sign-in session goes to the sign-in page first, and a person who
//! has not allowed the client the requested scopes sees the consent page.

use crate::IdpState;
use crate::codes::{self, CODE_LIFETIME, CodeRow};
use crate::consents;
use crate::discovery::AUTHORIZE_PATH;
use crate::pages::html::error_page;
use crate::pages::login::{LOGIN_PATH, PageError, see_other};
use crate::pages::{consent, session};
use crate::pkce;
use crate::registry::clients::{self, ClientRow};
use crate::registry::scopes::{dependencies, resource_server_of};
use crate::scopes::{self, ScopeRequest};
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

/// Everything but RFC 3986's unreserved characters is percent-encoded in query values.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The authorization request, as the Globus SDK and standard clients send it.
#[derive(Debug, Clone, Deserialize)]
pub struct AuthorizeQuery {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub access_type: Option<String>,
}

/// A request whose client and redirect URI checked out.
#[derive(Debug)]
pub struct Validated {
    pub client: ClientRow,
    pub redirect_uri: String,
    /// Every scope named, dependencies included, each once.
    pub all_scopes: Vec<String>,
    pub canonical_scope: String,
}

pub async fn get_authorize(
    req: HttpRequest,
    state: web::Data<IdpState>,
    query: web::Query<AuthorizeQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let validated = match validate(&state, &query).await? {
        Ok(validated) => validated,
        Err(response) => return Ok(response),
    };
    let now = state.clock.now();
    let Some(current) = session::current(&req, &state.store, now).await? else {
        let next = format!("{AUTHORIZE_PATH}?{}", req.query_string());
        return Ok(see_other(&format!(
            "{LOGIN_PATH}?next={}",
            utf8_percent_encode(&next, QUERY_VALUE)
        )));
    };
    let missing = consents::missing(
        &state.store,
        &current.identity_id,
        &validated.client.id,
        &validated.all_scopes,
    )
    .await?;
    if !missing.is_empty() {
        return consent::page(
            &state,
            &validated.client,
            &missing,
            req.query_string(),
            &current.csrf,
        )
        .await;
    }
    let row = CodeRow {
        client_id: validated.client.id.clone(),
        identity_id: current.identity_id,
        redirect_uri: validated.redirect_uri.clone(),
        scopes: validated.canonical_scope,
        state: query.state.clone(),
        nonce: query.nonce,
        code_challenge: query.code_challenge,
        offline: i64::from(query.access_type.as_deref() == Some("offline")),
        family: uuid::Uuid::new_v4().to_string(),
        expires_at: now + CODE_LIFETIME,
    };
    let code = codes::issue(&state.store, &row).await?;
    Ok(redirect(
        &validated.redirect_uri,
        &[
            ("code", Some(code.as_str())),
            ("state", query.state.as_deref()),
        ],
    ))
}

/// Checks the request; `Err` is the response to give instead (an error page or redirect).
pub async fn validate(
    state: &IdpState,
    query: &AuthorizeQuery,
) -> Result<Result<Validated, HttpResponse>, sqlx::Error> {
    let client = match query.client_id.as_deref() {
        Some(id) => clients::find(&state.store, id).await?,
        None => None,
    };
    let Some(client) = client else {
        return Ok(Err(error_page(
            StatusCode::BAD_REQUEST,
            "The application that sent you here is not registered.",
        )));
    };
    let redirect_uri = match query.redirect_uri.as_deref() {
        Some(uri)
            if client
                .redirect_uris
                .iter()
                .any(|registered| registered == uri) =>
        {
            uri.to_owned()
        }
        _ => {
            return Ok(Err(error_page(
                StatusCode::BAD_REQUEST,
                "The application asked to return to an address it has not registered.",
            )));
        }
    };
    let fail = |error: &str, description: &str| {
        Ok(Err(redirect(
            &redirect_uri,
            &[
                ("error", Some(error)),
                ("error_description", Some(description)),
                ("state", query.state.as_deref()),
            ],
        )))
    };
    if query.response_type.as_deref() != Some("code") {
        return fail(
            "unsupported_response_type",
            "only response_type=code is supported",
        );
    }
    let requested = match scopes::parse(query.scope.as_deref().unwrap_or("")) {
        Ok(requested) => requested,
        Err(e) => return fail("invalid_scope", &e.to_string()),
    };
    let mut all_scopes = Vec::new();
    collect(&requested, &mut all_scopes);
    // Consenting to a scope consents to what it depends on, as the registry defines it: the
    // resource server will ask for those as dependent tokens.
    let mut next = 0;
    while let Some(scope) = all_scopes.get(next).cloned() {
        if resource_server_of(&state.store, &scope).await?.is_none() {
            return fail("invalid_scope", &format!("unknown scope {scope}"));
        }
        for (dependency, _) in dependencies(&state.store, &scope).await? {
            if !all_scopes.contains(&dependency) {
                all_scopes.push(dependency);
            }
        }
        next += 1;
    }
    match (
        query.code_challenge.as_deref(),
        query.code_challenge_method.as_deref(),
    ) {
        (Some(challenge), Some("S256")) if pkce::well_formed(challenge) => {}
        (Some(_), Some("S256")) => return fail("invalid_request", "malformed code_challenge"),
        (Some(_), _) => return fail("invalid_request", "code_challenge_method must be S256"),
        (None, _) if client.public => {
            return fail("invalid_request", "public clients must use PKCE (S256)");
        }
        (None, _) => {}
    }
    Ok(Ok(Validated {
        client,
        redirect_uri,
        all_scopes,
        canonical_scope: scopes::to_string(&requested),
    }))
}

fn collect(requests: &[ScopeRequest], into: &mut Vec<String>) {
    for request in requests {
        if !into.contains(&request.scope) {
            into.push(request.scope.clone());
        }
        collect(&request.dependencies, into);
    }
}

/// A 302 to `uri` with the given parameters added to its query.
pub fn redirect(uri: &str, params: &[(&str, Option<&str>)]) -> HttpResponse {
    let mut location = uri.to_owned();
    for (name, value) in params {
        if let Some(value) = value {
            location.push(if location.contains('?') { '&' } else { '?' });
            location.push_str(name);
            location.push('=');
            location.extend(utf8_percent_encode(value, QUERY_VALUE));
        }
    }
    HttpResponse::Found()
        .insert_header((LOCATION, location))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_appends_encoded_parameters() {
        let response = redirect(
            "https://app.example/cb?x=1",
            &[("code", Some("a/b")), ("state", None)],
        );
        assert_eq!(
            response.headers().get(LOCATION).unwrap(),
            "https://app.example/cb?x=1&code=a%2Fb"
        );
        let response = redirect(
            "https://app.example/cb",
            &[("error", Some("access_denied"))],
        );
        assert_eq!(
            response.headers().get(LOCATION).unwrap(),
            "https://app.example/cb?error=access_denied"
        );
    }

    #[test]
    fn every_scope_of_the_tree_is_collected_once() {
        let requested = scopes::parse("a[b c[d]] b").unwrap();
        let mut all = Vec::new();
        collect(&requested, &mut all);
        assert_eq!(all, ["a", "b", "c", "d"]);
    }
}
