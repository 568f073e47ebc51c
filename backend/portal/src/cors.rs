//! Cross-origin access to the API (actix-cors): web pages of the origins the configuration lists
//! (`portal.cors_allowed_origins`) may call it from the browser, with credentials (the session
//! cookie, or a bearer token they hold); every other origin gets no CORS headers, so browsers
//! keep its pages out. There is no wildcard, with or without credentials. Requests without an
//! `Origin` (scripts, notebooks, services) are not affected.

use actix_cors::Cors;
use actix_web::http::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, ETAG, HeaderName, IF_NONE_MATCH, LOCATION, RETRY_AFTER,
    WWW_AUTHENTICATE,
};

/// Seconds browsers may keep a preflight's answer.
const PREFLIGHT_MAX_AGE: usize = 3600;

/// The CORS middleware of the `/api` scope for `origins` (each `scheme://host[:port]`).
pub fn middleware(origins: &[String]) -> Cors {
    let allowed = origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin));
    allowed
        .allowed_methods(["GET", "POST", "PUT", "DELETE"])
        .allowed_headers([
            ACCEPT,
            AUTHORIZATION,
            CONTENT_TYPE,
            IF_NONE_MATCH,
            HeaderName::from_static("last-event-id"),
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static(crate::auth::csrf::CSRF_HEADER),
        ])
        .expose_headers([LOCATION, ETAG, RETRY_AFTER, WWW_AUTHENTICATE])
        .supports_credentials()
        .max_age(PREFLIGHT_MAX_AGE)
}

/// Whether `origin` may be listed: `http` or `https`, a host, an optional port, nothing else.
pub fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains(['/', '*', '?', '#', '@', ' '])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_origins_may_be_listed() {
        assert!(is_origin("https://notebooks.example.org"));
        assert!(is_origin("http://127.0.0.1:8090"));
        for not_one in [
            "*",
            "https://*.example.org",
            "https://example.org/",
            "example.org",
            "ftp://example.org",
            "https://",
            "https://user@example.org",
        ] {
            assert!(!is_origin(not_one), "{not_one}");
        }
    }
}
