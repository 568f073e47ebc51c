//! `GET /v2/web/auth-code`: where native apps without a web server send the browser back; the
//! page shows the code to paste into the app (Globus's default native-app redirect URI).

use super::html::{escape, page};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

pub const AUTH_CODE_PATH: &str = "/v2/web/auth-code";

#[derive(Debug, Deserialize)]
pub struct AuthCodeQuery {
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

pub async fn get_auth_code(query: web::Query<AuthCodeQuery>) -> HttpResponse {
    match (&query.code, &query.error) {
        (Some(code), None) => page(
            StatusCode::OK,
            "Authorization code",
            &format!(
                "<h1>Copy this code into the application</h1>\
                 <p><code data-testid=\"auth-code\">{}</code></p><p>It works once, within a minute.</p>",
                escape(code)
            ),
        ),
        (_, Some(error)) => {
            let detail = query.error_description.as_deref().unwrap_or(error);
            page(
                StatusCode::BAD_REQUEST,
                "Not authorized",
                &format!(
                    "<h1>Not authorized</h1><p class=\"error\">{}</p>",
                    escape(detail)
                ),
            )
        }
        (None, None) => page(
            StatusCode::BAD_REQUEST,
            "No code",
            "<h1>No code</h1><p class=\"error\">This page shows the code an application sent you here with; there is none.</p>",
        ),
    }
}
