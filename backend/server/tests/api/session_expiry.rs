//! Portal sessions end after 2 hours idle, and after 12 hours whatever the use (by default; both
//! are configurable).

use crate::harness::TestApp;
use crate::sign_in::{Seen, browser, me, me_status, sign_in};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::testing::ManualClock;
use mrdp_shared::StoreBackend;
use std::sync::Arc;

/// A deployment on a clock the test moves, and a browser signed in to it.
async fn signed_in() -> (TestApp, ManualClock, reqwest::Client) {
    let clock = ManualClock::starting_at(SystemClock.now());
    let app = TestApp::spawn_with_clock(StoreBackend::Sqlite, Arc::new(clock.clone())).await;
    let browser = browser();
    sign_in(&app, &browser, "/", &mut Seen::default()).await;
    (app, clock, browser)
}

#[tokio::test]
async fn an_idle_session_ends_after_two_hours() {
    let (app, clock, browser) = signed_in().await;
    clock.advance(2 * 3600 - 60);
    me(&app, &browser).await; // used just in time: the idle period starts again
    clock.advance(2 * 3600 - 60);
    me(&app, &browser).await;
    clock.advance(2 * 3600 + 1);
    assert_eq!(me_status(&app, &browser).await, 401);
    app.stop().await;
}

#[tokio::test]
async fn no_session_outlives_twelve_hours_of_use() {
    let (app, clock, browser) = signed_in().await;
    for _ in 0..11 {
        clock.advance(3600);
        me(&app, &browser).await;
    }
    clock.advance(3600);
    assert_eq!(me_status(&app, &browser).await, 401);
    app.stop().await;
}

#[tokio::test]
async fn lifetimes_and_the_vault_key_come_from_configuration() {
    let clock = ManualClock::starting_at(SystemClock.now());
    let app = TestApp::spawn_configured(StoreBackend::Sqlite, Arc::new(clock.clone()), |config| {
        config.portal = serde_json::from_value(serde_json::json!({
            "session_idle_lifetime": 600,
            "vault_key": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        }))
        .unwrap();
    })
    .await;
    let browser = browser();
    sign_in(&app, &browser, "/", &mut Seen::default()).await;
    assert!(
        !app.config
            .data_dir
            .join("secrets/portal-vault.key")
            .exists(),
        "a configured key is not replaced by a generated one"
    );
    clock.advance(599);
    me(&app, &browser).await;
    clock.advance(601);
    assert_eq!(me_status(&app, &browser).await, 401);
    app.stop().await;
}
