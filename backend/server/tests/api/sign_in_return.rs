//! Where a sign-in sends the browser back: a path on the portal, whatever `next` said.
//!
//! Browsers drop tabs, CR and LF from a `Location` and read `\` as `/`, so a `next` of
//! `/<TAB>/evil.example` would send them to `//evil.example`, another site.

use crate::harness::TestApp;
use crate::sign_in::{Seen, browser, sign_in};
use mrdp_service::local_path::MAX_LOCAL_PATH_BYTES;
use mrdp_shared::{ApiError, ErrorCode, StoreBackend};

#[tokio::test]
async fn after_a_real_sign_in_the_browser_is_only_ever_sent_to_a_local_path() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let browser = browser();
    // Each is sent percent-encoded in the query, so the portal reads the character itself, then
    // the escape as it is (`%09` stays `%09`).
    for hostile in [
        "/\t/evil.example",
        "/\r/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/%09/evil.example",
        "/%0d/evil.example",
        "/%0A/evil.example",
        "/%5C/evil.example",
        "/%5c%5cevil.example",
    ] {
        let (status, location, _) = sign_in(&app, &browser, hostile, &mut Seen::default()).await;
        assert_eq!((status, location.as_str()), (302, "/"), "next={hostile:?}");
    }
    let local = "/datasets?q=rain%20fall&page=2#results";
    let (status, location, _) = sign_in(&app, &browser, local, &mut Seen::default()).await;
    assert_eq!(
        (status, location.as_str()),
        (302, local),
        "a local path is kept"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_next_over_the_limit_is_refused_with_nothing_stored_and_one_at_the_limit_is_kept() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let browser = browser();
    let too_long = format!("/{}", "a".repeat(MAX_LOCAL_PATH_BYTES));
    for route in ["/api/auth/login", "/api/auth/signup"] {
        let response = browser
            .get(app.url(route))
            .query(&[("next", &too_long)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{route}");
        assert!(!response.headers().contains_key("set-cookie"), "{route}");
        let error: ApiError = response.json().await.unwrap();
        assert_eq!(error.code, ErrorCode::BadRequest, "{route}");
        assert!(error.message.contains("2048 bytes"), "{}", error.message);
    }
    assert_eq!(app.portal_rows("login_requests").await, 0, "nothing stored");

    let longest = format!("/{}", "a".repeat(MAX_LOCAL_PATH_BYTES - 1));
    let (status, location, _) = sign_in(&app, &browser, &longest, &mut Seen::default()).await;
    assert_eq!((status, location), (302, longest));
    app.stop().await;
}

#[tokio::test]
async fn a_login_query_that_cannot_be_read_is_a_400_api_error() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let response = app.get("/api/auth/login?next=/a&next=/b").await;
    assert_eq!(response.status(), 400);
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.code, ErrorCode::BadRequest);
    assert_eq!(app.portal_rows("login_requests").await, 0, "nothing stored");
    app.stop().await;
}
