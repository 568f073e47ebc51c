//! What the graph API answers when it cannot do what was asked: the portal's error body
//! (`{"code", "message"}`), so that the portal passes it on as it is.

use actix_web::http::StatusCode;
use actix_web::http::header::WWW_AUTHENTICATE;
use actix_web::{HttpResponse, ResponseError};
use mrdp_shared::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The identity provider or another service did not answer as it should.
    #[error("{0}")]
    Upstream(String),
    #[error("the graph service's store failed")]
    Store(#[from] sqlx::Error),
    #[error("the graph service could not seal the researcher's tokens")]
    Vault(#[from] mrdp_service::vault::VaultError),
}

impl GraphError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::BadRequest(_) => ErrorCode::BadRequest,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::Upstream(_) => ErrorCode::UpstreamUnavailable,
            Self::Store(_) | Self::Vault(_) => ErrorCode::Internal,
        }
    }
}

impl ResponseError for GraphError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Upstream(_) => StatusCode::BAD_GATEWAY,
            Self::Store(_) | Self::Vault(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Store(error) = self {
            tracing::error!(%error, "the graph store failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, Self::Unauthenticated(_)) {
            response.insert_header((WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(ApiError::new(self.code(), self.to_string()))
    }
}
