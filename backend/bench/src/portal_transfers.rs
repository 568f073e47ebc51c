//! Transfers through the portal against the same transfers submitted straight to the transfer
//! service, as alice, in her own collection: a 1 GiB file copied (not verified) from one folder
//! to another, submitted and followed to its end (the task asked about every 5 ms, through the
//! portal's `GET /api/transfers/{id}` or the Transfer API's `GET /task/{id}`), the two ways
//! alternating; then 1,000 browsers watching one running task's stream against one watching
//! another (from another process): the polls the portal made of the transfer service for each,
//! and the CPU time and resident memory of the deployment's process while they watch.

use crate::code_flow::{CodeFlow, median};
use crate::data_plane;
use crate::portal_api::signed_in;
use crate::stream_watchers::{Spent, watch_from_another_process};
use anyhow::{Context, bail};
use mrdp_server::deployment::Deployment;
use mrdp_shared::ServiceName;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 5;
const WATCHERS: usize = 1000;
const EVERY: Duration = Duration::from_millis(5);

/// Alice's collection, its folders, and the two ways in.
struct Bench<'a> {
    portal: String,
    transfer: String,
    cookie: String,
    token: String,
    home: String,
    out_dir: &'a Path,
    http: reqwest::Client,
}

/// The access token for Transfer in a token response (the first, or one of `other_tokens`).
fn transfer_token(response: &Value) -> anyhow::Result<String> {
    std::iter::once(response)
        .chain(response["other_tokens"].as_array().into_iter().flatten())
        .find(|token| token["resource_server"] == "transfer.api.globus.org")
        .and_then(|token| token["access_token"].as_str())
        .map(str::to_owned)
        .context("a Transfer token")
}

impl Bench<'_> {
    fn items(&self) -> Value {
        json!([{"source_path": "/bench-in/big.bin", "destination_path": "/bench-out/big.bin"}])
    }

    /// Through the portal: submitted and followed with the session cookie.
    async fn through_portal(&self, verify: bool) -> anyhow::Result<(String, Instant)> {
        let body = json!({
            "source_collection": self.home, "items": self.items(),
            "destination_collection": self.home, "destination_path": "/bench-out/",
            "verify_checksum": verify,
        });
        let started = Instant::now();
        let answer: Value = self
            .http
            .post(format!("{}/api/transfers", self.portal))
            .header("Cookie", &self.cookie)
            .header("x-mrdp-csrf", "1")
            .json(&body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let id = answer["task_id"].as_str().context("a task id")?.to_owned();
        Ok((id, started))
    }

    async fn portal_run(&self) -> anyhow::Result<Duration> {
        let (id, started) = self.through_portal(false).await?;
        self.until_done(&format!("{}/api/transfers/{id}", self.portal), true)
            .await?;
        Ok(started.elapsed())
    }

    /// Straight to the transfer service with alice's own token.
    async fn direct_run(&self) -> anyhow::Result<Duration> {
        let transfer = &self.transfer;
        let started = Instant::now();
        let id: Value = self
            .call(self.http.get(format!("{transfer}/submission_id")))
            .await?;
        let body = json!({
            "DATA_TYPE": "transfer", "submission_id": id["value"],
            "source_endpoint": self.home, "destination_endpoint": self.home,
            "verify_checksum": false,
            "DATA": [{"DATA_TYPE": "transfer_item", "source_path": "/bench-in/big.bin",
                      "destination_path": "/bench-out/big.bin"}],
        });
        let submitted = self
            .call(self.http.post(format!("{transfer}/transfer")).json(&body))
            .await?;
        let task = submitted["task_id"].as_str().context("a task id")?;
        self.until_done(&format!("{transfer}/task/{task}"), false)
            .await?;
        Ok(started.elapsed())
    }

    async fn call(&self, request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
        Ok(request
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// Asks about a task every [`EVERY`] until it has succeeded (the portal's words, or
    /// Globus's).
    async fn until_done(&self, url: &str, portal: bool) -> anyhow::Result<()> {
        loop {
            let task: Value = if portal {
                let request = self.http.get(url).header("Cookie", &self.cookie);
                request.send().await?.error_for_status()?.json().await?
            } else {
                self.call(self.http.get(url)).await?
            };
            match task["status"].as_str() {
                Some("succeeded" | "SUCCEEDED") => return Ok(()),
                Some("active" | "ACTIVE") => tokio::time::sleep(EVERY).await,
                _ => bail!("the task did not succeed: {task}"),
            }
        }
    }

    fn empty_out(&self) -> anyhow::Result<()> {
        if self.out_dir.exists() {
            std::fs::remove_dir_all(self.out_dir)?;
        }
        std::fs::create_dir_all(self.out_dir)?;
        Ok(())
    }

    /// `watchers` streams of one new running task (an MD5-verified copy, which runs longer),
    /// read to their end by another process: the polls the portal made meanwhile, in how long,
    /// and what this process spent.
    async fn polls_while_watched(
        &self,
        deployment: &Deployment,
        watchers: usize,
    ) -> anyhow::Result<(u64, f64, Spent)> {
        self.empty_out()?;
        let portal = deployment.portal().context("a portal")?;
        let (id, _) = self.through_portal(true).await?;
        let (before, started) = (portal.task_polls(), Instant::now());
        let url = format!("{}/api/transfers/{id}/stream", self.portal);
        let spent = watch_from_another_process(&url, &self.cookie, watchers).await?;
        Ok((
            portal.task_polls() - before,
            started.elapsed().as_secs_f64(),
            spent,
        ))
    }
}

pub async fn print(
    deployment: &Deployment,
    flow: &CodeFlow<'_>,
    data_dir: &Path,
) -> anyhow::Result<()> {
    let portal = deployment.url(ServiceName::Portal).to_owned();
    let home_dir = data_dir.join("collections/home/alice");
    std::fs::create_dir_all(home_dir.join("bench-in"))?;
    data_plane::write_file(&home_dir.join("bench-in/big.bin"))?;
    let bench = Bench {
        cookie: signed_in(&portal, flow).await?,
        token: transfer_token(&flow.user_tokens().await?)?,
        transfer: format!("{}/v0.10", deployment.url(ServiceName::Transfer)),
        home: mrdp_server::seed::collection_id("home:alice"),
        out_dir: &home_dir.join("bench-out"),
        http: reqwest::Client::new(),
        portal,
    };
    let (mut portal_runs, mut direct_runs) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        for portal_first in [run % 2 == 0, run % 2 != 0] {
            bench.empty_out()?;
            if portal_first {
                portal_runs.push(bench.portal_run().await?.as_secs_f64());
            } else {
                direct_runs.push(bench.direct_run().await?.as_secs_f64());
            }
        }
    }
    let (ours, theirs) = (median(&mut portal_runs), median(&mut direct_runs));
    println!(
        "transfers 1 GiB through the portal (submitted, followed) {ours:6.2} s   straight to the transfer service {theirs:6.2} s   ratio {:.3} (goal at most 1.05)",
        ours / theirs
    );
    let (one, one_took, one_spent) = bench.polls_while_watched(deployment, 1).await?;
    let (many, many_took, many_spent) = bench.polls_while_watched(deployment, WATCHERS).await?;
    println!(
        "transfers polls of the transfer service while a 1 GiB MD5-verified task is watched: 1 watcher {one} in {one_took:.1} s ({:.1}/s)   {WATCHERS} watchers {many} in {many_took:.1} s ({:.1}/s)   ratio of rates {:.2} (goal 1: one poller)",
        one as f64 / one_took,
        many as f64 / many_took,
        (many as f64 / many_took) / (one as f64 / one_took)
    );
    // The watchers run in a process of their own: what the deployment's process spent beyond
    // the one-watcher run is the portal's share of the other 999 (the copy is the same).
    let extra = (WATCHERS - 1) as f64;
    let cpu_per_second = |spent: Spent, took: f64| spent.cpu_seconds / took;
    println!(
        "transfers portal while {WATCHERS} watch: CPU {:.3} s/s against {:.3} s/s for 1 (deployment process, task's copy included; {:.2} ms per watcher per second)   resident memory {} KiB against {} KiB ({:.1} KiB per watcher) (reported, no goal)",
        cpu_per_second(many_spent, many_took),
        cpu_per_second(one_spent, one_took),
        (cpu_per_second(many_spent, many_took) - cpu_per_second(one_spent, one_took)) * 1000.0
            / extra,
        many_spent.resident_kib,
        one_spent.resident_kib,
        (many_spent.resident_kib as f64 - one_spent.resident_kib as f64) / extra,
    );
    bench.empty_out()?;
    Ok(())
}
