//! Purging what has expired: sessions, codes, tokens and sign-in failures go once they cannot be
//! used, and whatever is still needed stays (a replaced refresh token, until its own expiry, for
//! its reuse to revoke the grant; a spent code while its grant has live tokens).

use crate::browser_flow::{authorize, client, exchange, param, request, signed_in_tokens};
use crate::harness::{TRANSFER_SCOPE, TestIdp, assert_oauth_error};
use crate::sign_in::{add_alice, browser, sign_in};
use mrdp_idp::purge::{Purged, purge_expired};
use mrdp_idp::registry::clients::ClientRow;
use mrdp_idp::settings::{DEFAULT_ACCESS_TOKEN_LIFETIME, DEFAULT_REFRESH_TOKEN_LIFETIME};
use mrdp_service::clock::Clock;
use mrdp_shared::StoreBackend;
use serde_json::Value;

async fn purge(idp: &TestIdp) -> Purged {
    purge_expired(idp.store(), idp.clock.now()).await.unwrap()
}

async fn refresh(
    idp: &TestIdp,
    portal: &ClientRow,
    secret: &str,
    token: &str,
) -> reqwest::Response {
    let form = [("grant_type", "refresh_token"), ("refresh_token", token)];
    exchange(idp, portal, Some(secret), &form).await
}

async fn rows(idp: &TestIdp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(idp.store().pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn what_has_expired_is_purged_and_what_is_still_needed_is_kept_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        add_alice(&idp).await;
        let (portal, secret) = client(&idp, "portal", false).await;
        let secret = secret.unwrap();
        // A signed-in browser whose code was exchanged, and whose refresh token was rotated.
        let tokens = signed_in_tokens(&idp, &portal, Some(&secret), TRANSFER_SCOPE).await;
        let replaced = tokens["refresh_token"].as_str().unwrap();
        let refresh = |token| refresh(&idp, &portal, &secret, token);
        let rotated: Value = refresh(replaced).await.json().await.unwrap();
        let current = rotated["refresh_token"].as_str().unwrap();
        // Another signed-in browser, with a code nobody exchanged; and a failed sign-in.
        let query = request(&portal.id, TRANSFER_SCOPE);
        let landed = authorize(&idp, &browser(), &query, "allow").await;
        assert!(param(&landed, "code").is_some());
        let failed = sign_in(&idp, &browser(), "alice", "wrong password!", "/").await;
        assert_eq!(failed.status(), 401);

        assert_eq!(purge(&idp).await, Purged::default(), "nothing expired yet");

        idp.clock.advance(DEFAULT_ACCESS_TOKEN_LIFETIME + 1);
        let expected = Purged {
            sessions: 2,
            codes: 1,
            tokens: 2,
            login_failures: 2,
        };
        assert_eq!(
            purge(&idp).await,
            expected,
            "all but the refresh tokens and the spent code"
        );
        let reused = refresh(replaced).await;
        let description = assert_oauth_error(reused, 400, "invalid_grant").await;
        assert!(description.contains("already used"), "{description}");
        assert_oauth_error(refresh(current).await, 400, "invalid_grant").await;

        let no_live_token = Purged {
            codes: 1,
            ..Purged::default()
        };
        assert_eq!(
            purge(&idp).await,
            no_live_token,
            "the spent code's grant is revoked"
        );
        idp.clock.advance(DEFAULT_REFRESH_TOKEN_LIFETIME);
        let refresh_tokens = Purged {
            tokens: 2,
            ..Purged::default()
        };
        assert_eq!(purge(&idp).await, refresh_tokens);
        for table in [
            "browser_sessions",
            "authorization_codes",
            "tokens",
            "login_failures",
        ] {
            assert_eq!(rows(&idp, table).await, 0, "{table}");
        }
        idp.stop().await;
    }
}
