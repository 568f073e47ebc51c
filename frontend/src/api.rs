//! The typed client of the portal API, over the `mrdp-shared` types.
//!
//! The browser sends its session cookie with every same-origin request; it never sees a token.

use mrdp_shared::{ApiError, HealthReport};
use serde::de::DeserializeOwned;

/// The API endpoints the app calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiPath {
    Health,
}

impl ApiPath {
    pub fn path(self) -> &'static str {
        match self {
            Self::Health => "/api/health",
        }
    }
}

/// Why an API call did not give the expected document.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The portal could not be reached at all.
    Network(String),
    /// The portal answered with its error envelope.
    Api { status: u16, error: ApiError },
    /// The portal answered something that is not the expected document.
    Unreadable { status: u16 },
}

impl ApiFailure {
    /// A sentence for the page.
    pub fn message(&self) -> String {
        match self {
            Self::Network(_) => {
                "The portal cannot be reached. Check your connection and retry.".to_owned()
            }
            Self::Api { error, .. } => error.message.clone(),
            Self::Unreadable { status } => {
                format!("The portal gave an unexpected answer (HTTP {status}).")
            }
        }
    }
}

/// Interprets a response: the document on 2xx, the error envelope otherwise.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiFailure> {
    if (200..300).contains(&status) {
        serde_json::from_str(body).map_err(|_| ApiFailure::Unreadable { status })
    } else {
        match serde_json::from_str::<ApiError>(body) {
            Ok(error) => Err(ApiFailure::Api { status, error }),
            Err(_) => Err(ApiFailure::Unreadable { status }),
        }
    }
}

async fn get<T: DeserializeOwned>(path: ApiPath) -> Result<T, ApiFailure> {
    let response = gloo_net::http::Request::get(path.path())
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|e| ApiFailure::Network(e.to_string()))?;
    let status = response.status();
    let body = response
        .text()
        .await
        .map_err(|e| ApiFailure::Network(e.to_string()))?;
    decode(status, &body)
}

/// `GET /api/health`.
pub async fn fetch_health() -> Result<HealthReport, ApiFailure> {
    get(ApiPath::Health).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrdp_shared::{ErrorCode, HealthStatus};

    #[test]
    fn success_decodes_the_document() {
        let report: HealthReport = decode(200, r#"{"status":"ok","services":[]}"#).unwrap();
        assert_eq!(report.status, HealthStatus::Ok);
    }

    #[test]
    fn errors_decode_the_envelope_and_keep_its_message() {
        let failure =
            decode::<HealthReport>(404, r#"{"code":"not_found","message":"no API route"}"#)
                .unwrap_err();
        let ApiFailure::Api { status, error } = &failure else {
            panic!("{failure:?}")
        };
        assert_eq!((*status, error.code), (404, ErrorCode::NotFound));
        assert_eq!(failure.message(), "no API route");
    }

    #[test]
    fn html_where_json_was_expected_is_unreadable() {
        let failure = decode::<HealthReport>(200, "<!doctype html>").unwrap_err();
        assert_eq!(failure, ApiFailure::Unreadable { status: 200 });
        let failure = decode::<HealthReport>(502, "Bad Gateway").unwrap_err();
        assert!(failure.message().contains("502"));
    }
}
