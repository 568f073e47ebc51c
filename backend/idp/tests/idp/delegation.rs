//! Dependent tokens (Globus) and RFC 8693 token exchange: the graph service acts for the user.

use crate::browser_flow::{client, signed_in_tokens};
use crate::harness::{Confidential, TRANSFER_SCOPE, TestIdp, assert_oauth_error};
use crate::sign_in::add_alice;
use mrdp_idp::registry::scopes::{self, ScopeDefinition};
use mrdp_shared::StoreBackend;
use serde_json::Value;

const TOKEN: &str = "/v2/oauth2/token";
const DEPENDENT: &str = "urn:globus:auth:grant_type:dependent_token";
pub const EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

pub struct Setup {
    pub idp: TestIdp,
    pub portal: Confidential,
    pub graph: Confidential,
    graph_scope: String,
    /// The portal's token response: `openid` first, the graph service's token in `other_tokens`,
    /// each with a refresh token.
    pub tokens: Value,
    /// The token the portal got for the graph service, acting for alice.
    pub graph_token: String,
    alice_id: String,
}

/// alice signs in to the portal, which asks for the graph service's scope.
pub async fn setup(backend: StoreBackend) -> Setup {
    let idp = TestIdp::spawn(backend).await;
    add_alice(&idp).await;
    let (portal_row, portal_secret) = client(&idp, "portal", false).await;
    let graph = idp.confidential_client("graph").await;
    let graph_scope = format!("https://auth.globus.org/scopes/{}/all", graph.client.id);
    scopes::register_resource_server(idp.store(), &graph.client.id, Some(&graph.client.id))
        .await
        .unwrap();
    let definition = ScopeDefinition {
        scope: graph_scope.clone(),
        resource_server: graph.client.id.clone(),
        description: "Make graphs".into(),
        dependencies: vec![(TRANSFER_SCOPE.into(), false)],
    };
    scopes::register(idp.store(), &definition).await.unwrap();

    let tokens = signed_in_tokens(
        &idp,
        &portal_row,
        portal_secret.as_deref(),
        &format!("openid {graph_scope}"),
    )
    .await;
    let graph_token = tokens["other_tokens"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let alice_id = idp.introspect(&graph, &graph_token, None).await["sub"]
        .as_str()
        .unwrap()
        .to_owned();
    let portal = Confidential {
        client: portal_row,
        secret: portal_secret.unwrap(),
    };
    Setup {
        idp,
        portal,
        graph,
        graph_scope,
        tokens,
        graph_token,
        alice_id,
    }
}

impl Setup {
    /// A dependent-token request for `token`, by `caller`, with `extra` form fields.
    pub async fn dependent(
        &self,
        caller: Option<&Confidential>,
        token: &str,
        extra: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut form = vec![("grant_type", DEPENDENT), ("token", token)];
        form.extend_from_slice(extra);
        self.idp.post_form(TOKEN, caller, &form).await
    }

    /// The first dependent token `caller` gets for `token`, which must be given.
    pub async fn first_dependent(&self, caller: &Confidential, token: &str) -> String {
        let response = self.dependent(Some(caller), token, &[]).await;
        let status = response.status();
        let tokens: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{tokens}");
        tokens[0]["access_token"].as_str().unwrap().to_owned()
    }
}

#[tokio::test]
async fn the_graph_service_gets_transfer_tokens_for_the_user_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let s = setup(backend).await;
        let response = s
            .dependent(
                Some(&s.graph),
                &s.graph_token,
                &[("access_type", "offline")],
            )
            .await;
        assert_eq!(response.status(), 200);
        let tokens: Value = response.json().await.unwrap();
        let tokens = tokens
            .as_array()
            .expect("the dependent-token response is a JSON array");
        assert_eq!(tokens.len(), 1);
        assert_eq!(
            (
                tokens[0]["resource_server"].as_str(),
                tokens[0]["scope"].as_str()
            ),
            (Some("transfer.api.globus.org"), Some(TRANSFER_SCOPE))
        );
        assert!(
            tokens[0]["refresh_token"].is_string(),
            "access_type=offline"
        );

        // The token acts for alice (not for the portal, nor the graph service), through the graph client.
        let info = s
            .idp
            .introspect(&s.graph, tokens[0]["access_token"].as_str().unwrap(), None)
            .await;
        assert_eq!(
            (info["sub"].as_str(), info["client_id"].as_str()),
            (Some(s.alice_id.as_str()), Some(s.graph.client.id.as_str()))
        );
        s.idp.stop().await;
    }
}

#[tokio::test]
async fn only_the_tokens_audience_may_exchange_it() {
    let s = setup(StoreBackend::Sqlite).await;
    let by_portal = s.dependent(Some(&s.portal), &s.graph_token, &[]).await;
    assert!(
        assert_oauth_error(by_portal, 400, "invalid_grant")
            .await
            .contains("resource server")
    );
    let anonymous = s.dependent(None, &s.graph_token, &[]).await;
    assert_oauth_error(anonymous, 401, "invalid_client").await;
    let unknown = s.dependent(Some(&s.graph), "made-up", &[]).await;
    assert_oauth_error(unknown, 400, "invalid_grant").await;
    s.idp.stop().await;
}

#[tokio::test]
async fn scope_narrows_to_dependent_scopes_only() {
    let s = setup(StoreBackend::Sqlite).await;
    let narrowed = s
        .dependent(Some(&s.graph), &s.graph_token, &[("scope", TRANSFER_SCOPE)])
        .await;
    assert_eq!(narrowed.status(), 200);
    let beyond = s
        .dependent(Some(&s.graph), &s.graph_token, &[("scope", "openid")])
        .await;
    assert_oauth_error(beyond, 400, "invalid_scope").await;
    s.idp.stop().await;
}

#[tokio::test]
async fn a_dependency_added_after_consent_is_not_granted_silently() {
    let s = setup(StoreBackend::Sqlite).await;
    let definition = ScopeDefinition {
        scope: s.graph_scope.clone(),
        resource_server: s.graph.client.id.clone(),
        description: "Make graphs".into(),
        dependencies: vec![(TRANSFER_SCOPE.into(), false), ("email".into(), false)],
    };
    scopes::register(s.idp.store(), &definition).await.unwrap();
    let response = s.dependent(Some(&s.graph), &s.graph_token, &[]).await;
    assert!(
        assert_oauth_error(response, 400, "invalid_scope")
            .await
            .contains("has not allowed email")
    );
    s.idp.stop().await;
}

#[tokio::test]
async fn rfc_8693_token_exchange_gives_the_same_delegation() {
    let s = setup(StoreBackend::Sqlite).await;
    let form = [
        ("grant_type", EXCHANGE),
        ("subject_token", s.graph_token.as_str()),
        ("subject_token_type", ACCESS_TOKEN_TYPE),
    ];
    let response = s.idp.post_form(TOKEN, Some(&s.graph), &form).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["issued_token_type"], ACCESS_TOKEN_TYPE);
    assert_eq!(
        (
            body["resource_server"].as_str(),
            body["token_type"].as_str()
        ),
        (Some("transfer.api.globus.org"), Some("Bearer"))
    );
    let info = s
        .idp
        .introspect(&s.graph, body["access_token"].as_str().unwrap(), None)
        .await;
    assert_eq!(info["sub"], s.alice_id.as_str());

    let untyped = s
        .idp
        .post_form(
            TOKEN,
            Some(&s.graph),
            &[("grant_type", EXCHANGE), ("subject_token", &s.graph_token)],
        )
        .await;
    assert_oauth_error(untyped, 400, "invalid_request").await;
    let elsewhere = [
        ("grant_type", EXCHANGE),
        ("subject_token", s.graph_token.as_str()),
        ("subject_token_type", ACCESS_TOKEN_TYPE),
        ("audience", "auth.globus.org"),
    ];
    assert_oauth_error(
        s.idp.post_form(TOKEN, Some(&s.graph), &elsewhere).await,
        400,
        "invalid_target",
    )
    .await;
    s.idp.stop().await;
}

#[tokio::test]
async fn consent_to_an_app_covers_the_chain_of_services_below_it_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let s = setup(backend).await;
        // The portal speaks for a scope of its own that depends on the graph service's.
        let portal_scope = format!("https://auth.globus.org/scopes/{}/all", s.portal.client.id);
        scopes::register_resource_server(
            s.idp.store(),
            &s.portal.client.id,
            Some(&s.portal.client.id),
        )
        .await
        .unwrap();
        let definition = ScopeDefinition {
            scope: portal_scope.clone(),
            resource_server: s.portal.client.id.clone(),
            description: "Use the portal".into(),
            dependencies: vec![(s.graph_scope.clone(), false)],
        };
        scopes::register(s.idp.store(), &definition).await.unwrap();
        // What alice allowed the portal itself is taken back: the chain rests on what she
        // allows the app alone.
        sqlx::query("DELETE FROM consents WHERE client_id = $1")
            .bind(&s.portal.client.id)
            .execute(s.idp.store().pool())
            .await
            .unwrap();
        let (notebook, _) = client(&s.idp, "notebook", true).await;
        let app_tokens = signed_in_tokens(&s.idp, &notebook, None, &portal_scope).await;
        let app_token = app_tokens["access_token"].as_str().unwrap();
        let graph_token = s.first_dependent(&s.portal, app_token).await;
        let transfer_token = s.first_dependent(&s.graph, &graph_token).await;
        let info = s.idp.introspect(&s.graph, &transfer_token, None).await;
        assert_eq!(
            (info["sub"].as_str(), info["scope"].as_str()),
            (Some(s.alice_id.as_str()), Some(TRANSFER_SCOPE)),
            "the transfer token acts for the person who signed in to the app"
        );
        s.idp.stop().await;
    }
}
