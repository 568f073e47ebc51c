//! Calls to the graph service as the tests make them: a researcher's token for its scope (from
//! the portal's vault, after signing in), the portal's own token, jobs submitted and waited for,
//! and what the results collection holds (its files on disk, its rules in the transfer store).

use crate::datasets::researcher;
use crate::harness::TestApp;
use mrdp_idp::bootstrap::{GRAPH_CLIENT, PORTAL_CLIENT, graph_scope};
use mrdp_server::seed::collection_id;
use mrdp_shared::{ApiError, ErrorCode, GraphJob, ServiceName};
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Signs `login` in through the portal; the token for the graph scope the portal holds for them.
pub async fn graph_token(app: &TestApp, login: &str) -> String {
    researcher(app, login).await;
    let graph = app.client_credentials(GRAPH_CLIENT).client_id;
    for (resource_server, tokens) in app.vault().await {
        if resource_server != graph {
            continue;
        }
        let introspected = app.introspect(&tokens.access_token).await;
        if introspected["username"]
            .as_str()
            .unwrap_or("")
            .starts_with(login)
        {
            return tokens.access_token;
        }
    }
    panic!("no graph token for {login}")
}

/// `(status, body)` of a call to the graph service with `token`.
pub async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    (token, body): (Option<&str>, Option<&Value>),
) -> (u16, String) {
    let url = format!("{}{path}", app.deployment.url(ServiceName::Graph));
    let mut request = app.client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

pub async fn submit(app: &TestApp, token: &str, body: &Value) -> GraphJob {
    let (status, text) = call(
        app,
        reqwest::Method::POST,
        "/api/graphs",
        (Some(token), Some(body)),
    )
    .await;
    assert_eq!(status, 202, "{text}");
    serde_json::from_str(&text).unwrap()
}

pub fn refusal(status_and_body: (u16, String)) -> (u16, ErrorCode, String) {
    let (status, body) = status_and_body;
    let error: ApiError =
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("{status}: {body}"));
    (status, error.code, error.message)
}

/// The job once it has ended.
pub async fn finished(app: &TestApp, token: &str, id: &str) -> GraphJob {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, body) = call(
            app,
            reqwest::Method::GET,
            &format!("/api/graphs/{id}"),
            (Some(token), None),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let job: GraphJob = serde_json::from_str(&body).unwrap();
        if job.status.finished() {
            return job;
        }
        assert!(Instant::now() < deadline, "the job did not end: {job:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Where the results collection's files are on disk.
pub fn results_dir(app: &TestApp) -> PathBuf {
    app.config.data_dir.join("collections/graph/results")
}

/// The rules of the results collection: `(principal, path, permissions)`.
pub async fn result_rules(app: &TestApp) -> Vec<(String, String, String)> {
    let store = app.store("transfer").await;
    let rules = sqlx::query_as(
        "SELECT principal, path, permissions FROM access_rules WHERE collection_id = $1 ORDER BY principal",
    )
    .bind(collection_id("graph-results"))
    .fetch_all(store.pool())
    .await
    .unwrap();
    store.close().await;
    rules
}

pub async fn identity_of(app: &TestApp, token: &str) -> String {
    app.introspect(token).await["sub"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The portal's client-credentials token for the graph scope, when the provider gives it one.
pub async fn portal_token_for_graphs(app: &TestApp) -> String {
    let graph = app.client_credentials(GRAPH_CLIENT);
    client_token(app, PORTAL_CLIENT, &graph_scope(&graph.client_id)).await
}

/// A client-credentials token of the embedded deployment's `client` for `scope`.
pub async fn client_token(app: &TestApp, client: &str, scope: &str) -> String {
    let client = app.client_credentials(client);
    client_token_with(app, (&client.client_id, &client.client_secret), scope).await
}

/// The provider's answer to a client-credentials request of the client `(id, secret)`.
pub async fn client_credentials(
    app: &TestApp,
    (id, secret): (&str, &str),
    scope: &str,
) -> reqwest::Response {
    app.client
        .post(format!(
            "{}/v2/oauth2/token",
            app.deployment.url(ServiceName::Idp)
        ))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials"), ("scope", scope)])
        .send()
        .await
        .unwrap()
}

/// A client-credentials token of the client `(id, secret)` for `scope`.
pub async fn client_token_with(app: &TestApp, client: (&str, &str), scope: &str) -> String {
    let answer: Value = client_credentials(app, client, scope)
        .await
        .json()
        .await
        .unwrap();
    answer["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"))
        .to_owned()
}

/// Waits for the delete task to remove `folder`.
pub async fn gone(folder: &std::path::Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while folder.exists() {
        assert!(
            Instant::now() < deadline,
            "{} was not deleted",
            folder.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
