//! The API's version, in a header on every route: each answer says which version it speaks
//! (`Mrdp-Api-Version: 1`), and a request may ask for one with the same header; a version this
//! portal does not serve is `400`, naming those it does. Without the header a request gets the
//! current version. The policy (docs/api.md): a version changes only by additions; a change that
//! breaks a client makes a new version, and the old one is served, its answers marked
//! `Deprecation` and `Sunset` (RFC 9745, RFC 8594), for at least twelve months after.

use crate::PortalError;
use actix_web::ResponseError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The header that carries the version, both ways.
pub const VERSION_HEADER: &str = "mrdp-api-version";
/// The versions served.
pub const SERVED: &[&str] = &[CURRENT];
/// The version of answers to requests that ask for none.
pub const CURRENT: &str = "1";

/// The middleware of the `/api` scope; outermost, so that the others' refusals say it too.
pub async fn speak_version(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let mut response = match req.headers().get(VERSION_HEADER).and_then(unserved) {
        Some(refused) => req.into_response(refused.error_response()),
        None => next.call(req).await?.map_into_boxed_body(),
    };
    response.headers_mut().insert(
        HeaderName::from_static(VERSION_HEADER),
        HeaderValue::from_static(CURRENT),
    );
    Ok(response)
}

/// The refusal of a version this portal does not serve.
fn unserved(asked: &HeaderValue) -> Option<PortalError> {
    let asked = asked.to_str().unwrap_or_default().trim();
    (!SERVED.contains(&asked)).then(|| {
        PortalError::BadRequest(format!(
            "API version {asked:?} is not served here; {VERSION_HEADER} may be {}",
            SERVED.join(", ")
        ))
    })
}
