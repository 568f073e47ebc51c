//! The service's own tokens (client credentials): for the Transfer API, to make its results'
//! folders and their access rules, and for its results collection's HTTPS scope, to upload the
//! files. Obtained when first needed and again a minute before they expire.

use crate::service::GraphService;
use mrdp_globus::auth::collection_https_scope;
use mrdp_globus::delegation::TokenError;
use mrdp_globus::transfer::{TRANSFER_RESOURCE_SERVER, TRANSFER_SCOPE};
use std::collections::HashMap;
use tokio::sync::Mutex;

/// A token is renewed this long before it expires, in seconds.
const RENEW_BEFORE: i64 = 60;

/// The tokens the service holds for itself, by resource server: `(token, expires at)`.
#[derive(Default)]
pub struct ServiceTokens(Mutex<HashMap<String, (String, i64)>>);

impl std::fmt::Debug for ServiceTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServiceTokens([redacted])")
    }
}

impl std::fmt::Debug for GraphTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GraphTokens([redacted])")
    }
}

/// The service's two tokens, for one piece of work.
pub struct GraphTokens {
    pub transfer: String,
    /// For the results collection's HTTPS scope.
    pub results: String,
}

impl GraphService {
    /// The service's tokens, renewed when they are about to expire.
    pub(crate) async fn own_tokens(&self) -> Result<GraphTokens, TokenError> {
        let results = &self.settings.results_collection;
        let now = self.clock.now();
        let mut held = self.tokens.0.lock().await;
        let fresh = |resource_server: &str| {
            held.get(resource_server)
                .filter(|(_, expires)| now + RENEW_BEFORE < *expires)
                .map(|(token, _)| token.clone())
        };
        if let (Some(transfer), Some(results)) = (fresh(TRANSFER_RESOURCE_SERVER), fresh(results)) {
            return Ok(GraphTokens { transfer, results });
        }
        let scopes = format!("{TRANSFER_SCOPE} {}", collection_https_scope(results));
        for token in self.provider.client_credentials(&scopes).await? {
            let expires = now + token.expires_in;
            held.insert(token.resource_server, (token.access_token, expires));
        }
        let token = |resource_server: &str| {
            held.get(resource_server)
                .map(|(token, _)| token.clone())
                .ok_or_else(|| {
                    TokenError::Refused(format!("no token was given for {resource_server}"))
                })
        };
        Ok(GraphTokens {
            transfer: token(TRANSFER_RESOURCE_SERVER)?,
            results: token(results)?,
        })
    }
}
