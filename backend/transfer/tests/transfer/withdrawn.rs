//! Access withdrawn while a task runs: a task is checked at submission, but it keeps its
//! submitter's access only as long as the rules do. Before each file, batch or path, the engine
//! judges again: a rule deleted in the middle of a task, or before a stopped task resumes, stops it
//! touching anything more (files added since included); a collection deleted under a task
//! cancels it. The engine is held at its gate so that the rules change exactly between two files.

use crate::copies::{finished, item, submitted, task_when};
use crate::fixture::Fixture;
use crate::operations::{call, get};
use mrdp_transfer::access::Principal;
use mrdp_transfer::access_rules;
use serde_json::{Value, json};
use std::path::PathBuf;

/// Files above the batch limit (1 MiB), so that each is a piece of work of its own.
const BIG: usize = 1_500_000;

/// Four files in bob's `/uploads/big/`.
fn big_files(fixture: &Fixture) -> PathBuf {
    let dir = fixture.root.join("data/uploads/big");
    std::fs::create_dir_all(&dir).unwrap();
    for n in 1..=4 {
        std::fs::write(dir.join(format!("f{n}")), vec![n; BIG]).unwrap();
    }
    dir
}

/// Deletes bob's rule on the catalog's `/uploads/`.
async fn withdraw_bobs_rule(fixture: &Fixture) {
    let rules = access_rules::list(&fixture.store, &fixture.shared)
        .await
        .unwrap();
    let bobs = rules
        .iter()
        .find(|rule| rule.principal == Principal::Identity("bob".into()))
        .unwrap();
    assert!(
        access_rules::delete(&fixture.store, &fixture.shared, &bobs.id)
            .await
            .unwrap()
    );
}

fn copy_to(fixture: &Fixture, destination: &str) -> Value {
    json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
           "source_endpoint": fixture.shared, "destination_endpoint": destination,
           "verify_checksum": true, "DATA": [item("/uploads/big/", "/copy/", true)]})
}

fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The task's events, `(code, description)` each.
async fn events(fixture: &Fixture, id: &str) -> Vec<(String, String)> {
    let (_, events) = get(fixture, &format!("/task/{id}/event_list"), "bob-transfer").await;
    events["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| {
            let text = |field: &str| event[field].as_str().unwrap().to_owned();
            (text("code"), text("description"))
        })
        .collect()
}

#[tokio::test]
async fn a_rule_deleted_in_the_middle_of_a_copy_stops_it_at_the_next_file() {
    let (fixture, permits) = Fixture::start_held().await;
    let big = big_files(&fixture);
    let (bobs, bobs_root) = fixture.bobs_own_collection().await;
    let id = submitted(&fixture, "transfer", copy_to(&fixture, &bobs)).await;

    permits.add_permits(1);
    task_when(&fixture, &id, |task| task["files_transferred"] == 1).await;
    withdraw_bobs_rule(&fixture).await;
    std::fs::write(big.join("f5"), "added later").unwrap();
    permits.add_permits(100);

    let task = finished(&fixture, &id).await;
    assert_eq!(
        (&task["status"], &task["fatal_error"]["code"]),
        (&json!("FAILED"), &json!("PERMISSION_DENIED")),
        "{task}"
    );
    assert_eq!(
        (&task["files_transferred"], &task["subtasks_failed"]),
        (&json!(1), &json!(3))
    );
    assert_eq!(
        names(&bobs_root.join("copy")).len(),
        1,
        "nothing after the rule went"
    );
    let denied: Vec<String> = events(&fixture, &id)
        .await
        .into_iter()
        .filter(|(code, about)| code == "PERMISSION_DENIED" && about.starts_with("/uploads/big/f"))
        .map(|(_, about)| about)
        .collect();
    assert_eq!(
        denied.len(),
        3,
        "one event for each file not copied: {denied:?}"
    );
    fixture.stop().await;
}

#[tokio::test]
async fn a_task_resumed_after_its_rule_was_deleted_copies_nothing() {
    let fixture = Fixture::start_with(false).await;
    let big = big_files(&fixture);
    let (bobs, bobs_root) = fixture.bobs_own_collection().await;
    let id = submitted(&fixture, "transfer", copy_to(&fixture, &bobs)).await;
    withdraw_bobs_rule(&fixture).await;
    std::fs::write(big.join("f5"), "added later").unwrap();

    // The service comes back: its engine takes up the task it had accepted.
    fixture.restart_engine();
    let task = finished(&fixture, &id).await;
    assert_eq!(
        (&task["status"], &task["fatal_error"]["code"]),
        (&json!("FAILED"), &json!("PERMISSION_DENIED")),
        "{task}"
    );
    assert_eq!(task["files_transferred"], 0);
    assert!(names(&bobs_root).is_empty(), "not even a directory made");
    let denied = events(&fixture, &id).await;
    assert!(
        denied
            .iter()
            .any(|(code, about)| code == "PERMISSION_DENIED" && about.starts_with("/uploads/big")),
        "{denied:?}"
    );
    fixture.stop().await;
}

#[tokio::test]
async fn deleting_a_collection_cancels_the_tasks_that_use_it() {
    let (fixture, permits) = Fixture::start_held().await;
    big_files(&fixture);
    let (bobs, bobs_root) = fixture.bobs_own_collection().await;
    let id = submitted(&fixture, "transfer", copy_to(&fixture, &bobs)).await;

    permits.add_permits(1);
    task_when(&fixture, &id, |task| task["files_transferred"] == 1).await;
    let endpoint = format!("/endpoint/{bobs}");
    let (status, deleted) = call(&fixture, "DELETE", &endpoint, Some("bob-transfer"), None).await;
    assert_eq!(status, 200, "{deleted}");
    permits.add_permits(100);

    let task = finished(&fixture, &id).await;
    assert_eq!(
        (&task["status"], &task["fatal_error"]["code"]),
        (&json!("FAILED"), &json!("CANCELED")),
        "{task}"
    );
    let why = task["fatal_error"]["description"].as_str().unwrap();
    assert!(why.contains("was deleted"), "{why}");
    assert_eq!(names(&bobs_root.join("copy")).len(), 1);
    fixture.stop().await;
}

#[tokio::test]
async fn a_delete_task_stops_deleting_once_its_rule_is_gone() {
    let (fixture, permits) = Fixture::start_held().await;
    let uploads = fixture.root.join("data/uploads");
    for name in ["a.txt", "b.txt"] {
        std::fs::write(uploads.join(name), name).unwrap();
    }
    let body = json!({"DATA_TYPE": "delete", "endpoint": fixture.shared,
        "submission_id": uuid::Uuid::new_v4().to_string(),
        "DATA": [{"DATA_TYPE": "delete_item", "path": "/uploads/a.txt"},
                 {"DATA_TYPE": "delete_item", "path": "/uploads/b.txt"}]});
    let id = submitted(&fixture, "delete", body).await;

    permits.add_permits(1);
    task_when(&fixture, &id, |task| task["subtasks_succeeded"] == 1).await;
    withdraw_bobs_rule(&fixture).await;
    permits.add_permits(100);

    let task = finished(&fixture, &id).await;
    assert_eq!(
        (
            &task["status"],
            &task["fatal_error"]["code"],
            &task["subtasks_failed"]
        ),
        (&json!("FAILED"), &json!("PERMISSION_DENIED"), &json!(1)),
        "{task}"
    );
    assert_eq!(names(&uploads), ["b.txt"], "the second path was left alone");
    fixture.stop().await;
}
