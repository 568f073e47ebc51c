//! The portal serves the web app: files as they are or in the compressed form the browser
//! accepts, `index.html` for client routes, JSON errors for the API.

use crate::harness::{
    APP_JS, APP_JS_BR, APP_JS_GZ, INDEX_HTML, INDEX_HTML_BR, INDEX_HTML_GZ, STYLE_CSS,
    STYLE_CSS_GZ, TestApp,
};
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
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
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
async fn only_gets_of_visible_files_are_answered() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let post = app.client.post(app.url("/app.js")).send().await.unwrap();
    assert_eq!(post.status(), 405);
    let hidden = app.get("/.app.js").await;
    assert_eq!(hidden.status(), 400);
    let body: ApiError = hidden.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::BadRequest);
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
    // A POST needs the CSRF header before anything else; with it, the path has no POST (405).
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
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers()["allow"], "GET");
    let body: ApiError = post.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::MethodNotAllowed);
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

/// `path` asked for with `Accept-Encoding: accepted` (none when `None`) and `more` headers.
async fn get_accepting(
    app: &TestApp,
    path: &str,
    accepted: Option<&str>,
    more: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(accepted) = accepted {
        request = request.header("accept-encoding", accepted);
    }
    for (name, value) in more {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// Asserts a 200 with `body` in `encoding` (`None`: as it is), whatever the form, with the
/// file's own `Content-Type` and `Vary: Accept-Encoding`; answers its `ETag`.
async fn assert_sent(
    response: reqwest::Response,
    content_type: &str,
    encoding: Option<&str>,
    body: &str,
) -> String {
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("content-encoding").as_deref(), encoding);
    assert!(
        header("content-type").unwrap().starts_with(content_type),
        "{headers:?}"
    );
    assert_eq!(header("vary").as_deref(), Some("accept-encoding"));
    assert_eq!(header("content-length"), Some(body.len().to_string()));
    assert!(header("last-modified").is_some(), "{headers:?}");
    assert_eq!(response.text().await.unwrap(), body);
    header("etag").unwrap()
}

#[tokio::test]
async fn a_browser_gets_the_brotli_form_and_revalidates_it() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let browser = Some("gzip, deflate, br");
    let plain = assert_sent(app.get("/app.js").await, "text/javascript", None, APP_JS).await;
    let brotli = get_accepting(&app, "/app.js", browser, &[]).await;
    let etag = assert_sent(brotli, "text/javascript", Some("br"), APP_JS_BR).await;
    assert_ne!(etag, plain, "each form has its own entity tag");

    let head = app
        .client
        .head(app.url("/app.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(head.headers()["content-encoding"], "br");
    let length = APP_JS_BR.len().to_string();
    assert_eq!(head.headers()["content-length"], length.as_str());

    let unchanged = get_accepting(&app, "/app.js", browser, &[("if-none-match", &etag)]).await;
    assert_eq!(unchanged.status(), 304);
    assert_eq!(unchanged.headers()["vary"], "accept-encoding");
    app.stop().await;
}

#[tokio::test]
async fn gzip_when_brotli_is_not_accepted_or_not_built() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    for (path, accepted, content_type, encoding, body) in [
        (
            "/app.js",
            "gzip",
            "text/javascript",
            Some("gzip"),
            APP_JS_GZ,
        ),
        (
            "/app.js",
            "deflate, gzip",
            "text/javascript",
            Some("gzip"),
            APP_JS_GZ,
        ),
        (
            "/style.css",
            "gzip, deflate, br",
            "text/css",
            Some("gzip"),
            STYLE_CSS_GZ,
        ),
        ("/style.css", "br", "text/css", None, STYLE_CSS),
        (
            "/datasets",
            "gzip",
            "text/html",
            Some("gzip"),
            INDEX_HTML_GZ,
        ),
    ] {
        let response = get_accepting(&app, path, Some(accepted), &[]).await;
        assert_sent(response, content_type, encoding, body).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn quality_values_choose_the_form() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    for (accepted, encoding, body) in [
        ("br;q=0.5, gzip;q=0.8", Some("gzip"), APP_JS_GZ),
        ("gzip;q=0.5, br;q=0.8", Some("br"), APP_JS_BR),
        ("br;q=0, gzip", Some("gzip"), APP_JS_GZ),
        ("gzip;q=0.4, identity;q=0.5", None, APP_JS),
        ("br;q=0, gzip;q=0", None, APP_JS),
    ] {
        let response = get_accepting(&app, "/app.js", Some(accepted), &[]).await;
        assert_sent(response, "text/javascript", encoding, body).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn without_an_accepted_encoding_the_file_is_sent_as_it_is() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    for accepted in [
        None,
        Some("identity"),
        Some(""),
        Some("compress"),
        Some("*"),
    ] {
        let response = get_accepting(&app, "/app.js", accepted, &[]).await;
        assert_sent(response, "text/javascript", None, APP_JS).await;
    }
    app.stop().await;
}

/// A range is of the file as it is: a resumed download never mixes bytes of two forms.
#[tokio::test]
async fn a_range_is_cut_from_the_file_as_it_is() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let range = [("range", "bytes=0-6")];
    let part = get_accepting(&app, "/app.js", Some("gzip, deflate, br"), &range).await;
    assert_eq!(part.status(), 206);
    let headers = part.headers().clone();
    let whole = APP_JS.len();
    assert_eq!(
        headers["content-range"],
        format!("bytes 0-6/{whole}").as_str()
    );
    let encoding = headers.get("content-encoding").map(|v| v.to_str().unwrap());
    assert!(matches!(encoding, None | Some("identity")), "{headers:?}");
    assert_eq!(headers["vary"], "accept-encoding");
    assert_eq!(part.text().await.unwrap(), &APP_JS[..7]);
    app.stop().await;
}

#[tokio::test]
async fn client_routes_get_the_compressed_app_page_never_cached_stale() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    for path in ["/", "/datasets", "/datasets/no-such-dataset"] {
        let response = get_accepting(&app, path, Some("gzip, deflate, br"), &[]).await;
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert_sent(response, "text/html", Some("br"), INDEX_HTML_BR).await;
    }
    app.stop().await;
}
