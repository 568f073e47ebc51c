//! `GET /v2/web/logout?client=…&redirect_uri=…&redirect_name=…`: ends the sign-in session and
//! offers a link back to the app, if the app registered that address.

use super::html::{escape, page};
use super::login::PageError;
use super::session;
use crate::IdpState;
use crate::registry::clients;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

pub const LOGOUT_PATH: &str = "/v2/web/logout";

#[derive(Debug, Deserialize)]
pub struct LogoutQuery {
    client: Option<String>,
    redirect_uri: Option<String>,
    redirect_name: Option<String>,
}

pub async fn get_logout(
    req: HttpRequest,
    state: web::Data<IdpState>,
    query: web::Query<LogoutQuery>,
) -> Result<HttpResponse, PageError> {
    if let Some(current) = session::current(&req, &state.store, state.clock.now()).await? {
        session::end(&state.store, &current.hash).await?;
    }
    let back = match (&query.client, &query.redirect_uri) {
        (Some(client), Some(uri)) => match clients::find(&state.store, client).await? {
            Some(client)
                if client
                    .redirect_uris
                    .iter()
                    .any(|registered| same_origin(registered, uri)) =>
            {
                Some(uri.clone())
            }
            _ => None,
        },
        _ => None,
    };
    let link = back.map_or_else(String::new, |uri| {
        let name = query.redirect_name.as_deref().unwrap_or("the application");
        format!(
            "<p><a href=\"{}\">Return to {}</a></p>",
            escape(&uri),
            escape(name)
        )
    });
    let mut response = page(
        StatusCode::OK,
        "Signed out",
        &format!("<h1>You are signed out</h1>{link}"),
    );
    response
        .add_cookie(&session::removal(state.secure_cookies()))
        .ok();
    Ok(response)
}

/// Whether two absolute http(s) URLs share scheme, host and port.
fn same_origin(a: &str, b: &str) -> bool {
    fn origin(url: &str) -> Option<&str> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        Some(&url[..url.len() - rest.len() + end])
    }
    matches!((origin(a), origin(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert!(same_origin(
            "http://127.0.0.1:8080/api/auth/callback",
            "http://127.0.0.1:8080/"
        ));
        assert!(!same_origin(
            "http://127.0.0.1:8080/cb",
            "http://127.0.0.1:8081/"
        ));
        assert!(!same_origin(
            "https://portal.example/cb",
            "https://portal.example.evil.org/"
        ));
        assert!(!same_origin(
            "https://portal.example/cb",
            "javascript:alert(1)"
        ));
    }
}
