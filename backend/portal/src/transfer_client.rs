//! The Transfer API v0.10 calls the portal makes: with its own token (the catalog: list a folder,
//! read, add and delete the catalog collection's access rules) and with a researcher's (their
//! files, submissions and tasks). The same calls work against Globus Transfer.

use crate::auth::grants;
use crate::auth::session::Session;
use crate::{PortalError, PortalState};
use mrdp_globus::tasks::{
    EventList, SubmissionId, SubmissionResult, SuccessfulTransfers, TaskDocument, TaskList,
};
use mrdp_globus::transfer::TRANSFER_RESOURCE_SERVER;
use mrdp_globus::transfer::{
    AccessDocument, AccessList, AccessRequest, EndpointList, ErrorDocument, FileDocument, FileList,
};
use mrdp_shared::{FileEntry, FileKind};
use serde::de::DeserializeOwned;

/// The transfer service, called as the portal.
#[derive(Debug, Clone)]
pub struct PortalTransfer {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl PortalState {
    /// The transfer service, called with the researcher's own Transfer token (refreshed when it
    /// is about to expire); a grant that ended asks them to sign in again.
    pub async fn transfer_as(&self, session: &Session) -> Result<PortalTransfer, PortalError> {
        let tokens = grants::usable(self, &session.id_hash, TRANSFER_RESOURCE_SERVER)
            .await?
            .ok_or_else(|| PortalError::GrantEnded(TRANSFER_RESOURCE_SERVER.to_owned()))?;
        Ok(PortalTransfer::new(
            self.http.clone(),
            &self.upstreams.transfer,
            tokens.access_token,
        ))
    }
}

/// A listing's folders and files as the portal's API shows them (links to nowhere and special
/// files left out).
pub fn file_entries(data: Vec<FileDocument>) -> Vec<FileEntry> {
    data.into_iter()
        .filter_map(|item| {
            let kind = match item.kind.as_str() {
                "dir" => FileKind::Folder,
                "file" => FileKind::File,
                _ => return None,
            };
            Some(FileEntry {
                name: item.name,
                kind,
                size: if kind == FileKind::File { item.size } else { 0 },
                modified: item.last_modified,
            })
        })
        .collect()
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
        self.ls_page_with(collection, path, (offset, limit), &[])
            .await
    }

    /// [`Self::ls_page`] with more of `ls`'s parameters (`orderby`, `show_hidden`).
    pub async fn ls_page_with(
        &self,
        collection: &str,
        path: &str,
        (offset, limit): (usize, usize),
        more: &[(&str, String)],
    ) -> Result<FileList, PortalError> {
        let url = format!("{}/operation/endpoint/{collection}/ls", self.base);
        let mut query = vec![
            ("path", path.to_owned()),
            ("offset", offset.to_string()),
            ("limit", limit.to_string()),
        ];
        query.extend(more.iter().cloned());
        self.answer(self.http.get(&url).query(&query)).await
    }

    pub async fn access_rules(&self, collection: &str) -> Result<Vec<AccessDocument>, PortalError> {
        let url = format!("{}/endpoint/{collection}/access_list", self.base);
        let list: AccessList = self.answer(self.http.get(url)).await?;
        Ok(list.data)
    }

    /// Adds an access rule; its id.
    pub async fn add_rule(
        &self,
        collection: &str,
        rule: &AccessRequest,
    ) -> Result<String, PortalError> {
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
        let made: serde_json::Value = self.answer(self.http.post(url).json(&body)).await?;
        Ok(made["access_id"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| made["access_id"].to_string()))
    }

    /// Makes a guest collection on `host_path` of `host` (which the caller owns); its id.
    pub async fn share_folder(
        &self,
        host: &str,
        host_path: &str,
        display_name: &str,
    ) -> Result<String, PortalError> {
        let url = format!("{}/shared_endpoint", self.base);
        let body = serde_json::json!({
            "DATA_TYPE": "shared_endpoint",
            "host_endpoint": host,
            "host_path": host_path,
            "display_name": display_name,
        });
        let made: serde_json::Value = self.answer(self.http.post(url).json(&body)).await?;
        made["id"].as_str().map(str::to_owned).ok_or_else(|| {
            PortalError::Upstream("the transfer service made no collection id".into())
        })
    }

    pub async fn delete_rule(&self, collection: &str, rule_id: &str) -> Result<(), PortalError> {
        let url = format!("{}/endpoint/{collection}/access/{rule_id}", self.base);
        let _: serde_json::Value = self.answer(self.http.delete(url)).await?;
        Ok(())
    }

    /// Collections the caller may use (`endpoint_search`): `scope` as Globus names it
    /// (`my-endpoints`, `shared-with-me`, `shared-by-me`, `all`), `text` searched in names and
    /// descriptions, `host` the collection guest collections share a folder of.
    pub async fn endpoint_search(
        &self,
        (scope, text, host): (&str, &str, Option<&str>),
        offset: usize,
        limit: usize,
    ) -> Result<EndpointList, PortalError> {
        let url = format!("{}/endpoint_search", self.base);
        let mut query = vec![
            ("filter_scope", scope.to_owned()),
            ("offset", offset.to_string()),
            ("limit", limit.to_string()),
        ];
        if !text.is_empty() {
            query.push(("filter_fulltext", text.to_owned()));
        }
        if let Some(host) = host {
            query.push(("filter_host_endpoint", host.to_owned()));
        }
        self.answer(self.http.get(url).query(&query)).await
    }

    /// Makes a folder; one already there is a conflict.
    pub async fn mkdir(&self, collection: &str, path: &str) -> Result<(), PortalError> {
        let url = format!("{}/operation/endpoint/{collection}/mkdir", self.base);
        let body = serde_json::json!({"DATA_TYPE": "mkdir", "path": path});
        let _: serde_json::Value = self.answer(self.http.post(url).json(&body)).await?;
        Ok(())
    }

    /// Renames (moves) a file or folder within a collection.
    pub async fn rename(
        &self,
        collection: &str,
        old_path: &str,
        new_path: &str,
    ) -> Result<(), PortalError> {
        let url = format!("{}/operation/endpoint/{collection}/rename", self.base);
        let body =
            serde_json::json!({"DATA_TYPE": "rename", "old_path": old_path, "new_path": new_path});
        let _: serde_json::Value = self.answer(self.http.post(url).json(&body)).await?;
        Ok(())
    }

    /// A new submission id: a submission made with it twice makes one task.
    pub async fn submission_id(&self) -> Result<String, PortalError> {
        let url = format!("{}/submission_id", self.base);
        let id: SubmissionId = self.answer(self.http.get(url)).await?;
        Ok(id.value)
    }

    /// Submits a task: `kind` is `transfer` or `delete` (`POST /transfer`, `POST /delete`, a
    /// document of that `DATA_TYPE`); its task id, the same task's for a submission id already
    /// used.
    pub async fn submit(
        &self,
        kind: &str,
        request: &serde_json::Value,
    ) -> Result<String, PortalError> {
        let url = format!("{}/{kind}", self.base);
        let result: SubmissionResult = self.answer(self.http.post(url).json(request)).await?;
        Ok(result.task_id)
    }

    pub async fn task(&self, id: &str) -> Result<TaskDocument, PortalError> {
        let url = format!("{}/task/{id}", self.base);
        self.answer(self.http.get(url)).await
    }

    /// A page of the caller's tasks, newest first, `filter` as Globus writes it
    /// (`type:TRANSFER/status:ACTIVE`).
    pub async fn tasks(
        &self,
        offset: usize,
        limit: usize,
        filter: &str,
    ) -> Result<TaskList, PortalError> {
        let url = format!("{}/task_list", self.base);
        let query = [
            ("offset", offset.to_string()),
            ("limit", limit.to_string()),
            ("orderby", "request_time DESC".to_owned()),
            ("filter", filter.to_owned()),
        ];
        self.answer(self.http.get(url).query(&query)).await
    }

    /// A page of a task's events, newest first.
    pub async fn events(
        &self,
        id: &str,
        offset: usize,
        limit: usize,
    ) -> Result<EventList, PortalError> {
        let url = format!("{}/task/{id}/event_list", self.base);
        let query = [("offset", offset.to_string()), ("limit", limit.to_string())];
        self.answer(self.http.get(url).query(&query)).await
    }

    /// One page of the files a task copied, from `marker` (0 for the first).
    pub async fn successful_transfers(
        &self,
        id: &str,
        marker: i64,
    ) -> Result<SuccessfulTransfers, PortalError> {
        let url = format!("{}/task/{id}/successful_transfers", self.base);
        self.answer(self.http.get(url).query(&[("marker", marker)]))
            .await
    }

    /// Asks a task to stop.
    pub async fn cancel(&self, id: &str) -> Result<(), PortalError> {
        let url = format!("{}/task/{id}/cancel", self.base);
        let _: serde_json::Value = self.answer(self.http.post(url)).await?;
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
            let (code, message) = serde_json::from_str::<ErrorDocument>(&body)
                .map(|error| (error.code, error.message))
                .unwrap_or_else(|_| (String::new(), body.chars().take(300).collect()));
            return Err(match status.as_u16() {
                // `Exists`, and `ExternalError.MkdirFailed.Exists` (a 502 at Globus).
                _ if code == "Exists" || code.ends_with(".Exists") => {
                    PortalError::Conflict(message)
                }
                400 => PortalError::BadRequest(message),
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
