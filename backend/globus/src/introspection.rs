//! A resource server's view of the bearer tokens it receives: it asks the identity provider
//! (`POST /v2/oauth2/token/introspect`, RFC 7662, with Globus's `include=identity_set` and
//! `identity_set_detail`, and the embedded provider's `group_memberships`) as a confidential
//! client, and keeps each answer briefly (30 s, never past the token's expiry), as Globus's own resource servers do.

use crate::auth::{ActiveToken, Introspection};
use std::collections::HashMap;
use std::sync::Mutex;

/// How long an answer is reused, in seconds.
pub const CACHE_SECONDS: i64 = 30;
/// Answers kept at most; past it, expired ones go, then all.
const CACHE_ENTRIES: usize = 10_000;

/// Why a token could not be checked (the identity provider's fault, not the caller's).
#[derive(Debug, thiserror::Error)]
pub enum IntrospectionError {
    #[error("the identity provider did not answer: {0}")]
    Unreachable(String),
    #[error(
        "the identity provider refused to introspect (HTTP {0}): check the service's client credentials"
    )]
    Refused(u16),
}

#[derive(Debug, Clone)]
struct Cached {
    answer: Option<ActiveToken>,
    until: i64,
}

/// Introspects tokens at one identity provider as one client.
pub struct Introspector {
    http: reqwest::Client,
    /// The provider's base URL.
    idp: String,
    endpoint: String,
    client_id: String,
    client_secret: String,
    cache: Mutex<HashMap<String, Cached>>,
}

impl std::fmt::Debug for Introspector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Introspector")
            .field("endpoint", &self.endpoint)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl Introspector {
    /// `idp` is the identity provider's base URL (`https://auth.globus.org`).
    pub fn new(http: reqwest::Client, idp: &str, client_id: String, client_secret: String) -> Self {
        let idp = idp.trim_end_matches('/').to_owned();
        Self {
            http,
            endpoint: format!("{idp}/v2/oauth2/token/introspect"),
            idp,
            client_id,
            client_secret,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The HTTP client, the provider's base URL and this client's credentials, for the other
    /// calls a resource server makes to its provider.
    pub(crate) fn at_provider(&self) -> (&reqwest::Client, &str, (&str, &str)) {
        (
            &self.http,
            &self.idp,
            (&self.client_id, &self.client_secret),
        )
    }

    /// What the provider says of `token` at `now` (Unix seconds): `None` if it is not active.
    pub async fn introspect(
        &self,
        token: &str,
        now: i64,
    ) -> Result<Option<ActiveToken>, IntrospectionError> {
        if let Some(cached) = self.cached(token, now) {
            return Ok(cached);
        }
        let response = self
            .http
            .post(&self.endpoint)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[
                ("token", token),
                (
                    "include",
                    "identity_set,identity_set_detail,group_memberships",
                ),
            ])
            .send()
            .await
            .map_err(|e| IntrospectionError::Unreachable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(IntrospectionError::Refused(response.status().as_u16()));
        }
        let introspection: Introspection = response
            .json()
            .await
            .map_err(|e| IntrospectionError::Unreachable(e.to_string()))?;
        let answer = introspection
            .details
            .filter(|details| introspection.active && details.nbf <= now && now < details.exp);
        let until = answer
            .as_ref()
            .map_or(now + CACHE_SECONDS, |t| t.exp.min(now + CACHE_SECONDS));
        self.remember(token, answer.clone(), until, now);
        Ok(answer)
    }

    fn cached(&self, token: &str, now: i64) -> Option<Option<ActiveToken>> {
        let cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .get(token)
            .filter(|entry| now < entry.until)
            .map(|entry| entry.answer.clone())
    }

    fn remember(&self, token: &str, answer: Option<ActiveToken>, until: i64, now: i64) {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.len() >= CACHE_ENTRIES {
            cache.retain(|_, entry| now < entry.until);
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
        }
        cache.insert(token.to_owned(), Cached { answer, until });
    }
}

impl ActiveToken {
    /// Whether the token carries `scope` (scopes are space-separated).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.split_whitespace().any(|s| s == scope)
    }

    /// Every identity the token stands for: its subject and the identities linked to it.
    pub fn identities(&self) -> Vec<String> {
        let mut identities = vec![self.sub.clone()];
        for id in self.identity_set.iter().flatten() {
            if !identities.contains(id) {
                identities.push(id.clone());
            }
        }
        identities
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::stand_in_idp;
    use std::sync::atomic::Ordering;

    fn active(exp: i64) -> serde_json::Value {
        serde_json::json!({
            "active": true, "token_type": "Bearer", "scope": "a b", "client_id": "c",
            "username": "alice@x", "name": "Alice", "email": null, "exp": exp, "iat": 0, "nbf": 0,
            "sub": "alice", "aud": ["rs"], "iss": "http://idp", "identity_set": ["alice", "alice2"]
        })
    }

    #[tokio::test]
    async fn answers_are_kept_briefly_and_never_past_expiry() {
        let idp = stand_in_idp(|_| active(1_000)).await;
        let asked = idp.introspections;
        let introspector =
            Introspector::new(reqwest::Client::new(), &idp.url, "rs".into(), "s".into());
        let token = introspector.introspect("t", 100).await.unwrap().unwrap();
        assert!(token.has_scope("b") && !token.has_scope("ab"));
        assert_eq!(token.identities(), ["alice", "alice2"]);
        introspector
            .introspect("t", 100 + CACHE_SECONDS - 1)
            .await
            .unwrap();
        assert_eq!(
            asked.load(Ordering::SeqCst),
            1,
            "kept for {CACHE_SECONDS} s"
        );
        introspector
            .introspect("t", 100 + CACHE_SECONDS)
            .await
            .unwrap();
        assert_eq!(asked.load(Ordering::SeqCst), 2);
        assert!(
            introspector.introspect("t", 1_000).await.unwrap().is_none(),
            "expired, whatever the provider says"
        );
    }

    #[tokio::test]
    async fn an_inactive_token_is_none_and_a_refusal_an_error() {
        let idp = stand_in_idp(|_| serde_json::json!({"active": false})).await;
        let introspector =
            Introspector::new(reqwest::Client::new(), &idp.url, "rs".into(), "s".into());
        assert!(introspector.introspect("t", 0).await.unwrap().is_none());
        let nowhere = Introspector::new(
            reqwest::Client::new(),
            "http://127.0.0.1:9",
            "rs".into(),
            "s".into(),
        );
        assert!(matches!(
            nowhere.introspect("t", 0).await,
            Err(IntrospectionError::Unreachable(_))
        ));
    }
}
