//! Identities at the provider, looked up by the portal with its own client credentials (Globus
//! Auth's identities API, which the embedded provider serves too): whom a researcher shares a
//! folder with, by username, and who the principals of a folder's rules are.

use super::settings::ProviderKind;
use crate::{PortalError, PortalState};
use serde::Deserialize;

/// An identity as the identities API describes it (the fields the portal shows).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Identity {
    pub id: String,
    pub username: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Deserialize)]
struct IdentityList {
    identities: Vec<Identity>,
}

/// How identities are named in a lookup.
#[derive(Debug, Clone, Copy)]
pub enum By {
    Usernames,
    Ids,
}

impl PortalState {
    /// The identities named (by username or by id) that the provider knows; a provider without
    /// an identities API (a plain OpenID Connect one) is a 400 saying so.
    pub async fn identities(&self, by: By, names: &[&str]) -> Result<Vec<Identity>, PortalError> {
        let settings = &self.provider.settings;
        if settings.kind == ProviderKind::Oidc {
            return Err(PortalError::BadRequest(
                "this portal's identity provider has no identities API: sharing by username needs Globus Auth or the embedded provider".into(),
            ));
        }
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let url = format!(
            "{}/v2/api/identities",
            settings.issuer.trim_end_matches('/')
        );
        let key = match by {
            By::Usernames => "usernames",
            By::Ids => "ids",
        };
        let (id, secret) = self.provider.basic_credentials().await?;
        let response = self
            .http
            .get(url)
            .query(&[(key, names.join(","))])
            .basic_auth(id, Some(secret))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| {
                tracing::warn!(error = %e, "the identities API did not answer");
                PortalError::Upstream("the identity provider did not answer".into())
            })?;
        let list: IdentityList = response.json().await.map_err(|e| {
            PortalError::Upstream(format!(
                "the identity provider's answer is not understood: {e}"
            ))
        })?;
        Ok(list.identities)
    }
}
