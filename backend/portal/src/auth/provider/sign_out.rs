//! Ending a sign-in at the provider: token revocation (RFC 7009) and the provider's logout page.

use super::{Provider, misconfigured, unreachable};
use crate::PortalError;

/// Which kind of token is being revoked.
#[derive(Debug, Clone, Copy)]
pub enum TokenHint {
    Access,
    Refresh,
}

impl Provider {
    /// Revokes a token at the provider (RFC 7009); failures are logged, not fatal (the session
    /// ends anyway). Sent here rather than through the `oauth2` crate, which refuses any endpoint
    /// but https: the embedded deployment revokes over loopback http, which is allowed, and
    /// nothing else is.
    pub async fn revoke(&self, token: &str, hint: TokenHint) {
        if let Err(e) = self.try_revoke(token, hint).await {
            tracing::warn!(error = %e, "token revocation failed");
        }
    }

    async fn try_revoke(&self, token: &str, hint: TokenHint) -> Result<(), PortalError> {
        let Some(endpoint) = &self.discovery().await?.revocation_endpoint else {
            tracing::debug!("the provider has no revocation endpoint");
            return Ok(());
        };
        let url =
            oauth2::url::Url::parse(endpoint).map_err(misconfigured("revocation endpoint"))?;
        let loopback = matches!(url.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"));
        if url.scheme() != "https" && !loopback {
            return Err(PortalError::Misconfigured(format!(
                "the revocation endpoint {url} is neither https nor on this machine"
            )));
        }
        let (client_id, client_secret) = self.credentials().await?;
        let hint = match hint {
            TokenHint::Access => "access_token",
            TokenHint::Refresh => "refresh_token",
        };
        self.http
            .post(url)
            .basic_auth(client_id.as_str(), Some(client_secret.secret()))
            .form(&[("token", token), ("token_type_hint", hint)])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(unreachable("revocation"))?;
        Ok(())
    }

    /// Where the browser ends its session at the provider, coming back to `return_to`.
    pub async fn logout_url(&self, return_to: &str) -> Result<String, PortalError> {
        let client_id = self.client_id().await?.as_str();
        let url = if self.settings.kind.speaks_globus() {
            let endpoint = format!(
                "{}/v2/web/logout",
                self.settings.issuer.trim_end_matches('/')
            );
            let params = [
                ("client", client_id),
                ("redirect_uri", return_to),
                ("redirect_name", "Research Data Portal"),
            ];
            oauth2::url::Url::parse_with_params(&endpoint, params)
        } else {
            match &self.discovery().await?.end_session_endpoint {
                Some(endpoint) => oauth2::url::Url::parse_with_params(
                    endpoint,
                    [
                        ("client_id", client_id),
                        ("post_logout_redirect_uri", return_to),
                    ],
                ),
                // Nothing to end at the provider: the portal's own page.
                None => return Ok(return_to.to_owned()),
            }
        };
        Ok(url.map_err(misconfigured("logout endpoint"))?.into())
    }
}
