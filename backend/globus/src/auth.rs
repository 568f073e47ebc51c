//! Globus Auth wire types (`spec/globus-compat.md` §1): what the token, introspection and
//! revocation endpoints send, shared by the embedded identity provider and its clients.

use serde::{Deserialize, Serialize};

/// The grant types the token endpoint knows, by their wire names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
    ClientCredentials,
    /// Globus's dependent-token grant: a resource server exchanges the token it was given for
    /// tokens to the services its scope depends on.
    DependentToken,
    /// RFC 8693 token exchange.
    TokenExchange,
}

impl GrantType {
    pub const ALL: [GrantType; 5] = [
        Self::AuthorizationCode,
        Self::RefreshToken,
        Self::ClientCredentials,
        Self::DependentToken,
        Self::TokenExchange,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
            Self::ClientCredentials => "client_credentials",
            Self::DependentToken => "urn:globus:auth:grant_type:dependent_token",
            Self::TokenExchange => "urn:ietf:params:oauth:grant-type:token-exchange",
        }
    }

    /// The grant named by a `grant_type` form value; `None` for one this server does not support.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|grant| grant.as_str() == value)
    }
}

/// One token for one resource server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub access_token: String,
    pub scope: String,
    pub expires_in: i64,
    pub token_type: String,
    pub resource_server: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// The token endpoint's answer to the code, refresh and client-credentials grants: one token,
/// and the tokens for other resource servers in `other_tokens` (always present, maybe empty:
/// the Globus SDK fails without it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    #[serde(flatten)]
    pub token: Token,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    pub other_tokens: Vec<Token>,
}

/// The scope for HTTPS access to a collection's files, as Globus Connect Server names it.
pub fn collection_https_scope(collection_id: &str) -> String {
    crate::scopes::scope_string(collection_id, HTTPS_SUFFIX)
}

/// The suffix of a collection's HTTPS scope.
pub const HTTPS_SUFFIX: &str = "https";

/// `POST /v2/oauth2/token/introspect`. An inactive token is `{"active": false}` and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Introspection {
    pub active: bool,
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub details: Option<ActiveToken>,
}

/// What introspection tells of an active token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveToken {
    pub token_type: String,
    pub scope: String,
    pub client_id: String,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub exp: i64,
    pub iat: i64,
    pub nbf: i64,
    /// The identity the token acts for.
    pub sub: String,
    /// The resource server's name, and the id of the client that speaks for it.
    pub aud: Vec<String>,
    pub iss: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_set: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_set_detail: Option<Vec<IdentityDetail>>,
    /// The ids of the groups the identity belongs to: an extension of the embedded provider,
    /// asked for with `include=group_memberships` by the client that speaks for the token's
    /// resource server (Globus Auth has no such field; Globus's own services ask Groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_memberships: Option<Vec<String>>,
}

/// An identity as introspection's `identity_set_detail` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityDetail {
    pub sub: String,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    pub organization: Option<String>,
    pub identity_type: String,
}

/// The RFC 6749 §5.2 error body of the token endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthErrorBody {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_types_round_trip_their_wire_names() {
        for grant in GrantType::ALL {
            assert_eq!(GrantType::parse(grant.as_str()), Some(grant));
        }
        assert_eq!(GrantType::parse("password"), None);
        assert_eq!(
            GrantType::parse("urn:globus:auth:grant_type:dependent_token"),
            Some(GrantType::DependentToken)
        );
    }

    #[test]
    fn token_response_always_has_other_tokens() {
        let token = Token {
            access_token: "a".into(),
            scope: "s".into(),
            expires_in: 172_800,
            token_type: "Bearer".into(),
            resource_server: "transfer.api.globus.org".into(),
            refresh_token: None,
            state: None,
        };
        let json = serde_json::to_value(TokenResponse {
            token,
            id_token: None,
            other_tokens: vec![],
        })
        .unwrap();
        assert_eq!(json["other_tokens"], serde_json::json!([]));
        assert_eq!(json["resource_server"], "transfer.api.globus.org");
        assert!(json.get("refresh_token").is_none() && json.get("id_token").is_none());
    }

    #[test]
    fn inactive_introspection_is_only_active_false() {
        let json = serde_json::to_value(Introspection {
            active: false,
            details: None,
        })
        .unwrap();
        assert_eq!(json, serde_json::json!({"active": false}));
    }
}
