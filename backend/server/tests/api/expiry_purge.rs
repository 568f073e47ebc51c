//! Expired sign-ins and sessions are removed (the portal does it every 10 minutes), so that
//! abandoned sign-ins and forgotten sessions do not pile up.

use crate::harness::TestApp;
use crate::sign_in::{Seen, browser, me, sign_in, start};
use mrdp_portal::auth::login::LOGIN_LIFETIME;
use mrdp_portal::auth::purge::{Purged, SUBMISSION_KEYS_KEPT, purge_expired};
use mrdp_portal::auth::session::SessionLifetimes;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::testing::ManualClock;
use mrdp_shared::StoreBackend;
use std::sync::Arc;

/// The rows of the portal's sign-in, session and vault tables.
async fn rows(app: &TestApp) -> [i64; 3] {
    [
        app.portal_rows("login_requests").await,
        app.portal_rows("sessions").await,
        app.portal_rows("vault_tokens").await,
    ]
}

#[tokio::test]
async fn expired_sign_ins_sessions_and_submission_keys_are_purged_and_live_ones_kept_on_both_backends()
 {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let clock = ManualClock::starting_at(SystemClock.now());
        let app = TestApp::spawn_with_clock(backend, Arc::new(clock.clone())).await;
        let store = app.portal_store().await;
        let purge = async || {
            purge_expired(&store, clock.now(), SessionLifetimes::default())
                .await
                .unwrap()
        };
        let purged = |sign_ins, sessions| Purged {
            sign_ins,
            sessions,
            submission_keys: 0,
        };

        // A researcher signs in; someone starts a sign-in and leaves it.
        let first = browser();
        sign_in(&app, &first, "/", &mut Seen::default()).await;
        start(&app, &browser(), "/", &mut Seen::default()).await;
        assert_eq!(purge().await, purged(0, 0), "nothing has expired yet");
        assert_eq!(rows(&app).await, [1, 1, 6]);

        clock.advance(LOGIN_LIFETIME);
        assert_eq!(purge().await, purged(1, 0), "the abandoned sign-in expired");
        assert_eq!(rows(&app).await, [0, 1, 6]);

        // A second researcher signs in; two hours after the first one's last use, hers goes,
        // with her tokens, and his stays.
        let second = browser();
        sign_in(&app, &second, "/", &mut Seen::default()).await;
        clock.advance(2 * 3600 - LOGIN_LIFETIME);
        assert_eq!(
            purge().await,
            purged(0, 1),
            "the first session was idle too long"
        );
        assert_eq!(rows(&app).await, [0, 1, 6]);
        me(&app, &second).await;

        // Used every hour, his session still ends 12 hours after it began.
        for _ in 0..10 {
            clock.advance(3600);
            me(&app, &second).await;
        }
        assert_eq!(purge().await, purged(0, 0), "not yet 12 hours");
        clock.advance(LOGIN_LIFETIME);
        assert_eq!(purge().await, purged(0, 1), "12 hours since the sign-in");
        assert_eq!(rows(&app).await, [0, 0, 0]);

        // A submission's idempotency key is kept a day.
        sqlx::query(
            "INSERT INTO transfer_submissions (identity_id, idempotency_key, request, submission_id, created_at) \
             VALUES ('someone', 'key', '{}', 'id', $1)",
        )
        .bind(clock.now())
        .execute(store.pool())
        .await
        .unwrap();
        clock.advance(SUBMISSION_KEYS_KEPT - 1);
        assert_eq!(purge().await.submission_keys, 0, "a retry may still come");
        clock.advance(1);
        assert_eq!(purge().await.submission_keys, 1, "a day old");
        store.close().await;
        app.stop().await;
    }
}
