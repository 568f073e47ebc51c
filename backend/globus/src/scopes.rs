//! Globus Auth's scope creation, `POST /v2/api/clients/{client_id}/scopes`: a confidential client
//! makes a scope of a resource server it speaks for (itself, or — as Globus Connect Server does
//! for every collection — a resource server named by a new id). The scope string is
//! `https://auth.globus.org/scopes/<client_id>/<scope_suffix>`.

use crate::introspection::Introspector;
use serde::{Deserialize, Serialize};

/// Bodies and answers carry one scope under `"scope"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeEnvelope<T> {
    pub scope: T,
}

/// A scope to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewScope {
    pub name: String,
    pub description: String,
    /// Lowercase letters, digits and underscores.
    pub scope_suffix: String,
    #[serde(default)]
    pub dependent_scopes: Vec<DependentScope>,
    #[serde(default)]
    pub advertised: bool,
    #[serde(default = "yes")]
    pub allows_refresh_token: bool,
    #[serde(default)]
    pub required_domains: Vec<String>,
}

fn yes() -> bool {
    true
}

/// A scope a holder of the new one may get dependent tokens for (named by the scope's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependentScope {
    pub scope: String,
    pub optional: bool,
    pub requires_refresh_token: bool,
}

/// A scope, as Globus Auth describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeDocument {
    pub id: String,
    pub scope_string: String,
    pub name: String,
    pub description: String,
    /// The resource server (client) the scope belongs to.
    pub client: String,
    pub dependent_scopes: Vec<DependentScope>,
    pub advertised: bool,
    pub allows_refresh_token: bool,
    pub required_domains: Vec<String>,
}

/// The scope string of `suffix` of resource server `client`.
pub fn scope_string(client: &str, suffix: &str) -> String {
    format!("https://auth.globus.org/scopes/{client}/{suffix}")
}

/// The resource server (client id) a scope string of [`scope_string`]'s form belongs to.
pub fn client_of_scope(scope: &str) -> Option<&str> {
    scope
        .strip_prefix("https://auth.globus.org/scopes/")
        .and_then(|rest| rest.split_once('/'))
        .map(|(client, _)| client)
        .filter(|client| !client.is_empty())
}

#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    #[error("the identity provider refused the scope ({status}): {detail}")]
    Refused { status: u16, detail: String },
    #[error("the identity provider cannot be reached: {0}")]
    Unreachable(#[from] reqwest::Error),
}

impl Introspector {
    /// Creates `scope` for resource server `client` (an id), as this client.
    pub async fn create_scope(
        &self,
        client: &str,
        scope: &NewScope,
    ) -> Result<ScopeDocument, ScopeError> {
        let (http, idp, (id, secret)) = self.at_provider();
        let response = http
            .post(format!("{idp}/v2/api/clients/{client}/scopes"))
            .basic_auth(id, Some(secret))
            .json(&ScopeEnvelope { scope })
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            let detail: String = response.text().await.unwrap_or_default();
            return Err(ScopeError::Refused {
                status: status.as_u16(),
                detail: detail.chars().take(300).collect(),
            });
        }
        Ok(response.json::<ScopeEnvelope<ScopeDocument>>().await?.scope)
    }
}
