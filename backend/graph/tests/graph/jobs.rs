//! Jobs in the store, on both backends: a queued job is claimed by one worker only; a running job
//! is left alone while its worker's lease lasts and taken up again once it ran out (the worker
//! stopped); a finished job is never claimed again.

use mrdp_graph::MIGRATIONS;
use mrdp_graph::jobs::{self, LEASE_SECONDS, NewJob};
use mrdp_service::store::Store;
use mrdp_service::testing::each_backend;
use mrdp_shared::{GraphProgress, GraphRequest, GraphResult, GraphStage};

#[tokio::test]
async fn a_job_is_claimed_once_and_again_only_when_its_lease_ran_out_on_both_backends() {
    each_backend(|location| async move {
        let store = Store::connect(&location, "graph").await.unwrap();
        store.migrate(&MIGRATIONS).await.unwrap();
        let request = GraphRequest {
            datasets: vec!["sea".into()],
            from_year: 2012,
            to_year: 2012,
            charts: None,
        };
        let progress = GraphProgress {
            done: 0,
            total: 8,
            stage: GraphStage::Waiting,
        };
        let job = NewJob {
            id: "j1",
            owner: "alice",
            request: &request,
            progress,
            delegation: "sealed",
            expires_at: 10_000,
        };
        let now = 1_000;
        jobs::create(&store, &job, now).await.unwrap();
        assert_eq!(jobs::claimable(&store, now).await.unwrap(), ["j1"]);
        assert!(jobs::claim(&store, "j1", now).await.unwrap());
        assert!(
            !jobs::claim(&store, "j1", now).await.unwrap(),
            "claimed once"
        );
        let later = now + LEASE_SECONDS - 1;
        jobs::advance(&store, "j1", progress, later).await.unwrap();
        let lease_ends = later + LEASE_SECONDS;
        assert!(
            jobs::claimable(&store, lease_ends - 1)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            !jobs::claim(&store, "j1", lease_ends - 1).await.unwrap(),
            "progress renews the lease"
        );
        assert!(
            jobs::claim(&store, "j1", lease_ends).await.unwrap(),
            "a stopped worker's job is taken up"
        );

        let result = GraphResult {
            collection: "c".into(),
            folder: "/j1/".into(),
            charts: vec![],
            provenance: "ro-crate-metadata.json".into(),
            files: vec![],
            notes: vec![],
            from_cache: false,
        };
        jobs::finish(&store, "j1", Ok((&result, progress)), lease_ends)
            .await
            .unwrap();
        let row = jobs::find(&store, "j1").await.unwrap().unwrap();
        assert_eq!(
            (row.result(), row.delegation),
            (Some(result), None),
            "the tokens are gone"
        );
        assert!(
            jobs::claimable(&store, lease_ends + 1_000)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(!jobs::claim(&store, "j1", lease_ends + 1_000).await.unwrap());
        store.close().await;
    })
    .await;
}
