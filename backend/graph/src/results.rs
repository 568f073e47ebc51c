//! Where a job's results go, as the SERVICE: a folder per job in its own results collection,
//! each file uploaded over HTTPS to the data server (acknowledged once durable there), and an
//! access rule that opens the folder to the researcher alone. Deleting a job takes its rule back
//! and, when no other job holds them, its files.

use crate::errors::GraphError;
use crate::jobs::{self, JobRow};
use crate::service::GraphService;
use crate::transfer_calls::{Transfer, TransferError};

/// Why results could not be written or removed.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("the graph service has no token of its own: {0}")]
    Token(#[from] mrdp_globus::delegation::TokenError),
    #[error(transparent)]
    Transfer(#[from] TransferError),
    #[error("the data server did not take {name}: {why}")]
    Upload { name: String, why: String },
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// A file of a job's folder.
#[derive(Debug)]
pub struct ResultFile<'a> {
    pub name: &'a str,
    pub media_type: &'static str,
    pub bytes: &'a [u8],
}

/// The folder of job `id` in the results collection.
pub fn folder_of(id: &str) -> String {
    format!("/{id}/")
}

impl GraphService {
    /// Makes `folder` in the results collection; answers where its files are uploaded.
    pub(crate) async fn results_folder(&self, folder: &str) -> Result<String, ResultsError> {
        let tokens = self.own_tokens().await?;
        let results = &self.settings.results_collection;
        let transfer = Transfer::new(&self.http, &self.settings.transfer, &tokens.transfer);
        transfer.mkdir(results, folder).await?;
        Ok(format!("{}{folder}", transfer.https_server(results).await?))
    }

    /// Uploads one file to `folder_url` (from [`Self::results_folder`]).
    pub(crate) async fn upload(
        &self,
        folder_url: &str,
        file: &ResultFile<'_>,
    ) -> Result<(), ResultsError> {
        let tokens = self.own_tokens().await?;
        let failed = |why: String| ResultsError::Upload {
            name: file.name.to_owned(),
            why,
        };
        let response = self
            .http
            .put(format!("{folder_url}{}", file.name))
            .bearer_auth(&tokens.results)
            .header(reqwest::header::CONTENT_TYPE, file.media_type)
            .body(file.bytes.to_vec())
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        if !response.status().is_success() {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            return Err(failed(format!(
                "{status} {}",
                body.chars().take(200).collect::<String>()
            )));
        }
        Ok(())
    }

    /// Opens `folder` to `owner` (read-only), sharing the rule another of their jobs has on it;
    /// the rule's id.
    pub(crate) async fn share_with(
        &self,
        owner: &str,
        folder: &str,
    ) -> Result<String, ResultsError> {
        if let Some(rule) = jobs::rule_of(&self.store, owner, folder).await? {
            return Ok(rule);
        }
        let tokens = self.own_tokens().await?;
        let transfer = Transfer::new(&self.http, &self.settings.transfer, &tokens.transfer);
        Ok(transfer
            .share_read(&self.settings.results_collection, folder, owner)
            .await?)
    }
}

/// Removes `job`: its rule unless another job shares it, its folder's files unless another
/// job's results are there, then the job. What fails outside leaves the job, to be tried again.
pub async fn remove(service: &GraphService, job: &JobRow) -> Result<(), ResultsError> {
    let (rule_held, folder_held) = jobs::held_by_others(&service.store, job).await?;
    let needs_transfer =
        (!rule_held && job.rule_id.is_some()) || (!folder_held && job.folder.is_some());
    if needs_transfer {
        let tokens = service.own_tokens().await?;
        let transfer = Transfer::new(&service.http, &service.settings.transfer, &tokens.transfer);
        let results = &service.settings.results_collection;
        if let (false, Some(rule)) = (rule_held, &job.rule_id) {
            transfer.unshare(results, rule).await?;
        }
        if let (false, Some(folder)) = (folder_held, &job.folder) {
            let task = transfer.delete_folder(results, folder).await?;
            tracing::info!(job = %job.id, %folder, %task, "graph results deleted");
        }
    }
    jobs::delete(&service.store, &job.id).await?;
    Ok(())
}

impl From<ResultsError> for GraphError {
    fn from(error: ResultsError) -> Self {
        match error {
            ResultsError::Store(error) => Self::Store(error),
            other => Self::Upstream(other.to_string()),
        }
    }
}
