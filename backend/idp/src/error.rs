//! Errors of the identity provider.
//!
//! Which type to use where:
//! - the OAuth endpoints (`/v2/oauth2/*`) answer [`OAuthError`], rendered per RFC 6749 §5.2
//!   (`{"error": "invalid_grant", "error_description": "..."}`), with `WWW-Authenticate` on 401;
//! - registry functions (used by the CLI and first-run set-up) return [`RegistryError`];
//! - server faults (database) are `server_error` 500s that log the cause and say nothing more.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, WWW_AUTHENTICATE};
use actix_web::{HttpResponse, ResponseError};
use mrdp_globus::auth::OAuthErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("client authentication failed")]
    InvalidClient,
    #[error("{0}")]
    InvalidGrant(String),
    #[error("{0}")]
    UnauthorizedClient(String),
    #[error("the grant type is not supported")]
    UnsupportedGrantType,
    #[error("{0}")]
    InvalidScope(String),
    /// RFC 8693: the requested audience or resource is not acceptable.
    #[error("{0}")]
    InvalidTarget(String),
    #[error("database error: {0}")]
    Store(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl OAuthError {
    /// The RFC 6749 error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidRequest(_) => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant(_) => "invalid_grant",
            Self::UnauthorizedClient(_) => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope(_) => "invalid_scope",
            Self::InvalidTarget(_) => "invalid_target",
            Self::Store(_) | Self::Internal(_) => "server_error",
        }
    }
}

impl ResponseError for OAuthError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::InvalidClient => StatusCode::UNAUTHORIZED,
            Self::InvalidRequest(_)
            | Self::InvalidGrant(_)
            | Self::UnauthorizedClient(_)
            | Self::UnsupportedGrantType
            | Self::InvalidScope(_)
            | Self::InvalidTarget(_) => StatusCode::BAD_REQUEST,
            Self::Store(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let description = match self {
            Self::Store(e) => {
                tracing::error!(error = %e, "identity provider store error");
                "internal error".to_owned()
            }
            Self::Internal(e) => {
                tracing::error!(error = %e, "identity provider error");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((CACHE_CONTROL, "no-store"));
        if matches!(self, Self::InvalidClient) {
            response.insert_header((WWW_AUTHENTICATE, "Basic realm=\"auth.globus.org\""));
        }
        response.json(OAuthErrorBody {
            error: self.code().to_owned(),
            error_description: Some(description),
        })
    }
}

/// Why a registry change (clients, scopes) was refused.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{0} already exists")]
    Duplicate(String),
    #[error("{0} does not exist")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Store(#[from] sqlx::Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn render(error: OAuthError) -> (StatusCode, Option<String>, OAuthErrorBody) {
        let response = error.error_response();
        let status = response.status();
        let challenge = response
            .headers()
            .get(WWW_AUTHENTICATE)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = to_bytes(response.into_body()).await.unwrap();
        (status, challenge, serde_json::from_slice(&body).unwrap())
    }

    #[actix_web::test]
    async fn invalid_client_is_401_with_a_challenge() {
        let (status, challenge, body) = render(OAuthError::InvalidClient).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(challenge.unwrap().starts_with("Basic"));
        assert_eq!(body.error, "invalid_client");
    }

    #[actix_web::test]
    async fn grant_errors_are_400_with_rfc_codes() {
        let (status, challenge, body) =
            render(OAuthError::InvalidGrant("code expired".into())).await;
        assert_eq!((status, challenge), (StatusCode::BAD_REQUEST, None));
        assert_eq!(
            body,
            OAuthErrorBody {
                error: "invalid_grant".into(),
                error_description: Some("code expired".into())
            }
        );
        let (_, _, body) = render(OAuthError::UnsupportedGrantType).await;
        assert_eq!(body.error, "unsupported_grant_type");
    }

    #[actix_web::test]
    async fn store_errors_hide_their_cause() {
        let (status, _, body) = render(OAuthError::Store(sqlx::Error::PoolClosed)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body.error_description.as_deref(), Some("internal error"));
    }
}
