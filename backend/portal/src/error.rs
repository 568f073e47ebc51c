//! Errors of the portal API.
//!
//! Which type to use where:
//! - handlers return `Result<_, PortalError>`; every variant maps to exactly one HTTP status and
//!   one [`ErrorCode`], and the body is always the shared [`ApiError`] envelope;
//! - 5xx variants log their cause with `tracing::error!` and send a generic message, never internals;
//! - `anyhow` is for the binary's start-up only, never here.

use actix_web::body::EitherBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use mrdp_shared::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error("sign in first")]
    Unauthenticated,
    /// A bearer token the portal does not accept (RFC 6750 `invalid_token`).
    #[error("{0}")]
    InvalidToken(String),
    /// A bearer token without the portal's scope (named; RFC 6750 `insufficient_scope`).
    #[error("the token does not carry the portal's scope {0}")]
    InsufficientScope(String),
    #[error("complete your profile (name, email, institution) first")]
    ProfileIncomplete,
    #[error("your permission for {0} has ended at the identity provider; sign in again")]
    GrantEnded(String),
    #[error("{0}")]
    Forbidden(String),
    /// The session holds no token for this collection's HTTPS scope (named by its id).
    #[error("allow the portal to read this collection's files for you first (collection {0})")]
    ConsentRequired(String),
    /// The session may not manage the researcher's apps (`/api/auth/login?apps=true` asks).
    #[error("allow the portal to manage your apps first: sign in again from the Developer page")]
    AppsConsentRequired,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    HeadersTooLarge(String),
    /// Over a rate limit; the seconds to wait.
    #[error("too many requests: try again in {0} s")]
    RateLimited(u64),
    #[error("{0}")]
    SignInFailed(String),
    #[error("{0}")]
    Upstream(String),
    #[error("the portal is misconfigured: {0}")]
    Misconfigured(String),
    #[error("database error: {0}")]
    Store(#[from] sqlx::Error),
    #[error(transparent)]
    Vault(#[from] mrdp_service::vault::VaultError),
    #[error("the web app is not built: run `trunk build --release` (or `make run`)")]
    WebAppMissing,
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
    #[error("cannot read the web app: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Search(#[from] crate::catalog::search::SearchError),
    #[error(transparent)]
    CatalogLoad(#[from] crate::catalog::live::LoadError),
}

impl PortalError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Unauthenticated | Self::InvalidToken(_) | Self::GrantEnded(_) => {
                ErrorCode::Unauthenticated
            }
            Self::InsufficientScope(_) => ErrorCode::Forbidden,
            Self::ProfileIncomplete => ErrorCode::ProfileIncomplete,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::ConsentRequired(_) | Self::AppsConsentRequired => ErrorCode::ConsentRequired,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            Self::MethodNotAllowed(_) => ErrorCode::MethodNotAllowed,
            Self::RateLimited(_) => ErrorCode::RateLimited,
            Self::BadRequest(_) | Self::HeadersTooLarge(_) | Self::SignInFailed(_) => {
                ErrorCode::BadRequest
            }
            Self::WebAppMissing | Self::Upstream(_) => ErrorCode::UpstreamUnavailable,
            Self::HttpClient(_)
            | Self::Io(_)
            | Self::Misconfigured(_)
            | Self::Store(_)
            | Self::Vault(_)
            | Self::Search(_)
            | Self::CatalogLoad(_) => ErrorCode::Internal,
        }
    }
}

impl ResponseError for PortalError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthenticated | Self::InvalidToken(_) | Self::GrantEnded(_) => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden(_)
            | Self::InsufficientScope(_)
            | Self::ProfileIncomplete
            | Self::ConsentRequired(_)
            | Self::AppsConsentRequired => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::BadRequest(_) | Self::SignInFailed(_) => StatusCode::BAD_REQUEST,
            Self::WebAppMissing => StatusCode::SERVICE_UNAVAILABLE,
            Self::Upstream(_) => StatusCode::BAD_GATEWAY,
            Self::HttpClient(_)
            | Self::Io(_)
            | Self::Misconfigured(_)
            | Self::Store(_)
            | Self::Vault(_)
            | Self::Search(_)
            | Self::CatalogLoad(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let message = if status.is_server_error() && self.code() == ErrorCode::Internal {
            tracing::error!(error = %self, "internal error");
            "internal error".to_owned()
        } else {
            self.to_string()
        };
        let mut response = HttpResponse::build(status);
        if let Some(challenge) = self.challenge() {
            response.insert_header((WWW_AUTHENTICATE, challenge));
        }
        if let Self::RateLimited(seconds) = self {
            response.insert_header((RETRY_AFTER, seconds.to_string()));
        }
        response.json(ApiError::new(self.code(), message))
    }
}

impl PortalError {
    /// The `WWW-Authenticate` challenge of a refusal for want of credentials (RFC 6750 §3): the
    /// API takes a bearer token as well as the web app's session.
    fn challenge(&self) -> Option<String> {
        let quoted = |text: &str| text.replace(['"', '\\'], "'");
        match self {
            Self::Unauthenticated | Self::GrantEnded(_) => {
                Some(format!("Bearer realm=\"{REALM}\""))
            }
            Self::InvalidToken(why) => Some(format!(
                "Bearer realm=\"{REALM}\", error=\"invalid_token\", error_description=\"{}\"",
                quoted(why)
            )),
            Self::InsufficientScope(scope) => Some(format!(
                "Bearer realm=\"{REALM}\", error=\"insufficient_scope\", scope=\"{}\"",
                quoted(scope)
            )),
            _ => None,
        }
    }
}

/// The protection space named in challenges.
const REALM: &str = "mrdp";

/// A middleware's refusal of `req`, as an answer (not an error), so that the middlewares around
/// it see it and add their headers.
pub(crate) fn refusal<B>(
    req: ServiceRequest,
    error: &PortalError,
) -> ServiceResponse<EitherBody<B>> {
    req.into_response(error.error_response())
        .map_into_right_body()
}

/// Any `/api/...` request that no route matches: `405` with `Allow` when the path is a route's
/// and only the method is wrong, `404` otherwise.
pub(crate) async fn unknown_api_route(req: HttpRequest) -> HttpResponse {
    let allowed = crate::openapi::routes::methods_of(req.path());
    if allowed.is_empty() {
        return PortalError::NotFound(format!("no API route {} {}", req.method(), req.path()))
            .error_response();
    }
    let allow = allowed.join(", ");
    let mut response = PortalError::MethodNotAllowed(format!(
        "{} is not a method of {}: {allow}",
        req.method(),
        req.path()
    ))
    .error_response();
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allow) {
        response
            .headers_mut()
            .insert(actix_web::http::header::ALLOW, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn body_of(error: PortalError) -> (StatusCode, ApiError) {
        let response = error.error_response();
        let status = response.status();
        let bytes = to_bytes(response.into_body()).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[actix_web::test]
    async fn not_found_keeps_its_message() {
        let (status, body) = body_of(PortalError::NotFound("no dataset nyc".into())).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body, ApiError::new(ErrorCode::NotFound, "no dataset nyc"));
    }

    #[actix_web::test]
    async fn internal_errors_hide_their_cause() {
        let io = std::io::Error::other("/secret/path/index.html: permission denied");
        let (status, body) = body_of(PortalError::Io(io)).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(body, ApiError::new(ErrorCode::Internal, "internal error"));
    }

    #[actix_web::test]
    async fn refused_tokens_are_challenged_as_rfc_6750_says() {
        let challenge = |error: PortalError| {
            let response = error.error_response();
            response
                .headers()
                .get(WWW_AUTHENTICATE)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(
            challenge(PortalError::Unauthenticated).as_deref(),
            Some("Bearer realm=\"mrdp\"")
        );
        assert_eq!(
            challenge(PortalError::InvalidToken("it \"expired\"".into())).as_deref(),
            Some(
                "Bearer realm=\"mrdp\", error=\"invalid_token\", error_description=\"it 'expired'\""
            )
        );
        let (status, body) = body_of(PortalError::InsufficientScope("s".into())).await;
        assert_eq!(
            (status, body.code),
            (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
        );
        assert_eq!(challenge(PortalError::NotFound("x".into())), None);
    }

    #[actix_web::test]
    async fn missing_web_app_says_how_to_build_it() {
        let (status, body) = body_of(PortalError::WebAppMissing).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body.code, ErrorCode::UpstreamUnavailable);
        assert!(body.message.contains("trunk build"));
    }
}
