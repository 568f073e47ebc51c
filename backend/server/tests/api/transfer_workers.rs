//! Transfer task engines of several processes on one PostgreSQL database: the deployment's transfer
//! service runs no engine here; a `mrdp transfer --worker` process takes a task up and is killed
//! with SIGKILL in the middle of its copy; two more transfer services (each with its API and its
//! engine) finish that task byte for byte once the dead worker's lease (3 s here) has run out, and
//! carry out fifty tasks submitted through both their APIs, each taken up exactly once. A worker
//! stopped with SIGTERM gives its task up at once, however long its lease; a worker's metrics count
//! what it copied.

use crate::beside::{beside, kill, transfer_service, url_of, worker};
use crate::harness::TestApp;
use crate::metrics::samples;
use crate::sign_in::{Seen, browser, sign_in};
use mrdp_server::seed::collection_id;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_shared::{ServiceName, StoreBackend};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Submits to the Transfer API at `api` a transfer of alice's `from` to `to` in her own
/// collection; its task id.
async fn transfer(app: &TestApp, (api, token): (&str, &str), from: &str, to: &str) -> String {
    let home = collection_id("home:alice");
    let body = json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
        "source_endpoint": home, "destination_endpoint": home, "verify_checksum": true,
        "DATA": [{"DATA_TYPE": "transfer_item", "source_path": from, "destination_path": to}]});
    let url = format!("{api}/v0.10/transfer");
    let answer = answer_of(app.client.post(url).json(&body), token).await;
    answer["task_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"))
        .to_owned()
}

/// Once the copy into `copies` has begun (its temporary file is there).
async fn begun(copies: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_dir(copies).is_ok_and(|mut entries| entries.next().is_some()) {
        assert!(Instant::now() < deadline, "the copy never began");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The JSON answer to `request` made with `token`.
async fn answer_of(request: reqwest::RequestBuilder, token: &str) -> Value {
    let response = request.bearer_auth(token).send().await.unwrap();
    response.json().await.unwrap()
}

/// The task's status once it is no longer active.
async fn ended(app: &TestApp, token: &str, id: &str) -> String {
    let url = format!(
        "{}/v0.10/task/{id}",
        app.deployment.url(ServiceName::Transfer)
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let task = answer_of(app.client.get(&url), token).await;
        if task["status"] != "ACTIVE" {
            return task["status"].as_str().unwrap().to_owned();
        }
        assert!(Instant::now() < deadline, "{task}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_worker_leaves_its_task_to_another_and_every_task_is_taken_up_once() {
    let app = TestApp::spawn_configured(StoreBackend::Postgres, Arc::new(SystemClock), |config| {
        config.transfer.engine = false;
        config.transfer.lease_seconds = 3;
    })
    .await;
    sign_in(&app, &browser(), "/", &mut Seen::default()).await;
    let token = app.grant("transfer.api.globus.org").await.access_token;
    let home = app.config.data_dir.join("collections/home/alice");
    let mut content = vec![0_u8; 256 << 20];
    for (n, block) in content.chunks_mut(4096).enumerate() {
        block.fill((n % 251) as u8);
    }
    std::fs::write(home.join("big.bin"), &content).unwrap();

    // The first worker takes the copy up, and is killed as soon as it has begun.
    let mut first = worker(&app, "transfer");
    let api = app.deployment.url(ServiceName::Transfer);
    let big = transfer(&app, (api, &token), "/big.bin", "/copies/big.bin").await;
    let copies = home.join("copies");
    begun(&copies).await;
    kill(&mut first);
    let killed_at = SystemClock.now();

    // Two transfer services: one finishes the copy once the lease has run out; both carry out
    // fifty small tasks, submitted through each's API in turn.
    let (mut second, second_api) = transfer_service(&app);
    let (mut third, third_api) = transfer_service(&app);
    assert_eq!(ended(&app, &token, &big).await, "SUCCEEDED");
    assert!(
        std::fs::read(copies.join("big.bin")).unwrap() == content,
        "byte for byte"
    );
    std::fs::write(home.join("small.txt"), "small").unwrap();
    let mut small = Vec::new();
    for n in 0..50 {
        let api = if n % 2 == 0 { &second_api } else { &third_api };
        let to = format!("/many/{n}.txt");
        small.push(transfer(&app, (api, &token), "/small.txt", &to).await);
    }
    for id in &small {
        assert_eq!(ended(&app, &token, id).await, "SUCCEEDED", "{id}");
    }
    let store = app.store("transfer").await;
    // From the event log: the task was taken up again once, after the first worker had died, so
    // no two engines ever copied it at once.
    let taken_up: Vec<(String, i64)> = sqlx::query_as(
        "SELECT details, time FROM task_events WHERE task_id = $1 AND code = 'TAKEN_UP'",
    )
    .bind(&big)
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(taken_up.len(), 1, "{taken_up:?}");
    assert!(
        taken_up[0].1 >= killed_at,
        "{taken_up:?} before {killed_at}"
    );
    let runs: Vec<(String, i64)> = sqlx::query_as("SELECT id, runs FROM tasks")
        .fetch_all(store.pool())
        .await
        .unwrap();
    for (id, runs) in &runs {
        let expected = if *id == big { 2 } else { 1 };
        assert_eq!(*runs, expected, "{id}: taken up {runs} times");
    }
    assert_eq!(runs.len(), 51);
    store.close().await;
    kill(&mut second);
    kill(&mut third);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_stopped_with_sigterm_gives_its_task_up_at_once() {
    let app = TestApp::spawn_configured(StoreBackend::Postgres, Arc::new(SystemClock), |config| {
        config.transfer.engine = false;
    })
    .await;
    sign_in(&app, &browser(), "/", &mut Seen::default()).await;
    let token = app.grant("transfer.api.globus.org").await.access_token;
    let home = app.config.data_dir.join("collections/home/alice");
    let content: Vec<u8> = (0..64_u32 << 20).map(|n| (n % 253) as u8).collect();
    std::fs::write(home.join("big.bin"), &content).unwrap();
    // Leases of an hour: the task goes on at once only if the stopping worker gives it up.
    let hour = [("MRDP_TRANSFER__LEASE_SECONDS", "3600")];
    let (mut first, _) = beside(&app, &["transfer", "--worker"], &hour);
    let api = app.deployment.url(ServiceName::Transfer);
    let big = transfer(&app, (api, &token), "/big.bin", "/copies/big.bin").await;
    let copies = home.join("copies");
    begun(&copies).await;
    mrdp_service::testing::terminate(first.id());
    assert!(first.wait().unwrap().success(), "a graceful stop");

    // This one serves its metrics too.
    let with_metrics = [hour[0], ("MRDP_METRICS__ENABLED", "true")];
    let (mut second, urls) = beside(&app, &["transfer", "--worker"], &with_metrics);
    assert_eq!(ended(&app, &token, &big).await, "SUCCEEDED");
    assert!(
        std::fs::read(copies.join("big.bin")).unwrap() == content,
        "byte for byte"
    );
    // The only engine left carries out the next task, and its metrics count it.
    std::fs::write(home.join("small.txt"), [7_u8; 4096]).unwrap();
    let small = transfer(&app, (api, &token), "/small.txt", "/copies/small.txt").await;
    assert_eq!(ended(&app, &token, &small).await, "SUCCEEDED");
    let metrics = format!("{}/metrics", url_of(&urls, "transfer"));
    let all = samples(&app.client, &metrics).await;
    let counted = |name: &str| -> f64 {
        let named = all.iter().filter(|(sample, _, _)| sample == name);
        named.map(|(_, _, value)| value).sum()
    };
    assert!(counted("mrdp_transfer_bytes_total") >= 4096.0, "{all:?}");
    assert!(counted("mrdp_transfer_files_total") >= 1.0, "{all:?}");
    kill(&mut second);
    app.stop().await;
}
