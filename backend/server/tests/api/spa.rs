//! The portal serves the web app: files as they are, `index.html` for client routes, JSON errors
//! for the API.

use crate::harness::{APP_JS, INDEX_HTML, TestApp};
use mrdp_service::testing::accepted_sockets::assert_accepted_with_nodelay;
use mrdp_shared::{ApiError, ErrorCode, ServiceName, StoreBackend};

#[tokio::test]
async fn root_and_client_routes_get_the_app() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    for path in ["/", "/datasets", "/datasets/nyc/2013"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        if path != "/" {
            assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        }
        assert_eq!(response.text().await.unwrap(), INDEX_HTML, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn assets_are_served_and_missing_ones_are_404() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let asset = app.get("/app.js").await;
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.text().await.unwrap(), APP_JS);

    let missing = app.get("/missing-5f2a.wasm").await;
    assert_eq!(missing.status(), 404);
    let body: ApiError = missing.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::NotFound);
    app.stop().await;
}

/// A file's head and body are two writes: without `TCP_NODELAY` the body waited for the
/// browser's delayed acknowledgement of the head, 40 ms for each file on a connection kept alive.
#[tokio::test]
async fn the_app_leaves_without_waiting_for_acknowledgements() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    for path in ["/", "/app.js"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        response.bytes().await.unwrap();
    }
    assert_accepted_with_nodelay(app.deployment.url(ServiceName::Portal));
    app.stop().await;
}

#[tokio::test]
async fn unknown_api_routes_are_json_errors_not_the_app() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    for path in ["/api/nope", "/api/", "/api/health/extra"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: ApiError = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::NotFound);
        assert!(body.message.contains(path), "{body:?}");
    }
    // A POST needs the CSRF header before anything else; with it, the route still does not exist.
    let forged = app
        .client
        .post(app.url("/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let post = app
        .client
        .post(app.url("/api/health"))
        .header("x-mrdp-csrf", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn an_unbuilt_web_app_is_explained() {
    let app = TestApp::spawn_with_dist(StoreBackend::Sqlite, false).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 503);
    let body: ApiError = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::UpstreamUnavailable);
    assert!(body.message.contains("trunk build"), "{body:?}");
    // The API works without the web app.
    assert_eq!(app.get("/api/health").await.status(), 200);
    app.stop().await;
}
