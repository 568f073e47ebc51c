//! The Transfer API v0.10 calls the graph service makes: a collection's HTTPS server (as the
//! researcher, for the catalog; as itself, for its results), and, as itself, its results'
//! folders, their access rules and their removal. The same calls work against Globus Transfer.

use mrdp_globus::tasks::{DeleteItem, DeleteRequest, SubmissionId, SubmissionResult};
use mrdp_globus::transfer::{
    AccessList, AccessRequest, EndpointDocument, ErrorDocument, Permission, PrincipalType,
};
use serde::de::DeserializeOwned;

/// A call the transfer service refused or did not answer.
#[derive(Debug, thiserror::Error)]
#[error("the transfer service answered {status}: {code} {message}")]
pub struct TransferError {
    /// The HTTP status; 0 when it did not answer.
    pub status: u16,
    pub code: String,
    pub message: String,
}

/// The Transfer API, called with one token.
#[derive(Clone)]
pub struct Transfer<'a> {
    http: &'a reqwest::Client,
    base: String,
    token: &'a str,
}

impl std::fmt::Debug for Transfer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transfer")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl<'a> Transfer<'a> {
    /// `base` is the transfer service's URL, without `/v0.10`.
    pub fn new(http: &'a reqwest::Client, base: &str, token: &'a str) -> Self {
        Self {
            http,
            base: format!("{}/v0.10", base.trim_end_matches('/')),
            token,
        }
    }

    /// Where `collection`'s files are reached over HTTPS (no trailing slash).
    pub async fn https_server(&self, collection: &str) -> Result<String, TransferError> {
        let url = format!("{}/endpoint/{collection}", self.base);
        let endpoint: EndpointDocument = self.answer(self.http.get(url)).await?;
        endpoint.https_server.ok_or_else(|| TransferError {
            status: 200,
            code: "NoHttpsServer".to_owned(),
            message: format!("collection {collection} is not reachable over HTTPS"),
        })
    }

    /// Makes the folder `path` (absolute); one that exists already is fine.
    pub async fn mkdir(&self, collection: &str, path: &str) -> Result<(), TransferError> {
        let url = format!("{}/operation/endpoint/{collection}/mkdir", self.base);
        let body = serde_json::json!({"DATA_TYPE": "mkdir", "path": path});
        match self
            .answer::<serde_json::Value>(self.http.post(url).json(&body))
            .await
        {
            Err(error) if error.code.ends_with("Exists") => Ok(()),
            other => other.map(drop),
        }
    }

    /// Opens `path` (absolute, ending with `/`) of `collection` to `identity`, read-only; the
    /// rule's id.
    pub async fn share_read(
        &self,
        collection: &str,
        path: &str,
        identity: &str,
    ) -> Result<String, TransferError> {
        #[derive(serde::Serialize)]
        struct Typed {
            #[serde(rename = "DATA_TYPE")]
            data_type: &'static str,
            #[serde(flatten)]
            rule: AccessRequest,
        }
        let body = Typed {
            data_type: "access",
            rule: AccessRequest {
                principal_type: Some(PrincipalType::Identity),
                principal: Some(identity.to_owned()),
                path: Some(path.to_owned()),
                permissions: Permission::Read,
                expiration_date: None,
            },
        };
        let url = format!("{}/endpoint/{collection}/access", self.base);
        let made: serde_json::Value = match self.answer(self.http.post(url).json(&body)).await {
            // Made before (a worker stopped before it recorded the rule): that rule.
            Err(error) if error.code == "Exists" => {
                return self.rule_for(collection, path, identity).await;
            }
            other => other?,
        };
        made["access_id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| TransferError {
                status: 200,
                code: "NoRuleId".to_owned(),
                message: "the transfer service made a rule without an id".to_owned(),
            })
    }

    /// The id of the rule of `collection` that opens `path` to `identity`.
    async fn rule_for(
        &self,
        collection: &str,
        path: &str,
        identity: &str,
    ) -> Result<String, TransferError> {
        let url = format!("{}/endpoint/{collection}/access_list", self.base);
        let rules: AccessList = self.answer(self.http.get(url)).await?;
        rules
            .data
            .into_iter()
            .find(|rule| rule.path == path && rule.principal == identity)
            .map(|rule| rule.id)
            .ok_or_else(|| TransferError {
                status: 409,
                code: "Exists".to_owned(),
                message: format!("a rule for {path} exists but is not listed"),
            })
    }

    /// Removes a rule; one already gone is fine.
    pub async fn unshare(&self, collection: &str, rule_id: &str) -> Result<(), TransferError> {
        let url = format!("{}/endpoint/{collection}/access/{rule_id}", self.base);
        match self
            .answer::<serde_json::Value>(self.http.delete(url))
            .await
        {
            Err(error) if error.status == 404 => Ok(()),
            other => other.map(drop),
        }
    }

    /// Submits a task deleting `path` (a folder, with everything in it); the task's id.
    pub async fn delete_folder(
        &self,
        collection: &str,
        path: &str,
    ) -> Result<String, TransferError> {
        let url = format!("{}/submission_id", self.base);
        let submission: SubmissionId = self.answer(self.http.get(url)).await?;
        let request = DeleteRequest {
            endpoint: collection.to_owned(),
            submission_id: submission.value,
            label: Some("Expired or deleted graphs".to_owned()),
            recursive: true,
            ignore_missing: true,
            deadline: None,
            data: vec![DeleteItem {
                path: path.to_owned(),
            }],
        };
        let mut body = serde_json::to_value(&request).unwrap_or_default();
        body["DATA_TYPE"] = "delete".into();
        let url = format!("{}/delete", self.base);
        let result: SubmissionResult = self.answer(self.http.post(url).json(&body)).await?;
        Ok(result.task_id)
    }

    async fn answer<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, TransferError> {
        let unanswered = |e: reqwest::Error| TransferError {
            status: 0,
            code: "Unreachable".to_owned(),
            message: e.to_string(),
        };
        let response = request
            .bearer_auth(self.token)
            .send()
            .await
            .map_err(unanswered)?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            return response.json().await.map_err(unanswered);
        }
        let body = response.text().await.unwrap_or_default();
        let (code, message) = serde_json::from_str::<ErrorDocument>(&body).map_or_else(
            |_| (String::new(), body.chars().take(300).collect()),
            |error| (error.code, error.message),
        );
        Err(TransferError {
            status,
            code,
            message,
        })
    }
}
