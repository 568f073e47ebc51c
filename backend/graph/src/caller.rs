//! Who asks: the person a bearer token acts for, as the identity provider says when the service
//! introspects it. The token must be active, addressed to this service, carry its scope, and act
//! for a person: a client's token for itself (the portal's own, say) makes no graphs for anyone.

use crate::errors::GraphError;
use crate::service::GraphService;
use actix_web::HttpRequest;
use actix_web::http::header::AUTHORIZATION;

/// A researcher, by the token they sent.
#[derive(Clone)]
pub struct Researcher {
    /// The token's identity: the only one a job is ever for.
    pub identity: String,
    pub token: String,
}

impl std::fmt::Debug for Researcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Researcher")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

/// The researcher `req`'s token acts for.
pub async fn researcher(
    req: &HttpRequest,
    service: &GraphService,
) -> Result<Researcher, GraphError> {
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            GraphError::Unauthenticated(
                "send a bearer token for the graph service's scope".to_owned(),
            )
        })?;
    let active = service
        .provider
        .introspect(token, service.clock.now())
        .await
        .map_err(|e| GraphError::Upstream(e.to_string()))?
        .ok_or_else(|| GraphError::Unauthenticated("the token is not active".to_owned()))?;
    let settings = &service.settings;
    if !active
        .aud
        .iter()
        .any(|audience| *audience == settings.client_id)
    {
        return Err(GraphError::Forbidden(
            "the token is for another service, not the graph service".to_owned(),
        ));
    }
    if !active.has_scope(&settings.scope) {
        return Err(GraphError::Forbidden(format!(
            "the token does not carry the scope {}",
            settings.scope
        )));
    }
    if active.sub == active.client_id {
        return Err(GraphError::Forbidden(
            "the token is a client's own: graphs are made for a person, with a token that acts for them"
                .to_owned(),
        ));
    }
    Ok(Researcher {
        identity: active.sub,
        token: token.to_owned(),
    })
}
