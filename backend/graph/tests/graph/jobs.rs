//! Jobs in the store, on both backends: a queued job is claimed by one worker only, and only that
//! worker moves it on; a running job is left alone while its worker renews its lease and taken up
//! by another once it ran out (the worker stopped), after which the first can neither move it on
//! nor end it; a finished job is never claimed again.

use mrdp_graph::MIGRATIONS;
use mrdp_graph::jobs::{self, LEASES, NewJob};
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
        let lease = 30;
        jobs::create(&store, &job, now).await.unwrap();
        assert_eq!(
            LEASES.claim_next(&store, "a", (now, lease)).await.unwrap(),
            Some("j1".to_owned())
        );
        assert_eq!(
            LEASES.claim_next(&store, "b", (now, lease)).await.unwrap(),
            None,
            "claimed once"
        );
        assert!(
            !jobs::advance(&store, ("j1", "b"), progress, now)
                .await
                .unwrap(),
            "only its holder moves it on"
        );
        let later = now + lease - 1;
        assert!(
            jobs::advance(&store, ("j1", "a"), progress, later)
                .await
                .unwrap()
        );
        assert!(
            LEASES
                .renew(&store, "j1", ("a", lease), later)
                .await
                .unwrap()
        );
        let lease_ends = later + lease;
        assert_eq!(
            LEASES
                .claim_next(&store, "b", (lease_ends - 1, lease))
                .await
                .unwrap(),
            None,
            "renewal holds the job"
        );
        assert_eq!(
            LEASES
                .claim_next(&store, "b", (lease_ends, lease))
                .await
                .unwrap(),
            Some("j1".to_owned()),
            "a stopped worker's job is taken up"
        );
        assert!(
            !jobs::advance(&store, ("j1", "a"), progress, lease_ends)
                .await
                .unwrap(),
            "the worker that lost it no longer moves it on"
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
        assert!(
            !jobs::finish(&store, ("j1", "a"), Ok((&result, progress)), lease_ends)
                .await
                .unwrap(),
            "nor ends it"
        );
        assert!(
            jobs::finish(&store, ("j1", "b"), Ok((&result, progress)), lease_ends)
                .await
                .unwrap()
        );
        let row = jobs::find(&store, "j1").await.unwrap().unwrap();
        assert_eq!(
            (row.result(), row.delegation),
            (Some(result), None),
            "the tokens are gone"
        );
        let much_later = (lease_ends + 1_000, lease);
        assert_eq!(
            LEASES.claim_next(&store, "c", much_later).await.unwrap(),
            None,
            "a finished job is never claimed again"
        );
        store.close().await;
    })
    .await;
}
