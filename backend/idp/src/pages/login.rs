//! `GET|POST /v2/web/login`: the sign-in page of local accounts.

use super::html::{error_page, escape, page};
use super::{session, throttle};
use crate::IdpState;
use crate::error::RegistryError;
use crate::password;
use crate::registry::users;
use crate::secret::random_token;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use mrdp_service::local_path::local_path;
use serde::Deserialize;

pub const LOGIN_PATH: &str = "/v2/web/login";
/// The double-submit CSRF cookie of the sign-in form (there is no session to bind it to yet).
const CSRF_COOKIE: &str = "mrdp_idp_login_csrf";

/// A server fault while rendering a page: a plain 500 page, the cause in the log only.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("database error: {0}")]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    PasswordCheck(#[from] password::CheckError),
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Store(_) | Self::PasswordCheck(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        tracing::error!(error = %self, "identity provider page failed");
        error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The sign-in service failed. Please try again.",
        )
    }
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

/// Where to go after signing in: a path on this server only (no open redirect, and nothing a
/// browser could read as another origin).
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(local_path).unwrap_or(LOGIN_PATH).to_owned()
}

pub async fn get_login(
    req: HttpRequest,
    state: web::Data<IdpState>,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, PageError> {
    let now = state.clock.now();
    if let Some(current) = session::current(&req, &state.store, now).await? {
        if let Some(next) = query.next.as_deref() {
            return Ok(see_other(&safe_next(Some(next))));
        }
        let name = crate::registry::identities::find(&state.store, &current.identity_id)
            .await?
            .map(|i| i.username)
            .unwrap_or_default();
        let body = format!(
            "<h1>Signed in</h1><p>You are signed in as <strong>{}</strong>.</p><p><a href=\"{}\">Sign out</a></p>",
            escape(&name),
            super::logout::LOGOUT_PATH
        );
        return Ok(page(StatusCode::OK, "Signed in", &body));
    }
    Ok(form(
        StatusCode::OK,
        &safe_next(query.next.as_deref()),
        "",
        None,
        state.secure_cookies(),
    ))
}

pub async fn post_login(
    req: HttpRequest,
    state: web::Data<IdpState>,
    form_data: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let submitted = form_data.into_inner();
    let next = safe_next(submitted.next.as_deref());
    let csrf_ok = req
        .cookie(CSRF_COOKIE)
        .is_some_and(|c| !submitted.csrf.is_empty() && c.value() == submitted.csrf);
    if !csrf_ok {
        return Ok(error_page(
            StatusCode::BAD_REQUEST,
            "This sign-in form has expired. Go back, reload the page and sign in again.",
        ));
    }
    let now = state.clock.now();
    let ip = mrdp_service::forwarded::client_address(&req)
        .map_or_else(|| "unknown".to_owned(), |address| address.to_string());
    let username = users::qualified_username(&submitted.username)
        .unwrap_or_else(|_| submitted.username.to_ascii_lowercase());
    let attempt = throttle::attempt(&state.store, &username, &ip, now).await?;
    if attempt.blocked {
        return Ok(form(
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            &submitted.username,
            Some("Too many failed sign-ins. Wait 15 minutes, then try again."),
            state.secure_cookies(),
        ));
    }
    let account = match users::find(&state.store, &username).await {
        Ok(account) => account,
        // A database failure is a failure, not a wrong password.
        Err(RegistryError::Store(e)) => return Err(e.into()),
        // A username that cannot exist is simply unknown.
        Err(_) => None,
    };
    // Checked for an unknown account too (against a dummy hash), so that timing does not tell
    // which accounts exist.
    let phc = account.as_ref().map(|a| a.password_hash.clone());
    let verified = state.passwords.check(submitted.password, phc).await?;
    let Some(account) = account.filter(|a| verified && !a.disabled) else {
        return Ok(form(
            StatusCode::UNAUTHORIZED,
            &next,
            &submitted.username,
            Some("Wrong username or password."),
            state.secure_cookies(),
        ));
    };
    throttle::succeeded(&state.store, attempt).await?;
    let token = session::start(&state.store, &account.identity.id, now).await?;
    let mut response = see_other(&next);
    response
        .add_cookie(&session::cookie(token, state.secure_cookies()))
        .ok();
    let mut spent = csrf_cookie(String::new(), state.secure_cookies());
    spent.make_removal();
    response.add_cookie(&spent).ok();
    Ok(response)
}

fn csrf_cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(CSRF_COOKIE, value)
        .path(LOGIN_PATH)
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
}

/// The sign-in form, with a fresh CSRF token in the form and in its cookie.
fn form(
    status: StatusCode,
    next: &str,
    username: &str,
    error: Option<&str>,
    secure: bool,
) -> HttpResponse {
    let csrf = random_token();
    let error = error.map_or_else(String::new, |e| {
        format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e))
    });
    let body = format!(
        "<h1>Sign in</h1>{error}<form method=\"post\" action=\"{LOGIN_PATH}\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"next\" value=\"{next}\">\
         <label for=\"username\">Username</label><input type=\"text\" id=\"username\" name=\"username\" value=\"{username}\" autocomplete=\"username\" required autofocus>\
         <label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">Sign in</button></form>",
        next = escape(next),
        username = escape(username),
    );
    let mut response = page(status, "Sign in", &body);
    response.add_cookie(&csrf_cookie(csrf, secure)).ok();
    response
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, location))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_server() {
        assert_eq!(
            safe_next(Some("/v2/oauth2/authorize?client_id=x")),
            "/v2/oauth2/authorize?client_id=x"
        );
        for hostile in [
            "https://evil.example",
            "//evil.example/x",
            "/\\evil.example",
            "evil",
        ] {
            assert_eq!(safe_next(Some(hostile)), LOGIN_PATH, "{hostile}");
        }
        assert_eq!(safe_next(None), LOGIN_PATH);
    }
}
