//! The identities API (`/v2/api/identities`) and the Globus error envelope.

use crate::harness::{TRANSFER_SCOPE, TestIdp};
use mrdp_idp::registry::users::{self, NewUser};
use mrdp_service::clock::Clock;
use mrdp_shared::StoreBackend;
use serde_json::Value;

async fn alice(idp: &TestIdp) -> String {
    let new = NewUser {
        username: "alice".into(),
        name: "Alice Researcher".into(),
        email: Some("alice@example.org".into()),
        organization: Some("NOAA".into()),
        password: "a long password".into(),
    };
    users::create(idp.store(), idp.clock.now(), new)
        .await
        .unwrap()
        .id
}

async fn assert_envelope(response: reqwest::Response, status: u16, code: &str) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], code, "{body}");
    assert_eq!(body["errors"][0]["status"], status.to_string());
}

#[tokio::test]
async fn clients_look_up_identities_by_username_and_id_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        let id = alice(&idp).await;
        let portal = idp.confidential_client("portal").await;
        let get = |query: String| {
            idp.http
                .get(idp.url(&format!("/v2/api/identities{query}")))
                .basic_auth(&portal.client.id, Some(&portal.secret))
                .send()
        };

        let found: Value = get("?usernames=Alice@mrdp.local,nobody@mrdp.local".into())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let identities = found["identities"].as_array().unwrap();
        assert_eq!(identities.len(), 1, "unknown usernames are left out");
        let alice = &identities[0];
        assert_eq!(
            (alice["id"].as_str(), alice["username"].as_str()),
            (Some(id.as_str()), Some("alice@mrdp.local"))
        );
        assert_eq!(
            (alice["name"].as_str(), alice["email"].as_str()),
            (Some("Alice Researcher"), Some("alice@example.org"))
        );
        assert_eq!(
            (alice["status"].as_str(), alice["identity_type"].as_str()),
            (Some("used"), Some("login"))
        );

        let by_id: Value = get(format!("?ids={id},{}", portal.client.id))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(by_id["identities"].as_array().unwrap().len(), 2);
        assert_eq!(by_id["identities"][1]["identity_type"], "client");

        let one: Value = get(format!("/{id}")).await.unwrap().json().await.unwrap();
        assert_eq!(one["identity"]["username"], "alice@mrdp.local");
        assert_envelope(
            get("/00000000-0000-0000-0000-000000000000".into())
                .await
                .unwrap(),
            404,
            "NOT_FOUND",
        )
        .await;
        idp.stop().await;
    }
}

#[tokio::test]
async fn bearer_tokens_must_be_for_globus_auth() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    alice(&idp).await;
    let app = idp.confidential_client("app").await;
    let tokens = idp
        .client_token(&app, &format!("{TRANSFER_SCOPE} openid"))
        .await;
    let (transfer, auth) = (
        tokens["access_token"].as_str().unwrap(),
        tokens["other_tokens"][0]["access_token"].as_str().unwrap(),
    );
    let url = idp.url("/v2/api/identities?usernames=alice");

    let ok = idp.http.get(&url).bearer_auth(auth).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let wrong_audience = idp
        .http
        .get(&url)
        .bearer_auth(transfer)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_audience.headers()["www-authenticate"], "Bearer");
    assert_envelope(wrong_audience, 401, "UNAUTHORIZED").await;
    assert_envelope(
        idp.http.get(&url).send().await.unwrap(),
        401,
        "UNAUTHORIZED",
    )
    .await;
    assert_envelope(
        idp.http
            .get(&url)
            .bearer_auth("made-up")
            .send()
            .await
            .unwrap(),
        401,
        "UNAUTHORIZED",
    )
    .await;
    idp.stop().await;
}

#[tokio::test]
async fn malformed_lookups_and_unknown_paths_get_the_envelope() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let app = idp.confidential_client("app").await;
    let get = |path: &str| {
        idp.http
            .get(idp.url(path))
            .basic_auth(&app.client.id, Some(&app.secret))
            .send()
    };
    assert_envelope(get("/v2/api/identities").await.unwrap(), 400, "BAD_REQUEST").await;
    assert_envelope(
        get("/v2/api/identities?usernames=a&ids=b").await.unwrap(),
        400,
        "BAD_REQUEST",
    )
    .await;
    assert_envelope(
        get("/v2/api/identities?usernames=,").await.unwrap(),
        400,
        "BAD_REQUEST",
    )
    .await;
    let too_many = (0..101)
        .map(|i| format!("u{i}"))
        .collect::<Vec<_>>()
        .join(",");
    assert_envelope(
        get(&format!("/v2/api/identities?usernames={too_many}"))
            .await
            .unwrap(),
        400,
        "BAD_REQUEST",
    )
    .await;
    assert_envelope(
        get("/v2/api/no-such-thing").await.unwrap(),
        404,
        "NOT_FOUND",
    )
    .await;
    idp.stop().await;
}
