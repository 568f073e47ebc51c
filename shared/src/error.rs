//! The single error body of the portal API.

use serde::{Deserialize, Serialize};

/// What went wrong, as a closed vocabulary that clients branch on (never on the message text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Unauthenticated,
    /// The researcher must complete their profile first; the app shows the profile page.
    ProfileIncomplete,
    Forbidden,
    /// The researcher has not yet allowed the portal to use a collection for them: the app
    /// sends them to sign in with that permission (`/api/auth/login?collection=`).
    ConsentRequired,
    NotFound,
    BadRequest,
    Conflict,
    /// The path is a route's, but not with this method (`Allow` lists those it has).
    MethodNotAllowed,
    /// The request's body is larger than the route takes.
    PayloadTooLarge,
    /// Too many requests from this caller or address; `Retry-After` says when to try again.
    RateLimited,
    UpstreamUnavailable,
    Internal,
}

/// The only error body the portal API returns: `{"code": "not_found", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_snake_case_code_and_message() {
        let body = ApiError::new(
            ErrorCode::UpstreamUnavailable,
            "the transfer service is down",
        );
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "upstream_unavailable", "message": "the transfer service is down"})
        );
    }

    #[test]
    fn unknown_error_code_is_rejected() {
        let parsed = serde_json::from_str::<ApiError>(r#"{"code":"teapot","message":"x"}"#);
        assert!(parsed.is_err());
    }
}
