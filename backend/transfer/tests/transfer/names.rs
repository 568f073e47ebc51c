//! Names a file system allows but the Transfer API cannot carry (not UTF-8): a listing shows them
//! for what they are (`other`, the name as best it reads); a recursive task copies everything
//! else and reports each of them with an `INVALID_NAME` event, and fails for them unless it was
//! submitted with `skip_source_errors`.

use crate::copies::{finished, item, post};
use crate::fixture::Fixture;
use crate::operations::{get, kinds};
use serde_json::{Value, json};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

/// bob's `/uploads/names/`: `good.txt`, a file and a directory whose names are not UTF-8.
fn plant(fixture: &Fixture) {
    let dir = fixture.root.join("data/uploads/names");
    std::fs::create_dir_all(dir.join(OsStr::from_bytes(b"dir-\xfe"))).unwrap();
    std::fs::write(
        dir.join(OsStr::from_bytes(b"dir-\xfe")).join("inside.txt"),
        "in",
    )
    .unwrap();
    std::fs::write(dir.join(OsStr::from_bytes(b"bad-\xff.txt")), "bad").unwrap();
    std::fs::write(dir.join("good.txt"), "good").unwrap();
}

async fn copy_names(fixture: &Fixture, skip_source_errors: bool) -> (Value, std::path::PathBuf) {
    let (bobs, bobs_root) = fixture.bobs_own_collection().await;
    let body = json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
        "source_endpoint": fixture.shared, "destination_endpoint": bobs,
        "skip_source_errors": skip_source_errors,
        "DATA": [item("/uploads/names/", "/names/", true)]});
    let (status, accepted) = post(fixture, body).await;
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["task_id"].as_str().unwrap().to_owned();
    let task = finished(fixture, &id).await;
    let (_, events) = get(fixture, &format!("/task/{id}/event_list"), "bob-transfer").await;
    let invalid = events["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["code"] == "INVALID_NAME" && event["is_error"] == true)
        .filter(|event| {
            event["description"]
                .as_str()
                .unwrap()
                .ends_with("is not a UTF-8 name")
        })
        .count();
    assert_eq!(invalid, 2, "one event for each name: {events}");
    assert_eq!(
        std::fs::read_to_string(bobs_root.join("names/good.txt")).unwrap(),
        "good"
    );
    (task, bobs_root)
}

#[tokio::test]
async fn a_listing_shows_names_that_are_not_utf8_as_other() {
    let fixture = Fixture::start().await;
    plant(&fixture);
    let ops = format!("/operation/endpoint/{}", fixture.shared);
    let (status, listing) = get(
        &fixture,
        &format!("{ops}/ls?path=/uploads/names"),
        "bob-transfer",
    )
    .await;
    assert_eq!(status, 200, "{listing}");
    let kinds = kinds(&listing);
    assert_eq!(
        kinds,
        [
            ("bad-\u{fffd}.txt", "other"),
            ("dir-\u{fffd}", "other"),
            ("good.txt", "file")
        ]
    );
    fixture.stop().await;
}

#[tokio::test]
async fn a_recursive_task_copies_every_other_file_and_fails_for_names_it_cannot_carry() {
    let fixture = Fixture::start().await;
    plant(&fixture);
    let (task, bobs_root) = copy_names(&fixture, false).await;
    assert_eq!(
        (
            &task["status"],
            &task["fatal_error"]["code"],
            &task["subtasks_failed"]
        ),
        (&json!("FAILED"), &json!("INVALID_NAME"), &json!(2)),
        "{task}"
    );
    let copied: Vec<_> = std::fs::read_dir(bobs_root.join("names"))
        .unwrap()
        .collect();
    assert_eq!(copied.len(), 1, "only good.txt");
    fixture.stop().await;
}

#[tokio::test]
async fn skip_source_errors_lets_a_task_with_such_names_succeed() {
    let fixture = Fixture::start().await;
    plant(&fixture);
    let (task, _) = copy_names(&fixture, true).await;
    assert_eq!(
        (
            &task["status"],
            &task["files_transferred"],
            &task["subtasks_failed"]
        ),
        (&json!("SUCCEEDED"), &json!(1), &json!(2)),
        "{task}"
    );
    fixture.stop().await;
}
