//! The embedded deployment's collections: made on the first start, the same on every later one,
//! registered at the identity provider, and the catalog's files served by the data server to a
//! signed-in researcher holding a token for the catalog's HTTPS scope (and written by the members
//! of a group a rule names, which the identity provider tells the data server).

use crate::harness::{TestApp, catalog_dir};
use crate::sign_in::{Seen, browser, sign_in};
use mrdp_globus::auth::collection_https_scope;
use mrdp_globus::transfer::TRANSFER_SCOPE;
use mrdp_idp::registry::groups;
use mrdp_server::config::Config;
use mrdp_server::seed::{catalog_id, collection_id};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_shared::{ServiceName, StoreBackend};
use mrdp_transfer::access::{Permission, Principal};
use mrdp_transfer::access_rules;
use mrdp_transfer::paths::CollectionPath;
use std::sync::Arc;

/// A deployment whose portal asks for Transfer and the catalog's HTTPS scope at sign-in.
async fn deployment(backend: StoreBackend) -> TestApp {
    deployment_with(backend, |_| {}).await
}

/// [`deployment`], configured further by `more`.
pub async fn deployment_with(backend: StoreBackend, more: impl FnOnce(&mut Config)) -> TestApp {
    TestApp::spawn_configured(backend, Arc::new(SystemClock), |config| {
        config.auth.scopes = Some(format!(
            "openid profile email {TRANSFER_SCOPE} {}",
            collection_https_scope(&catalog_id())
        ));
        more(config);
    })
    .await
}

/// `GET url` with a bearer token; the JSON answer.
/// `GET url` with `token`: its JSON body.
pub async fn get_json(app: &TestApp, url: String, token: &str) -> serde_json::Value {
    let response = app.client.get(url).bearer_auth(token).send().await.unwrap();
    response.json().await.unwrap()
}

/// Checks that `client` downloads the catalog's `ceu/1930.csv` at `file` with `token`.
pub async fn assert_downloads_1930(client: &reqwest::Client, file: &str, token: &str) {
    let response = client.get(file).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let expected = std::fs::read(catalog_dir().join("ceu/1930.csv")).unwrap();
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        expected.as_slice()
    );
}

#[tokio::test]
async fn a_signed_in_researcher_downloads_a_catalog_file_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = deployment(backend).await;
        let browser = browser();
        sign_in(&app, &browser, "/", &mut Seen::default()).await;
        let tokens = app.grant(&catalog_id()).await;

        let file = format!(
            "{}/{}/ceu/1930.csv",
            app.deployment.url(ServiceName::Data),
            catalog_id()
        );
        assert_downloads_1930(&app.client, &file, &tokens.access_token).await;

        let anonymous = app.client.get(&file).send().await.unwrap();
        assert_eq!(
            anonymous.status(),
            401,
            "the catalog is for signed-in users"
        );
        let upload = app
            .client
            .put(&file)
            .bearer_auth(&tokens.access_token)
            .body("overwritten")
            .send()
            .await
            .unwrap();
        assert_eq!(
            upload.status(),
            403,
            "the catalog is read-only to researchers"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn a_signed_in_researcher_lists_the_catalog_through_the_transfer_api() {
    let app = deployment(StoreBackend::Sqlite).await;
    sign_in(&app, &browser(), "/", &mut Seen::default()).await;
    let tokens = app.grant("transfer.api.globus.org").await;
    let transfer = app.deployment.url(ServiceName::Transfer);
    let endpoint: serde_json::Value = get_json(
        &app,
        format!("{transfer}/v0.10/endpoint/{}", catalog_id()),
        &tokens.access_token,
    )
    .await;
    assert_eq!(endpoint["display_name"], "Research data catalog");
    assert_eq!(
        endpoint["https_server"],
        format!("{}/{}", app.deployment.url(ServiceName::Data), catalog_id())
    );
    let listing: serde_json::Value = get_json(
        &app,
        format!(
            "{transfer}/v0.10/operation/endpoint/{}/ls?path=/ceu/",
            catalog_id()
        ),
        &tokens.access_token,
    )
    .await;
    let names: Vec<&str> = listing["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].as_str().unwrap())
        .collect();
    let mut expected: Vec<String> = std::fs::read_dir(catalog_dir().join("ceu"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    app.stop().await;
}

#[tokio::test]
async fn the_collections_are_made_once_and_kept_on_later_starts() {
    let app = deployment(StoreBackend::Sqlite).await;
    let transfer = app.store("transfer").await;
    let idp = app.store("idp").await;
    let before = mrdp_transfer::collections::list(&transfer).await.unwrap();
    let mut names: Vec<&str> = before.iter().map(|c| c.display_name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "Alice Researcher's storage",
            "Bob Analyst's storage",
            "Graph results",
            "Graph service storage",
            "Portal storage",
            "Research data catalog",
        ]
    );
    mrdp_server::seed::embedded_collections(&app.config, &idp, &transfer, 0)
        .await
        .unwrap();
    assert_eq!(
        mrdp_transfer::collections::list(&transfer).await.unwrap(),
        before
    );
    assert_eq!(
        mrdp_transfer::access_rules::list(&transfer, &catalog_id())
            .await
            .unwrap()
            .len(),
        7,
        "one rule per dataset of the demo catalog"
    );
    let home = app.config.data_dir.join("collections/home/alice");
    assert!(home.is_dir());
    assert!(before.iter().any(|c| c.id == collection_id("home:alice")));
    transfer.close().await;
    idp.close().await;
    app.stop().await;
}

#[tokio::test]
async fn a_rule_for_a_group_lets_its_members_write_through_the_data_server() {
    let app = deployment(StoreBackend::Sqlite).await;
    let (idp, transfer) = (app.store("idp").await, app.store("transfer").await);
    let now = SystemClock.now();
    let lab = groups::create(&idp, now, "climate-lab", "").await.unwrap();
    groups::add_member(&idp, now, "climate-lab", "alice")
        .await
        .unwrap();
    let ceu = CollectionPath::parse("/ceu/").unwrap();
    let group = Principal::Group(lab.id.clone());
    access_rules::add(
        &transfer,
        &catalog_id(),
        group,
        ceu,
        Permission::ReadWrite,
        None,
        now,
    )
    .await
    .unwrap();

    sign_in(&app, &browser(), "/", &mut Seen::default()).await;
    let tokens = app.grant(&catalog_id()).await;
    let file = format!(
        "{}/{}/ceu/notes.txt",
        app.deployment.url(ServiceName::Data),
        catalog_id()
    );
    let put = app
        .client
        .put(&file)
        .bearer_auth(&tokens.access_token)
        .body("written by a member of climate-lab")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200, "the identity provider told the group");
    let elsewhere = file.replace("/ceu/", "/");
    let outside = app
        .client
        .put(&elsewhere)
        .bearer_auth(&tokens.access_token)
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), 403, "the rule is for /ceu/ only");
    idp.close().await;
    transfer.close().await;
    app.stop().await;
}
