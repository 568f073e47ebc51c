//! Graphs through the portal, on both backends: alice's browser asks for graphs, follows the job
//! over SSE to its end, and reads every file through signed data-server URLs (the bytes listed);
//! the portal asked the graph service as alice (the job is hers there), bob finds none of it on
//! any route, and alice's delete goes through.

use crate::datasets::alice_and_bob;
use crate::graph_calls::{call, graph_token};
use crate::harness::TestApp;
use mrdp_shared::{GraphJob, GraphJobs, GraphLinks, GraphStatus, StoreBackend};
use serde_json::json;

async fn send(
    app: &TestApp,
    browser: &reqwest::Client,
    method: reqwest::Method,
    path: &str,
    body: Option<&serde_json::Value>,
) -> (u16, String) {
    let mut request = browser
        .request(method, app.url(path))
        .header("x-mrdp-csrf", "1");
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The events of a job's stream, read to its end: `(event, data)`.
pub async fn follow(app: &TestApp, browser: &reqwest::Client, id: &str) -> Vec<(String, String)> {
    let response = browser
        .get(app.url(&format!("/api/graphs/{id}/stream")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = tokio::time::timeout(std::time::Duration::from_secs(120), response.text())
        .await
        .expect("the stream ends when the job does")
        .unwrap();
    text.split("\n\n")
        .filter_map(|block| {
            let field = |name: &str| {
                block
                    .lines()
                    .find_map(|line| line.strip_prefix(name).map(str::to_owned))
            };
            Some((field("event: ")?, field("data: ")?))
        })
        .collect()
}

#[tokio::test]
async fn a_researcher_makes_follows_reads_and_deletes_graphs_through_the_portal_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let (alice, bob) = alice_and_bob(&app).await;
        let post = reqwest::Method::POST;
        let body = json!({"datasets": ["ewr", "lga"], "from_year": 2013, "to_year": 2013,
                          "charts": ["temperature", "comparison"]});
        let (status, text) = send(&app, &alice, post.clone(), "/api/graphs", Some(&body)).await;
        assert_eq!(status, 202, "{text}");
        let job: GraphJob = serde_json::from_str(&text).unwrap();

        let events = follow(&app, &alice, &job.id).await;
        let (last, data) = events.last().unwrap();
        assert_eq!(last, "end", "{events:?}");
        assert!(
            events[..events.len() - 1]
                .iter()
                .all(|(name, _)| name == "progress")
        );
        let ended: GraphJob = serde_json::from_str(data).unwrap();
        assert_eq!(ended.status, GraphStatus::Succeeded, "{ended:?}");
        let result = ended.result.unwrap();
        assert_eq!(result.charts.len(), 2 + 3);

        let alice_token = graph_token(&app, "alice").await;
        let (_, hers) = call(
            &app,
            reqwest::Method::GET,
            "/api/graphs",
            (Some(&alice_token), None),
        )
        .await;
        let hers: GraphJobs = serde_json::from_str(&hers).unwrap();
        assert_eq!(
            hers.jobs[0].id, job.id,
            "made as alice at the graph service"
        );

        let path = format!("/api/graphs/{}/links", job.id);
        let (status, text) = send(&app, &alice, post.clone(), &path, None).await;
        assert_eq!(status, 200, "{text}");
        let links: GraphLinks = serde_json::from_str(&text).unwrap();
        assert_eq!(links.links.len(), result.files.len());
        for (link, file) in links.links.iter().zip(&result.files) {
            assert_eq!(link.name, file.name);
            assert!(
                !link.url.starts_with(&app.url("")),
                "from the data server, not the portal"
            );
            let bytes = app
                .client
                .get(&link.url)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            assert_eq!(
                mrdp_graph::provenance::sha256_hex(&bytes),
                file.sha256,
                "{}",
                file.name
            );
        }

        for (method, route) in [
            (reqwest::Method::GET, format!("/api/graphs/{}", job.id)),
            (
                reqwest::Method::GET,
                format!("/api/graphs/{}/stream", job.id),
            ),
            (post.clone(), path.clone()),
            (reqwest::Method::DELETE, format!("/api/graphs/{}", job.id)),
        ] {
            let (status, _) = send(&app, &bob, method, &route, None).await;
            assert_eq!(status, 404, "bob: {route}");
        }
        let (_, none) = send(&app, &bob, reqwest::Method::GET, "/api/graphs", None).await;
        assert_eq!(serde_json::from_str::<GraphJobs>(&none).unwrap().jobs, []);
        let (status, _) = send(
            &app,
            &alice,
            reqwest::Method::GET,
            "/api/graphs/not-a-job",
            None,
        )
        .await;
        assert_eq!(status, 404);

        let (status, text) = send(
            &app,
            &alice,
            reqwest::Method::DELETE,
            &format!("/api/graphs/{}", job.id),
            None,
        )
        .await;
        assert_eq!(status, 204, "{text}");
        let (status, _) = send(&app, &alice, post, &path, None).await;
        assert_eq!(status, 404, "deleted");
        app.stop().await;
    }
}
