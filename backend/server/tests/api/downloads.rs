//! `POST /api/datasets/{id}/downloads`: a signed URL on the data server, read without a cookie or
//! a token, byte-identical to the file; refused for a path outside the dataset, a dataset the
//! researcher may not read, and once it has expired.

use crate::datasets::alice_and_bob;
use crate::harness::{TestApp, catalog_dir};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::testing::ManualClock;
use mrdp_shared::{DownloadLink, ServiceName, StoreBackend};
use std::sync::Arc;

async fn ask(app: &TestApp, browser: &reqwest::Client, id: &str, path: &str) -> (u16, String) {
    let response = browser
        .post(app.url(&format!("/api/datasets/{id}/downloads")))
        .header("x-mrdp-csrf", "1")
        .json(&serde_json::json!({ "path": path }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn link(app: &TestApp, browser: &reqwest::Client, id: &str, path: &str) -> DownloadLink {
    let (status, body) = ask(app, browser, id, path).await;
    assert_eq!(status, 200, "{id} {path}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn a_download_link_reads_the_file_straight_from_the_data_server_until_it_expires() {
    let clock = ManualClock::starting_at(SystemClock.now());
    let app = TestApp::spawn_with_clock(StoreBackend::Sqlite, Arc::new(clock.clone())).await;
    let (alice, bob) = alice_and_bob(&app).await;

    let sea = link(&app, &alice, "sea", "2012.csv").await;
    let data = app.deployment.url(ServiceName::Data);
    assert!(
        sea.url.starts_with(data),
        "{} is on the data server",
        sea.url
    );
    assert!(sea.expires_at <= clock.now() + 300);
    let anyone = reqwest::Client::new();
    let response = anyone.get(&sea.url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"2012.csv\""));
    let expected = std::fs::read(catalog_dir().join("sea/2012.csv")).unwrap();
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        expected.as_slice()
    );

    let ceu = link(&app, &alice, "ceu", "1930.csv").await;
    assert_eq!(anyone.get(&ceu.url).send().await.unwrap().status(), 200);
    assert_eq!(ask(&app, &bob, "ceu", "1930.csv").await.0, 404);
    for refused in ["../ceu/1930.csv", "", "/sea/2012.csv", "2012.csv%00"] {
        assert_eq!(
            ask(&app, &alice, "sea", refused).await.0,
            400,
            "{refused:?}"
        );
    }
    assert_eq!(ask(&app, &alice, "sea", "1999.csv").await.0, 404);
    let forged = alice
        .post(app.url("/api/datasets/sea/downloads"))
        .json(&serde_json::json!({ "path": "2012.csv" }))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "the CSRF header is required");

    clock.advance(301);
    assert_eq!(anyone.get(&sea.url).send().await.unwrap().status(), 403);
    app.stop().await;
}
