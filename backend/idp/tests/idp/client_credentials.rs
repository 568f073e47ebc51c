//! `grant_type=client_credentials`, on both store backends.

use crate::harness::{Confidential, TRANSFER_SCOPE, TestIdp, assert_oauth_error};
use base64::Engine;
use mrdp_shared::StoreBackend;

const TOKEN: &str = "/v2/oauth2/token";

#[tokio::test]
async fn one_token_per_resource_server_with_other_tokens_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        let graph = idp.confidential_client("graph").await;

        let response = idp
            .post_form(
                TOKEN,
                Some(&graph),
                &[
                    ("grant_type", "client_credentials"),
                    ("scope", &format!("{TRANSFER_SCOPE} openid email")),
                ],
            )
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["resource_server"], "transfer.api.globus.org");
        assert_eq!(body["scope"], TRANSFER_SCOPE);
        assert_eq!(
            (body["expires_in"].as_i64(), body["token_type"].as_str()),
            (Some(172_800), Some("Bearer"))
        );
        assert!(
            body.get("refresh_token").is_none(),
            "client credentials get no refresh token"
        );
        let others = body["other_tokens"].as_array().unwrap();
        assert_eq!(others.len(), 1);
        assert_eq!(
            (
                others[0]["resource_server"].as_str(),
                others[0]["scope"].as_str()
            ),
            (Some("auth.globus.org"), Some("openid email"))
        );
        assert_ne!(others[0]["access_token"], body["access_token"]);

        // The token acts for the client itself.
        let info = idp
            .introspect(&graph, body["access_token"].as_str().unwrap(), None)
            .await;
        assert_eq!(info["active"], true);
        assert_eq!(info["sub"], graph.client.id.as_str());
        assert_eq!(info["client_id"], graph.client.id.as_str());
        assert_eq!(
            info["username"],
            format!("{}@clients.auth.globus.org", graph.client.id)
        );
        assert_eq!(info["scope"], TRANSFER_SCOPE);
        assert_eq!(info["iss"], idp.url.as_str());
        assert!(
            info["aud"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("transfer.api.globus.org"))
        );
        idp.stop().await;
    }
}

#[tokio::test]
async fn a_single_resource_server_still_has_an_empty_other_tokens() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let portal = idp.confidential_client("portal").await;
    let body = idp.client_token(&portal, TRANSFER_SCOPE).await;
    assert_eq!(body["other_tokens"], serde_json::json!([]));
    idp.stop().await;
}

#[tokio::test]
async fn basic_credentials_work_literal_and_rfc_form_encoded() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let client = idp.confidential_client("portal").await;
    let secret = client.secret.as_str();
    assert!(
        secret.ends_with('='),
        "secrets carry base64 padding, as Globus secrets do"
    );
    let encoded: String = secret
        .chars()
        .map(|c| match c {
            '+' => "%2B".to_owned(),
            '/' => "%2F".to_owned(),
            '=' => "%3D".to_owned(),
            other => other.to_string(),
        })
        .collect();
    for presented in [secret.to_owned(), encoded] {
        let header = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{presented}", client.client.id));
        let response = idp
            .http
            .post(idp.url(TOKEN))
            .header("Authorization", format!("Basic {header}"))
            .form(&[("grant_type", "client_credentials"), ("scope", "openid")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{presented}");
    }
    idp.stop().await;
}

#[tokio::test]
async fn bad_client_authentication_is_401_invalid_client() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let client = idp.confidential_client("portal").await;
    let native = idp.public_client("native").await;
    let form = [("grant_type", "client_credentials"), ("scope", "openid")];

    let wrong = idp
        .http
        .post(idp.url(TOKEN))
        .basic_auth(&client.client.id, Some("not-the-secret"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(
        wrong.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Basic")
    );
    assert_oauth_error(wrong, 401, "invalid_client").await;

    let unknown = idp
        .http
        .post(idp.url(TOKEN))
        .basic_auth("no-such-client", Some(client.secret.as_str()))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_oauth_error(unknown, 401, "invalid_client").await;

    assert_oauth_error(
        idp.post_form(TOKEN, None, &form).await,
        401,
        "invalid_client",
    )
    .await;

    // A public client has no secret to prove who it is: no client credentials for it.
    let public = idp
        .post_form(
            TOKEN,
            None,
            &[
                ("grant_type", "client_credentials"),
                ("scope", "openid"),
                ("client_id", &native.id),
            ],
        )
        .await;
    assert_oauth_error(public, 401, "invalid_client").await;
    idp.stop().await;
}

#[tokio::test]
async fn a_rotated_secret_replaces_the_old_one_at_once() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let old = idp.confidential_client("portal").await;
    let new_secret = mrdp_idp::registry::clients::rotate_secret(idp.store(), "portal")
        .await
        .unwrap();
    let form = [("grant_type", "client_credentials"), ("scope", "openid")];
    assert_oauth_error(
        idp.post_form(TOKEN, Some(&old), &form).await,
        401,
        "invalid_client",
    )
    .await;
    let new = Confidential {
        client: old.client.clone(),
        secret: new_secret.expose().to_owned(),
    };
    assert_eq!(idp.post_form(TOKEN, Some(&new), &form).await.status(), 200);
    idp.stop().await;
}

#[tokio::test]
async fn bad_requests_get_rfc_6749_errors() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let client = idp.confidential_client("portal").await;
    let grant = ("grant_type", "client_credentials");

    let unknown = idp
        .post_form(
            TOKEN,
            Some(&client),
            &[grant, ("scope", "openid urn:no:such:scope")],
        )
        .await;
    assert!(
        assert_oauth_error(unknown, 400, "invalid_scope")
            .await
            .contains("urn:no:such:scope")
    );
    assert_oauth_error(
        idp.post_form(TOKEN, Some(&client), &[grant]).await,
        400,
        "invalid_scope",
    )
    .await;
    let malformed = idp
        .post_form(TOKEN, Some(&client), &[grant, ("scope", "openid[email")])
        .await;
    assert!(
        assert_oauth_error(malformed, 400, "invalid_scope")
            .await
            .contains("unbalanced")
    );

    let password = idp
        .post_form(
            TOKEN,
            Some(&client),
            &[("grant_type", "password"), ("scope", "openid")],
        )
        .await;
    assert_oauth_error(password, 400, "unsupported_grant_type").await;
    assert_oauth_error(
        idp.post_form(TOKEN, Some(&client), &[("scope", "openid")])
            .await,
        400,
        "invalid_request",
    )
    .await;

    let json = idp
        .http
        .post(idp.url(TOKEN))
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_oauth_error(json, 400, "invalid_request").await;
    idp.stop().await;
}
