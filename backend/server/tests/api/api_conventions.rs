//! Conventions every route keeps: the API's version in a header on every answer (refusals
//! included), a version the portal does not serve refused by name, and catalog documents sent
//! with an `ETag` and answered `304` to a client that holds them.

use crate::datasets::researcher;
use crate::harness::TestApp;
use mrdp_shared::{ApiError, ErrorCode, StoreBackend};

fn version(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get("mrdp-api-version")
        .map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn every_answer_says_its_version_and_catalog_documents_are_conditional() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let alice = researcher(&app, "alice").await;

    let signed_in = alice.get(app.url("/api/me")).send().await.unwrap();
    let anonymous = app.get("/api/me").await;
    let unknown = app.get("/api/no-such-route").await;
    let cross_site = alice
        .post(app.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    for (response, status) in [
        (&signed_in, 200),
        (&anonymous, 401),
        (&unknown, 404),
        (&cross_site, 403),
    ] {
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(version(response), Some("1"), "{}", response.url());
    }
    let asked = |v: &'static str| {
        alice
            .get(app.url("/api/me"))
            .header("mrdp-api-version", v)
            .send()
    };
    assert_eq!(asked("1").await.unwrap().status(), 200);
    let refused = asked("2").await.unwrap();
    assert_eq!(version(&refused), Some("1"));
    let error: ApiError = refused.json().await.unwrap();
    assert_eq!(error.code, ErrorCode::BadRequest);
    assert!(error.message.contains("may be 1"), "{}", error.message);

    // A dataset's landing document and its JSON-LD, each with its own tag.
    let document = |accept: &'static str, tag: Option<String>| {
        let mut request = alice
            .get(app.url("/api/datasets/sea"))
            .header("accept", accept);
        if let Some(tag) = tag {
            request = request.header("if-none-match", tag);
        }
        request.send()
    };
    let mut tags = Vec::new();
    for accept in ["application/json", "application/ld+json"] {
        let first = document(accept, None).await.unwrap();
        assert_eq!(first.status(), 200);
        let tag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert!(tag.starts_with('"') && tag.ends_with('"'), "{tag}");
        let again = document(accept, Some(tag.clone())).await.unwrap();
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()["etag"].to_str().unwrap(), tag);
        assert!(again.bytes().await.unwrap().is_empty());
        let stale = document(accept, Some("\"stale\"".into())).await.unwrap();
        assert_eq!(stale.status(), 200);
        tags.push(tag);
    }
    assert_ne!(tags[0], tags[1], "the two forms are different documents");
    app.stop().await;
}
