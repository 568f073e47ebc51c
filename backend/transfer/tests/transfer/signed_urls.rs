//! Signed URLs over real HTTP: signed for the bearer of a collection token, downloaded without
//! one (whole, a range, HEAD; on the sendfile path and through the routes), sent as an attachment
//! with CORS for the portal's origin only; every tampered part, another collection, a rule taken
//! back after signing and an upload refused with a 403 and not a byte of the file.

use crate::fixture::{CSV, Fixture, PORTAL_ORIGIN, csv};
use crate::operations::delete_rule_for;

/// `POST /signed-urls` as the bearer of `token` (`None`: no token): the status and the answer.
async fn sign(
    fixture: &Fixture,
    token: Option<&str>,
    collection: &str,
    path: &str,
) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/signed-urls", fixture.url))
        .json(&serde_json::json!({"collection": collection, "path": path}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn signed(fixture: &Fixture, path: &str) -> String {
    let (status, body) = sign(fixture, Some("alice"), &fixture.shared, path).await;
    assert_eq!(status, 200, "{body}");
    body["url"].as_str().unwrap().to_owned()
}

/// A refusal: 403, a JSON error, and none of the file's bytes.
async fn assert_refused(url: &str, why: &str) {
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 403, "{why}: {url}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "PermissionDenied", "{why}");
}

#[tokio::test]
async fn a_signed_url_downloads_the_file_whole_ranged_and_as_head_without_a_token() {
    let fixture = Fixture::start().await;
    let url = signed(&fixture, "/2020.csv").await;
    assert!(url.starts_with(&format!("{}/{}/2020.csv?", fixture.url, fixture.shared)));

    // No Origin: the sendfile path answers.
    let whole = reqwest::get(&url).await.unwrap();
    assert_eq!(whole.status(), 200);
    let disposition = whole.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"2020.csv\""),
        "{disposition}"
    );
    assert_eq!(whole.bytes().await.unwrap().as_ref(), csv().as_slice());

    let client = reqwest::Client::new();
    let range = client
        .get(&url)
        .header("range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), 206);
    assert_eq!(range.bytes().await.unwrap().as_ref(), &csv()[10..20]);
    let head = client.head(&url).send().await.unwrap();
    assert_eq!(head.headers()["content-length"], CSV.to_string().as_str());

    // From the portal's pages: the routes answer, with CORS for that origin only.
    let read = client
        .get(&url)
        .header("origin", PORTAL_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(read.headers()["access-control-allow-origin"], PORTAL_ORIGIN);
    assert!(
        read.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("2020.csv")
    );
    assert_eq!(read.bytes().await.unwrap().as_ref(), csv().as_slice());
    let elsewhere = client
        .get(&url)
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert!(
        !elsewhere
            .headers()
            .contains_key("access-control-allow-origin")
    );
    let preflight = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", PORTAL_ORIGIN)
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "range")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    assert_eq!(preflight.headers()["access-control-allow-headers"], "Range");
    fixture.stop().await;
}

#[tokio::test]
async fn a_tampered_url_another_collection_an_upload_or_a_withdrawn_rule_gets_nothing() {
    let fixture = Fixture::start().await;
    let url = signed(&fixture, "/2020.csv").await;
    let (address, query) = url.split_once('?').unwrap();
    let tampered = [
        (url.replace("/2020.csv?", "/public/readme.txt?"), "path"),
        (
            url.replace("identities=alice", "identities=bob"),
            "identity",
        ),
        (
            url.replace("groups=", "groups=6f1f5b3e-3c1a-4b7e-9d55-2f1c0a7d9e10"),
            "groups",
        ),
        (url.replace("expires=", "expires=9"), "expiry"),
        (url.replace("signature=", "signature=AAAA"), "signature"),
        (
            format!("{address}?{}", query.replace("&signature=", "&x=")),
            "no signature",
        ),
        (
            format!("{}/{}/data/2020.csv?{query}", fixture.url, fixture.mapped),
            "another collection",
        ),
    ];
    for (url, why) in &tampered {
        assert_refused(url, why).await;
    }
    let upload = reqwest::Client::new()
        .put(&url)
        .body("replaced")
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 403, "a signed URL only reads");
    assert_eq!(
        std::fs::read(fixture.root.join("data/2020.csv")).unwrap(),
        csv()
    );

    // The rule that let alice read is taken back after signing: refused at once.
    delete_rule_for(&fixture, "alice").await;
    assert_refused(&url, "rule deleted after signing").await;
    fixture.stop().await;
}

#[tokio::test]
async fn only_a_readable_file_is_signed_for_the_bearer_of_a_collection_token() {
    let fixture = Fixture::start().await;
    let shared = fixture.shared.clone();
    assert_eq!(sign(&fixture, None, &shared, "/2020.csv").await.0, 401);
    assert_eq!(
        sign(&fixture, Some("nobody"), &shared, "/2020.csv").await.0,
        401
    );
    assert_eq!(
        sign(&fixture, Some("alice-for-another"), &shared, "/2020.csv")
            .await
            .0,
        403
    );
    assert_eq!(
        sign(&fixture, Some("bob"), &shared, "/2020.csv").await.0,
        403,
        "bob writes /uploads only"
    );
    assert_eq!(
        sign(&fixture, Some("alice"), &shared, "/nope.csv").await.0,
        404
    );
    assert_eq!(
        sign(&fixture, Some("alice"), &shared, "/public").await.0,
        404,
        "a folder"
    );
    assert_eq!(
        sign(&fixture, Some("alice"), &shared, "/../secret.txt")
            .await
            .0,
        400
    );
    assert_eq!(
        sign(&fixture, Some("alice"), "no-such-collection", "/2020.csv")
            .await
            .0,
        404
    );
    fixture.stop().await;
}
