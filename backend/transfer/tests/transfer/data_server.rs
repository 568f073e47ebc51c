//! The data server over real HTTP: downloads (whole, ranged, HEAD), streamed uploads, and every
//! refusal — no token, a dead token, the wrong scope, no access rule, path attacks, symbolic links
//! out of the collection.

use crate::fixture::{CSV, Fixture, csv, journalled};

#[tokio::test]
async fn files_download_whole_ranged_and_as_head() {
    let fixture = Fixture::start().await;
    let whole = fixture.get("/2020.csv", Some("alice")).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.bytes().await.unwrap().as_ref(), csv().as_slice());

    let range = reqwest::Client::new()
        .get(fixture.file(&fixture.shared, "/2020.csv"))
        .bearer_auth("alice")
        .header("range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), 206);
    assert_eq!(
        range.headers()["content-range"],
        format!("bytes 10-19/{CSV}").as_str()
    );
    assert_eq!(range.bytes().await.unwrap().as_ref(), &csv()[10..20]);

    let beyond = reqwest::Client::new()
        .get(fixture.file(&fixture.shared, "/2020.csv"))
        .bearer_auth("alice")
        .header("range", format!("bytes={}-", CSV + 10))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);

    let head = reqwest::Client::new()
        .head(fixture.file(&fixture.shared, "/2020.csv"))
        .bearer_auth("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], CSV.to_string().as_str());

    // The owner reaches the same file through the mapped collection.
    let owner = reqwest::Client::new()
        .get(fixture.file(&fixture.mapped, "/data/2020.csv"))
        .bearer_auth("portal")
        .send()
        .await
        .unwrap();
    assert_eq!(owner.status(), 200);
    fixture.stop().await;
}

#[tokio::test]
async fn every_request_without_the_right_token_or_rule_is_refused() {
    let fixture = Fixture::start().await;
    let status = |response: reqwest::Response| response.status().as_u16();
    let anonymous = fixture.get("/2020.csv", None).await;
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert_eq!(status(anonymous), 401);
    assert_eq!(status(fixture.get("/2020.csv", Some("made-up")).await), 401);
    assert_eq!(
        status(fixture.get("/2020.csv", Some("alice-for-another")).await),
        403,
        "wrong scope"
    );
    assert_eq!(
        status(fixture.get("/2020.csv", Some("bob")).await),
        403,
        "no rule for bob here"
    );
    assert_eq!(
        status(fixture.get("/public/readme.txt", None).await),
        200,
        "open to anyone"
    );
    assert_eq!(
        status(fixture.get("/missing.csv", Some("alice")).await),
        404
    );
    let nowhere = reqwest::Client::new()
        .get(fixture.file("no-such-collection", "/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(status(nowhere), 404);
    fixture.stop().await;
}

#[tokio::test]
async fn path_attacks_are_client_errors_and_nothing_outside_is_read() {
    let fixture = Fixture::start().await;
    assert_eq!(fixture.raw_status("/../../secret.txt").await, 400);
    assert_eq!(fixture.raw_status("/%2e%2e/%2e%2e/secret.txt").await, 400);
    assert_eq!(fixture.raw_status("/a%00b").await, 400);
    assert_eq!(
        fixture.raw_status(&format!("/{}", "n".repeat(300))).await,
        400
    );
    assert_eq!(fixture.raw_status("/.mrdp-partial-x").await, 400);
    let escape = fixture.get("/escape", Some("alice")).await;
    assert!(
        matches!(escape.status().as_u16(), 403 | 404),
        "a symbolic link out of the collection: {}",
        escape.status()
    );
    assert!(!escape.text().await.unwrap().contains("outside"));
    fixture.stop().await;
}

#[tokio::test]
async fn uploads_stream_in_and_appear_whole() {
    let fixture = Fixture::start().await;
    let body: Vec<u8> = (0..3_000_000_u32).map(|i| (i % 251) as u8).collect();
    let put = |path: &str, token: &str, body: Vec<u8>| {
        reqwest::Client::new()
            .put(fixture.file(&fixture.shared, path))
            .bearer_auth(token)
            .body(body)
            .send()
    };
    assert_eq!(
        put("/uploads/graph.bin", "bob", body.clone())
            .await
            .unwrap()
            .status(),
        200
    );
    let back = fixture.get("/uploads/graph.bin", Some("bob")).await;
    assert_eq!(back.bytes().await.unwrap().as_ref(), body.as_slice());
    let on_disk = fixture.tmp.path().join("root/data/uploads");
    let names: Vec<String> = std::fs::read_dir(&on_disk)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["graph.bin"], "no partial file left behind");
    assert_eq!(
        journalled(&fixture.store).await,
        0,
        "a finished upload leaves the journal"
    );

    assert_eq!(
        put("/uploads/x", "alice", vec![1]).await.unwrap().status(),
        403,
        "alice may only read"
    );
    assert_eq!(
        put("/2020.csv", "bob", vec![1]).await.unwrap().status(),
        403
    );
    assert_eq!(
        put("/uploads/no/such/dir/x", "bob", vec![1])
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        put("/uploads", "bob", vec![1]).await.unwrap().status(),
        409,
        "a directory"
    );
    assert_eq!(
        std::fs::read(fixture.tmp.path().join("root/data/2020.csv")).unwrap(),
        csv()
    );
    fixture.stop().await;
}

#[tokio::test]
async fn a_rule_for_a_group_lets_its_members_in_and_nobody_else() {
    let fixture = Fixture::start().await;
    let put = |token: &'static str| {
        reqwest::Client::new()
            .put(fixture.file(&fixture.shared, &format!("/uploads/{token}.txt")))
            .bearer_auth(token)
            .body(token)
            .send()
    };
    // carol's token says she is in the lab group, which may write /uploads/; dave is in none.
    assert_eq!(put("carol").await.unwrap().status(), 200);
    assert_eq!(put("dave").await.unwrap().status(), 403);
    let uploads = fixture.root.join("data/uploads");
    assert_eq!(
        std::fs::read_to_string(uploads.join("carol.txt")).unwrap(),
        "carol"
    );
    assert!(!uploads.join("dave.txt").exists());
    assert_eq!(fixture.get("/2020.csv", Some("carol")).await.status(), 403);
    fixture.stop().await;
}

/// The data server keeps a collection's rules a moment between downloads; taking a rule back
/// through the Transfer API closes the door at once all the same.
#[tokio::test]
async fn a_rule_taken_back_through_the_transfer_api_applies_at_once() {
    let fixture = Fixture::start().await;
    std::fs::write(fixture.root.join("data/uploads/mine.txt"), "mine").unwrap();
    assert_eq!(
        fixture.get("/uploads/mine.txt", Some("bob")).await.status(),
        200
    );
    crate::operations::delete_rule_for(&fixture, "bob").await;
    assert_eq!(
        fixture.get("/uploads/mine.txt", Some("bob")).await.status(),
        403
    );
    fixture.stop().await;
}
