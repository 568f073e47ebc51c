//! What a crash leaves between two steps is made whole after it: a delete task that died between
//! deleting a path and recording it goes on when it resumes; the temporary file of a copy that
//! died in the middle is in the journal, so the sweep removes it even when the task is canceled
//! or fails instead of resuming that copy; an upload's temporary file is journalled before it is
//! made, never after.

use crate::copies::{finished, submitted};
use crate::fixture::{Fixture, partials};
use crate::operations::call;
use mrdp_transfer::locate::Storages;
use mrdp_transfer::{tasks, temporary_files};
use serde_json::json;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn a_delete_task_that_died_between_deleting_and_recording_goes_on() {
    let fixture = Fixture::start_with(false).await;
    let uploads = fixture.root.join("data/uploads");
    for name in ["a.txt", "b.txt"] {
        std::fs::write(uploads.join(name), name).unwrap();
    }
    let body = json!({"DATA_TYPE": "delete", "endpoint": fixture.shared,
        "submission_id": uuid::Uuid::new_v4().to_string(),
        "DATA": [{"DATA_TYPE": "delete_item", "path": "/uploads/a.txt"},
                 {"DATA_TYPE": "delete_item", "path": "/uploads/b.txt"}]});
    let id = submitted(&fixture, "delete", body).await;
    // The engine that died had taken the task up and deleted a.txt, and recorded nothing.
    tasks::take_up(&fixture.store, &id, "the engine that died", 0)
        .await
        .unwrap();
    std::fs::remove_file(uploads.join("a.txt")).unwrap();

    fixture.restart_engine();
    let task = finished(&fixture, &id).await;
    assert_eq!(task["status"], "SUCCEEDED", "{task}");
    assert!(!uploads.join("b.txt").exists());
    fixture.stop().await;
}

#[tokio::test]
async fn a_copy_that_died_in_the_middle_leaves_no_temporary_file_once_its_task_is_canceled() {
    let fixture = Fixture::start_with(false).await;
    let big = std::fs::File::create(fixture.root.join("data/uploads/big.bin")).unwrap();
    big.set_len(256 << 20).unwrap();
    let (bobs, bobs_root) = fixture.bobs_own_collection().await;
    let body = json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
        "source_endpoint": fixture.shared, "destination_endpoint": bobs, "verify_checksum": true,
        "DATA": [{"DATA_TYPE": "transfer_item", "source_path": "/uploads/big.bin",
                  "destination_path": "/big.bin"}]});
    let id = submitted(&fixture, "transfer", body).await;

    // A service of its own runs the task, and dies as soon as the copy has begun.
    let service = fixture.engine_elsewhere().await;
    while partials(&bobs_root).is_empty() {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    service.shutdown_background();

    // Its owner cancels it; the service that comes back ends it without copying again.
    call(
        &fixture,
        "POST",
        &format!("/task/{id}/cancel"),
        Some("bob-transfer"),
        None,
    )
    .await;
    fixture.restart_engine();
    let task = finished(&fixture, &id).await;
    assert_eq!(task["fatal_error"]["code"], "CANCELED", "{task}");
    let swept = temporary_files::sweep(&fixture.store, &Storages::default(), Duration::ZERO)
        .await
        .unwrap();
    assert!(swept >= 1);
    assert!(
        partials(&bobs_root).is_empty(),
        "the journal named it, the sweep removed it"
    );
    assert!(!bobs_root.join("big.bin").exists());
    fixture.stop().await;
}

#[tokio::test]
async fn an_upload_is_journalled_before_its_temporary_file_is_made() {
    let fixture = Fixture::start().await;
    // The journal cannot be written while another connection holds SQLite's write lock.
    let mut holder = fixture.store.pool().acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *holder)
        .await
        .unwrap();

    let address = fixture.url.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "PUT /{}/uploads/put.txt HTTP/1.1\r\nHost: data\r\nAuthorization: Bearer bob\r\n\
         Content-Length: 5\r\n\r\nhello",
        fixture.shared
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let uploads = fixture.root.join("data/uploads");
    for _ in 0..100 {
        assert!(
            partials(&uploads).is_empty(),
            "a temporary file made before the journal names it"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    sqlx::query("ROLLBACK").execute(&mut *holder).await.unwrap();
    drop(holder);
    let mut answer = [0_u8; 12];
    tokio::io::AsyncReadExt::read_exact(&mut stream, &mut answer)
        .await
        .unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");
    assert_eq!(std::fs::read(uploads.join("put.txt")).unwrap(), b"hello");
    fixture.stop().await;
}
