//! `grant_type=refresh_token`: rotation, reuse detection, expiry, client binding.

use crate::browser_flow::{client, exchange, signed_in_tokens};
use crate::harness::{Confidential, TRANSFER_SCOPE, TestIdp, assert_oauth_error};
use crate::sign_in::add_alice;
use mrdp_idp::registry::clients::ClientRow;
use mrdp_shared::StoreBackend;
use serde_json::Value;

/// Signs alice in and exchanges an offline code for Transfer API tokens.
async fn transfer_tokens(idp: &TestIdp, portal: &ClientRow, secret: &str) -> Value {
    signed_in_tokens(idp, portal, Some(secret), TRANSFER_SCOPE).await
}

async fn refresh(
    idp: &TestIdp,
    portal: &ClientRow,
    secret: &str,
    token: &str,
) -> reqwest::Response {
    exchange(
        idp,
        portal,
        Some(secret),
        &[("grant_type", "refresh_token"), ("refresh_token", token)],
    )
    .await
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_grant_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        add_alice(&idp).await;
        let (portal, secret) = client(&idp, "portal", false).await;
        let secret = secret.unwrap();
        let caller = Confidential {
            client: portal.clone(),
            secret: secret.clone(),
        };
        let first = transfer_tokens(&idp, &portal, &secret).await;
        let old_refresh = first["refresh_token"].as_str().unwrap();

        let response = refresh(&idp, &portal, &secret, old_refresh).await;
        assert_eq!(response.status(), 200);
        let second: Value = response.json().await.unwrap();
        assert_eq!(second["resource_server"], "transfer.api.globus.org");
        assert_eq!(second["scope"], TRANSFER_SCOPE);
        assert_eq!(
            second["other_tokens"],
            serde_json::json!([]),
            "exactly one token"
        );
        let new_refresh = second["refresh_token"]
            .as_str()
            .expect("always a refresh token");
        assert_ne!(new_refresh, old_refresh);
        let new_access = second["access_token"].as_str().unwrap();
        assert_eq!(
            idp.introspect(&caller, new_access, None).await["active"],
            true
        );

        // The replaced refresh token comes back: someone copied it. The whole grant goes.
        let description = assert_oauth_error(
            refresh(&idp, &portal, &secret, old_refresh).await,
            400,
            "invalid_grant",
        )
        .await;
        assert!(description.contains("already used"), "{description}");
        assert_eq!(
            idp.introspect(&caller, new_access, None).await["active"],
            false
        );
        assert_oauth_error(
            refresh(&idp, &portal, &secret, new_refresh).await,
            400,
            "invalid_grant",
        )
        .await;
        idp.stop().await;
    }
}

#[tokio::test]
async fn refresh_tokens_are_bound_to_their_client_and_expire() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let (portal, secret) = client(&idp, "portal", false).await;
    let (other, other_secret) = client(&idp, "other", false).await;
    let (secret, other_secret) = (secret.unwrap(), other_secret.unwrap());
    let tokens = transfer_tokens(&idp, &portal, &secret).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();

    assert_oauth_error(
        refresh(&idp, &other, &other_secret, refresh_token).await,
        400,
        "invalid_grant",
    )
    .await;
    // An access token is not a refresh token.
    assert_oauth_error(
        refresh(
            &idp,
            &portal,
            &secret,
            tokens["access_token"].as_str().unwrap(),
        )
        .await,
        400,
        "invalid_grant",
    )
    .await;
    assert_oauth_error(
        exchange(
            &idp,
            &portal,
            Some(&secret),
            &[("grant_type", "refresh_token")],
        )
        .await,
        400,
        "invalid_request",
    )
    .await;

    idp.clock.advance(182 * 24 * 3600);
    let description = assert_oauth_error(
        refresh(&idp, &portal, &secret, refresh_token).await,
        400,
        "invalid_grant",
    )
    .await;
    assert!(description.contains("expired"), "{description}");
    idp.stop().await;
}

#[tokio::test]
async fn a_revoked_refresh_token_revokes_its_grant_and_cannot_refresh() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let (portal, secret) = client(&idp, "portal", false).await;
    let secret = secret.unwrap();
    let caller = Confidential {
        client: portal.clone(),
        secret: secret.clone(),
    };
    let tokens = transfer_tokens(&idp, &portal, &secret).await;
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let revoked = idp
        .post_form(
            "/v2/oauth2/token/revoke",
            Some(&caller),
            &[("token", refresh_token)],
        )
        .await;
    assert_eq!(revoked.status(), 200);
    assert_eq!(
        idp.introspect(&caller, tokens["access_token"].as_str().unwrap(), None)
            .await["active"],
        false
    );
    assert_oauth_error(
        refresh(&idp, &portal, &secret, refresh_token).await,
        400,
        "invalid_grant",
    )
    .await;
    idp.stop().await;
}
