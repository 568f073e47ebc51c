//! `make bench`: performance figures of a real deployment, each next to a baseline measured in
//! the same run on the same machine, so that the ratio means something whatever the machine.
//!
//! Identity provider:
//! - a full sign-in code flow (authorize → sign-in page → consent already given → code → token)
//!   against one `GET /health` round trip;
//! - token introspections per second against `GET /health` requests per second, both with the
//!   same concurrency.
//!
//! Data server:
//! - `GET` of a 1 GiB file against Debian's nginx serving the same file;
//! - `PUT` of 1 GiB against the data server's own `GET`.

mod code_flow;
mod data_plane;
mod load;

use anyhow::Context;
use mrdp_globus::auth::collection_https_scope;
use mrdp_server::config::Config;
use mrdp_server::deployment::{Deployment, Role};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::store::{Store, StoreLocation};
use mrdp_shared::ServiceName;
use mrdp_transfer::collections::{self, NewCollection, Placement};
use mrdp_transfer::locate::local_storage_url;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let data = tempfile::tempdir().context("a data directory")?;
    let mut config = Config::for_tests(data.path(), data.path(), None);
    config.workers = 2;
    let deployment = Deployment::start(&config, Role::All).await?;
    let idp = deployment.url(ServiceName::Idp).to_owned();
    let portal = deployment.url(ServiceName::Portal).to_owned();
    let alice = deployment
        .demo_credentials()
        .users
        .first()
        .context("a demo user")?
        .clone();
    let credentials = |name: &str| {
        mrdp_idp::bootstrap::read_credentials(
            &data.path().join(format!("secrets/clients/{name}.toml")),
        )
    };
    let portal_client = credentials(mrdp_idp::bootstrap::PORTAL_CLIENT)?;
    let callback = format!("{portal}/api/auth/callback");

    println!("MRDP bench (medians of several runs; ratios against baselines taken now)");
    let flow = code_flow::CodeFlow {
        idp: &idp,
        callback: &callback,
        client: &portal_client,
        username: &alice.username,
        password: &alice.password,
    };
    let (flow_ms, health_ms) = flow.measure(25).await?;
    println!(
        "idp  full code flow (authorize, sign-in, code, token)  {flow_ms:8.2} ms   GET /health {health_ms:6.2} ms   ratio {:.1}",
        flow_ms / health_ms
    );

    let token = flow
        .client_token("urn:globus:auth:scope:transfer.api.globus.org:all")
        .await?;
    let (introspections, healths) = load::compare(
        &idp,
        &portal_client,
        &token,
        16,
        std::time::Duration::from_secs(4),
    )
    .await?;
    println!(
        "idp  introspections/s {introspections:8.0}   GET /health/s {healths:8.0}   ratio {:.2}",
        introspections / healths
    );

    data_server(&deployment, data.path(), &flow).await?;
    deployment.stop().await;
    Ok(())
}

/// A mapped collection owned by the portal's client over a directory holding a 1 GiB file, the
/// same directory served by nginx, and the three rates.
async fn data_server(
    deployment: &Deployment,
    data_dir: &std::path::Path,
    flow: &code_flow::CodeFlow<'_>,
) -> anyhow::Result<()> {
    let root = data_dir.join("bench-collection");
    std::fs::create_dir_all(&root)?;
    data_plane::write_file(&root.join("big.bin"))?;
    let location = StoreLocation::from_config(None, data_dir)?;
    let (transfer, idp) = (
        Store::connect(&location, "transfer").await?,
        Store::connect(&location, "idp").await?,
    );
    let new = NewCollection {
        display_name: "Benchmark".into(),
        description: String::new(),
        owner_id: flow.client.client_id.clone(),
        placement: Placement::Mapped {
            storage_url: local_storage_url(&root)?,
        },
    };
    let collection = collections::create(&transfer, new, SystemClock.now()).await?;
    let transfer_client =
        mrdp_idp::bootstrap::read_credentials(&data_dir.join("secrets/clients/transfer.toml"))?;
    mrdp_idp::bootstrap::register_collection(
        &idp,
        &collection.id,
        "Benchmark",
        &transfer_client.client_id,
    )
    .await?;
    let token = flow
        .client_token(&collection_https_scope(&collection.id))
        .await?;
    let nginx = data_plane::Nginx::serve(&root)?;
    let base = format!("{}/{}", deployment.url(ServiceName::Data), collection.id);
    let (get, nginx_get, put) = data_plane::measure(
        &format!("{base}/big.bin"),
        &format!("{}/big.bin", nginx.url),
        &format!("{base}/upload.bin"),
        &token,
        3,
    )
    .await?;
    let mib = |rate: f64| rate / f64::from(1 << 20);
    println!(
        "data GET 1 GiB {:8.0} MiB/s   nginx GET {:8.0} MiB/s   ratio {:.2}",
        mib(get),
        mib(nginx_get),
        get / nginx_get
    );
    println!(
        "data PUT 1 GiB {:8.0} MiB/s   data GET  {:8.0} MiB/s   ratio {:.2}",
        mib(put),
        mib(get),
        put / get
    );
    if let Some(peak) = data_plane::peak_memory_mib() {
        println!("peak memory of the whole bench process (services and client) {peak:.0} MiB");
    }
    transfer.close().await;
    idp.close().await;
    Ok(())
}
