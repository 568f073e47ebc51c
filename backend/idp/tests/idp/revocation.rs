//! Revocation: a client revokes its own tokens, and only its own.

use crate::harness::{TRANSFER_SCOPE, TestIdp, assert_oauth_error};
use mrdp_shared::StoreBackend;
use serde_json::json;

const REVOKE: &str = "/v2/oauth2/token/revoke";

#[tokio::test]
async fn a_revoked_token_is_inactive_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        let client = idp.confidential_client("portal").await;
        let body = idp
            .client_token(&client, &format!("{TRANSFER_SCOPE} openid"))
            .await;
        let (transfer, auth) = (
            body["access_token"].as_str().unwrap(),
            body["other_tokens"][0]["access_token"].as_str().unwrap(),
        );

        let response = idp
            .post_form(
                REVOKE,
                Some(&client),
                &[("token", transfer), ("token_type_hint", "access_token")],
            )
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.json::<serde_json::Value>().await.unwrap(),
            json!({"active": false})
        );
        assert_eq!(
            idp.introspect(&client, transfer, None).await,
            json!({"active": false})
        );
        // Revoking one access token leaves the grant's other tokens alone.
        assert_eq!(idp.introspect(&client, auth, None).await["active"], true);
        idp.stop().await;
    }
}

#[tokio::test]
async fn unknown_tokens_revoke_quietly_and_others_tokens_not_at_all() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let owner = idp.confidential_client("portal").await;
    let other = idp.confidential_client("graph").await;
    let token = idp.client_token(&owner, TRANSFER_SCOPE).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    assert_eq!(
        idp.post_form(REVOKE, Some(&other), &[("token", "made-up")])
            .await
            .status(),
        200
    );
    let foreign = idp
        .post_form(REVOKE, Some(&other), &[("token", &token)])
        .await;
    assert_oauth_error(foreign, 400, "unauthorized_client").await;
    assert_eq!(idp.introspect(&owner, &token, None).await["active"], true);

    assert_oauth_error(
        idp.post_form(REVOKE, None, &[("token", &token)]).await,
        401,
        "invalid_client",
    )
    .await;
    idp.stop().await;
}
