//! The API's edges: cross-origin calls only from the configured origins (preflights answered for
//! them, never a wildcard), rate limits per caller and per address (`429` with `Retry-After`, and
//! through again once that time has passed), and bodies and headers over their limits refused
//! with a clear error.

use crate::connections::complete_profile;
use crate::harness::TestApp;
use crate::sign_in::{Seen, browser, sign_in};
use mrdp_portal::rate_limits::RateLimitSettings;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::testing::ManualClock;
use mrdp_shared::{ApiError, ErrorCode, StoreBackend};
use std::sync::Arc;

const NOTEBOOKS: &str = "https://notebooks.example.org";
const ELSEWHERE: &str = "https://elsewhere.example.org";

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, app.url("/api/transfers"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap()
}

async fn code_of(response: reqwest::Response) -> (u16, ErrorCode) {
    let status = response.status().as_u16();
    let error: ApiError = response.json().await.unwrap();
    (status, error.code)
}

#[tokio::test]
async fn only_configured_origins_may_call_from_a_browser_with_credentials() {
    let app = TestApp::spawn_configured(StoreBackend::Sqlite, Arc::new(SystemClock), |config| {
        config.portal.cors_allowed_origins = vec![NOTEBOOKS.to_owned()];
    })
    .await;
    let allowed = preflight(&app, NOTEBOOKS).await;
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(
        header(&allowed, "access-control-allow-origin").as_deref(),
        Some(NOTEBOOKS)
    );
    assert_eq!(
        header(&allowed, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    let methods = header(&allowed, "access-control-allow-methods").unwrap();
    assert!(methods.contains("POST"), "{methods}");
    let refused = preflight(&app, ELSEWHERE).await;
    assert_eq!(header(&refused, "access-control-allow-origin"), None);

    // The signed-in researcher's browser, on a page of each origin.
    let alice = browser();
    sign_in(&app, &alice, "/", &mut Seen::default()).await;
    complete_profile(&app, &alice).await;
    let from = |origin: &str| {
        alice
            .get(app.url("/api/me"))
            .header("origin", origin.to_owned())
            .send()
    };
    let listed = from(NOTEBOOKS).await.unwrap();
    assert_eq!(
        header(&listed, "access-control-allow-origin").as_deref(),
        Some(NOTEBOOKS)
    );
    let unlisted = from(ELSEWHERE).await.unwrap();
    assert_eq!(header(&unlisted, "access-control-allow-origin"), None);
    // A change from a listed origin's page passes the CSRF check; from any other, it does not.
    let change = |origin: &str| {
        alice
            .put(app.url("/api/me/profile"))
            .header("origin", origin.to_owned())
            .header("x-mrdp-csrf", "1")
            .json(
                &serde_json::json!({"name": "Alice", "email": "alice@example.org",
                                      "institution": "NOAA NCEI"}),
            )
            .send()
    };
    assert_eq!(change(NOTEBOOKS).await.unwrap().status(), 200);
    assert_eq!(
        code_of(change(ELSEWHERE).await.unwrap()).await,
        (403, ErrorCode::Forbidden)
    );
    app.stop().await;
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after_and_let_through_once_it_has_passed() {
    let clock = ManualClock::starting_at(SystemClock.now());
    let app = TestApp::spawn_configured(StoreBackend::Sqlite, Arc::new(clock.clone()), |config| {
        config.portal.rate_limit = RateLimitSettings {
            per_caller: 1,
            per_address: 5,
            burst_seconds: 3,
        };
    })
    .await;
    let alice = browser();
    sign_in(&app, &alice, "/", &mut Seen::default()).await;
    clock.advance(60); // the sign-in's own requests are forgotten

    // A caller: three at once (a burst of 3 s at 1 a second), then one a second.
    for _ in 0..3 {
        assert_eq!(
            alice.get(app.url("/api/me")).send().await.unwrap().status(),
            200
        );
    }
    let limited = alice.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(header(&limited, "retry-after").as_deref(), Some("1"));
    assert_eq!(code_of(limited).await, (429, ErrorCode::RateLimited));
    clock.advance(1);
    assert_eq!(
        alice.get(app.url("/api/me")).send().await.unwrap().status(),
        200
    );

    // An address, whoever calls from it: fifteen at once, then five a second.
    clock.advance(60);
    for _ in 0..15 {
        let status = app.get("/api/datasets").await.status().as_u16();
        assert_eq!(status, 401);
    }
    let limited = app.get("/api/datasets").await;
    assert_eq!(header(&limited, "retry-after").as_deref(), Some("1"));
    assert_eq!(code_of(limited).await.0, 429);
    clock.advance(1);
    assert_eq!(app.get("/api/datasets").await.status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn bodies_and_headers_over_their_limits_are_refused_with_a_clear_error() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let alice = browser();
    sign_in(&app, &alice, "/", &mut Seen::default()).await;
    let huge = serde_json::json!({"name": "a".repeat(100_000), "email": "a@example.org",
                                  "institution": "x"});
    let response = alice
        .put(app.url("/api/me/profile"))
        .header("x-mrdp-csrf", "1")
        .json(&huge)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let error: ApiError = response.json().await.unwrap();
    assert_eq!((status, error.code), (413, ErrorCode::PayloadTooLarge));
    assert!(error.message.contains("65536 bytes"), "{}", error.message);

    let response = app
        .client
        .get(app.url("/api/me"))
        .header("x-padding", "p".repeat(9 * 1024))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let error: ApiError = response.json().await.unwrap();
    assert_eq!((status, error.code), (431, ErrorCode::BadRequest));
    assert!(error.message.contains("x-padding"), "{}", error.message);
    app.stop().await;
}
