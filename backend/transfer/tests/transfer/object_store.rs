//! Collections in a bucket of a real S3-compatible server (`s3s-fs`, SigV4): the listings and file
//! operations of the Transfer API, the data server in both directions, and transfer tasks into,
//! out of and within the bucket, verified.

use crate::copies::{finished, item, post, transfer};
use crate::fixture::{BUCKET, Backing, CSV, Fixture, access, csv};
use crate::operations::{assert_listings_refused, call, get, names};
use mrdp_service::testing::s3_server::{S3Server, SECRET_KEY};
use mrdp_transfer::paths::CollectionPath;
use mrdp_transfer::storage::StorageError;
use mrdp_transfer::storage::object::ObjectStorage;
use serde_json::{Value, json};

/// Bytes that differ from block to block (a misplaced part would show).
fn pattern(length: usize) -> Vec<u8> {
    (0..length)
        .map(|i| (i % 251) as u8 ^ (i >> 20) as u8)
        .collect()
}

async fn operation(fixture: &Fixture, name: &str, token: &str, body: Value) -> (u16, Value) {
    let path = format!("/operation/endpoint/{}/{name}", fixture.shared);
    call(fixture, "POST", &path, Some(token), Some(body)).await
}

#[tokio::test]
async fn requests_not_signed_with_the_stores_key_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let s3 = S3Server::start(tmp.path(), &[BUCKET]).await;
    std::fs::write(s3.bucket_dir(BUCKET).join("a.txt"), "a").unwrap();
    let url = format!("s3://{BUCKET}");
    let a = CollectionPath::parse("/a.txt").unwrap();
    let signed = ObjectStorage::open(&url, &access(&s3, SECRET_KEY)).unwrap();
    assert_eq!(signed.stat(&a).await.unwrap().size, 1);
    let forged = ObjectStorage::open(&url, &access(&s3, "not-the-secret")).unwrap();
    assert!(matches!(
        forged.stat(&a).await,
        Err(StorageError::Io { .. })
    ));
    assert_eq!(
        ObjectStorage::open("s3://", &access(&s3, SECRET_KEY)).unwrap_err(),
        "`s3://` is not an s3://bucket/prefix storage URL"
    );
}

#[tokio::test]
async fn files_in_a_bucket_are_listed_made_renamed_and_deleted() {
    let fixture = Fixture::start_on(Backing::S3, true).await;
    let ops = format!("/operation/endpoint/{}", fixture.shared);
    let (status, root) = get(&fixture, &format!("{ops}/ls?path=/~/"), "alice-transfer").await;
    assert_eq!(status, 200, "{root}");
    assert_eq!(names(&root), ["2020.csv", "public", "uploads"]);
    assert_eq!(
        (
            root["DATA"][0]["type"].as_str(),
            root["DATA"][0]["size"].as_u64()
        ),
        (Some("file"), Some(CSV as u64))
    );
    assert_eq!(root["DATA"][1]["type"], "dir");
    let (_, uploads) = get(
        &fixture,
        &format!("{ops}/ls?path=/uploads/&show_hidden=true"),
        "alice-transfer",
    )
    .await;
    assert_eq!(
        names(&uploads),
        Vec::<&str>::new(),
        "the marker is never shown"
    );
    let (status, stat) = get(
        &fixture,
        &format!("{ops}/stat?path=/2020.csv"),
        "alice-transfer",
    )
    .await;
    assert_eq!((status, stat["size"].as_u64()), (200, Some(CSV as u64)));
    assert_listings_refused(&fixture, &ops).await;
    let (status, _) = get(
        &fixture,
        &format!("{ops}/ls?path=/uploads/.mrdp-directory"),
        "alice-transfer",
    )
    .await;
    assert_eq!(status, 400, "the marker's name is reserved");

    let mkdir = |path: &str| json!({"DATA_TYPE": "mkdir", "path": path});
    let (status, made) = operation(&fixture, "mkdir", "bob-transfer", mkdir("/uploads/a")).await;
    assert_eq!(
        (status, made["code"].as_str()),
        (200, Some("DirectoryCreated"))
    );
    let (status, exists) = operation(&fixture, "mkdir", "bob-transfer", mkdir("/uploads/a/")).await;
    assert_eq!(
        (status, exists["code"].as_str()),
        (502, Some("ExternalError.MkdirFailed.Exists"))
    );
    let (status, _) = operation(&fixture, "mkdir", "bob-transfer", mkdir("/uploads/x/y")).await;
    assert_eq!(status, 404, "the parent must exist");
    let (_, listed) = get(
        &fixture,
        &format!("{ops}/ls?path=/uploads/"),
        "bob-transfer",
    )
    .await;
    assert_eq!(names(&listed), ["a"], "an empty directory exists");

    // A directory with a file in it is renamed whole.
    let put = reqwest::Client::new()
        .put(fixture.file(&fixture.shared, "/uploads/a/f.txt"))
        .bearer_auth("bob")
        .body("in a")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    let rename = json!({"DATA_TYPE": "rename", "old_path": "/uploads/a", "new_path": "/uploads/b"});
    let (status, renamed) = operation(&fixture, "rename", "bob-transfer", rename.clone()).await;
    assert_eq!(
        (status, renamed["code"].as_str()),
        (200, Some("FileRenamed"))
    );
    let (status, _) = operation(&fixture, "rename", "bob-transfer", rename).await;
    assert_eq!(status, 409, "the new name is taken");
    let (_, listed) = get(
        &fixture,
        &format!("{ops}/ls?path=/uploads/"),
        "bob-transfer",
    )
    .await;
    assert_eq!(names(&listed), ["b"], "nothing is left at the old name");
    let moved = fixture.root.join("data/uploads/b");
    assert_eq!(
        std::fs::read_to_string(moved.join("f.txt")).unwrap(),
        "in a"
    );
    assert!(!fixture.root.join("data/uploads/a/f.txt").exists());
    let got = fixture.get("/uploads/b/f.txt", Some("alice")).await;
    assert_eq!(got.text().await.unwrap(), "in a");

    // A delete task removes the directory and everything below it.
    let submission = uuid::Uuid::new_v4().to_string();
    let body = json!({"DATA_TYPE": "delete", "endpoint": fixture.shared,
        "submission_id": submission, "recursive": true,
        "DATA": [{"DATA_TYPE": "delete_item", "path": "/uploads/b"}]});
    let (status, accepted) = call(
        &fixture,
        "POST",
        "/delete",
        Some("bob-transfer"),
        Some(body),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    let task = finished(&fixture, accepted["task_id"].as_str().unwrap()).await;
    assert_eq!(task["status"], "SUCCEEDED", "{task}");
    let (_, listed) = get(
        &fixture,
        &format!("{ops}/ls?path=/uploads/"),
        "bob-transfer",
    )
    .await;
    assert_eq!(names(&listed), Vec::<&str>::new());
    fixture.stop().await;
}

#[tokio::test]
async fn the_data_server_streams_files_in_and_out_of_a_bucket() {
    let fixture = Fixture::start_on(Backing::S3, true).await;
    let whole = fixture.get("/2020.csv", Some("alice")).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.bytes().await.unwrap(), csv());
    let client = reqwest::Client::new();
    let csv_url = fixture.file(&fixture.shared, "/2020.csv");
    let part = client
        .get(&csv_url)
        .bearer_auth("alice")
        .header("Range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 10-19/{CSV}").as_str()
    );
    assert_eq!(part.bytes().await.unwrap(), csv()[10..20]);
    let head = client
        .head(&csv_url)
        .bearer_auth("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(head.headers()["content-length"], CSV.to_string().as_str());
    let past = client
        .get(&csv_url)
        .bearer_auth("alice")
        .header("Range", format!("bytes={CSV}-"))
        .send()
        .await
        .unwrap();
    assert_eq!(past.status(), 416);
    assert_eq!(fixture.get("/uploads", Some("alice")).await.status(), 409);
    assert_eq!(fixture.get("/nope.csv", Some("alice")).await.status(), 404);

    // 20 MiB goes up as a multipart upload and comes back whole.
    let big = pattern(20 << 20);
    let upload = |path: &str, token: &str| {
        client
            .put(fixture.file(&fixture.shared, path))
            .bearer_auth(token)
            .body(big.clone())
            .send()
    };
    assert_eq!(
        upload("/uploads/big.bin", "bob").await.unwrap().status(),
        200
    );
    let back = fixture.get("/uploads/big.bin", Some("alice")).await;
    assert_eq!(back.bytes().await.unwrap().as_ref(), big.as_slice());
    assert_eq!(
        std::fs::read(fixture.root.join("data/uploads/big.bin")).unwrap(),
        big
    );
    assert_eq!(
        upload("/uploads/missing/big.bin", "bob")
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        upload("/uploads/other.bin", "alice")
            .await
            .unwrap()
            .status(),
        403
    );
    assert!(!fixture.root.join("data/uploads/other.bin").exists());
    fixture.stop().await;
}

#[tokio::test]
async fn tasks_copy_verified_into_out_of_and_within_a_bucket() {
    let fixture = Fixture::start_on(Backing::S3, true).await;
    let nested = fixture.root.join("data/public/nested");
    std::fs::create_dir_all(&nested).unwrap();
    // Larger than a part: the copy into the bucket is a multipart upload.
    let big = pattern(12 << 20);
    std::fs::write(nested.join("big.bin"), &big).unwrap();
    let (local, local_root) = fixture.bobs_own_collection().await;
    let between = |from: &str, to: &str, items: Value| {
        json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
            "source_endpoint": from, "destination_endpoint": to,
            "verify_checksum": true, "DATA": items})
    };
    let run = |body: Value| async {
        let (status, accepted) = post(&fixture, body).await;
        assert_eq!(status, 202, "{accepted}");
        finished(&fixture, accepted["task_id"].as_str().unwrap()).await
    };

    // Out of the bucket into a local directory.
    let out = run(between(
        &fixture.shared,
        &local,
        json!([item("/public/", "/in/", true)]),
    ))
    .await;
    assert_eq!(
        (out["status"].as_str(), out["files_transferred"].as_u64()),
        (Some("SUCCEEDED"), Some(2)),
        "{out}"
    );
    assert_eq!(
        out["bytes_checksummed"].as_u64(),
        Some(big.len() as u64 + 5)
    );
    assert_eq!(
        std::fs::read(local_root.join("in/nested/big.bin")).unwrap(),
        big
    );
    assert_eq!(
        std::fs::read_to_string(local_root.join("in/readme.txt")).unwrap(),
        "hello"
    );

    // From the local directory into the bucket, verified with SHA-256.
    let mut sha256 = item("/in/", "/uploads/back/", true);
    sha256["checksum_algorithm"] = json!("SHA256");
    let back = run(between(&local, &fixture.shared, json!([sha256]))).await;
    assert_eq!(back["status"], "SUCCEEDED", "{back}");
    let stored = fixture.root.join("data/uploads/back");
    assert_eq!(std::fs::read(stored.join("nested/big.bin")).unwrap(), big);
    assert_eq!(
        std::fs::read_to_string(stored.join("readme.txt")).unwrap(),
        "hello"
    );

    // Within the bucket, then again with checksums compared (sync level 3): nothing to copy.
    let items = json!([item("/uploads/back/", "/uploads/again/", true)]);
    let within = transfer(&fixture, items.clone(), None).await;
    assert_eq!(
        (
            within["status"].as_str(),
            within["files_transferred"].as_u64()
        ),
        (Some("SUCCEEDED"), Some(2)),
        "{within}"
    );
    assert_eq!(
        std::fs::read(fixture.root.join("data/uploads/again/nested/big.bin")).unwrap(),
        big
    );
    let synced = transfer(&fixture, items, Some(3)).await;
    assert_eq!(
        (
            synced["files_skipped"].as_u64(),
            synced["files_transferred"].as_u64()
        ),
        (Some(2), Some(0)),
        "{synced}"
    );
    fixture.stop().await;
}
