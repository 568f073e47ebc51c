//! Leased tasks: engines of several processes on one store each take a task nobody holds, never
//! the same one; a lease holds until it runs out and only its holder renews it; a task whose
//! engine died (and so stopped renewing) is finished by another once the lease has run out, with
//! every file whole.

use crate::copies::{finished, submitted};
use crate::fixture::Fixture;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::lease::DEFAULT_LEASE_SECONDS as LEASE;
use mrdp_service::store::Store;
use mrdp_service::testing::ManualClock;
use mrdp_shared::StoreBackend;
use mrdp_transfer::engine::Engine;
use mrdp_transfer::leases::TASKS;
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

/// A transfer of bob's `name` (in the shared collection's uploads) into his own collection.
fn copy_of(fixture: &Fixture, bobs: &str, name: &str) -> serde_json::Value {
    json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
        "source_endpoint": fixture.shared, "destination_endpoint": bobs, "verify_checksum": true,
        "DATA": [{"DATA_TYPE": "transfer_item", "source_path": format!("/uploads/{name}"),
                  "destination_path": format!("/{name}")}]})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_claiming_at_once_never_take_the_same_task_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let fixture = Fixture::start_with_store(backend, false).await;
        std::fs::write(fixture.root.join("data/uploads/small.txt"), "small").unwrap();
        let (bobs, _) = fixture.bobs_own_collection().await;
        let mut ids = HashSet::new();
        for _ in 0..50 {
            ids.insert(
                submitted(&fixture, "transfer", copy_of(&fixture, &bobs, "small.txt")).await,
            );
        }
        // Two workers, each with its own connections, as two processes would have.
        let now = SystemClock.now();
        let mut workers = Vec::new();
        for worker in ["worker-a", "worker-b"] {
            let store = Store::connect(fixture.store_location(), "transfer")
                .await
                .unwrap();
            workers.push(tokio::spawn(async move {
                let mut claimed = Vec::new();
                while let Some(id) = TASKS
                    .claim_next(&store, worker, (now, LEASE))
                    .await
                    .unwrap()
                {
                    claimed.push(id);
                }
                claimed
            }));
        }
        let mut claimed = Vec::new();
        for worker in workers {
            claimed.extend(worker.await.unwrap());
        }
        let distinct: HashSet<String> = claimed.iter().cloned().collect();
        assert_eq!(claimed.len(), 50, "{backend:?}: each task claimed once");
        assert_eq!(distinct, ids, "{backend:?}: every task claimed");
        fixture.stop().await;
    }
}

#[tokio::test]
async fn a_lease_holds_until_it_runs_out_and_only_its_holder_renews_it() {
    let fixture = Fixture::start_with_store(StoreBackend::Postgres, false).await;
    std::fs::write(fixture.root.join("data/uploads/small.txt"), "small").unwrap();
    let (bobs, _) = fixture.bobs_own_collection().await;
    let id = submitted(&fixture, "transfer", copy_of(&fixture, &bobs, "small.txt")).await;
    let store = &fixture.store;
    let t = SystemClock.now();
    assert_eq!(
        TASKS.claim_next(store, "a", (t, LEASE)).await.unwrap(),
        Some(id.clone())
    );
    assert_eq!(
        TASKS.claim_next(store, "b", (t + 10, LEASE)).await.unwrap(),
        None,
        "held by a"
    );
    assert!(
        !TASKS.renew(store, &id, ("b", LEASE), t + 10).await.unwrap(),
        "not b's"
    );
    assert!(TASKS.renew(store, &id, ("a", LEASE), t + 10).await.unwrap());
    let ran_out = t + 10 + LEASE;
    assert_eq!(
        TASKS
            .claim_next(store, "b", (ran_out, LEASE))
            .await
            .unwrap(),
        Some(id.clone())
    );
    assert!(
        !TASKS
            .renew(store, &id, ("a", LEASE), ran_out)
            .await
            .unwrap(),
        "a lost it"
    );
    assert_eq!(
        TASKS
            .claim_next(store, "b", (ran_out, LEASE))
            .await
            .unwrap(),
        None,
        "b holds it"
    );
    fixture.stop().await;
}

#[tokio::test]
async fn a_dead_engines_task_is_finished_by_another_once_its_lease_has_run_out() {
    let fixture = Fixture::start_with_store(StoreBackend::Postgres, false).await;
    let content: Vec<u8> = (0..64 << 20).map(|n: u32| (n % 251) as u8).collect();
    std::fs::write(fixture.root.join("data/uploads/big.bin"), &content).unwrap();
    let (bobs, bobs_root) = fixture.bobs_own_collection().await;
    let id = submitted(&fixture, "transfer", copy_of(&fixture, &bobs, "big.bin")).await;

    // A worker of its own takes the task up and dies as soon as its copy has begun.
    let worker = fixture.engine_elsewhere().await;
    while crate::fixture::partials(&bobs_root).is_empty() {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    worker.shutdown_background();

    // Another worker, once the lease has run out (its clock is ahead), finishes it.
    let later = ManualClock::starting_at(SystemClock.now() + LEASE + 1);
    let store = Store::connect(fixture.store_location(), "transfer")
        .await
        .unwrap();
    tokio::spawn(Engine::new(store, Default::default(), Arc::new(later)).run());
    let task = finished(&fixture, &id).await;
    assert_eq!(task["status"], "SUCCEEDED", "{task}");
    assert_eq!(std::fs::read(bobs_root.join("big.bin")).unwrap(), content);
    fixture.stop().await;
}
