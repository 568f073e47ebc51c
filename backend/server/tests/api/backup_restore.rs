//! The backup and restore that docs/deployment.md describes, tried: a deployment on PostgreSQL is
//! backed up while it runs (`pg_dump --format=custom` and a copy of `<data_dir>/secrets`), loses
//! every schema and its secrets, and is restored (`pg_restore`, the secrets put back) and started
//! again: the researcher is still signed in, the vault's grants still open, the transfer task and
//! the identity provider's signing key are as they were.

use crate::connections::{complete_profile, connected};
use crate::files::copy_tree;
use crate::harness::TestApp;
use crate::load_balancer::key_ids;
use crate::sign_in::{Seen, browser, me, sign_in};
use mrdp_server::seed::collection_id;
use mrdp_service::clock::SystemClock;
use mrdp_shared::{ServiceName, StoreBackend};
use serde_json::{Value, json};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A PostgreSQL client program (`pg_dump`, `pg_restore`, `psql`) of the installed server.
fn postgres_program(name: &str) -> Command {
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .expect("Debian's postgresql (make setup)")
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
        .max()
        .unwrap();
    Command::new(bin.join(name))
}

fn run(mut command: Command) {
    let output = command.output().unwrap();
    assert!(output.status.success(), "{command:?}: {output:?}");
}

/// `GET` of `url` with `token`, as JSON.
async fn json_of(app: &TestApp, url: &str, token: &str) -> Value {
    let response = app.client.get(url).bearer_auth(token).send().await.unwrap();
    response.json().await.unwrap()
}

/// The key ids the identity provider publishes.
async fn published_keys(app: &TestApp) -> Vec<String> {
    let url = format!("{}/jwk.json", app.deployment.url(ServiceName::Idp));
    key_ids(app.client.get(url).send().await.unwrap()).await
}

/// Alice's copy of `/report.txt` in her own collection, finished; its task id.
async fn copied(app: &TestApp, token: &str) -> String {
    let home = collection_id("home:alice");
    std::fs::write(
        app.config
            .data_dir
            .join("collections/home/alice/report.txt"),
        "kept",
    )
    .unwrap();
    let body = json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
        "source_endpoint": home, "destination_endpoint": home,
        "DATA": [{"DATA_TYPE": "transfer_item", "source_path": "/report.txt",
                  "destination_path": "/copy.txt"}]});
    let transfer = app.deployment.url(ServiceName::Transfer);
    let submitted = app
        .client
        .post(format!("{transfer}/v0.10/transfer"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let submitted: Value = submitted.json().await.unwrap();
    let id = submitted["task_id"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    while json_of(app, &format!("{transfer}/v0.10/task/{id}"), token).await["status"] == "ACTIVE" {
        assert!(Instant::now() < deadline, "the copy did not end");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deployment_restored_from_pg_dump_and_its_secrets_goes_on_as_before() {
    let app =
        TestApp::spawn_configured(StoreBackend::Postgres, Arc::new(SystemClock), |_| {}).await;
    let browser = browser();
    sign_in(&app, &browser, "/", &mut Seen::default()).await;
    complete_profile(&app, &browser).await;
    let token = app.grant("transfer.api.globus.org").await.access_token;
    let task = copied(&app, &token).await;
    let keys = published_keys(&app).await;

    // The backup, taken while everything runs.
    let backup = tempfile::tempdir().unwrap();
    let dump = backup.path().join("mrdp.dump");
    let database = app
        .config
        .database_url
        .as_ref()
        .unwrap()
        .expose()
        .to_owned();
    let mut pg_dump = postgres_program("pg_dump");
    pg_dump
        .args(["--format=custom", "--dbname", &database, "--file"])
        .arg(&dump);
    run(pg_dump);
    let secrets = app.config.data_dir.join("secrets");
    copy_tree(&secrets, &backup.path().join("secrets"));

    // Everything lost, then restored, while the services are stopped.
    let app = app
        .restart(Arc::new(SystemClock), |config| {
            let mut psql = postgres_program("psql");
            psql.args(["--dbname", &database, "--quiet", "--command"])
                .arg("DROP SCHEMA portal, idp, transfer, graph CASCADE");
            run(psql);
            std::fs::remove_dir_all(config.data_dir.join("secrets")).unwrap();
            let mut pg_restore = postgres_program("pg_restore");
            pg_restore.args(["--dbname", &database]).arg(&dump);
            run(pg_restore);
            copy_tree(
                &backup.path().join("secrets"),
                &config.data_dir.join("secrets"),
            );
        })
        .await;

    assert_eq!(
        me(&app, &browser).await.profile.email,
        "alice@example.org",
        "still signed in"
    );
    assert_eq!(
        connected(&app, &browser).await.connections.len(),
        6,
        "the vault opens"
    );
    let transfer = app.deployment.url(ServiceName::Transfer);
    let restored = json_of(&app, &format!("{transfer}/v0.10/task/{task}"), &token).await;
    assert_eq!(restored["status"], "SUCCEEDED", "{restored}");
    assert_eq!(published_keys(&app).await, keys, "the same signing key");
    app.stop().await;
}
