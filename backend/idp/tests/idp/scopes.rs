//! `POST /v2/api/clients/{client_id}/scopes`: clients make the scopes of the resource servers they
//! speak for, and tokens for those scopes follow, on both store backends.

use crate::harness::{Confidential, TestIdp};
use mrdp_shared::StoreBackend;
use serde_json::{Value, json};

/// Creates a scope of `owner` as `client` (none: unauthenticated); answers the status and body.
async fn create(
    idp: &TestIdp,
    client: Option<&Confidential>,
    owner: &str,
    scope: Value,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(idp.url(&format!("/v2/api/clients/{owner}/scopes")))
        .json(&json!({ "scope": scope }));
    if let Some(client) = client {
        request = request.basic_auth(&client.client.id, Some(client.secret.as_str()));
    }
    let response = request.send().await.unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

fn https() -> Value {
    json!({"name": "HTTPS", "description": "Read and write files over HTTPS", "scope_suffix": "https"})
}

#[tokio::test]
async fn clients_make_the_scopes_of_what_they_speak_for_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        let transfer = idp.confidential_client("transfer").await;
        let graph = idp.confidential_client("graph").await;
        let collection = uuid::Uuid::new_v4().to_string();

        // A new resource server, named by a fresh id (as a new collection is).
        let (status, made) = create(&idp, Some(&transfer), &collection, https()).await;
        assert_eq!(status, 200, "{made}");
        let string = format!("https://auth.globus.org/scopes/{collection}/https");
        assert_eq!(
            (
                made["scope"]["scope_string"].as_str(),
                made["scope"]["client"].as_str()
            ),
            (Some(string.as_str()), Some(collection.as_str()))
        );
        let id = made["scope"]["id"].as_str().unwrap().to_owned();
        assert!(uuid::Uuid::parse_str(&id).is_ok());

        // Its tokens are for that resource server, and its speaker introspects them.
        let token = idp.client_token(&graph, &string).await;
        assert_eq!(token["resource_server"], collection.as_str());
        let info = idp
            .introspect(&transfer, token["access_token"].as_str().unwrap(), None)
            .await;
        assert_eq!(
            (info["active"].as_bool(), info["scope"].as_str()),
            (Some(true), Some(string.as_str()))
        );

        let (status, _) = create(&idp, Some(&transfer), &collection, https()).await;
        assert_eq!(status, 409, "the scope exists");
        let mut other = https();
        other["scope_suffix"] = json!("data_access");
        let (status, _) = create(&idp, Some(&graph), &collection, other.clone()).await;
        assert_eq!(status, 403, "graph does not speak for the collection");
        let (status, _) = create(&idp, Some(&graph), &transfer.client.id, other.clone()).await;
        assert_eq!(status, 403, "nor for another client");
        let (status, _) =
            create(&idp, Some(&graph), "transfer.api.globus.org", other.clone()).await;
        assert_eq!(status, 403, "nor for a built-in resource server");
        let (status, _) = create(&idp, None, &collection, other.clone()).await;
        assert_eq!(status, 401);

        // A client's own scope, which lets its holder get dependent tokens for the collection's.
        let mut own = json!({"name": "Graphs", "description": "Make graphs", "scope_suffix": "all",
            "dependent_scopes": [{"scope": id, "optional": false, "requires_refresh_token": false}]});
        let (status, made) = create(&idp, Some(&graph), &graph.client.id, own.clone()).await;
        assert_eq!(status, 200, "{made}");
        assert_eq!(made["scope"]["dependent_scopes"][0]["scope"], id.as_str());
        let dependencies = mrdp_idp::registry::scopes::dependencies(
            idp.store(),
            made["scope"]["scope_string"].as_str().unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(dependencies, [(string.clone(), false)]);

        own["scope_suffix"] = json!("other");
        own["dependent_scopes"][0]["scope"] = json!(uuid::Uuid::new_v4().to_string());
        let refusals = [
            (own, "an unknown dependent scope"),
            (
                json!({"name": "x", "description": "y", "scope_suffix": "Bad-Suffix"}),
                "suffix",
            ),
            (
                json!({"name": " ", "description": "y", "scope_suffix": "ok"}),
                "empty name",
            ),
            (
                json!({"name": "x", "description": "y", "scope_suffix": "ok", "required_domains": ["a.org"]}),
                "domains",
            ),
            (json!({"name": "x"}), "missing fields"),
        ];
        for (body, why) in refusals {
            let (status, error) = create(&idp, Some(&graph), &graph.client.id, body).await;
            assert_eq!(
                (status, error["errors"][0]["code"].as_str()),
                (400, Some("BAD_REQUEST")),
                "{why}: {error}"
            );
        }
        let (status, _) = create(&idp, Some(&graph), "not-a-uuid", other).await;
        assert_eq!(status, 400, "a new resource server is named by a UUID");
        idp.stop().await;
    }
}
