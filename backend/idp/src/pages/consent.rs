//! The consent page: a person allows (or refuses) a client the scopes it asked for.

use super::html::{error_page, escape, page as render};
use super::login::{PageError, see_other};
use super::session;
use crate::IdpState;
use crate::authorize::{self, AuthorizeQuery, redirect};
use crate::consents;
use crate::discovery::AUTHORIZE_PATH;
use crate::registry::clients::ClientRow;
use crate::registry::scopes::description;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

pub const CONSENT_PATH: &str = "/v2/web/consent";

#[derive(Deserialize)]
pub struct ConsentForm {
    /// The authorization request's query string, to resume it.
    request: String,
    csrf: String,
    decision: String,
}

/// The page asking to allow `missing` scopes to `client`.
pub async fn page(
    state: &IdpState,
    client: &ClientRow,
    missing: &[String],
    request: &str,
    csrf: &str,
) -> Result<HttpResponse, PageError> {
    let mut items = String::new();
    for scope in missing {
        let text = description(&state.store, scope)
            .await?
            .unwrap_or_else(|| scope.clone());
        items.push_str(&format!(
            "<li>{} <small>({})</small></li>",
            escape(&text),
            escape(scope)
        ));
    }
    let body = format!(
        "<h1>Allow {client}?</h1><p><strong>{client}</strong> asks to act for you:</p><ul>{items}</ul>\
         <form method=\"post\" action=\"{CONSENT_PATH}\"><input type=\"hidden\" name=\"request\" value=\"{request}\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> \
         <button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>",
        client = escape(&client.name),
        request = escape(request),
        csrf = escape(csrf),
    );
    Ok(render(StatusCode::OK, "Allow access", &body))
}

pub async fn post_consent(
    req: HttpRequest,
    state: web::Data<IdpState>,
    form: web::Form<ConsentForm>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    let Some(current) = session::current(&req, &state.store, now).await? else {
        return Ok(error_page(
            StatusCode::BAD_REQUEST,
            "Your sign-in has ended. Go back to the application and start again.",
        ));
    };
    if form.csrf.is_empty() || form.csrf != current.csrf {
        return Ok(error_page(
            StatusCode::BAD_REQUEST,
            "This form has expired. Go back to the application and start again.",
        ));
    }
    let Ok(query) = web::Query::<AuthorizeQuery>::from_query(&form.request) else {
        return Ok(error_page(
            StatusCode::BAD_REQUEST,
            "The authorization request is malformed.",
        ));
    };
    // The hidden field came back from the browser: check it all again.
    let validated = match authorize::validate(&state, &query).await? {
        Ok(validated) => validated,
        Err(response) => return Ok(response),
    };
    match form.decision.as_str() {
        "allow" => {
            consents::grant(
                &state.store,
                &current.identity_id,
                &validated.client.id,
                &validated.all_scopes,
                now,
            )
            .await?;
            Ok(see_other(&format!("{AUTHORIZE_PATH}?{}", form.request)))
        }
        _ => Ok(redirect(
            &validated.redirect_uri,
            &[
                ("error", Some("access_denied")),
                ("error_description", Some("the user denied the request")),
                ("state", query.state.as_deref()),
            ],
        )),
    }
}
