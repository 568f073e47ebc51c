//! The embedded deployment's collections, made on every start of `mrdp all` when missing:
//!
//! - "Portal storage", mapped, owned by the portal's client, over `<data_dir>/collections/portal`
//!   (or the bucket `transfer.portal_storage` names); its `catalog/` holds the demo datasets
//!   (copied from `transfer.catalog_dir`, or those built into `mrdp`, on first start, into a
//!   local directory; a bucket's are uploaded by the operator);
//! - "Research data catalog", a guest collection on its `/catalog/` (the MRDP pattern: the portal
//!   shares its datasets), whose access rules the portal's catalog keeps: one per dataset folder;
//! - "Graph service storage", mapped, owned by the graph service's client (local, or the bucket
//!   `transfer.graph_storage` names), and "Graph results",
//!   a guest collection on its `/results/` (the service shares each graph with the researcher who
//!   asked for it, through an access rule);
//! - "`<name>`'s storage", mapped, one per demo user, owned by that user.
//!
//! Each is registered at the identity provider as a resource server with its HTTPS scope, and the
//! graph service's scope depends on the catalog's (it reads datasets as the researcher); the
//! portal's own scope, which apps ask for, depends on every scope its sign-in asks for. Their
//! ids are derived from their role, so they are the same on every start of a deployment.

use crate::auth_config::embedded_credentials_file;
use crate::config::Config;
use anyhow::Context;
use mrdp_globus::auth::collection_https_scope;
use mrdp_idp::bootstrap;
use mrdp_idp::registry::scopes::{TRANSFER_SCOPE, VIEW_MY_GROUPS_SCOPE};
use mrdp_portal::PortalState;
use mrdp_service::store::Store;
use mrdp_transfer::collections::{self, NewCollection, Placement};
use mrdp_transfer::locate::local_storage_url;
use mrdp_transfer::paths::CollectionPath;
use std::path::Path;

/// The id of a well-known collection: a UUID (v5) of its role.
pub fn collection_id(role: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("mrdp:collection:{role}").as_bytes(),
    )
    .to_string()
}

/// The catalog's collection id (what the portal lists datasets from).
pub fn catalog_id() -> String {
    collection_id("catalog")
}

struct Seed {
    id: String,
    new: NewCollection,
}

fn mapped(role: &str, name: String, owner: &str, storage_url: String) -> anyhow::Result<Seed> {
    Ok(Seed {
        id: collection_id(role),
        new: NewCollection {
            display_name: name,
            description: String::new(),
            owner_id: owner.to_owned(),
            placement: Placement::Mapped { storage_url },
        },
    })
}

/// The storage URL of the local directory `root`, made if missing.
fn local(root: &Path) -> anyhow::Result<String> {
    local_storage_url(root).with_context(|| format!("make {}", root.display()))
}

/// Makes what is missing; returns nothing new on later starts.
pub async fn embedded_collections(
    config: &Config,
    idp: &Store,
    transfer: &Store,
    now: i64,
) -> anyhow::Result<()> {
    let client = |name: &str| {
        bootstrap::read_credentials(&embedded_credentials_file(&config.data_dir, name))
            .map(|credentials| credentials.client_id)
            .with_context(|| format!("the {name} client's credentials"))
    };
    let (portal, graph, transfer_client) = (
        client(bootstrap::PORTAL_CLIENT)?,
        client(bootstrap::GRAPH_CLIENT)?,
        client(bootstrap::TRANSFER_CLIENT)?,
    );
    let collections_dir = config.data_dir.join("collections");
    let portal_storage = match &config.transfer.portal_storage {
        Some(url) => url.clone(),
        None => {
            let portal_root = collections_dir.join("portal");
            copy_catalog(
                &crate::built_in::catalog_dir(config)?,
                &portal_root.join("catalog"),
            )?;
            local(&portal_root)?
        }
    };
    let graph_storage = match &config.transfer.graph_storage {
        Some(url) => url.clone(),
        None => local(&collections_dir.join("graph"))?,
    };
    // The folders the guest collections share.
    let storages = crate::service_settings::transfer_shared(config).0;
    for (url, folder) in [
        (&portal_storage, "/catalog/"),
        (&graph_storage, "/results/"),
    ] {
        let storage = storages.open(url).with_context(|| format!("open {url}"))?;
        storage
            .mkdir_all(&CollectionPath::parse(folder)?)
            .await
            .with_context(|| format!("make {folder} in {url}"))?;
    }

    let mut seeds = vec![
        mapped(
            "portal-storage",
            "Portal storage".into(),
            &portal,
            portal_storage,
        )?,
        Seed {
            id: catalog_id(),
            new: NewCollection {
                display_name: "Research data catalog".into(),
                description: "NOAA daily weather records of seven stations".into(),
                owner_id: portal.clone(),
                placement: Placement::Guest {
                    host_collection_id: collection_id("portal-storage"),
                    host_path: CollectionPath::parse("/catalog/")?,
                },
            },
        },
        mapped(
            "graph-storage",
            "Graph service storage".into(),
            &graph,
            graph_storage,
        )?,
        Seed {
            id: collection_id("graph-results"),
            new: NewCollection {
                display_name: "Graph results".into(),
                description: "Graphs made for researchers, each shared with its researcher".into(),
                owner_id: graph.clone(),
                placement: Placement::Guest {
                    host_collection_id: collection_id("graph-storage"),
                    host_path: CollectionPath::parse("/results/")?,
                },
            },
        },
    ];
    for person in bootstrap::demo_identities(idp).await? {
        let root = local(&collections_dir.join("home").join(&person.login))?;
        let name = format!("{}'s storage", person.name);
        let role = format!("home:{}", person.login);
        seeds.push(mapped(&role, name, &person.identity_id, root)?);
    }
    for seed in seeds {
        let display_name = seed.new.display_name.clone();
        if collections::find(transfer, &seed.id).await?.is_none() {
            collections::create_with_id(transfer, seed.id.clone(), seed.new, now).await?;
        }
        bootstrap::register_collection(idp, &seed.id, &display_name, &transfer_client).await?;
    }
    // The graph service reads the catalog's datasets as the researcher who asks for graphs.
    bootstrap::register_graph_scope(idp, &graph, &[&catalog_id()]).await?;
    // An app calling the portal for a researcher lets it do what a sign-in lets it do.
    let portal_uses = vec![
        TRANSFER_SCOPE.to_owned(),
        VIEW_MY_GROUPS_SCOPE.to_owned(),
        collection_https_scope(&catalog_id()),
        bootstrap::graph_scope(&graph),
        collection_https_scope(&collection_id("graph-results")),
    ];
    bootstrap::register_portal_scope(idp, &portal, portal_uses).await?;
    Ok(())
}

/// Imports the demo catalog (`catalog.json` of the catalog directory) into the portal on the first
/// start, once the services answer: the portal counts the datasets' files at the transfer service
/// and makes their access rules there, as it would at Globus.
pub async fn demo_catalog(config: &Config, portal: &PortalState, now: i64) -> anyhow::Result<()> {
    let file = crate::built_in::catalog_dir(config)?.join("catalog.json");
    let admin = portal.catalog_admin().await?;
    if !admin.is_empty().await? || !file.is_file() {
        return Ok(());
    }
    let text =
        std::fs::read_to_string(&file).with_context(|| format!("read {}", file.display()))?;
    let imported = admin.import(&text, now).await?;
    tracing::info!(datasets = imported.len(), file = %file.display(), "demo catalog imported");
    Ok(())
}

/// Copies the demo datasets into the catalog once (when the catalog directory does not exist).
fn copy_catalog(from: &Path, to: &Path) -> anyhow::Result<()> {
    if to.exists() {
        return Ok(());
    }
    if !from.is_dir() {
        tracing::warn!(catalog_dir = %from.display(), "no demo datasets there: the catalog starts empty");
        return Ok(());
    }
    copy_tree(from, to).with_context(|| format!("copy the demo datasets from {}", from.display()))
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_collections_have_distinct_uuid_ids() {
        let catalog = uuid::Uuid::parse_str(&catalog_id()).unwrap();
        assert_eq!(
            catalog.get_version_num(),
            5,
            "derived from the role, not random"
        );
        assert_ne!(collection_id("catalog"), collection_id("graph-results"));
        assert_ne!(collection_id("home:alice"), collection_id("home:bob"));
    }
}
