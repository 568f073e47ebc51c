//! What the portal may do for the signed-in researcher: the services they allowed at sign-in.

use serde::{Deserialize, Serialize};

/// One service the portal holds a grant for (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Connection {
    /// The resource server, as the identity provider names it (`transfer.api.globus.org`, …).
    pub resource_server: String,
    /// The scopes granted, as the provider spells them.
    pub scopes: Vec<String>,
    /// When the current access token ends (Unix seconds); the portal renews it on use.
    pub expires_at: i64,
    /// Whether the portal can renew it without asking the researcher to sign in again.
    pub renewable: bool,
}

/// `GET /api/me/connections`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionsResponse {
    pub connections: Vec<Connection>,
    /// Resource servers whose grant the provider no longer honours: sign in again to restore them.
    pub ended: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_format_is_stable() {
        let body = ConnectionsResponse {
            connections: vec![Connection {
                resource_server: "transfer.api.globus.org".into(),
                scopes: vec!["urn:globus:auth:scope:transfer.api.globus.org:all".into()],
                expires_at: 1_800_000_000,
                renewable: true,
            }],
            ended: vec!["graph".into()],
        };
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({
                "connections": [{
                    "resource_server": "transfer.api.globus.org",
                    "scopes": ["urn:globus:auth:scope:transfer.api.globus.org:all"],
                    "expires_at": 1_800_000_000,
                    "renewable": true
                }],
                "ended": ["graph"]
            })
        );
    }
}
