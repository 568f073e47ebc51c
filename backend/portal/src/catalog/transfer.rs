//! The few Transfer API v0.10 calls the catalog makes with the portal's own token: list a folder,
//! and read, add and delete the catalog collection's access rules. The same calls work against
//! Globus Transfer.

use crate::PortalError;
use mrdp_globus::transfer::{AccessDocument, AccessList, AccessRequest, ErrorDocument, FileList};
use serde::de::DeserializeOwned;

/// The transfer service, called as the portal.
#[derive(Debug, Clone)]
pub struct PortalTransfer {
    http: reqwest::Client,
    base: String,
    token: String,
}

/// A listing is asked for in pages of this many entries (Globus's largest).
const PAGE: usize = 100_000;

impl PortalTransfer {
    /// `base` is the transfer service's URL, without `/v0.10`.
    pub fn new(http: reqwest::Client, base: &str, token: String) -> Self {
        Self {
            http,
            base: format!("{}/v0.10", base.trim_end_matches('/')),
            token,
        }
    }

    /// The whole listing of `path` (absolute, ending with `/`), page after page.
    pub async fn ls(&self, collection: &str, path: &str) -> Result<FileList, PortalError> {
        let mut whole = self.ls_page(collection, path, 0, PAGE).await?;
        while whole.data.len() < whole.total {
            let page = self
                .ls_page(collection, path, whole.data.len(), PAGE)
                .await?;
            if page.data.is_empty() {
                break;
            }
            whole.data.extend(page.data);
        }
        Ok(whole)
    }

    /// One page of the listing of `path` (absolute, ending with `/`).
    pub async fn ls_page(
        &self,
        collection: &str,
        path: &str,
        offset: usize,
        limit: usize,
    ) -> Result<FileList, PortalError> {
        let url = format!("{}/operation/endpoint/{collection}/ls", self.base);
        let query = [
            ("path", path.to_owned()),
            ("offset", offset.to_string()),
            ("limit", limit.to_string()),
        ];
        self.answer(self.http.get(&url).query(&query)).await
    }

    pub async fn access_rules(&self, collection: &str) -> Result<Vec<AccessDocument>, PortalError> {
        let url = format!("{}/endpoint/{collection}/access_list", self.base);
        let list: AccessList = self.answer(self.http.get(url)).await?;
        Ok(list.data)
    }

    pub async fn add_rule(
        &self,
        collection: &str,
        rule: &AccessRequest,
    ) -> Result<(), PortalError> {
        #[derive(serde::Serialize)]
        struct Typed<'a> {
            #[serde(rename = "DATA_TYPE")]
            data_type: &'static str,
            #[serde(flatten)]
            rule: &'a AccessRequest,
        }
        let url = format!("{}/endpoint/{collection}/access", self.base);
        let body = Typed {
            data_type: "access",
            rule,
        };
        let _: serde_json::Value = self.answer(self.http.post(url).json(&body)).await?;
        Ok(())
    }

    pub async fn delete_rule(&self, collection: &str, rule_id: &str) -> Result<(), PortalError> {
        let url = format!("{}/endpoint/{collection}/access/{rule_id}", self.base);
        let _: serde_json::Value = self.answer(self.http.delete(url)).await?;
        Ok(())
    }

    async fn answer<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, PortalError> {
        let response = request.bearer_auth(&self.token).send().await.map_err(|e| {
            tracing::warn!(error = %e, "the transfer service did not answer");
            PortalError::Upstream("the transfer service did not answer".into())
        })?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            let message = serde_json::from_str::<ErrorDocument>(&body)
                .map(|error| error.message)
                .unwrap_or_else(|_| body.chars().take(300).collect());
            return Err(match status.as_u16() {
                404 => PortalError::NotFound(message),
                403 => PortalError::Forbidden(message),
                _ => PortalError::Upstream(format!(
                    "the transfer service answered {status}: {message}"
                )),
            });
        }
        response.json().await.map_err(|e| {
            PortalError::Upstream(format!(
                "the transfer service's answer is not understood: {e}"
            ))
        })
    }
}
