//! Graph workers beside the graph service, on one PostgreSQL database: `mrdp graph --worker`
//! processes carry out the jobs the API (which runs no worker here) records, one at a time each.
//! Two long jobs run at once, one on each worker; the worker of one is killed with SIGKILL in the
//! middle of it, and the other, once its own job is done and the dead worker's lease (3 s here)
//! has run out, finishes it: both jobs succeed, every file of their results whole.

use crate::beside::{kill, worker};
use crate::graph_calls::{finished, graph_token, results_dir, submit};
use crate::harness::TestApp;
use mrdp_service::clock::SystemClock;
use mrdp_service::store::Store;
use mrdp_shared::{GraphJob, GraphProgress, GraphStatus, StoreBackend};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Who holds (or last held) each job, with how far it is: `(id, owner, status, steps done)`.
async fn holders(store: &Store) -> Vec<(String, Option<String>, String, u32)> {
    let rows: Vec<(String, Option<String>, String, String)> =
        sqlx::query_as("SELECT id, lease_owner, status, progress FROM graph_jobs ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
    rows.into_iter()
        .map(|(id, owner, status, progress)| {
            let progress: GraphProgress = serde_json::from_str(&progress).unwrap();
            (id, owner, status, progress.done)
        })
        .collect()
}

/// A job's files on disk are the files its result lists, byte for byte.
fn whole(app: &TestApp, job: &GraphJob) {
    let result = job.result.as_ref().expect("a result");
    let folder = results_dir(app).join(&job.id);
    for file in &result.files {
        let bytes = std::fs::read(folder.join(&file.name)).unwrap();
        assert_eq!(bytes.len() as u64, file.size, "{}", file.name);
        assert_eq!(
            format!("{:x}", Sha256::digest(&bytes)),
            file.sha256,
            "{}",
            file.name
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_graph_workers_share_the_jobs_and_one_finishes_a_killed_workers_job() {
    let app = TestApp::spawn_configured(StoreBackend::Postgres, Arc::new(SystemClock), |config| {
        config.graph.workers = 0;
    })
    .await;
    let alice = graph_token(&app, "alice").await;
    let mut first = worker(&app, "graph");
    let mut second = worker(&app, "graph");
    // Twenty station-years each, every chart: long enough that neither worker finishes its job
    // before the other has looked for one.
    let charts = ["precipitation", "temperature", "high-distribution", "trend"];
    let mut ids = Vec::new();
    for from_year in [1930, 1960] {
        let body = json!({"datasets": ["ceu"], "from_year": from_year, "to_year": from_year + 19,
            "charts": charts});
        ids.push(submit(&app, &alice, &body).await.id);
    }

    // Both run at once, one on each worker; the first worker is killed in the middle of its job.
    let store = app.store("graph").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    let owners = loop {
        let jobs = holders(&store).await;
        let mut owners: Vec<&str> = jobs.iter().filter_map(|job| job.1.as_deref()).collect();
        owners.dedup();
        let all_begun = jobs
            .iter()
            .all(|(_, _, status, done)| status == "running" && *done > 0);
        if all_begun && owners.len() == 2 {
            break jobs;
        }
        assert!(
            Instant::now() < deadline,
            "not both running at once: {jobs:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    kill(&mut first);

    for id in &ids {
        let job = finished(&app, &alice, id).await;
        assert_eq!(job.status, GraphStatus::Succeeded, "{job:?}");
        assert_eq!(job.progress.done, job.progress.total, "{job:?}");
        whole(&app, &job);
    }
    let finishers: Vec<Option<String>> =
        holders(&store).await.into_iter().map(|job| job.1).collect();
    assert_eq!(
        finishers[0], finishers[1],
        "the surviving worker finished both jobs; before the kill: {owners:?}"
    );
    store.close().await;
    kill(&mut second);
    app.stop().await;
}
