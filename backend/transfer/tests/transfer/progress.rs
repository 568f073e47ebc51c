//! A task copying one large file, seen through the Transfer API while it runs: its progress
//! grows before the file is done, and a cancel stops the copy in the middle of the file, leaving
//! nothing at the destination — between local directories, and streamed into an S3 bucket.

use crate::copies::{finished, item, post};
use crate::fixture::{BUCKET, Backing, Fixture};
use crate::operations::get;
use crate::tasks::cancel;
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// A source no machine verifies in the time the test looks: 64 GiB, sparse (it takes no disk;
/// only what is copied before the cancel is written).
const HUGE: u64 = 64 << 30;

/// The task, once `seen` says so (polled every 50 ms, for at most a minute).
async fn task_once(fixture: &Fixture, id: &str, seen: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..1200 {
        let (_, task) = get(fixture, &format!("/task/{id}"), "bob-transfer").await;
        if seen(&task) {
            return task;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("task {id} never reached the state the test waits for");
}

/// The names in `dir` other than `kept`.
fn left_in(dir: &Path, kept: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != kept)
        .collect()
}

/// Copies a huge file from `source` (`/huge.bin` of its root, at `source_dir`) to the shared
/// collection's `/uploads/copy.bin`, watches its progress, cancels it and checks its end.
async fn watch_and_cancel(fixture: &Fixture, (source, source_path): (&str, &str)) {
    let body = json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
        "source_endpoint": source, "destination_endpoint": fixture.shared,
        "verify_checksum": true, "DATA": [item(source_path, "/uploads/copy.bin", false)]});
    let (status, accepted) = post(fixture, body).await;
    assert_eq!(status, 202, "{accepted}");
    let id = accepted["task_id"].as_str().unwrap();

    let bytes = |task: &Value| task["bytes_transferred"].as_u64().unwrap_or(0);
    let first = task_once(fixture, id, |task| bytes(task) > 0).await;
    let later = task_once(fixture, id, |task| bytes(task) > bytes(&first)).await;
    for seen in [&first, &later] {
        assert_eq!(
            (seen["status"].as_str(), seen["files_transferred"].as_u64()),
            (Some("ACTIVE"), Some(0)),
            "progress is counted while the file is still being copied: {seen}"
        );
        assert!(bytes(seen) < HUGE, "{seen}");
    }

    let canceled = cancel(fixture, id).await;
    assert_eq!(canceled["code"], "Canceled", "{canceled}");
    let stopped = finished(fixture, id).await;
    assert_eq!(
        (
            stopped["status"].as_str(),
            stopped["fatal_error"]["code"].as_str()
        ),
        (Some("FAILED"), Some("CANCELED")),
        "{stopped}"
    );
}

#[tokio::test]
async fn a_large_copy_shows_its_progress_and_stops_in_the_middle_when_canceled() {
    let fixture = Fixture::start().await;
    let uploads = fixture.root.join("data/uploads");
    std::fs::File::create(uploads.join("huge.bin"))
        .unwrap()
        .set_len(HUGE)
        .unwrap();
    watch_and_cancel(&fixture, (&fixture.shared, "/uploads/huge.bin")).await;
    assert_eq!(
        left_in(&uploads, "huge.bin"),
        Vec::<String>::new(),
        "no copy and no temporary file"
    );
    fixture.stop().await;
}

#[tokio::test]
async fn a_large_copy_into_a_bucket_shows_its_progress_and_leaves_no_object_when_canceled() {
    let fixture = Fixture::start_on(Backing::S3, true).await;
    let (local, local_root) = fixture.bobs_own_collection().await;
    std::fs::File::create(local_root.join("huge.bin"))
        .unwrap()
        .set_len(HUGE)
        .unwrap();
    watch_and_cancel(&fixture, (&local, "/huge.bin")).await;
    // The marker keeps the (empty) directory; the aborted upload left no object.
    let uploads = fixture.root.join("data/uploads");
    assert_eq!(
        left_in(&uploads, mrdp_transfer::paths::DIRECTORY_MARKER),
        Vec::<String>::new(),
        "no object"
    );
    // The S3 server keeps a multipart upload's parts beside its buckets until it is aborted.
    let s3_root = fixture.tmp.path().join("s3");
    let parts: Vec<String> = left_in(&s3_root, BUCKET)
        .into_iter()
        .filter(|name| name.starts_with(".upload"))
        .collect();
    assert_eq!(parts, Vec::<String>::new(), "the upload was aborted");
    fixture.stop().await;
}
