//! Bearer access, on both backends: an app's token for the portal's scope opens the API as the
//! web app's session does, with the same answers, and changes things without the CSRF header;
//! the portal acts with dependent tokens down the chain (a transfer, a graph job, signed links);
//! the app acts for whoever signed in to it, never for anyone else. Tokens the portal must not
//! take (none, made up, for another service, revoked, expired) are refused with RFC 6750's
//! challenge.

use crate::app_tokens::{app_client, native_app, portal_token};
use crate::datasets::researcher;
use crate::graphs_in_portal::follow;
use crate::harness::TestApp;
use crate::transfers::ended;
use mrdp_globus::transfer::TRANSFER_RESOURCE_SERVER;
use mrdp_server::seed::{catalog_id, collection_id};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::secrets::digest;
use mrdp_service::testing::ManualClock;
use mrdp_shared::{
    ApiError, ErrorCode, GraphJob, GraphLinks, StoreBackend, TransferStatus, TransferSubmitted,
};
use serde_json::{Value, json};
use std::sync::Arc;

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (u16, String) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    send(app, client, reqwest::Method::GET, path, None).await
}

/// `(status, challenge, error code)` of a refused call.
async fn refusal(app: &TestApp, client: &reqwest::Client) -> (u16, String, ErrorCode) {
    let response = client.get(app.url("/api/me")).send().await.unwrap();
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let error: ApiError = response.json().await.unwrap();
    (status, challenge, error.code)
}

#[tokio::test]
async fn an_apps_token_opens_the_api_as_the_session_does_and_acts_for_its_researcher_on_both_backends()
 {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let alice = researcher(&app, "alice").await;
        let notebook = native_app(&app, "notebook").await;
        let api = app_client(&portal_token(&app, &notebook, "alice").await);
        let (catalog, home) = (catalog_id(), collection_id("home:alice"));

        for path in [
            "/api/me".to_owned(),
            "/api/datasets?q=seattle".to_owned(),
            "/api/datasets/sea".to_owned(),
            "/api/datasets/ceu/files".to_owned(),
            "/api/collections?filter=my-endpoints".to_owned(),
            format!("/api/collections/{catalog}/ls?path=/"),
            format!("/api/collections/{home}/shares?path=/"),
            "/api/transfers".to_owned(),
            "/api/graphs".to_owned(),
        ] {
            let by_cookie = get(&app, &alice, &path).await;
            assert_eq!(by_cookie.0, 200, "{path}: {}", by_cookie.1);
            let (by_token, cookie_body) = (get(&app, &api, &path).await, by_cookie.1);
            assert_eq!(by_token.0, 200, "{path}: {}", by_token.1);
            let parsed = |text: &str| serde_json::from_str::<Value>(text).unwrap();
            assert_eq!(parsed(&by_token.1), parsed(&cookie_body), "{path}");
        }

        // Changes need no CSRF header: no browser sends a bearer token by itself.
        let post = reqwest::Method::POST;
        let folder = json!({"path": "/from-the-notebook"});
        let made = send(
            &app,
            &api,
            post.clone(),
            &format!("/api/collections/{home}/mkdir"),
            Some(&folder),
        )
        .await;
        assert_eq!(made.0, 201, "{}", made.1);
        let copy = json!({"datasets": ["sea"], "destination_collection": home,
                          "destination_path": "/from-the-notebook/"});
        let (status, body) = send(&app, &api, post.clone(), "/api/transfers", Some(&copy)).await;
        assert_eq!(status, 202, "{body}");
        let task = serde_json::from_str::<TransferSubmitted>(&body)
            .unwrap()
            .task_id;
        assert_eq!(
            ended(&app, &api, &task).await.status,
            TransferStatus::Succeeded
        );
        assert_eq!(
            get(&app, &alice, &format!("/api/transfers/{task}")).await.0,
            200
        );

        // The graph service takes the portal's dependent token for its scope, and exchanges it
        // in turn: what alice allowed the app covers the chain.
        let graphs = json!({"datasets": ["sea"], "from_year": 2012, "to_year": 2012,
                            "charts": ["temperature"]});
        let (status, body) = send(&app, &api, post.clone(), "/api/graphs", Some(&graphs)).await;
        assert_eq!(status, 202, "{body}");
        let job = serde_json::from_str::<GraphJob>(&body).unwrap().id;
        let events = follow(&app, &api, &job).await;
        assert_eq!(
            events.last().map(|(event, _)| event.as_str()),
            Some("end"),
            "{events:?}"
        );
        let (status, body) =
            send(&app, &api, post, &format!("/api/graphs/{job}/links"), None).await;
        assert_eq!(status, 200, "{body}");
        let link = &serde_json::from_str::<GraphLinks>(&body).unwrap().links[0];
        assert_eq!(
            app.client.get(&link.url).send().await.unwrap().status(),
            200
        );

        // bob signs in to the same app: it acts for him, and finds none of alice's work.
        researcher(&app, "bob").await;
        let bobs = app_client(&portal_token(&app, &notebook, "bob").await);
        let (_, me) = get(&app, &bobs, "/api/me").await;
        assert!(me.contains("\"username\":\"bob"), "{me}");
        assert_eq!(
            get(&app, &bobs, &format!("/api/transfers/{task}")).await.0,
            404
        );
        assert_eq!(get(&app, &bobs, &format!("/api/graphs/{job}")).await.0, 404);
        app.stop().await;
    }
}

#[tokio::test]
async fn tokens_the_portal_must_not_take_are_refused_with_a_bearer_challenge() {
    let clock = ManualClock::starting_at(SystemClock.now());
    let app = TestApp::spawn_with_clock(StoreBackend::Sqlite, Arc::new(clock.clone())).await;
    researcher(&app, "alice").await;
    let notebook = native_app(&app, "notebook").await;

    let (status, challenge, code) = refusal(&app, &app.client).await;
    assert_eq!((status, code), (401, ErrorCode::Unauthenticated));
    assert_eq!(challenge, "Bearer realm=\"mrdp\"");
    let made_up = refusal(&app, &app_client("made-up")).await;
    assert_eq!((made_up.0, made_up.2), (401, ErrorCode::Unauthenticated));
    assert!(
        made_up.1.contains("error=\"invalid_token\""),
        "{}",
        made_up.1
    );
    // alice's token for Transfer, which the portal holds for her: not the portal's audience.
    let transfer = app.grant(TRANSFER_RESOURCE_SERVER).await.access_token;
    let elsewhere = refusal(&app, &app_client(&transfer)).await;
    assert_eq!(elsewhere.0, 401);
    assert!(elsewhere.1.contains("another service"), "{}", elsewhere.1);

    // A revoked token: refused once the portal's answer from the provider (30 s) has aged out,
    // and what the portal held for it is gone.
    let revoked = portal_token(&app, &notebook, "alice").await;
    assert_eq!(get(&app, &app_client(&revoked), "/api/me").await.0, 200);
    let answer = app
        .client
        .post(format!(
            "{}/v2/oauth2/token/revoke",
            app.deployment.url(mrdp_shared::ServiceName::Idp)
        ))
        .form(&[
            ("token", revoked.as_str()),
            ("client_id", notebook.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    clock.advance(31);
    let (status, challenge, _) = refusal(&app, &app_client(&revoked)).await;
    assert_eq!(status, 401);
    assert!(challenge.contains("invalid_token"), "{challenge}");
    let store = app.portal_store().await;
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vault_tokens WHERE session_hash = $1")
        .bind(digest(&format!("bearer {revoked}")))
        .fetch_one(store.pool())
        .await
        .unwrap();
    store.close().await;
    assert_eq!(held, 0, "the revoked token's dependent tokens are dropped");

    // An expired token: refused from the moment it expires.
    let expiring = portal_token(&app, &notebook, "alice").await;
    let expires_in = app.introspect(&expiring).await["exp"].as_i64().unwrap() - clock.now();
    assert_eq!(get(&app, &app_client(&expiring), "/api/me").await.0, 200);
    clock.advance(expires_in);
    assert_eq!(refusal(&app, &app_client(&expiring)).await.0, 401);
    app.stop().await;
}
