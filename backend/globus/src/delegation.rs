//! The tokens a resource server obtains from its provider, as the confidential client it is:
//! dependent tokens to act for the person whose token it received (Globus's
//! `urn:globus:auth:grant_type:dependent_token`), and tokens for itself (`client_credentials`).

use crate::auth::{GrantType, OAuthErrorBody, Token, TokenResponse};
use crate::introspection::Introspector;

/// Why the provider gave no token.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The provider refused (the person did not allow a dependency, the token ended…).
    #[error("the identity provider refused: {0}")]
    Refused(String),
    #[error("the identity provider did not answer: {0}")]
    Unreachable(String),
}

impl Introspector {
    /// Tokens for every scope the presented `token`'s scope depends on, acting for its person:
    /// one per resource server. `offline` asks for refresh tokens too.
    pub async fn dependent_tokens(
        &self,
        token: &str,
        offline: bool,
    ) -> Result<Vec<Token>, TokenError> {
        let mut form = vec![
            ("grant_type", GrantType::DependentToken.as_str()),
            ("token", token),
        ];
        if offline {
            form.push(("access_type", "offline"));
        }
        self.token_endpoint(&form).await
    }

    /// Tokens for `scopes` (space-separated) acting as this client itself: one per resource
    /// server.
    pub async fn client_credentials(&self, scopes: &str) -> Result<Vec<Token>, TokenError> {
        let form = [
            ("grant_type", GrantType::ClientCredentials.as_str()),
            ("scope", scopes),
        ];
        let answer: TokenResponse = self.token_endpoint(&form).await?;
        Ok(std::iter::once(answer.token)
            .chain(answer.other_tokens)
            .collect())
    }

    async fn token_endpoint<T: serde::de::DeserializeOwned>(
        &self,
        form: &[(&str, &str)],
    ) -> Result<T, TokenError> {
        let (http, idp, (id, secret)) = self.at_provider();
        let response = http
            .post(format!("{idp}/v2/oauth2/token"))
            .basic_auth(id, Some(secret))
            .form(form)
            .send()
            .await
            .map_err(|e| TokenError::Unreachable(e.to_string()))?;
        let status = response.status();
        if status.is_success() {
            return response
                .json()
                .await
                .map_err(|e| TokenError::Unreachable(format!("its answer does not read: {e}")));
        }
        let refusal = response.json::<OAuthErrorBody>().await.map_or_else(
            |_| format!("HTTP {status}"),
            |body| body.error_description.unwrap_or(body.error),
        );
        Err(if status.is_server_error() {
            TokenError::Unreachable(refusal)
        } else {
            TokenError::Refused(refusal)
        })
    }
}
