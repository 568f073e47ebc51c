//! `mrdp transfer collection …`: manage the transfer service's collections from the command line.
//! A new collection is also registered at the embedded identity provider with its HTTPS scope, so
//! that tokens for its files can be had.

use crate::auth_config::embedded_credentials_file;
use crate::config::Config;
use crate::deployment::open_store;
use anyhow::Context;
use clap::Subcommand;
use mrdp_idp::bootstrap;
use mrdp_idp::registry::users;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::store::{Store, StoreLocation};
use mrdp_transfer::collections::{self, NewCollection, Placement};
use mrdp_transfer::locate::{Storages, local_storage_url};
use mrdp_transfer::paths::CollectionPath;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum TransferAdmin {
    /// Collections: storage roots (mapped) and shared directories of them (guest).
    #[command(subcommand)]
    Collection(CollectionCommand),
}

#[derive(Debug, Subcommand)]
pub enum CollectionCommand {
    /// Add a mapped collection (`--root DIR` or `--s3 s3://bucket/prefix`) or a guest collection
    /// (`--host ID --host-path PATH`).
    Add {
        #[arg(long)]
        name: String,
        /// The owner: an account of the embedded identity provider (`alice`) or an identity id.
        #[arg(long)]
        owner: String,
        #[arg(long, default_value = "")]
        description: String,
        /// The directory a mapped collection exposes (created if missing).
        #[arg(long, conflicts_with_all = ["s3", "host", "host_path"], required_unless_present_any = ["s3", "host"])]
        root: Option<PathBuf>,
        /// The bucket (and key prefix) of the configured S3 store (`[s3]`) a mapped collection
        /// exposes.
        #[arg(long, value_name = "s3://bucket/prefix", conflicts_with_all = ["host", "host_path"])]
        s3: Option<String>,
        /// The mapped collection a guest collection shares a directory of.
        #[arg(long, requires = "host_path")]
        host: Option<String>,
        /// The shared directory, in the host collection (`/projects/a/`).
        #[arg(long, requires = "host")]
        host_path: Option<String>,
    },
    /// List the collections.
    List,
}

pub async fn run(config: &Config, admin: TransferAdmin) -> anyhow::Result<ExitCode> {
    crate::data_dir::prepare(&config.data_dir)?;
    let location = StoreLocation::from_config(config.database_url.as_ref(), &config.data_dir)?;
    let transfer = open_store(&location, "transfer", &mrdp_transfer::MIGRATIONS).await?;
    let outcome = match admin {
        TransferAdmin::Collection(CollectionCommand::List) => list(&transfer).await,
        TransferAdmin::Collection(CollectionCommand::Add {
            name,
            owner,
            description,
            root,
            s3,
            host,
            host_path,
        }) => {
            let idp = open_store(&location, "idp", &mrdp_idp::MIGRATIONS).await?;
            let placement = match (root, s3, host, host_path) {
                (Some(root), ..) => Placement::Mapped {
                    storage_url: local_storage_url(&root)
                        .with_context(|| format!("the collection root {}", root.display()))?,
                },
                (None, Some(url), ..) => Placement::Mapped {
                    storage_url: reachable_bucket(config, &url).await?,
                },
                (None, None, Some(host), Some(path)) => Placement::Guest {
                    host_collection_id: host,
                    host_path: CollectionPath::parse(&path).context("--host-path")?,
                },
                _ => anyhow::bail!("give --root, or --host and --host-path"),
            };
            let outcome = add(
                config,
                &idp,
                &transfer,
                name,
                &owner,
                description,
                placement,
            )
            .await;
            idp.close().await;
            outcome
        }
    };
    transfer.close().await;
    outcome.map(|()| ExitCode::SUCCESS)
}

/// `url`, once its bucket was listed with the configured S3 store's key.
async fn reachable_bucket(config: &Config, url: &str) -> anyhow::Result<String> {
    let storage = Storages::new(config.s3.access())
        .open(url)
        .context("--s3")?;
    storage
        .list(&CollectionPath::root(), false)
        .await
        .with_context(|| format!("list {url} with the key of [s3]"))?;
    Ok(url.to_owned())
}

async fn add(
    config: &Config,
    idp: &Store,
    transfer: &Store,
    name: String,
    owner: &str,
    description: String,
    placement: Placement,
) -> anyhow::Result<()> {
    let owner_id = match uuid::Uuid::parse_str(owner) {
        Ok(id) => id.to_string(),
        Err(_) => users::find(idp, owner)
            .await?
            .with_context(|| {
                format!(
                    "no account `{owner}` at the embedded identity provider: give an identity id"
                )
            })?
            .identity
            .id,
    };
    let new = NewCollection {
        display_name: name.clone(),
        description,
        owner_id,
        placement,
    };
    let collection = collections::create(transfer, new, SystemClock.now()).await?;
    println!("id: {}", collection.id);
    let file = embedded_credentials_file(&config.data_dir, bootstrap::TRANSFER_CLIENT);
    match bootstrap::read_credentials(&file) {
        Ok(client) => {
            bootstrap::register_collection(idp, &collection.id, &name, &client.client_id).await?;
            println!(
                "https scope: {}",
                mrdp_globus::auth::collection_https_scope(&collection.id)
            );
        }
        Err(_) => eprintln!(
            "note: no transfer service client yet (run `mrdp all` once): the collection's HTTPS scope is not registered"
        ),
    }
    Ok(())
}

async fn list(transfer: &Store) -> anyhow::Result<()> {
    for collection in collections::list(transfer).await? {
        let (kind, place) = match &collection.placement {
            Placement::Mapped { storage_url } => ("mapped", storage_url.clone()),
            Placement::Guest {
                host_collection_id,
                host_path,
            } => (
                "guest",
                format!("{host_collection_id}:{}", host_path.as_dir()),
            ),
        };
        println!(
            "{}  {kind:6}  {}  owner {}  {place}",
            collection.id, collection.display_name, collection.owner_id
        );
    }
    Ok(())
}
