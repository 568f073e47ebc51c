//! Transfer API errors: Globus's error document `{"code", "message", "request_id", "resource"}`
//! with the codes the official SDK and its users branch on. `request_id` is the request's id
//! (also its `x-request-id` header and log line).

use crate::bearer::BearerError;
use crate::judge::JudgeError;
use crate::locate::LocateError;
use crate::paths::PathError;
use crate::storage::StorageError;
use actix_web::http::StatusCode;
use actix_web::http::header::WWW_AUTHENTICATE;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError};
use mrdp_globus::transfer::ErrorDocument;
use tracing_actix_web::RequestId;

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    PermissionDenied(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("a submission needs at least one item")]
    NoItems,
    /// Someone else's submission has the `submission_id`; nothing of it is told.
    #[error(
        "this submission_id was used for another submission: get a new one from GET /v0.10/submission_id"
    )]
    SubmissionIdTaken,
    #[error("{0}")]
    Storage(#[from] StorageError),
    /// `mkdir` of a path that exists: Globus answers 502, and clients swallow it.
    #[error("a file or directory already exists at `{0}`")]
    MkdirExists(String),
    #[error("the identity provider did not answer")]
    AuthUnavailable,
    #[error(transparent)]
    Locate(#[from] LocateError),
    #[error("database error: {0}")]
    Store(#[from] sqlx::Error),
}

impl From<JudgeError> for TransferError {
    fn from(error: JudgeError) -> Self {
        match error {
            JudgeError::Store(error) => Self::Store(error),
            JudgeError::Storage(error) => Self::Storage(error),
            JudgeError::Locate(error) => Self::Locate(error),
        }
    }
}

impl From<PathError> for TransferError {
    fn from(error: PathError) -> Self {
        Self::BadRequest(error.to_string())
    }
}

impl From<BearerError> for TransferError {
    fn from(error: BearerError) -> Self {
        match error {
            BearerError::Malformed | BearerError::Inactive => {
                Self::Unauthenticated(error.to_string())
            }
            BearerError::MissingScope(_) => Self::PermissionDenied(error.to_string()),
            BearerError::Introspection(e) => {
                tracing::error!(error = %e, "introspection failed");
                Self::AuthUnavailable
            }
        }
    }
}

impl TransferError {
    /// The error as answered to this request.
    pub fn at(self, req: &HttpRequest) -> Failure {
        Failure {
            error: self,
            request_id: request_id(req),
            resource: req.path().to_owned(),
        }
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "ClientError.BadRequest"),
            Self::Unauthenticated(_) => {
                (StatusCode::UNAUTHORIZED, "ClientError.AuthenticationFailed")
            }
            Self::PermissionDenied(_) | Self::Storage(StorageError::PermissionDenied(_)) => {
                (StatusCode::FORBIDDEN, "EndpointPermissionDenied")
            }
            Self::NotFound(_)
            | Self::Storage(StorageError::NotFound(_))
            | Self::Locate(LocateError::HostGone) => {
                (StatusCode::NOT_FOUND, "ClientError.NotFound")
            }
            Self::Storage(StorageError::NotADirectory(_)) => (
                StatusCode::BAD_GATEWAY,
                "ExternalError.DirListingFailed.NotDirectory",
            ),
            Self::Conflict(_) => (StatusCode::CONFLICT, "Exists"),
            Self::NoItems => (
                StatusCode::BAD_REQUEST,
                "ClientError.BadRequest.NoTransferItems",
            ),
            Self::MkdirExists(_) => (StatusCode::BAD_GATEWAY, "ExternalError.MkdirFailed.Exists"),
            Self::Storage(StorageError::Exists(_)) => (StatusCode::CONFLICT, "Exists"),
            Self::Storage(StorageError::IsADirectory(_) | StorageError::NotEmpty(_))
            | Self::SubmissionIdTaken => (StatusCode::CONFLICT, "ClientError.Conflict"),
            Self::AuthUnavailable => (StatusCode::BAD_GATEWAY, "ExternalError.AuthUnavailable"),
            Self::Storage(StorageError::Io { .. }) | Self::Locate(_) | Self::Store(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "ServiceUnavailable")
            }
        }
    }
}

/// A [`TransferError`] with the request it answers.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct Failure {
    pub error: TransferError,
    request_id: String,
    resource: String,
}

impl Failure {
    fn document(&self, code: &str) -> ErrorDocument {
        let message = match &self.error {
            TransferError::Storage(StorageError::Io { path, .. }) => {
                format!("storage failure on `{path}`")
            }
            TransferError::Locate(_) | TransferError::Store(_) => "internal error".to_owned(),
            other => other.to_string(),
        };
        ErrorDocument {
            code: code.to_owned(),
            message,
            request_id: self.request_id.clone(),
            resource: self.resource.clone(),
        }
    }
}

impl ResponseError for Failure {
    fn status_code(&self) -> StatusCode {
        self.error.status_and_code().0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, code) = self.error.status_and_code();
        if status.is_server_error() {
            tracing::error!(error = %self.error, "transfer API failure");
        }
        let mut response = HttpResponse::build(status);
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header((WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.document(code))
    }
}

/// The id of the request being answered (as in its `x-request-id` header).
pub fn request_id(req: &HttpRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map_or_else(String::new, ToString::to_string)
}

/// Any `/v0.10/...` path that no route matches.
pub async fn unknown_route(req: HttpRequest) -> HttpResponse {
    TransferError::NotFound(format!("no API route {} {}", req.method(), req.path()))
        .at(&req)
        .error_response()
}
