//! Apps people register for themselves, through Globus Auth's client API, on both backends:
//! alice's project holds her native app and her service; the service's credential works until
//! she deletes it, and then nothing it was given does; a token without `manage_projects`, another
//! project, and requests that name no kind of app are refused; another owner sees none of hers.
//! Names need not be unique: both of alice's apps are "Notebook".

use crate::browser_flow::{client, signed_in_tokens};
use crate::harness::{Confidential, TestIdp, assert_oauth_error};
use crate::sign_in::add_alice;
use mrdp_shared::StoreBackend;
use serde_json::{Value, json};

const MANAGE: &str = "urn:globus:auth:scope:auth.globus.org:manage_projects";

/// `(status, body)` of a call to the client API with `token`.
async fn call(
    idp: &TestIdp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = idp.http.request(method, idp.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// A token of alice's for the identity provider's own scopes `scope`, through the portal client.
async fn alices_token(idp: &TestIdp, portal: &Confidential, scope: &str) -> String {
    let tokens = signed_in_tokens(idp, &portal.client, Some(&portal.secret), scope).await;
    tokens["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn people_register_apps_in_their_own_project_and_deleting_one_ends_it_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        add_alice(&idp).await;
        let (portal_row, secret) = client(&idp, "portal", false).await;
        let portal = Confidential {
            client: portal_row,
            secret: secret.unwrap(),
        };
        let alice = alices_token(&idp, &portal, &format!("openid {MANAGE}")).await;
        let (get, post, delete) = (
            reqwest::Method::GET,
            reqwest::Method::POST,
            reqwest::Method::DELETE,
        );
        let (status, projects) = call(&idp, &alice, get.clone(), "/v2/api/projects", None).await;
        assert_eq!(status, 200, "{projects}");
        let project = projects["projects"][0]["id"].as_str().unwrap().to_owned();

        let new = |fields: Value| {
            let mut client = json!({"name": "Notebook", "project": project});
            client
                .as_object_mut()
                .unwrap()
                .extend(fields.as_object().unwrap().clone());
            Some(json!({ "client": client }))
        };
        let native =
            new(json!({"public_client": true, "redirect_uris": ["http://127.0.0.1:9/cb"]}));
        let (status, native) = call(&idp, &alice, post.clone(), "/v2/api/clients", native).await;
        assert_eq!(status, 200, "{native}");
        assert_eq!(native["client"]["client_type"], "public_installed_client");
        let service = new(json!({"client_type": "client_identity"}));
        let (status, service) = call(&idp, &alice, post.clone(), "/v2/api/clients", service).await;
        assert_eq!(status, 200, "{service}");
        let service_id = service["client"]["id"].as_str().unwrap().to_owned();
        for (refused, status_wanted) in [
            (new(json!({"public_client": true})), 400),
            (
                new(json!({"public_client": true, "client_type": "confidential_client"})),
                400,
            ),
            (new(json!({"client_type": "resource_server"})), 400),
            (
                Some(
                    json!({"client": {"name": "X", "project": "elsewhere", "public_client": false}}),
                ),
                403,
            ),
        ] {
            let (status, body) = call(&idp, &alice, post.clone(), "/v2/api/clients", refused).await;
            assert_eq!(status, status_wanted, "{body}");
        }
        let openid_only = alices_token(&idp, &portal, "openid").await;
        let (status, _) = call(&idp, &openid_only, get.clone(), "/v2/api/clients", None).await;
        assert_eq!(status, 403, "a token without {MANAGE}");

        // The service's credential works; a native app has none to make.
        let credentials = format!("/v2/api/clients/{service_id}/credentials");
        let named = Some(json!({"credential": {"name": "laptop"}}));
        let (status, made) = call(&idp, &alice, post.clone(), &credentials, named.clone()).await;
        assert_eq!(status, 200, "{made}");
        let service = Confidential {
            client: mrdp_idp::registry::clients::find(idp.store(), &service_id)
                .await
                .unwrap()
                .unwrap(),
            secret: made["credential"]["secret"].as_str().unwrap().to_owned(),
        };
        let own = idp.client_token(&service, "openid").await;
        let own = own["access_token"].as_str().unwrap().to_owned();
        let native_id = native["client"]["id"].as_str().unwrap();
        let native_credentials = format!("/v2/api/clients/{native_id}/credentials");
        let (status, _) = call(&idp, &alice, post.clone(), &native_credentials, named).await;
        assert_eq!(status, 400);

        // Another owner (a service managing its own apps) sees none of alice's.
        let other = idp.confidential_client("other").await;
        let other = idp.client_token(&other, MANAGE).await;
        let other = other["access_token"].as_str().unwrap();
        let (_, listed) = call(&idp, other, get.clone(), "/v2/api/clients", None).await;
        assert_eq!(listed["clients"], json!([]));
        let hers = format!("/v2/api/clients/{service_id}");
        assert_eq!(call(&idp, other, get.clone(), &hers, None).await.0, 404);
        assert_eq!(call(&idp, other, delete.clone(), &hers, None).await.0, 404);
        let (_, listed) = call(&idp, &alice, get.clone(), "/v2/api/clients", None).await;
        assert_eq!(listed["clients"].as_array().unwrap().len(), 2);

        // Deleted: its tokens end, and it can no longer authenticate.
        assert_eq!(call(&idp, &alice, delete, &hers, None).await.0, 200);
        assert_eq!(idp.introspect(&portal, &own, None).await["active"], false);
        let again = idp
            .post_form(
                "/v2/oauth2/token",
                Some(&service),
                &[("grant_type", "client_credentials"), ("scope", "openid")],
            )
            .await;
        assert_oauth_error(again, 401, "invalid_client").await;
        assert_eq!(call(&idp, &alice, get, &hers, None).await.0, 404);
        idp.stop().await;
    }
}
