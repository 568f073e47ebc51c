//! Bearer tokens as the transfer service and the data server receive them: introspected at the
//! identity provider, and required to carry the service's scope.

use crate::access::Caller;
use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;
use mrdp_globus::introspection::{IntrospectionError, Introspector};

/// Why a request's token does not do.
#[derive(Debug, thiserror::Error)]
pub enum BearerError {
    #[error("the Authorization header is not a bearer token")]
    Malformed,
    #[error("the token is not active")]
    Inactive,
    #[error("the token does not carry the scope {0}")]
    MissingScope(String),
    #[error(transparent)]
    Introspection(#[from] IntrospectionError),
}

/// A request's `Authorization` header, if it has one.
pub fn authorization(req: &HttpRequest) -> Option<&[u8]> {
    req.headers()
        .get(AUTHORIZATION)
        .map(|value| value.as_bytes())
}

/// Who a request with the `authorization` header acts for: `None` without one.
pub async fn caller(
    authorization: Option<&[u8]>,
    introspector: &Introspector,
    now: i64,
    scope: &str,
) -> Result<Option<Caller>, BearerError> {
    let Some(header) = authorization else {
        return Ok(None);
    };
    let token = std::str::from_utf8(header)
        .ok()
        .filter(|value| value.is_ascii())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or(BearerError::Malformed)?;
    let active = introspector
        .introspect(token, now)
        .await?
        .ok_or(BearerError::Inactive)?;
    if !active.has_scope(scope) {
        return Err(BearerError::MissingScope(scope.to_owned()));
    }
    Ok(Some(Caller {
        identities: active.identities(),
        groups: active.group_memberships.clone().unwrap_or_default(),
    }))
}
