//! Transfer tasks: directories copied recursively and verified, files already there skipped by
//! sync level (and left out of the bytes expected), successful transfers listed, and submissions
//! without permission refused.

use crate::fixture::{CSV, Fixture, csv};
use crate::operations::{call, get};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;

/// bob's task `id` once it is no longer active.
pub async fn finished(fixture: &Fixture, id: &str) -> Value {
    task_when(fixture, id, |task| task["status"] != "ACTIVE").await
}

/// bob's task `id` once `done` says so of its document.
pub async fn task_when(fixture: &Fixture, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..600 {
        let (_, task) = get(fixture, &format!("/task/{id}"), "bob-transfer").await;
        if done(&task) {
            return task;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("task {id} never got there");
}

/// Submits `body` as bob to `/{what}` (`transfer`, `delete`); answers the task's id.
pub async fn submitted(fixture: &Fixture, what: &str, body: Value) -> String {
    let path = format!("/{what}");
    let (status, accepted) = call(fixture, "POST", &path, Some("bob-transfer"), Some(body)).await;
    assert_eq!(status, 202, "{accepted}");
    accepted["task_id"].as_str().unwrap().to_owned()
}

/// `POST /v0.10/transfer` as bob.
pub async fn post(fixture: &Fixture, body: Value) -> (u16, Value) {
    call(
        fixture,
        "POST",
        "/transfer",
        Some("bob-transfer"),
        Some(body),
    )
    .await
}

/// Submits a transfer within the shared collection as bob; answers the task when it ends.
pub async fn transfer(fixture: &Fixture, items: Value, sync_level: Option<u8>) -> Value {
    let submission = uuid::Uuid::new_v4().to_string();
    let mut body = json!({"DATA_TYPE": "transfer", "submission_id": submission,
        "source_endpoint": fixture.shared, "destination_endpoint": fixture.shared,
        "label": "copy", "verify_checksum": true, "DATA": items});
    if let Some(level) = sync_level {
        body["sync_level"] = json!(level);
    }
    let (status, accepted) = post(fixture, body).await;
    assert_eq!(
        (status, accepted["code"].as_str()),
        (202, Some("Accepted")),
        "{accepted}"
    );
    finished(fixture, accepted["task_id"].as_str().unwrap()).await
}

pub fn item(from: &str, to: &str, recursive: bool) -> Value {
    json!({"DATA_TYPE": "transfer_item", "source_path": from, "destination_path": to, "recursive": recursive})
}

fn data(fixture: &Fixture) -> PathBuf {
    fixture.tmp.path().join("root/data")
}

#[tokio::test]
async fn a_directory_is_copied_verified_and_listed_and_then_skipped_when_in_sync() {
    let fixture = Fixture::start().await;
    std::fs::create_dir_all(data(&fixture).join("public/nested/deeper")).unwrap();
    std::fs::write(data(&fixture).join("public/nested/deeper/c.bin"), csv()).unwrap();
    std::fs::write(data(&fixture).join("public/.hidden"), "h").unwrap();

    let task = transfer(
        &fixture,
        json!([item("/public/", "/uploads/copy/", true)]),
        None,
    )
    .await;
    assert_eq!(
        (task["status"].as_str(), task["type"].as_str()),
        (Some("SUCCEEDED"), Some("TRANSFER")),
        "{task}"
    );
    assert_eq!(
        (
            task["files"].as_u64(),
            task["files_transferred"].as_u64(),
            task["directories"].as_u64()
        ),
        (Some(3), Some(3), Some(3))
    );
    let bytes = CSV as u64 + 5 + 1;
    assert_eq!(
        (
            task["bytes_transferred"].as_u64(),
            task["bytes_checksummed"].as_u64(),
            task["bytes_expected"].as_u64()
        ),
        (Some(bytes), Some(bytes), Some(bytes))
    );
    let copy = data(&fixture).join("uploads/copy");
    assert_eq!(
        std::fs::read(copy.join("nested/deeper/c.bin")).unwrap(),
        csv()
    );
    assert_eq!(
        std::fs::read_to_string(copy.join("readme.txt")).unwrap(),
        "hello"
    );
    assert!(
        std::fs::read_dir(copy.join("nested/deeper"))
            .unwrap()
            .all(|e| !e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".mrdp-partial"))
    );

    let id = task["task_id"].as_str().unwrap();
    let (_, listed) = get(
        &fixture,
        &format!("/task/{id}/successful_transfers"),
        "bob-transfer",
    )
    .await;
    assert_eq!(
        (listed["DATA_TYPE"].as_str(), &listed["next_marker"]),
        (Some("successful_transfers"), &Value::Null)
    );
    let mut destinations: Vec<&str> = listed["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["destination_path"].as_str().unwrap())
        .collect();
    destinations.sort_unstable();
    assert_eq!(
        destinations,
        [
            "/uploads/copy/.hidden",
            "/uploads/copy/nested/deeper/c.bin",
            "/uploads/copy/readme.txt"
        ]
    );

    // Again with sync level 1 (size): nothing to copy.
    let again = transfer(
        &fixture,
        json!([item("/public/", "/uploads/copy/", true)]),
        Some(1),
    )
    .await;
    assert_eq!(
        (
            again["status"].as_str(),
            again["files_skipped"].as_u64(),
            again["files_transferred"].as_u64()
        ),
        (Some("SUCCEEDED"), Some(3), Some(0))
    );
    assert_eq!(
        again["bytes_expected"], 0,
        "what is skipped is not expected"
    );
    // Level 3 (checksum) finds a changed file whose size did not change.
    std::fs::write(copy.join("readme.txt"), "HELLO").unwrap();
    let checked = transfer(
        &fixture,
        json!([item(
            "/public/readme.txt",
            "/uploads/copy/readme.txt",
            false
        )]),
        Some(3),
    )
    .await;
    assert_eq!(checked["files_transferred"], 1);
    assert_eq!(
        std::fs::read_to_string(copy.join("readme.txt")).unwrap(),
        "hello"
    );
    fixture.stop().await;
}

#[tokio::test]
async fn a_file_is_copied_into_folders_that_do_not_exist_yet() {
    let fixture = Fixture::start().await;
    let into = item(
        "/public/readme.txt",
        "/uploads/new/deeper/readme.txt",
        false,
    );
    let task = transfer(&fixture, json!([into]), None).await;
    assert_eq!(task["status"], "SUCCEEDED", "{task}");
    let copied = data(&fixture).join("uploads/new/deeper/readme.txt");
    assert_eq!(std::fs::read(copied).unwrap(), b"hello");
    fixture.stop().await;
}

#[tokio::test]
async fn an_item_is_verified_with_the_checksum_it_asks_for() {
    let fixture = Fixture::start().await;
    // A large file (copied on its own, block by block) and a small one (copied in a batch).
    let large: Vec<u8> = (0..(3 << 20) + 5).map(|i: u32| (i % 253) as u8).collect();
    std::fs::write(data(&fixture).join("public/large.bin"), &large).unwrap();
    for (algorithm, source, expected) in [
        ("SHA256", "readme.txt", &b"hello"[..]),
        ("BLAKE3", "readme.txt", &b"hello"[..]),
        ("BLAKE3", "large.bin", &large[..]),
        ("MD5", "large.bin", &large[..]),
    ] {
        let target = format!("/uploads/{algorithm}-{source}");
        let mut verified = item(&format!("/public/{source}"), &target, false);
        verified["checksum_algorithm"] = json!(algorithm);
        let task = transfer(&fixture, json!([verified]), None).await;
        assert_eq!(
            (task["status"].as_str(), task["bytes_checksummed"].as_u64()),
            (Some("SUCCEEDED"), Some(expected.len() as u64)),
            "{task}"
        );
        let copied = data(&fixture).join(target.trim_start_matches('/'));
        assert!(
            std::fs::read(copied).unwrap() == expected,
            "{target} differs"
        );
    }
    let mut unknown = item("/public/readme.txt", "/uploads/crc.txt", false);
    unknown["checksum_algorithm"] = json!("CRC32");
    let body = json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
        "source_endpoint": fixture.shared, "destination_endpoint": fixture.shared, "DATA": [unknown]});
    let (status, error) = post(&fixture, body).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (400, Some("ClientError.BadRequest"))
    );
    fixture.stop().await;
}

#[tokio::test]
async fn transfers_fail_with_their_reason_and_refuse_what_is_not_allowed() {
    let fixture = Fixture::start().await;
    let missing = transfer(
        &fixture,
        json!([item("/public/nope.txt", "/uploads/nope.txt", false)]),
        None,
    )
    .await;
    assert_eq!(
        (
            missing["status"].as_str(),
            missing["fatal_error"]["code"].as_str()
        ),
        (Some("FAILED"), Some("FILE_NOT_FOUND"))
    );
    let directory = transfer(
        &fixture,
        json!([item("/public/", "/uploads/p/", false)]),
        None,
    )
    .await;
    assert_eq!(directory["fatal_error"]["code"], "NOT_A_FILE");

    let refusals = [
        (
            json!([item("/public/readme.txt", "/copy.txt", false)]),
            403,
            "EndpointPermissionDenied",
        ),
        (
            json!([item("/2020.csv", "/uploads/2020.csv", false)]),
            403,
            "EndpointPermissionDenied",
        ),
        (json!([]), 400, "ClientError.BadRequest.NoTransferItems"),
    ];
    for (items, status, code) in refusals {
        let body = json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
            "source_endpoint": fixture.shared, "destination_endpoint": fixture.shared, "DATA": items});
        let (got, error) = post(&fixture, body).await;
        assert_eq!(
            (got, error["code"].as_str()),
            (status, Some(code)),
            "{items}"
        );
    }
    assert!(!data(&fixture).join("copy.txt").exists());
    fixture.stop().await;
}

#[tokio::test]
async fn a_file_that_fails_in_a_batch_is_tried_on_its_own_and_the_files_before_it_are_kept() {
    let fixture = Fixture::start().await;
    let source = data(&fixture).join("public/batch");
    std::fs::create_dir_all(&source).unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(source.join(name), name).unwrap();
    }
    // A directory where b.txt should land: writing b.txt fails however often it is tried.
    let copy = data(&fixture).join("uploads/batch");
    std::fs::create_dir_all(copy.join("b.txt")).unwrap();

    let task = transfer(
        &fixture,
        json!([item("/public/batch/", "/uploads/batch/", true)]),
        None,
    )
    .await;
    assert_eq!(
        (
            task["status"].as_str(),
            task["fatal_error"]["code"].as_str()
        ),
        (Some("FAILED"), Some("ENDPOINT_ERROR")),
        "{task}"
    );
    // a.txt came before b.txt in the batch: it is in place and counted.
    assert_eq!(
        std::fs::read_to_string(copy.join("a.txt")).unwrap(),
        "a.txt"
    );
    assert_eq!(task["files_transferred"], 1, "{task}");
    // b.txt went through the one-file path: its failed attempts are the task's faults.
    assert_eq!(task["faults"], 2, "{task}");
    assert!(!copy.join("c.txt").exists(), "nothing after the failure");
    let (_, events) = get(
        &fixture,
        &format!("/task/{}/event_list", task["task_id"].as_str().unwrap()),
        "bob-transfer",
    )
    .await;
    assert!(
        events["DATA"]
            .as_array()
            .unwrap()
            .iter()
            .any(|event| event["code"] == "FAULT"
                && event["details"].as_str().unwrap_or("").contains("b.txt")),
        "{events}"
    );
    fixture.stop().await;
}
