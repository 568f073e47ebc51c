//! The catalog of datasets: the file an operator imports, kept in the portal's store, each
//! dataset's files counted by the transfer service and its access enforced there by a rule.

pub mod admin;
pub mod dataset_path;
pub mod downloads;
pub mod entry;
pub mod facet_tally;
pub mod files;
pub mod json_ld;
pub mod landing;
pub mod live;
pub mod routes;
pub mod search;
pub mod search_query;
pub mod stored;

use crate::{PortalError, PortalState};
use mrdp_globus::transfer::TRANSFER_SCOPE;
use std::sync::Arc;

impl PortalState {
    /// The catalog as this portal serves it now: its datasets and their search index.
    pub fn catalog_snapshot(&self) -> Arc<live::Snapshot> {
        self.catalog.current()
    }

    /// The catalog's keeper, holding a Transfer token of the portal's own (client credentials).
    pub async fn catalog_admin(&self) -> Result<admin::CatalogAdmin, PortalError> {
        let grant = self.provider.own_tokens(TRANSFER_SCOPE).await?;
        let token = grant
            .tokens
            .into_iter()
            .find(|token| token.scope.split_whitespace().any(|s| s == TRANSFER_SCOPE))
            .ok_or_else(|| {
                PortalError::Upstream("the provider gave the portal no Transfer token".into())
            })?;
        let transfer = crate::transfer_client::PortalTransfer::new(
            self.http.clone(),
            &self.upstreams.transfer,
            token.access_token,
        );
        Ok(admin::CatalogAdmin::new(
            self.store.clone(),
            transfer,
            self.catalog_collection.clone(),
            Arc::clone(&self.catalog),
        ))
    }
}
