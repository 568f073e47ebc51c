//! The data server's errors: one HTTP status each, a JSON body `{"code", "message"}` in the
//! Transfer API's vocabulary, and never an internal detail.

use crate::bearer::BearerError;
use crate::judge::JudgeError;
use crate::locate::LocateError;
use crate::paths::PathError;
use crate::storage::StorageError;
use actix_web::http::StatusCode;
use actix_web::http::header::WWW_AUTHENTICATE;
use actix_web::{HttpResponse, ResponseError};
use mrdp_globus::introspection::IntrospectionError;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error(transparent)]
    BadPath(#[from] PathError),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the upload did not complete: {0}")]
    UploadFailed(String),
    #[error(transparent)]
    Locate(#[from] LocateError),
    #[error(transparent)]
    Introspection(#[from] IntrospectionError),
    #[error("database error: {0}")]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    SignedUrl(#[from] super::signed::SignedUrlError),
}

impl From<JudgeError> for DataError {
    fn from(error: JudgeError) -> Self {
        match error {
            JudgeError::Store(error) => Self::Store(error),
            JudgeError::Storage(error) => Self::Storage(error),
            JudgeError::Locate(error) => Self::Locate(error),
        }
    }
}

impl From<BearerError> for DataError {
    fn from(error: BearerError) -> Self {
        match error {
            BearerError::Malformed | BearerError::Inactive => {
                Self::Unauthenticated(error.to_string())
            }
            BearerError::MissingScope(_) => Self::Forbidden(error.to_string()),
            BearerError::Introspection(e) => Self::Introspection(e),
        }
    }
}

impl DataError {
    fn code(&self) -> &'static str {
        match self {
            Self::BadPath(_) => "ClientError.BadRequest",
            Self::Unauthenticated(_) => "ClientError.AuthenticationFailed",
            Self::Forbidden(_)
            | Self::SignedUrl(_)
            | Self::Storage(StorageError::PermissionDenied(_)) => "PermissionDenied",
            Self::NotFound(_) | Self::Storage(StorageError::NotFound(_)) => "ClientError.NotFound",
            Self::Storage(
                StorageError::IsADirectory(_)
                | StorageError::NotADirectory(_)
                | StorageError::Exists(_)
                | StorageError::NotEmpty(_),
            ) => "ClientError.Conflict",
            Self::UploadFailed(_) => "ClientError.BadRequest",
            Self::Introspection(_) => "ExternalError.AuthUnavailable",
            Self::Locate(LocateError::HostGone) => "ClientError.NotFound",
            Self::Storage(StorageError::Io { .. }) | Self::Locate(_) | Self::Store(_) => {
                "ServiceUnavailable"
            }
        }
    }

    /// What the caller is told; server-side causes stay in the log.
    fn message(&self) -> String {
        match self {
            Self::Storage(StorageError::Io { path, .. }) => format!("storage failure on `{path}`"),
            Self::Locate(LocateError::Misconfigured(_) | LocateError::Store(_))
            | Self::Store(_) => "internal error".to_owned(),
            other => other.to_string(),
        }
    }
}

impl ResponseError for DataError {
    fn status_code(&self) -> StatusCode {
        match self.code() {
            "ClientError.BadRequest" => StatusCode::BAD_REQUEST,
            "ClientError.AuthenticationFailed" => StatusCode::UNAUTHORIZED,
            "PermissionDenied" => StatusCode::FORBIDDEN,
            "ClientError.NotFound" => StatusCode::NOT_FOUND,
            "ClientError.Conflict" => StatusCode::CONFLICT,
            "ExternalError.AuthUnavailable" => StatusCode::BAD_GATEWAY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "data server failure");
        }
        let mut response = HttpResponse::build(status);
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header((WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(serde_json::json!({"code": self.code(), "message": self.message()}))
    }
}
