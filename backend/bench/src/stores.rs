//! The deployment's stores, where the bench makes its collections; and its first demo user.

use crate::code_flow;
use anyhow::Context;
use mrdp_server::deployment::Deployment;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::store::Store;
use mrdp_transfer::collections::{self, NewCollection, Placement};
use mrdp_transfer::locate::local_storage_url;

/// The deployment's stores, where the bench makes its collections.
pub struct Stores<'a> {
    pub transfer: Store,
    pub idp: Store,
    pub data_dir: &'a std::path::Path,
}

impl Stores<'_> {
    /// A mapped collection over `data_dir/name`, owned by the portal's client and registered at
    /// the identity provider: its id and its directory.
    pub async fn collection(
        &self,
        name: &str,
        flow: &code_flow::CodeFlow<'_>,
    ) -> anyhow::Result<(String, std::path::PathBuf)> {
        let root = self.data_dir.join(name);
        let new = NewCollection {
            display_name: name.into(),
            description: String::new(),
            owner_id: flow.client.client_id.clone(),
            placement: Placement::Mapped {
                storage_url: local_storage_url(&root)?,
            },
        };
        let collection = collections::create(&self.transfer, new, SystemClock.now()).await?;
        let transfer_client = mrdp_idp::bootstrap::read_credentials(
            &self.data_dir.join("secrets/clients/transfer.toml"),
        )?;
        mrdp_idp::bootstrap::register_collection(
            &self.idp,
            &collection.id,
            name,
            &transfer_client.client_id,
        )
        .await?;
        Ok((collection.id, root))
    }
}

/// The first demo user of `deployment`'s first start.
pub fn first_demo_user(deployment: &Deployment) -> anyhow::Result<mrdp_idp::bootstrap::DemoUser> {
    deployment
        .demo_credentials()
        .users
        .first()
        .cloned()
        .context("a demo user")
}
