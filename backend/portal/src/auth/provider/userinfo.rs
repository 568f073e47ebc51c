//! The claims an ID token leaves out. A standard provider may put only `sub` in the ID token of
//! the code flow and answer `profile` and `email` claims at its UserInfo endpoint alone (OpenID
//! Connect Core §5.4), as oidc-provider does by default.

use super::{Grant, Provider, unreachable};
use crate::PortalError;
use crate::auth::id_token::IdClaims;

impl Provider {
    /// The claims of a verified ID token, completed from the UserInfo endpoint (with the grant's
    /// main access token) when the token lacks a name, email or username. Best effort: the
    /// sign-in stands on the ID token, so an unreachable endpoint leaves the claims as they are,
    /// and so does an answer about another subject (§5.3.4: it must not be used).
    pub async fn complete_claims(&self, mut claims: IdClaims, grant: &Grant) -> IdClaims {
        let complete =
            claims.name.is_some() && claims.email.is_some() && claims.preferred_username.is_some();
        let Some(main) = grant.tokens.first().filter(|_| !complete) else {
            return claims;
        };
        match self.userinfo(&main.access_token).await {
            Ok(Some(info)) if info.sub == claims.sub => {
                claims.name = claims.name.or(info.name);
                claims.email = claims.email.or(info.email);
                claims.preferred_username = claims.preferred_username.or(info.preferred_username);
                claims.organization = claims.organization.or(info.organization);
            }
            Ok(Some(_)) => tracing::warn!("UserInfo answered for another subject; not used"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "UserInfo failed; the ID token's claims are used"),
        }
        claims
    }

    async fn userinfo(&self, access_token: &str) -> Result<Option<IdClaims>, PortalError> {
        let Some(endpoint) = &self.discovery().await?.userinfo_endpoint else {
            return Ok(None);
        };
        self.http
            .get(endpoint)
            .bearer_auth(access_token)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unreachable("userinfo"))?
            .json()
            .await
            .map(Some)
            .map_err(unreachable("userinfo"))
    }
}
