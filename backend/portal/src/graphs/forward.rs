//! Calls to the graph service as the researcher: their graph-scope token (refreshed when it is
//! about to expire) as the bearer; the graph service's error documents passed on as the portal's.

use crate::auth::grants;
use crate::auth::session::Session;
use crate::{PortalError, PortalState};
use mrdp_shared::ApiError;
use serde::de::DeserializeOwned;

/// The graph service, called for one researcher.
#[derive(Debug, Clone)]
pub struct GraphAs {
    state: PortalState,
    token: String,
}

impl GraphAs {
    /// The graph service as the researcher of `session`; a portal without a graph service, or a
    /// session without the graph permission, is refused with what to do.
    pub async fn of(state: &PortalState, session: &Session) -> Result<Self, PortalError> {
        let resource_server = state.graph_resource_server.as_deref().ok_or_else(|| {
            PortalError::Misconfigured("no graph service is configured".to_owned())
        })?;
        let tokens = grants::usable(state, &session.id_hash, resource_server)
            .await?
            .ok_or_else(|| PortalError::GrantEnded(resource_server.to_owned()))?;
        Ok(Self {
            state: state.clone(),
            token: tokens.access_token,
        })
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/api/graphs{path}",
            self.state.upstreams.graph.trim_end_matches('/')
        )
    }

    /// `method` of `/api/graphs{path}`, with `body`; the answer's status and JSON (none for 204).
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&impl serde::Serialize>,
    ) -> Result<Option<T>, PortalError> {
        let mut request = self
            .state
            .http
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| {
            tracing::warn!(error = %e, "the graph service did not answer");
            PortalError::Upstream("the graph service did not answer".into())
        })?;
        let status = response.status();
        if status == reqwest::StatusCode::NO_CONTENT {
            return Ok(None);
        }
        if status.is_success() {
            return response.json().await.map(Some).map_err(|e| {
                PortalError::Upstream(format!("the graph service's answer is not understood: {e}"))
            });
        }
        let message = response.json::<ApiError>().await.map_or_else(
            |_| format!("the graph service answered {status}"),
            |error| error.message,
        );
        Err(match status.as_u16() {
            400 => PortalError::BadRequest(message),
            401 => PortalError::GrantEnded("the graph service".to_owned()),
            403 => PortalError::Forbidden(message),
            404 => PortalError::NotFound(message),
            409 => PortalError::Conflict(message),
            _ => PortalError::Upstream(format!("the graph service answered {status}: {message}")),
        })
    }

    /// A call whose answer has a body.
    pub async fn fetch<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&impl serde::Serialize>,
    ) -> Result<T, PortalError> {
        self.call(method, path, body)
            .await?
            .ok_or_else(|| PortalError::Upstream("the graph service answered nothing".into()))
    }
}
