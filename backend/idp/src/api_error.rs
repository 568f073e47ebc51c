//! The Globus Auth API error envelope, used by `/v2/api/*`, userinfo and unknown paths:
//!
//! ```json
//! {"errors": [{"status": "401", "id": "…", "code": "UNAUTHORIZED", "detail": "…", "title": "Unauthorized"}],
//!  "error_description": "Unauthorized", "error": "unauthorized"}
//! ```

use actix_web::http::StatusCode;
use actix_web::http::header::WWW_AUTHENTICATE;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Store(#[from] sqlx::Error),
}

#[derive(Debug, Serialize)]
struct Envelope {
    errors: [ErrorItem; 1],
    error_description: &'static str,
    error: &'static str,
}

#[derive(Debug, Serialize)]
struct ErrorItem {
    status: String,
    id: String,
    code: &'static str,
    detail: String,
    title: &'static str,
}

impl ApiError {
    /// (code, title, error) for the envelope.
    fn names(&self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Unauthorized(_) => ("UNAUTHORIZED", "Unauthorized", "unauthorized"),
            Self::Forbidden(_) => ("FORBIDDEN", "Forbidden", "forbidden"),
            Self::NotFound(_) => ("NOT_FOUND", "Not Found", "not_found"),
            Self::BadRequest(_) => ("BAD_REQUEST", "Bad Request", "bad_request"),
            Self::Conflict(_) => ("CONFLICT", "Conflict", "conflict"),
            Self::Store(_) => ("UNKNOWN_ERROR", "Internal Server Error", "internal_error"),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let detail = match self {
            Self::Store(e) => {
                tracing::error!(error = %e, "identity API store error");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let (code, title, error) = self.names();
        let envelope = Envelope {
            errors: [ErrorItem {
                status: status.as_u16().to_string(),
                id: uuid::Uuid::new_v4().to_string(),
                code,
                detail,
                title,
            }],
            error_description: title,
            error,
        };
        let mut response = HttpResponse::build(status);
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header((WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(envelope)
    }
}

/// Any path the identity provider does not serve.
pub async fn unknown_path(req: HttpRequest) -> HttpResponse {
    ApiError::NotFound(format!("no such resource: {} {}", req.method(), req.path()))
        .error_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    #[actix_web::test]
    async fn unauthorized_has_the_globus_envelope_and_a_bearer_challenge() {
        let response = ApiError::Unauthorized("Call must be authenticated".into()).error_response();
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers().get(WWW_AUTHENTICATE).unwrap(), "Bearer");
        let body: serde_json::Value =
            serde_json::from_slice(&to_bytes(response.into_body()).await.unwrap()).unwrap();
        assert_eq!(body["error"], "unauthorized");
        assert_eq!(body["error_description"], "Unauthorized");
        let item = &body["errors"][0];
        assert_eq!(
            (item["status"].as_str(), item["code"].as_str()),
            (Some("401"), Some("UNAUTHORIZED"))
        );
        assert_eq!(item["detail"], "Call must be authenticated");
        assert!(item["id"].as_str().is_some_and(|id| id.len() == 36));
    }
}
