//! `make bench`: performance figures of a real deployment, each next to a baseline measured in
//! the same run on the same machine, so that the ratio means something whatever the machine.
//!
//! Identity provider:
//! - a full sign-in code flow (authorize → sign-in page → consent already given → code → token)
//!   against one `GET /health` round trip;
//! - token introspections per second against `GET /health` requests per second, both with the
//!   same concurrency.
//!
//! Data server (run as a deployment runs it, in its own process: `mrdp transfer`):
//! - `GET` of a 1 GiB file against Debian's nginx serving the same file;
//! - `PUT` of 1 GiB against the data server's own `GET`, and against the disk's durable write
//!   of 1 GiB (`write` + `fsync`) into the same directory;
//! - the peak memory of that process during both.
//!
//! Transfer tasks (see `copies`): a 1 GiB file, unverified, MD5- and BLAKE3-verified, and 10,000
//! small files, against `cp`, `cp` + `md5sum`, `cp` and `cp -r`.
//!
//! Small files on one connection kept alive (see `kept_alive`): the data server's `GET` of a
//! 6.8 KB CSV and the portal's `GET /`, each against nginx serving the same file.
//!
//! The web app's first visit (see `first_visit`): the bytes transferred with the encodings a
//! browser accepts against the files as they are.
//!
//! Portal API (see `portal_api`): `GET /api/datasets/{id}` with a session, 64 connections,
//! against the portal's cheapest JSON answer and a bare actix-web JSON handler.
//!
//! Search (see `catalog_search`): `GET /api/datasets?q=…&variable=…` over a generated catalog of
//! 100,000 datasets against the same query run in-process on the same index; the import timed.
//!
//! Transfers through the portal (see `portal_transfers`): a 1 GiB copy submitted and followed
//! through the portal against the same straight to the transfer service; the polls of a task
//! watched by 1,000 browsers (in another process) against one, and the deployment's CPU time and
//! resident memory meanwhile.
//!
//! Graphs (see `graph_jobs`): the three SVG charts of a station-year against the sample's pygal;
//! jobs of 20 station-years end to end, their parts, and the graph service's peak memory.
//!
//! Transfer workers (see `task_workers`): 200 small tasks carried out by one, two and three
//! `mrdp transfer --worker` processes on one PostgreSQL database (`make bench` starts a private
//! cluster), and where the time goes.
//!
//! A load balancer (see `balanced`): a sign-in plus ten API calls through nginx with TLS against
//! the same straight to the portal.
//!
//! Arguments name the sections to run (`idp`, `api`, `data`, `small`, `visit`, `copy`,
//! `transfers`, `search`, `graphs`, `workers`, `lb`); none:
//! all of them. `small` and `visit` need the release build of the web app in `dist/`.

mod balanced;
mod catalog_search;
mod code_flow;
mod copies;
mod data_plane;
mod first_visit;
mod generated_catalog;
mod graph_jobs;
mod kept_alive;
mod load;
mod portal_api;
mod portal_transfers;
mod raw_client;
mod service_process;
mod stores;
mod stream_watchers;
mod task_workers;

use anyhow::Context;
use mrdp_globus::auth::collection_https_scope;
use mrdp_portal::rate_limits::RateLimitSettings;
use mrdp_server::config::Config;
use mrdp_server::deployment::{Deployment, Role};
use mrdp_service::store::{Store, StoreLocation};
use mrdp_shared::ServiceName;
use service_process::ServiceProcess;
use std::path::Path;
use stores::Stores;

/// This process, as `/proc` shows it.
const THIS_PROCESS: &str = "/proc/self";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, url, cookie, count] = args.as_slice()
        && mode == stream_watchers::WATCH_MODE
    {
        return stream_watchers::watch(url, cookie, count.parse()?).await;
    }
    let data = tempfile::tempdir().context("a data directory")?;
    let web_app = workspace().join("dist");
    let mut config = Config::for_tests(data.path(), &web_app, None);
    config.workers = 2;
    // The graph section runs the graph service's jobs in a process of its own.
    config.graph.workers = 0;
    // The load comes from one address and one session: the limiters run, far above it.
    config.portal.rate_limit = RateLimitSettings {
        per_caller: 1_000_000,
        per_address: 1_000_000,
        burst_seconds: 1,
    };
    let deployment = Deployment::start(&config, Role::All).await?;
    let idp = deployment.url(ServiceName::Idp).to_owned();
    let portal = deployment.url(ServiceName::Portal).to_owned();
    let alice = stores::first_demo_user(&deployment)?;
    let credentials = |name: &str| {
        mrdp_idp::bootstrap::read_credentials(
            &data.path().join(format!("secrets/clients/{name}.toml")),
        )
    };
    let portal_client = credentials(mrdp_idp::bootstrap::PORTAL_CLIENT)?;
    let callback = format!("{portal}/api/auth/callback");

    let sections: Vec<String> = std::env::args().skip(1).collect();
    let runs = |section: &str| sections.is_empty() || sections.iter().any(|s| s == section);
    println!("MRDP bench (medians of several runs; ratios against baselines taken now)");
    let flow = code_flow::CodeFlow {
        idp: &idp,
        callback: &callback,
        client: &portal_client,
        username: &alice.username,
        password: &alice.password,
    };
    if runs("idp") {
        identity_provider(&flow, &idp, &portal_client).await?;
    }
    if runs("api") {
        portal_api::print(&deployment, &flow, config.workers).await?;
    }
    let location = StoreLocation::from_config(None, data.path())?;
    let stores = Stores {
        transfer: Store::connect(&location, "transfer").await?,
        idp: Store::connect(&location, "idp").await?,
        data_dir: data.path(),
    };
    if runs("data") {
        data_server(&deployment, &stores, &flow).await?;
    }
    if (runs("small") || runs("visit")) && !web_app.join("index.html").is_file() {
        anyhow::bail!(
            "{} holds no web app: `make frontend` builds it",
            web_app.display()
        );
    }
    if runs("small") {
        kept_alive::print(&deployment, &stores, &flow, &web_app).await?;
    }
    if runs("visit") {
        first_visit::print(&deployment).await?;
    }
    if runs("copy") {
        transfer_tasks(&deployment, &stores, &flow).await?;
    }
    if runs("transfers") {
        portal_transfers::print(&deployment, &flow, data.path()).await?;
    }
    if runs("search") {
        catalog_search::print(&deployment, &flow, data.path(), config.workers).await?;
    }
    if runs("graphs") {
        graph_jobs::print(&deployment, &flow, (&workspace(), data.path())).await?;
    }
    if runs("workers") {
        task_workers::run(&web_app).await?;
    }
    if runs("lb") {
        balanced::print(&web_app).await?;
    }
    stores.transfer.close().await;
    stores.idp.close().await;
    deployment.stop().await;
    Ok(())
}

/// The checkout the bench runs from (`cargo run` names this crate's directory; the directory it
/// was compiled in is the fallback).
fn workspace() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(
            || env!("CARGO_MANIFEST_DIR").into(),
            std::path::PathBuf::from,
        )
        .join("../..")
}

/// The code flow against `GET /health`, and introspections against `GET /health`.
async fn identity_provider(
    flow: &code_flow::CodeFlow<'_>,
    idp: &str,
    portal_client: &mrdp_idp::bootstrap::ClientCredentials,
) -> anyhow::Result<()> {
    let (flow_ms, health_ms) = flow.measure(25).await?;
    println!(
        "idp  full code flow (authorize, sign-in, code, token)  {flow_ms:8.2} ms   GET /health {health_ms:6.2} ms   ratio {:.1}",
        flow_ms / health_ms
    );

    let token = flow
        .client_token("urn:globus:auth:scope:transfer.api.globus.org:all")
        .await?;
    let (introspections, healths) = load::compare(
        idp,
        portal_client,
        &token,
        16,
        std::time::Duration::from_secs(4),
    )
    .await?;
    println!(
        "idp  introspections/s {introspections:8.0}   GET /health/s {healths:8.0}   ratio {:.2}",
        introspections / healths
    );
    Ok(())
}

/// A collection over a directory holding a 1 GiB file, the same directory served by nginx, and
/// the three rates.
async fn data_server(
    deployment: &Deployment,
    stores: &Stores<'_>,
    flow: &code_flow::CodeFlow<'_>,
) -> anyhow::Result<()> {
    let (collection, root) = stores.collection("bench-data-server", flow).await?;
    data_plane::write_file(&root.join("big.bin"))?;
    let token = flow
        .client_token(&collection_https_scope(&collection))
        .await?;
    let nginx = data_plane::Nginx::serve(&root)?;
    let service = ServiceProcess::start(stores.data_dir, deployment.url(ServiceName::Idp))?;
    data_plane::reset_peak_memory(&service.proc_dir())?;
    let base = format!("{}/{collection}", service.url);
    let rates = data_plane::measure(
        &format!("{base}/big.bin"),
        &format!("{}/big.bin", nginx.url),
        &format!("{base}/upload.bin"),
        &root,
        &token,
        7,
    )
    .await?;
    let mib = |rate: f64| rate / f64::from(1 << 20);
    let (get, put) = (rates.data_get, rates.data_put);
    println!(
        "data GET 1 GiB {:8.0} MiB/s   nginx GET {:8.0} MiB/s   ratio {:.2} (goal 0.9)",
        mib(get),
        mib(rates.nginx_get),
        get / rates.nginx_get
    );
    println!(
        "data PUT 1 GiB {:8.0} MiB/s   data GET  {:8.0} MiB/s   ratio {:.2} (goal -)",
        mib(put),
        mib(get),
        put / get
    );
    println!(
        "data PUT 1 GiB {:8.0} MiB/s   write+fsync 1 GiB {:8.0} MiB/s   ratio {:.2} (goal 0.85: a PUT is on the disk before its 200)",
        mib(put),
        mib(rates.durable_write),
        put / rates.durable_write
    );
    if let Some(peak) = data_plane::peak_memory_mib(&service.proc_dir()) {
        println!(
            "data peak memory of the service's process (`mrdp transfer`) during GET and PUT {peak:.0} MiB (goal < 100)"
        );
    }
    Ok(())
}

/// Transfer tasks between two collections against the shell tools, and the ratios (their time
/// over ours: above 1, the task was faster).
async fn transfer_tasks(
    deployment: &Deployment,
    stores: &Stores<'_>,
    flow: &code_flow::CodeFlow<'_>,
) -> anyhow::Result<()> {
    let (source, source_dir) = stores.collection("bench-source", flow).await?;
    let (destination, destination_dir) = stores.collection("bench-destination", flow).await?;
    data_plane::write_file(&source_dir.join("big.bin"))?;
    copies::write_small_files(&source_dir.join("small"))?;
    data_plane::reset_peak_memory(Path::new(THIS_PROCESS))?;
    let token = flow
        .client_token(mrdp_globus::transfer::TRANSFER_SCOPE)
        .await?;
    let transfer = format!("{}/v0.10", deployment.url(ServiceName::Transfer));
    let bench = copies::Copies {
        transfer: &transfer,
        token: &token,
        source: &source,
        destination: &destination,
        destination_dir: &destination_dir,
        client: reqwest::Client::new(),
    };
    let path = |dir: &std::path::Path, name: &str| dir.join(name).display().to_string();
    let (big, big_copy) = (
        path(&source_dir, "big.bin"),
        path(&destination_dir, "big.bin"),
    );
    let command = |words: &[&str]| words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
    let cp = vec![command(&["cp", &big, &big_copy])];
    let cp_sync = vec![
        command(&["cp", &big, &big_copy]),
        command(&["sync", &big_copy]),
    ];
    let cp_md5 = vec![
        command(&["cp", &big, &big_copy]),
        command(&["md5sum", &big]),
        command(&["md5sum", &big_copy]),
    ];
    let small = path(&source_dir, "small");
    let cp_r = vec![command(&[
        "cp",
        "-r",
        &small,
        &destination_dir.display().to_string(),
    ])];
    let one = |verify| copies::Case {
        path: "/big.bin",
        recursive: false,
        verify,
    };
    let cases = [
        // For context: `cp` leaves the file in the page cache, a task makes it durable.
        ("1 GiB, not verified", one(None), &cp, "cp", "-"),
        (
            "1 GiB, not verified",
            one(None),
            &cp_sync,
            "cp + sync",
            "1.3",
        ),
        (
            "1 GiB, MD5-verified",
            one(Some("MD5")),
            &cp_md5,
            "cp + 2 md5sum",
            "1.3",
        ),
        (
            "1 GiB, BLAKE3-verified",
            one(Some("BLAKE3")),
            &cp,
            "cp",
            "0.5",
        ),
    ];
    for (name, case, baseline, baseline_name, goal) in cases {
        let (ours, theirs) = bench.compare(&case, baseline, 5).await?;
        println!(
            "copy {name:<24} {ours:6.2} s   {baseline_name:<14} {theirs:6.2} s   ratio {:.2} (goal {goal})",
            theirs / ours
        );
    }
    let many = copies::Case {
        path: "/small",
        recursive: true,
        verify: None,
    };
    let (ours, theirs) = bench.compare(&many, &cp_r, 5).await?;
    let peak = data_plane::peak_memory_mib(Path::new(THIS_PROCESS)).unwrap_or(f64::NAN);
    println!(
        "copy {:<24} {ours:6.2} s   {:<14} {theirs:6.2} s   ratio {:.2} (goal 0.5)",
        format!("{} x 4 KiB files", copies::SMALL_FILES),
        "cp -r",
        theirs / ours
    );
    println!(
        "copy peak memory during the copies (the bench process: services and client) {peak:.0} MiB"
    );
    Ok(())
}
