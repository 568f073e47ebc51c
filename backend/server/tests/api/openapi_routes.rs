//! The OpenAPI document against the running portal: it is served to anyone at
//! `/api/openapi.json`, as committed; every route it lists exists (never the unknown-route 404),
//! and answers a caller with a bearer token (unknown ids, empty bodies) only statuses it
//! documents; a documented path with another method is 405 with `Allow`.

use crate::app_tokens::{app_client, native_app, portal_token};
use crate::datasets::researcher;
use crate::harness::TestApp;
use mrdp_portal::openapi::routes::ROUTES;
use mrdp_portal::openapi::{document_json, documented_statuses};
use mrdp_shared::StoreBackend;

/// A well-formed id that names nothing.
const NOBODY: &str = "00000000-0000-4000-8000-000000000000";

#[tokio::test]
async fn every_documented_route_exists_and_answers_only_documented_statuses() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let served = app.get("/api/openapi.json").await;
    assert_eq!(served.status(), 200, "served to anyone");
    assert_eq!(
        served.json::<serde_json::Value>().await.unwrap(),
        document_json()
    );

    researcher(&app, "alice").await;
    let notebook = native_app(&app, "notebook").await;
    let api = app_client(&portal_token(&app, &notebook, "alice").await);
    // Signing out last: it ends the token's session.
    let mut routes: Vec<_> = ROUTES.iter().collect();
    routes.sort_by_key(|route| route.path == "/api/auth/logout");
    for route in routes {
        let path = route
            .path
            .replace("{id}", NOBODY)
            .replace("{collection}", NOBODY);
        let method = reqwest::Method::from_bytes(route.method.to_uppercase().as_bytes()).unwrap();
        let mut request = api.request(method, app.url(&path));
        if route.body.is_some() {
            request = request.json(&serde_json::json!({}));
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        assert!(
            !body.contains("no API route"),
            "{} {path} is not served",
            route.method
        );
        let allowed = documented_statuses(route);
        assert!(
            allowed.contains(&status),
            "{} {path} answered {status}, not documented ({allowed:?}): {body}",
            route.method
        );
    }
    // A route's path with a method it does not have: 405, naming those it has.
    let trace = api
        .request(reqwest::Method::PATCH, app.url("/api/apps"))
        .send()
        .await
        .unwrap();
    assert_eq!(trace.status(), 405);
    assert_eq!(trace.headers()["allow"], "GET, POST");
    app.stop().await;
}
