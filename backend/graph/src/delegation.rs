//! Acting for the researcher: the dependent tokens the provider gives the service for the
//! researcher's token (for the Transfer API, and for the catalog collection's HTTPS scope), kept
//! sealed with the job until its inputs are read.

use crate::errors::GraphError;
use crate::service::GraphService;
use mrdp_globus::delegation::TokenError;
use mrdp_globus::transfer::TRANSFER_RESOURCE_SERVER;
use mrdp_service::vault::{self, StoredTokens};
use std::collections::BTreeMap;

/// What the vault binds a job's tokens to, beside the job's id.
const SEALED_FOR: &str = "dependent-tokens";

/// The researcher's tokens for the services a job reads from.
#[derive(Debug, Clone)]
pub struct Delegation {
    /// By resource server.
    tokens: BTreeMap<String, StoredTokens>,
}

impl Delegation {
    /// Exchanges the researcher's `token` for dependent tokens; a refusal (the researcher did not
    /// allow what the service needs) is theirs to fix, so a 403 that says so.
    pub async fn obtain(service: &GraphService, token: &str) -> Result<Self, GraphError> {
        let now = service.clock.now();
        let tokens = service
            .provider
            .dependent_tokens(token, false)
            .await
            .map_err(|e| match e {
                TokenError::Refused(why) => {
                    GraphError::Forbidden(format!("the graph service may not act for you: {why}"))
                }
                TokenError::Unreachable(_) => GraphError::Upstream(e.to_string()),
            })?;
        let tokens = tokens
            .into_iter()
            .map(|token| {
                let stored = StoredTokens {
                    access_token: token.access_token,
                    refresh_token: token.refresh_token,
                    scope: token.scope,
                    expires_at: now + token.expires_in,
                };
                (token.resource_server, stored)
            })
            .collect();
        let delegation = Self { tokens };
        for needed in [
            TRANSFER_RESOURCE_SERVER,
            &service.settings.catalog_collection,
        ] {
            if delegation.tokens.contains_key(needed) {
                continue;
            }
            return Err(GraphError::Forbidden(format!(
                "the graph service may not act for you at {needed}: sign in again and allow it"
            )));
        }
        Ok(delegation)
    }

    /// The tokens, sealed for job `job` alone.
    pub fn seal(&self, service: &GraphService, job: &str) -> Result<String, GraphError> {
        let key = &service.settings.vault_key;
        let mut sealed = BTreeMap::new();
        for (resource_server, tokens) in &self.tokens {
            let holder = format!("{job}\n{SEALED_FOR}");
            sealed.insert(
                resource_server,
                vault::seal(key, &holder, resource_server, tokens)?,
            );
        }
        Ok(serde_json::to_string(&sealed).unwrap_or_default())
    }

    /// What [`Delegation::seal`] sealed for `job`.
    pub fn open(service: &GraphService, job: &str, sealed: &str) -> Result<Self, GraphError> {
        let key = &service.settings.vault_key;
        let sealed: BTreeMap<String, String> =
            serde_json::from_str(sealed).map_err(|_| vault::VaultError)?;
        let holder = format!("{job}\n{SEALED_FOR}");
        let tokens = sealed
            .iter()
            .map(|(resource_server, sealed)| {
                vault::open(key, &holder, resource_server, sealed)
                    .map(|tokens| (resource_server.clone(), tokens))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { tokens })
    }

    /// The access token for `resource_server`, while it is valid at `now`.
    pub fn token(&self, resource_server: &str, now: i64) -> Option<&str> {
        self.tokens
            .get(resource_server)
            .filter(|tokens| now < tokens.expires_at)
            .map(|tokens| tokens.access_token.as_str())
    }
}
