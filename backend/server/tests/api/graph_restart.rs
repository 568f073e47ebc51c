//! Graph jobs outlive the graph service's process and their results do not outlive their
//! lifetime, on both backends: a job queued where no worker runs is carried out after a restart
//! with one (taking as its own the rule a stopped worker made for it but did not record), and
//! once its results expire the purge takes back its rule and its files.

use crate::graph_calls::{
    call, client_token, finished, gone, graph_token, identity_of, result_rules, results_dir, submit,
};
use crate::harness::TestApp;
use mrdp_globus::transfer::TRANSFER_SCOPE;
use mrdp_idp::bootstrap::GRAPH_CLIENT;
use mrdp_server::seed::collection_id;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::testing::ManualClock;
use mrdp_shared::{GraphJob, GraphStatus, ServiceName, StoreBackend};
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn a_queued_job_survives_a_restart_and_expired_results_are_removed_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let clock = ManualClock::starting_at(SystemClock.now());
        let shared: Arc<ManualClock> = Arc::new(clock.clone());
        let app = TestApp::spawn_configured(backend, shared.clone(), |config| {
            config.graph.workers = 0;
            config.graph.results_lifetime = 3600;
        })
        .await;
        let alice = graph_token(&app, "alice").await;
        let body = json!({"datasets": ["jfk"], "from_year": 2013, "to_year": 2013, "charts": ["temperature"]});
        let queued = submit(&app, &alice, &body).await;
        let (_, text) = call(
            &app,
            reqwest::Method::GET,
            &format!("/api/graphs/{}", queued.id),
            (Some(&alice), None),
        )
        .await;
        assert_eq!(
            serde_json::from_str::<GraphJob>(&text).unwrap().status,
            GraphStatus::Queued,
            "no worker here"
        );

        // As if a worker had shared the folder and stopped before it recorded the rule.
        let folder_path = format!("/{}/", queued.id);
        let alice_id = identity_of(&app, &alice).await;
        share_as_the_graph_service(&app, &folder_path, &alice_id).await;

        let app = app.restart(shared, |config| config.graph.workers = 1).await;
        let job = finished(&app, &alice, &queued.id).await;
        assert_eq!(job.status, GraphStatus::Succeeded, "{job:?}");
        let folder = results_dir(&app).join(&job.id);
        assert!(folder.join("JFK-2013-temperature.png").is_file());
        assert_eq!(
            result_rules(&app).await,
            [(alice_id, folder_path, "r".to_owned())],
            "the rule made before, taken as the job's"
        );

        let graph = app.deployment.graph().unwrap();
        assert_eq!(graph.purge_expired().await.unwrap(), 0, "not yet expired");
        clock.advance(3601);
        assert_eq!(graph.purge_expired().await.unwrap(), 1);
        assert_eq!(result_rules(&app).await, []);
        gone(&folder).await;
        let (status, _) = call(
            &app,
            reqwest::Method::GET,
            &format!("/api/graphs/{}", job.id),
            (Some(&alice), None),
        )
        .await;
        assert_eq!(status, 404, "the job is gone");
        app.stop().await;
    }
}

/// Opens `path` of the results collection to `identity` as the graph service does, with its
/// own client-credentials token for the Transfer API.
async fn share_as_the_graph_service(app: &TestApp, path: &str, identity: &str) {
    let token = client_token(app, GRAPH_CLIENT, TRANSFER_SCOPE).await;
    let rule = json!({"DATA_TYPE": "access", "principal_type": "identity", "principal": identity,
                      "path": path, "permissions": "r"});
    let results = collection_id("graph-results");
    let response = app
        .client
        .post(format!(
            "{}/v0.10/endpoint/{results}/access",
            app.deployment.url(ServiceName::Transfer)
        ))
        .bearer_auth(token)
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}
