//! Introspection: what resource servers learn of a token, and when it stops being active.

use crate::browser_flow::{client, signed_in_tokens};
use crate::harness::{TRANSFER_SCOPE, TestIdp, assert_oauth_error};
use crate::sign_in::add_alice;
use mrdp_idp::registry::{groups, scopes};
use mrdp_service::clock::Clock;
use mrdp_shared::StoreBackend;
use serde_json::json;

const INTROSPECT: &str = "/v2/oauth2/token/introspect";

#[tokio::test]
async fn tokens_expire_after_their_lifetime_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        let client = idp.confidential_client("transfer").await;
        let token = idp.client_token(&client, TRANSFER_SCOPE).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned();

        let info = idp.introspect(&client, &token, None).await;
        assert_eq!(info["active"], true);
        assert_eq!(
            info["exp"].as_i64().unwrap() - info["iat"].as_i64().unwrap(),
            172_800
        );

        idp.clock.advance(172_799);
        assert_eq!(idp.introspect(&client, &token, None).await["active"], true);
        idp.clock.advance(1);
        assert_eq!(
            idp.introspect(&client, &token, None).await,
            json!({"active": false})
        );
        idp.stop().await;
    }
}

#[tokio::test]
async fn include_adds_the_identity_set_and_its_details() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let client = idp.confidential_client("graph").await;
    let token = idp.client_token(&client, "openid").await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let plain = idp.introspect(&client, &token, None).await;
    assert!(plain.get("identity_set").is_none());
    let info = idp
        .introspect(&client, &token, Some("identity_set,identity_set_detail"))
        .await;
    assert_eq!(info["identity_set"], json!([client.client.id]));
    assert_eq!(
        info["identity_set_detail"][0]["sub"],
        client.client.id.as_str()
    );
    assert_eq!(info["identity_set_detail"][0]["identity_type"], "client");
    idp.stop().await;
}

#[tokio::test]
async fn unknown_tokens_are_inactive_and_callers_must_authenticate() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let client = idp.confidential_client("transfer").await;
    assert_eq!(
        idp.introspect(&client, "made-up-token", None).await,
        json!({"active": false})
    );

    let token = idp.client_token(&client, TRANSFER_SCOPE).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let anonymous = idp.post_form(INTROSPECT, None, &[("token", &token)]).await;
    assert_oauth_error(anonymous, 401, "invalid_client").await;
    let no_token = idp.post_form(INTROSPECT, Some(&client), &[]).await;
    assert_oauth_error(no_token, 400, "invalid_request").await;
    idp.stop().await;
}

#[tokio::test]
async fn the_resource_server_alone_learns_the_groups_of_a_tokens_identity_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        add_alice(&idp).await;
        let store = idp.store();
        let lab = groups::create(store, idp.clock.now(), "climate-lab", "")
            .await
            .unwrap();
        groups::create(store, idp.clock.now(), "other", "")
            .await
            .unwrap();
        groups::add_member(store, idp.clock.now(), "climate-lab", "alice")
            .await
            .unwrap();
        let transfer = idp.confidential_client("transfer").await;
        scopes::register_resource_server(
            store,
            "transfer.api.globus.org",
            Some(&transfer.client.id),
        )
        .await
        .unwrap();
        let (portal, secret) = client(&idp, "portal", false).await;
        let tokens = signed_in_tokens(&idp, &portal, secret.as_deref(), TRANSFER_SCOPE).await;
        let token = tokens["access_token"].as_str().unwrap();
        let include = Some("identity_set,group_memberships");

        let told = idp.introspect(&transfer, token, include).await;
        assert_eq!(told["group_memberships"], json!([lab.id]), "{told}");
        let plain = idp.introspect(&transfer, token, None).await;
        assert!(plain.get("group_memberships").is_none(), "only when asked");
        let graph = idp.confidential_client("graph").await;
        let other = idp.introspect(&graph, token, include).await;
        assert_eq!(other["active"], true);
        assert!(
            other.get("group_memberships").is_none(),
            "not to a client the token is not for: {other}"
        );
        idp.stop().await;
    }
}
