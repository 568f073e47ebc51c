//! A transfer's `preserve_timestamp` (each copy keeps its source's modification time, on the
//! batched path for small files and the one-file path for larger ones) and a task's `deadline`
//! (refused when gone by; past it, the task fails EXPIRED and copies nothing more).

use crate::copies::{finished, item, post, submitted, task_when};
use crate::fixture::Fixture;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::testing::ManualClock;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// 2001-01-01T00:00:00Z.
const LONG_AGO: u64 = 978_307_200;

fn modified(path: &Path) -> u64 {
    let at = std::fs::metadata(path).unwrap().modified().unwrap();
    at.duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn body(fixture: &Fixture, items: Value, options: Value) -> Value {
    let mut body = json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
        "source_endpoint": fixture.shared, "destination_endpoint": fixture.shared, "DATA": items});
    for (key, value) in options.as_object().unwrap() {
        body[key] = value.clone();
    }
    body
}

#[tokio::test]
async fn copies_keep_their_sources_modification_time_when_asked() {
    let fixture = Fixture::start().await;
    let uploads = fixture.tmp.path().join("root/data/uploads");
    std::fs::create_dir_all(uploads.join("src")).unwrap();
    // A small file (copied in a batch) and one over 1 MiB (copied on its own).
    for (name, size) in [("small.txt", 10), ("large.bin", 3 << 20)] {
        let path = uploads.join("src").join(name);
        std::fs::write(&path, vec![7_u8; size]).unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(UNIX_EPOCH + Duration::from_secs(LONG_AGO))
            .unwrap();
    }
    for (kept, into) in [(true, "/uploads/kept/"), (false, "/uploads/new/")] {
        let items = json!([item("/uploads/src/", into, true)]);
        let options = json!({"preserve_timestamp": kept, "verify_checksum": true});
        let id = submitted(&fixture, "transfer", body(&fixture, items, options)).await;
        let task = finished(&fixture, &id).await;
        assert_eq!(task["status"], "SUCCEEDED", "{task}");
        let folder = uploads.join(into.trim_matches('/').trim_start_matches("uploads/"));
        for name in ["small.txt", "large.bin"] {
            let at = modified(&folder.join(name));
            if kept {
                assert_eq!(at, LONG_AGO, "{name} keeps its source's time");
            } else {
                let now = u64::try_from(SystemClock.now()).unwrap();
                assert!(at + 600 > now, "{name} is as new as its copy: {at}");
            }
        }
    }
    fixture.stop().await;
}

#[tokio::test]
async fn a_task_past_its_deadline_fails_expired_and_a_deadline_gone_by_is_refused() {
    let clock = Arc::new(ManualClock::starting_at(SystemClock.now()));
    let (fixture, permits) = Fixture::start_held_at(clock.clone()).await;
    let items = json!([item(
        "/public/readme.txt",
        "/uploads/late/readme.txt",
        false
    )]);

    for deadline in ["yesterday", "2001-01-01T00:00:00+00:00"] {
        let refused = body(&fixture, items.clone(), json!({ "deadline": deadline }));
        let (status, answer) = post(&fixture, refused).await;
        assert_eq!(status, 400, "{deadline}: {answer}");
    }

    let soon = mrdp_globus::dates::iso_time(clock.now() + 60);
    let id = submitted(
        &fixture,
        "transfer",
        body(&fixture, items, json!({ "deadline": soon })),
    )
    .await;
    let task = task_when(&fixture, &id, |task| task["status"] == "ACTIVE").await;
    assert_eq!(task["deadline"], soon.as_str());
    // Held before its copy, the task passes its deadline.
    clock.advance(120);
    permits.add_permits(100);
    let task = finished(&fixture, &id).await;
    assert_eq!(
        (
            task["status"].as_str(),
            task["fatal_error"]["code"].as_str()
        ),
        (Some("FAILED"), Some("EXPIRED")),
        "{task}"
    );
    let late = fixture.tmp.path().join("root/data/uploads/late/readme.txt");
    assert!(!late.exists(), "nothing copied past the deadline");
    fixture.stop().await;
}
