//! The services the portal may use for a researcher (`GET /api/me/connections`): closed until the
//! profile is complete, and every grant refreshed on use once its access token has expired.

use crate::harness::TestApp;
use crate::sign_in::{Seen, browser, sign_in};
use mrdp_idp::bootstrap::PORTAL_CLIENT;
use mrdp_server::deployment::{Deployment, Role};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::testing::ManualClock;
use mrdp_shared::{
    ApiError, ConnectionsResponse, ErrorCode, ProfileRequest, ServiceName, StoreBackend,
};
use std::sync::Arc;

/// Access tokens live this long in these tests (as at providers with short-lived tokens).
const LIFETIME: i64 = 600;

/// A deployment with short-lived access tokens on a clock the test moves, and a browser signed
/// in to it with a complete profile.
async fn signed_in(backend: StoreBackend) -> (TestApp, ManualClock, reqwest::Client) {
    let clock = ManualClock::starting_at(SystemClock.now());
    let app = TestApp::spawn_configured(backend, Arc::new(clock.clone()), |config| {
        config.idp.access_token_lifetime = LIFETIME;
    })
    .await;
    let browser = browser();
    sign_in(&app, &browser, "/", &mut Seen::default()).await;
    (app, clock, browser)
}

/// Completes the profile (`PUT /api/me/profile`), which opens every other feature.
pub async fn complete_profile(app: &TestApp, browser: &reqwest::Client) {
    let response = browser
        .put(app.url("/api/me/profile"))
        .header("x-mrdp-csrf", "1")
        .json(&ProfileRequest {
            name: "Alice Researcher".into(),
            email: "alice@example.org".into(),
            institution: "NOAA NCEI".into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn connections(app: &TestApp, browser: &reqwest::Client) -> reqwest::Response {
    connections_at(app.deployment.url(ServiceName::Portal), browser).await
}

async fn connections_at(portal: &str, browser: &reqwest::Client) -> reqwest::Response {
    browser
        .get(format!("{portal}/api/me/connections"))
        .send()
        .await
        .unwrap()
}

/// `GET /api/me/connections`, which must answer 200.
pub async fn connected(app: &TestApp, browser: &reqwest::Client) -> ConnectionsResponse {
    connected_at(app.deployment.url(ServiceName::Portal), browser).await
}

async fn connected_at(portal: &str, browser: &reqwest::Client) -> ConnectionsResponse {
    let response = connections_at(portal, browser).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn resource_servers(response: &ConnectionsResponse) -> Vec<&str> {
    response
        .connections
        .iter()
        .map(|c| c.resource_server.as_str())
        .collect()
}

#[tokio::test]
async fn features_are_closed_until_the_profile_is_complete() {
    let (app, _clock, browser) = signed_in(StoreBackend::Sqlite).await;
    let closed = connections(&app, &browser).await;
    assert_eq!(closed.status(), 403);
    assert_eq!(
        closed.json::<ApiError>().await.unwrap().code,
        ErrorCode::ProfileIncomplete
    );
    complete_profile(&app, &browser).await;
    let body = connections(&app, &browser).await.text().await.unwrap();
    for (resource_server, tokens) in app.vault().await {
        assert!(
            !body.contains(&tokens.access_token)
                && !body.contains(tokens.refresh_token.as_deref().unwrap()),
            "a {resource_server} token reached the browser"
        );
    }
    let open: ConnectionsResponse = serde_json::from_str(&body).unwrap();
    assert_eq!(open.connections.len(), 6, "{open:?}");
    assert!(open.connections.iter().all(|c| c.renewable));
    assert!(open.ended.is_empty());
    let anonymous = connections(&app, &reqwest::Client::new()).await;
    assert_eq!(anonymous.status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn an_expired_grant_is_refreshed_on_use_and_written_back_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let (app, clock, browser) = signed_in(backend).await;
        complete_profile(&app, &browser).await;
        let before = app.vault().await;
        let first = connected(&app, &browser).await;
        assert_eq!(
            app.vault().await,
            before,
            "fresh tokens are used as they are"
        );

        clock.advance(LIFETIME + 1);
        let second = connected(&app, &browser).await;
        assert_eq!(resource_servers(&second), resource_servers(&first));
        assert!(second.ended.is_empty());
        let after = app.vault().await;
        for ((resource_server, old), (_, new)) in before.iter().zip(&after) {
            assert_ne!(old.access_token, new.access_token, "{resource_server}");
            assert!(new.expires_at > old.expires_at, "{resource_server}");
            assert_eq!(
                app.introspect(&new.access_token).await["active"],
                true,
                "{resource_server}"
            );
            assert_eq!(
                app.introspect(&old.access_token).await["active"],
                false,
                "{resource_server}: expired"
            );
            // The provider rotated the refresh token, and the vault keeps the new one.
            assert_ne!(old.refresh_token, new.refresh_token, "{resource_server}");
        }
        for connection in &second.connections {
            let stored = &after
                .iter()
                .find(|(rs, _)| *rs == connection.resource_server)
                .unwrap()
                .1;
            assert_eq!(connection.expires_at, stored.expires_at);
        }
        // The replaced refresh token is dead: the provider refuses it (and, taking its reuse for
        // theft, ends the grant).
        let replaced = before[0].1.refresh_token.as_deref().unwrap();
        assert_eq!(app.refresh_status(replaced).await, 400);
        app.stop().await;
    }
}

#[tokio::test]
async fn concurrent_uses_of_an_expired_grant_refresh_it_once() {
    let (app, clock, browser) = signed_in(StoreBackend::Sqlite).await;
    complete_profile(&app, &browser).await;
    clock.advance(LIFETIME + 1);
    let answers = four_at_once(&app, &browser).await;
    for answer in answers {
        assert_eq!(answer.connections.len(), 6, "{answer:?}");
        assert!(
            answer.ended.is_empty(),
            "a second refresh looked like theft"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn concurrent_uses_of_an_expired_grant_on_two_portal_replicas_refresh_it_once() {
    let (app, clock, browser) = signed_in(StoreBackend::Postgres).await;
    complete_profile(&app, &browser).await;
    // A second portal on the same database, with its own in-process locks, as a replica.
    let mut config = app.config.clone();
    config.port_base = 0;
    let upstream = |service| Some(app.deployment.url(service).to_owned());
    config.upstreams.idp = upstream(ServiceName::Idp);
    config.upstreams.transfer = upstream(ServiceName::Transfer);
    config.upstreams.data = upstream(ServiceName::Data);
    config.upstreams.graph = upstream(ServiceName::Graph);
    let shared: Arc<ManualClock> = Arc::new(clock.clone());
    let replica = Deployment::start_with_clock(&config, Role::Portal, shared)
        .await
        .unwrap();
    let (first, second) = (
        app.deployment.url(ServiceName::Portal),
        replica.url(ServiceName::Portal),
    );
    assert_ne!(first, second);
    clock.advance(LIFETIME + 1);
    let answers = futures_util::future::join_all(
        [first, second, first, second, first, second].map(|portal| connected_at(portal, &browser)),
    )
    .await;
    for answer in answers {
        assert_eq!(answer.connections.len(), 6, "{answer:?}");
        assert!(
            answer.ended.is_empty(),
            "a second refresh, on the other replica, looked like theft"
        );
    }
    replica.stop().await;
    app.stop().await;
}

/// Four `GET /api/me/connections` at once.
async fn four_at_once(app: &TestApp, browser: &reqwest::Client) -> Vec<ConnectionsResponse> {
    let (a, b, c, d) = tokio::join!(
        connected(app, browser),
        connected(app, browser),
        connected(app, browser),
        connected(app, browser)
    );
    vec![a, b, c, d]
}

#[tokio::test]
async fn grants_revoked_at_the_provider_end_and_are_dropped() {
    let (app, clock, browser) = signed_in(StoreBackend::Sqlite).await;
    complete_profile(&app, &browser).await;
    let (transfer, tokens) = app
        .vault()
        .await
        .into_iter()
        .find(|(rs, _)| rs == "transfer.api.globus.org")
        .unwrap();
    // The researcher withdraws the portal's transfer permission at the provider.
    let portal = app.client_credentials(PORTAL_CLIENT);
    let revoked = app
        .client
        .post(format!(
            "{}/v2/oauth2/token/revoke",
            app.deployment.url(mrdp_shared::ServiceName::Idp)
        ))
        .basic_auth(&portal.client_id, Some(&portal.client_secret))
        .form(&[("token", tokens.refresh_token.unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);

    clock.advance(LIFETIME + 1);
    let answer = connected(&app, &browser).await;
    // Revoking a refresh token ends every token of the same authorization (RFC 7009 §2.1), so
    // the whole sign-in's grants end, and the researcher is asked to sign in again.
    assert!(answer.connections.is_empty(), "{answer:?}");
    assert_eq!(answer.ended.len(), 6);
    assert!(answer.ended.contains(&transfer));
    assert!(app.vault().await.is_empty(), "dead grants are dropped");
    app.stop().await;
}
