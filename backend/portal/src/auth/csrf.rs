//! The CSRF defence of state-changing API requests made with the session cookie: a custom
//! header that a cross-site form or simple request cannot send (browsers preflight it, and the
//! portal answers no CORS), plus an `Origin` check when the browser sends one. A request with a
//! bearer token is authenticated by that token alone (the cookie is then ignored), which no
//! cross-site page can add.

use super::bearer;
use crate::error::refusal;
use crate::{PortalError, PortalState};
use actix_web::body::EitherBody;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{HOST, ORIGIN};
use actix_web::middleware::Next;
use actix_web::web;

/// The header the SPA sends with every request that changes something.
pub const CSRF_HEADER: &str = "x-mrdp-csrf";

pub async fn require_csrf_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // A bearer token is never sent by a browser on its own: the request is the app's.
    let by_app = bearer::presented(req.headers()).is_some();
    if !safe && !by_app {
        let headers = req.headers();
        let has_header = headers.get(CSRF_HEADER).is_some_and(|v| v == "1");
        let same_origin = match (
            headers.get(ORIGIN).and_then(|v| v.to_str().ok()),
            headers.get(HOST).and_then(|v| v.to_str().ok()),
        ) {
            (Some(origin), Some(host)) => {
                origin
                    .split_once("://")
                    .is_some_and(|(_, rest)| rest == host)
                    || req
                        .app_data::<web::Data<PortalState>>()
                        .is_some_and(|state| state.accepts_origin(origin))
            }
            (None, _) => true,
            (Some(_), None) => false,
        };
        if !has_header || !same_origin {
            let refused = PortalError::Forbidden("cross-site request refused".to_owned());
            return Ok(refusal(req, &refused));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
