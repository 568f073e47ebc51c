//! A code is bound to the request that asked for it: whoever cannot show the same client, redirect
//! URI and PKCE verifier neither spends the code nor, by presenting it again, revokes what it gave.

use crate::browser_flow::{CALLBACK, VERIFIER, authorize, client, exchange, param, request};
use crate::harness::{Confidential, TestIdp, assert_oauth_error};
use crate::sign_in::{add_alice, browser};
use mrdp_shared::StoreBackend;
use serde_json::Value;

#[tokio::test]
async fn a_code_presented_by_another_client_is_neither_spent_nor_a_replay() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let (portal, secret) = client(&idp, "portal", false).await;
    let (other, other_secret) = client(&idp, "other", false).await;
    let landed = authorize(&idp, &browser(), &request(&portal.id, "openid"), "allow").await;
    let code = param(&landed, "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    // A leaked code, presented first by another client: refused, and still the portal's to use.
    let stolen = exchange(&idp, &other, other_secret.as_deref(), &form).await;
    let description = assert_oauth_error(stolen, 400, "invalid_grant").await;
    assert!(description.contains("another client"), "{description}");
    let response = exchange(&idp, &portal, secret.as_deref(), &form).await;
    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().await.unwrap();

    // Presented again by the other client after the portal's exchange: not a replay that
    // revokes the portal's tokens.
    let again = exchange(&idp, &other, other_secret.as_deref(), &form).await;
    assert_oauth_error(again, 400, "invalid_grant").await;
    let portal = Confidential {
        client: portal,
        secret: secret.unwrap(),
    };
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(idp.introspect(&portal, access, None).await["active"], true);
    idp.stop().await;
}

#[tokio::test]
async fn a_wrong_code_verifier_neither_spends_a_code_nor_revokes_what_it_gave() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let (native, _) = client(&idp, "native", true).await;
    let landed = authorize(&idp, &browser(), &request(&native.id, "openid"), "allow").await;
    let code = param(&landed, "code").unwrap();
    let with_verifier = |verifier| {
        [
            ("grant_type", "authorization_code"),
            ("client_id", native.id.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
            ("code_verifier", verifier),
        ]
    };
    // Someone who intercepted the code of a public client, but not its verifier.
    let guess = with_verifier("a-guessed-verifier-that-is-long-enough-for-rfc-7636-0000000");
    let intercepted = exchange(&idp, &native, None, &guess).await;
    assert_oauth_error(intercepted, 400, "invalid_grant").await;
    let response = exchange(&idp, &native, None, &with_verifier(VERIFIER)).await;
    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().await.unwrap();

    let again = exchange(&idp, &native, None, &guess).await;
    assert_oauth_error(again, 400, "invalid_grant").await;
    let introspector = idp.confidential_client("transfer").await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        idp.introspect(&introspector, access, None).await["active"],
        true
    );
    idp.stop().await;
}
