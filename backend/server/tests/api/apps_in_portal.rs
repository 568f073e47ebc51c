//! The Developer page's API, on both backends: a researcher allows the portal to manage her apps
//! (a sign-in with `apps=true`), registers a native app and a service (its secret in that answer
//! only), lists them, and deletes one. Her native app acts for whoever signs in to it (bob, here),
//! her service for itself, never for her; bob can neither see nor delete her apps.

use crate::app_tokens::{app_client, portal_scope, portal_token};
use crate::connections::complete_profile;
use crate::datasets::demo_user;
use crate::graph_calls::{client_credentials, client_token_with};
use crate::harness::TestApp;
use crate::sign_in::{as_user, browser, through_provider};
use mrdp_shared::{ApiError, AppKind, AppRegistered, Apps, ErrorCode, MeResponse, StoreBackend};
use serde_json::json;

/// `login`'s browser, signed in with the permission to manage apps, profile complete.
pub async fn developer(app: &TestApp, login: &str) -> reqwest::Client {
    let browser = browser();
    let started = browser
        .get(app.url("/api/auth/login?next=/developer&apps=true"))
        .send()
        .await
        .unwrap();
    let authorize = started.headers()["location"].to_str().unwrap().to_owned();
    let user = demo_user(app, login);
    let callback = through_provider(app, &browser, &authorize, &as_user(&user)).await;
    let landed = browser.get(&callback).send().await.unwrap();
    assert_eq!(landed.headers()["location"], "/developer");
    complete_profile(app, &browser).await;
    browser
}

pub async fn register(
    app: &TestApp,
    browser: &reqwest::Client,
    body: serde_json::Value,
) -> (u16, String) {
    let response = browser
        .post(app.url("/api/apps"))
        .header("x-mrdp-csrf", "1")
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

pub async fn read<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
) -> T {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

async fn delete(app: &TestApp, browser: &reqwest::Client, id: &str) -> u16 {
    let response = browser
        .delete(app.url(&format!("/api/apps/{id}")))
        .header("x-mrdp-csrf", "1")
        .send()
        .await
        .unwrap();
    response.status().as_u16()
}

#[tokio::test]
async fn a_researcher_registers_apps_that_act_for_whoever_signs_in_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let plain = crate::datasets::researcher(&app, "alice").await;
        let refused = plain.get(app.url("/api/apps")).send().await.unwrap();
        assert_eq!(refused.status(), 403);
        let error: ApiError = refused.json().await.unwrap();
        assert_eq!(error.code, ErrorCode::ConsentRequired);

        let alice = developer(&app, "alice").await;
        let callback = app.url("/app-callback");
        let (status, body) = register(
            &app,
            &alice,
            json!({"name": "Notebook", "kind": "native",
                                                            "redirect_uris": [callback]}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let native: AppRegistered = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (native.app.kind, native.client_secret),
            (AppKind::Native, None)
        );
        let (status, body) = register(
            &app,
            &alice,
            json!({"name": "Nightly sync", "kind": "service"}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let service: AppRegistered = serde_json::from_str(&body).unwrap();
        let secret = service
            .client_secret
            .clone()
            .expect("a service's secret, once");
        let (status, _) = register(
            &app,
            &alice,
            json!({"name": "No way back", "kind": "native"}),
        )
        .await;
        assert_eq!(status, 400);
        let listed: Apps = read(&app, &alice, "/api/apps").await;
        let names: Vec<&str> = listed.apps.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Nightly sync", "Notebook"], "by name");
        assert_eq!(listed.portal_scope, portal_scope(&app));
        let idp = app.deployment.url(mrdp_shared::ServiceName::Idp);
        assert_eq!(listed.code_page, format!("{idp}/v2/web/auth-code"));

        // bob signs in to alice's notebook: it acts for bob.
        let bobs = app_client(&portal_token(&app, &native.app.id, "bob").await);
        let me: MeResponse = read(&app, &bobs, "/api/me").await;
        assert!(me.username.starts_with("bob"), "{me:?}");
        // The service acts as itself.
        let own = client_token_with(&app, (&service.app.id, &secret), &portal_scope(&app)).await;
        let me: MeResponse = read(&app, &app_client(&own), "/api/me").await;
        assert_eq!(me.identity_id, service.app.id);

        // bob sees none of alice's apps and cannot delete them.
        let bob = developer(&app, "bob").await;
        let his: Apps = read(&app, &bob, "/api/apps").await;
        assert!(his.apps.is_empty());
        assert_eq!(delete(&app, &bob, &service.app.id).await, 404);
        assert_eq!(delete(&app, &alice, &service.app.id).await, 204);
        let listed: Apps = read(&app, &alice, "/api/apps").await;
        assert_eq!(listed.apps.len(), 1);
        // Deleted: the service can no longer get a token, and the one it holds was revoked (the
        // portal notices within its 30 s of introspection, see bearer_access).
        let again = client_credentials(&app, (&service.app.id, &secret), "openid").await;
        assert_eq!(again.status(), 401);
        assert_eq!(app.introspect(&own).await["active"], false);
        app.stop().await;
    }
}
