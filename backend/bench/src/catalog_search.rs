//! Search over a large catalog: a generated catalog of `SIZE` datasets imported as an operator
//! imports one (timed), then `GET /api/datasets?q=…&variable=…` with a session on 64 connections
//! against the same query run in this process on the portal's own index by as many threads as
//! the portal has workers: the HTTP, the session and the JSON must cost at most what the search
//! itself does.

use crate::code_flow::{CodeFlow, median};
use crate::generated_catalog;
use crate::load::Rate;
use crate::portal_api::{medians, signed_in};
use crate::raw_client::Target;
use anyhow::Context;
use mrdp_portal::PortalState;
use mrdp_portal::catalog::search::readers_of;
use mrdp_portal::catalog::search_query::SearchQuery;
use mrdp_server::deployment::Deployment;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_shared::ServiceName;
use std::path::Path;
use std::time::{Duration, Instant};

const SIZE: usize = 100_000;
const CONNECTIONS: usize = 64;
const RUN: Duration = Duration::from_secs(2);
const ROUNDS: usize = 3;
/// The searches measured: a broad one (most datasets match) and a narrow one (a place's name).
const QUERIES: [(&str, [(&str, &str); 2]); 2] = [
    ("broad", [("q", "temperature"), ("variable", "PRCP")]),
    ("narrow", [("q", "barcalden"), ("variable", "TMAX")]),
];

pub async fn print(
    deployment: &Deployment,
    flow: &CodeFlow<'_>,
    data_dir: &Path,
    workers: usize,
) -> anyhow::Result<()> {
    let portal = deployment
        .portal()
        .context("the deployment runs a portal")?;
    let catalog_root = data_dir.join("collections/portal/catalog");
    let group = mrdp_idp::bootstrap::demo_group_id();
    let text = generated_catalog::write(&catalog_root, SIZE, &group)?;
    let started = Instant::now();
    let admin = portal.catalog_admin().await?;
    admin.import(&text, SystemClock.now()).await?;
    println!(
        "search import of {SIZE} generated datasets (files counted at the transfer service, access rules made) {:8.1} s",
        started.elapsed().as_secs_f64()
    );

    let base = deployment.url(ServiceName::Portal);
    let cookie = signed_in(base, flow)
        .await
        .context("sign in to the portal")?;
    let readers = readers_of(std::iter::once(group.as_str()));
    for (name, pairs) in QUERIES {
        let query = pairs.map(|(k, v)| format!("{k}={v}")).join("&");
        let pairs = pairs.map(|(k, v)| (k.to_owned(), v.to_owned()));
        let search = SearchQuery::from_pairs(&pairs).map_err(|e| anyhow::anyhow!("{e}"))?;
        let total = portal
            .catalog_snapshot()
            .index
            .search(&search, &readers)?
            .total;
        let answered: serde_json::Value = reqwest::Client::new()
            .get(format!("{base}/api/datasets?{query}"))
            .header("Cookie", &cookie)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        anyhow::ensure!(
            total > 0 && answered["total"] == total,
            "{query}: {total} found here, {} over HTTP",
            answered["total"]
        );
        let target = Target::get(
            &format!("{base}/api/datasets?{query}"),
            &[("Cookie", cookie.as_str())],
            200,
        )?;
        let (mut http, mut here) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            http.push(target.rate_on(CONNECTIONS, RUN).await?);
            here.push(in_process(portal, &search, &readers, workers)?);
        }
        let (http, here) = (medians(&http), medians(&here));
        println!(
            "search {name:<6} GET /api/datasets?{query} {:7.0} /s (p50 {:.1} ms, p99 {:.1} ms)   in-process {:7.0} /s (p50 {:.2} ms, p99 {:.2} ms)   ratio {:.2} (goal 0.5)",
            http.per_second,
            http.p50_ms,
            http.p99_ms,
            here.per_second,
            here.p50_ms,
            here.p99_ms,
            http.per_second / here.per_second
        );
    }
    let listing = listing_ms(base, &cookie).await?;
    println!(
        "search a dataset's files (GET /api/datasets/gen-000001/files) with {SIZE} access rules on the collection {listing:6.1} ms, median of {LISTINGS} (goal -)"
    );
    Ok(())
}

/// Listings timed one after another.
const LISTINGS: usize = 21;

/// The median time of listing a generated dataset's files through the researcher's own token:
/// the transfer service judges the listing against every rule of the catalog collection.
async fn listing_ms(base: &str, cookie: &str) -> anyhow::Result<f64> {
    let http = reqwest::Client::new();
    let mut times = Vec::with_capacity(LISTINGS);
    for _ in 0..LISTINGS {
        let started = Instant::now();
        http.get(format!("{base}/api/datasets/gen-000001/files"))
            .header("Cookie", cookie)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(median(&mut times))
}

/// `query` run on the portal's index by `threads` threads at once for `RUN`.
fn in_process(
    portal: &PortalState,
    query: &SearchQuery,
    readers: &[String],
    threads: usize,
) -> anyhow::Result<Rate> {
    let snapshot = portal.catalog_snapshot();
    let started = Instant::now();
    let mut latencies = std::thread::scope(|scope| {
        let runs: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut latencies = Vec::new();
                    while started.elapsed() < RUN {
                        let sent = Instant::now();
                        snapshot.index.search(query, readers)?;
                        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    }
                    Ok::<_, mrdp_portal::catalog::search::SearchError>(latencies)
                })
            })
            .collect();
        let mut all = Vec::new();
        for run in runs {
            all.extend(
                run.join()
                    .map_err(|_| anyhow::anyhow!("a thread panicked"))??,
            );
        }
        Ok::<_, anyhow::Error>(all)
    })?;
    let per_second = latencies.len() as f64 / started.elapsed().as_secs_f64();
    Ok(Rate::of(per_second, &mut latencies))
}
