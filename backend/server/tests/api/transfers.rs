//! Transfers through the portal on both backends: alice has two datasets delivered to her own
//! collection (every file there, equal to its source), a retried submission with the same
//! `Idempotency-Key` makes one task and the key with another request is refused, a destination
//! she may not write is a typed 403 and no task, the files copied are listed, "transfer again"
//! makes a new task of the same request, and bob finds none of her tasks on any route.

use crate::datasets::{alice_and_bob, researcher};
use crate::files::files_under;
use crate::harness::{TestApp, catalog_dir};
use mrdp_server::seed::collection_id;
use mrdp_shared::{
    ApiError, ErrorCode, StoreBackend, TaskKind, TransferEvents, TransferStatus, TransferSubmitted,
    TransferTask, TransferTasks, TransferredFiles,
};
use serde_json::{Value, json};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// 2001-01-01T00:00:00Z: when the catalog's files say they were last changed.
fn long_ago() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(978_307_200)
}

async fn post(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    key: Option<&str>,
    body: &Value,
) -> (u16, String) {
    let mut request = browser
        .post(app.url(path))
        .header("x-mrdp-csrf", "1")
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn get<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
) -> T {
    let response = browser.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn submission(destination: &str, path: &str) -> Value {
    json!({
        "datasets": ["sea", "jfk"],
        "destination_collection": destination,
        "destination_path": path,
        "label": "Two stations",
        "preserve_timestamp": true,
        "deadline": "2999-01-01T00:00:00Z",
    })
}

/// The task once it has ended (a transfer of a few small files takes well under a minute).
pub async fn ended(app: &TestApp, browser: &reqwest::Client, id: &str) -> TransferTask {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let task: TransferTask = get(app, browser, &format!("/api/transfers/{id}")).await;
        if task.status != TransferStatus::Active {
            return task;
        }
        assert!(Instant::now() < deadline, "the task did not end: {task:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn datasets_are_delivered_once_to_the_researchers_collection_and_nobody_else_sees_the_task_on_both_backends()
 {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let (alice, bob) = alice_and_bob(&app).await;
        let home = collection_id("home:alice");
        let wanted = submission(&home, "/incoming/");
        // The catalog's copies dated long ago, so that a copy keeping their time shows it.
        let catalog = app.config.data_dir.join("collections/portal/catalog");
        for id in ["sea", "jfk"] {
            for file in files_under(&catalog.join(id)) {
                let opened = std::fs::File::options()
                    .write(true)
                    .open(catalog.join(id).join(file));
                opened.unwrap().set_modified(long_ago()).unwrap();
            }
        }

        let (status, body) = post(&app, &alice, "/api/transfers", Some("k-1"), &wanted).await;
        assert_eq!(status, 202, "{backend:?}: {body}");
        let first: TransferSubmitted = serde_json::from_str(&body).unwrap();
        let (status, body) = post(&app, &alice, "/api/transfers", Some("k-1"), &wanted).await;
        assert_eq!(status, 202, "{body}");
        let retried: TransferSubmitted = serde_json::from_str(&body).unwrap();
        assert_eq!(
            retried.task_id, first.task_id,
            "a retry makes no second task"
        );
        let mut other = wanted.clone();
        other["label"] = "Another".into();
        let (status, body) = post(&app, &alice, "/api/transfers", Some("k-1"), &other).await;
        let refused: ApiError = serde_json::from_str(&body).unwrap();
        assert_eq!((status, refused.code), (409, ErrorCode::Conflict), "{body}");

        let task = ended(&app, &alice, &first.task_id).await;
        assert_eq!(task.status, TransferStatus::Succeeded, "{task:?}");
        assert_eq!(task.kind, TaskKind::Transfer);
        assert_eq!(task.label.as_deref(), Some("Two stations"));
        let delivered = app.config.data_dir.join("collections/home/alice/incoming");
        let sources = [
            ("sea", files_under(&catalog_dir().join("sea"))),
            ("jfk", files_under(&catalog_dir().join("jfk"))),
        ];
        assert_eq!(task.deadline.as_deref(), Some("2999-01-01T00:00:00+00:00"));
        let modified =
            |path: std::path::PathBuf| std::fs::metadata(path).unwrap().modified().unwrap();
        for (id, files) in &sources {
            assert_eq!(&files_under(&delivered.join(id)), files, "{id}");
            for file in files {
                assert_eq!(
                    modified(delivered.join(id).join(file)),
                    long_ago(),
                    "{id}/{file} keeps its source's time"
                );
                let copied = std::fs::read(delivered.join(id).join(file)).unwrap();
                assert!(
                    copied == std::fs::read(catalog_dir().join(id).join(file)).unwrap(),
                    "{id}/{file}"
                );
            }
        }
        let count = sources
            .iter()
            .map(|(_, files)| files.len() as u64)
            .sum::<u64>();
        assert_eq!((task.files, task.files_transferred), (count, count));
        let bytes: u64 = sources
            .iter()
            .flat_map(|(id, files)| files.iter().map(move |f| catalog_dir().join(id).join(f)))
            .map(|path| std::fs::metadata(path).unwrap().len())
            .sum();
        assert_eq!(
            (task.bytes_transferred, task.bytes_expected),
            (bytes, Some(bytes)),
            "{backend:?}"
        );

        // The files copied, two a page, following `next` (whose cursor reads on where the
        // page before stopped); page 2 asked for by number is the same page.
        let first_page = format!("/api/transfers/{}/files?per_page=2", first.task_id);
        let (mut address, mut pages, mut copied) =
            (Some(first_page.clone()), Vec::new(), Vec::new());
        while let Some(at) = address {
            let page: TransferredFiles = get(&app, &alice, &at).await;
            assert!(page.files.len() <= 2 && page.paging.total.is_none(), "{at}");
            address = page.paging.next.clone();
            assert!(
                address
                    .as_deref()
                    .is_none_or(|next| next.contains("after="))
            );
            copied.extend(page.files.iter().map(|f| f.destination_path.clone()));
            pages.push(page);
        }
        let by_number: TransferredFiles = get(&app, &alice, &format!("{first_page}&page=2")).await;
        assert_eq!(by_number.files, pages[1].files);
        copied.sort();
        let mut expected: Vec<String> = sources
            .iter()
            .flat_map(|(id, files)| files.iter().map(move |f| format!("/incoming/{id}/{f}")))
            .collect();
        expected.sort();
        assert_eq!(
            (copied, pages.len()),
            (expected.clone(), expected.len().div_ceil(2)),
            "every file copied, once"
        );

        let mine: TransferTasks = get(&app, &alice, "/api/transfers").await;
        assert_eq!(mine.paging.total, Some(1), "one task for three submissions");
        assert_eq!(mine.transfers[0].task_id, first.task_id);
        let finished: TransferTasks = get(&app, &alice, "/api/transfers?status=succeeded").await;
        assert_eq!(finished.paging.total, Some(1));
        let running: TransferTasks = get(&app, &alice, "/api/transfers?status=active").await;
        assert_eq!(running.paging.total, Some(0));
        let events: TransferEvents = get(
            &app,
            &alice,
            &format!("/api/transfers/{}/events", first.task_id),
        )
        .await;
        assert!(
            events.events.iter().any(|e| e.code == "SUCCEEDED"),
            "{events:?}"
        );

        // Transfer again: the same request, a new task (the files already there are copied
        // again, as the request asks for no sync level).
        let again = format!("/api/transfers/{}/again", first.task_id);
        let (status, body) = post(&app, &alice, &again, None, &json!({})).await;
        assert_eq!(status, 202, "{body}");
        let second: TransferSubmitted = serde_json::from_str(&body).unwrap();
        assert_ne!(second.task_id, first.task_id);
        let task = ended(&app, &alice, &second.task_id).await;
        assert_eq!(
            (task.status, task.files, task.label.as_deref()),
            (TransferStatus::Succeeded, count, Some("Two stations")),
            "{task:?}"
        );

        // bob's own collection is not alice's to write: a typed 403, and no task.
        let bobs = submission(&collection_id("home:bob"), "/from-alice/");
        let (status, body) = post(&app, &alice, "/api/transfers", None, &bobs).await;
        let refused: ApiError = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (status, refused.code),
            (403, ErrorCode::Forbidden),
            "{body}"
        );
        assert!(
            refused
                .message
                .starts_with("you may not write to /from-alice/"),
            "{body}"
        );
        let mine: TransferTasks = get(&app, &alice, "/api/transfers").await;
        assert_eq!(
            mine.paging.total,
            Some(2),
            "no task for a refused submission"
        );

        // bob: none of alice's task on any route.
        let theirs: TransferTasks = get(&app, &bob, "/api/transfers").await;
        assert_eq!(theirs.paging.total, Some(0));
        let id = &first.task_id;
        for route in [
            format!("/api/transfers/{id}"),
            format!("/api/transfers/{id}/events"),
            format!("/api/transfers/{id}/files"),
        ] {
            let response = bob.get(app.url(&route)).send().await.unwrap();
            assert_eq!(response.status(), 404, "{route}");
        }
        for route in ["cancel", "again"] {
            let path = format!("/api/transfers/{id}/{route}");
            let (status, _) = post(&app, &bob, &path, None, &json!({})).await;
            assert_eq!(status, 404, "{route}");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn a_submission_says_what_is_wrong_before_anything_is_submitted() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let alice = researcher(&app, "alice").await;
    let home = collection_id("home:alice");
    let cases = [
        (
            json!({"destination_collection": home, "destination_path": "/x/"}),
            400,
            "nothing to transfer",
        ),
        (
            json!({"datasets": ["sea"], "destination_collection": home, "destination_path": "x/"}),
            400,
            "destination_path",
        ),
        (
            json!({"datasets": ["sea"], "destination_collection": home, "destination_path": "/a/../../"}),
            400,
            "destination_path",
        ),
        (
            json!({"datasets": ["nope"], "destination_collection": home, "destination_path": "/x/"}),
            404,
            "no dataset nope",
        ),
        (
            json!({"items": [{"source_path": "/a", "destination_path": "/b"}], "destination_collection": home, "destination_path": "/x/"}),
            400,
            "source_collection",
        ),
        (
            json!({"datasets": ["sea"], "destination_collection": home, "destination_path": "/x/", "sync_level": 7}),
            400,
            "sync_level",
        ),
        (
            json!({"datasets": ["sea"], "destination_collection": home, "destination_path": "/x/", "checksum_algorithm": "CRC"}),
            400,
            "checksum_algorithm",
        ),
        (
            json!({"datasets": ["sea"], "destination_collection": home, "destination_path": "/x/", "surprise": 1}),
            400,
            "surprise",
        ),
        (
            json!({"datasets": ["sea"], "destination_collection": home, "destination_path": "/x/", "deadline": "soon"}),
            400,
            "deadline",
        ),
        (
            json!({"datasets": ["sea"], "destination_collection": home, "destination_path": "/x/", "deadline": "2001-01-01"}),
            400,
            "has passed",
        ),
    ];
    for (body, expected, words) in cases {
        let (status, answer) = post(&app, &alice, "/api/transfers", None, &body).await;
        assert_eq!(status, expected, "{body}: {answer}");
        assert!(answer.contains(words), "{body}: {answer}");
    }
    let (status, answer) = post(
        &app,
        &alice,
        "/api/transfers",
        Some("bad key é"),
        &submission(&home, "/x/"),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    let mine: TransferTasks = get(&app, &alice, "/api/transfers").await;
    assert_eq!(mine.paging.total, Some(0), "nothing was submitted");
    app.stop().await;
}

/// Submits, as `alice`, an MD5-verified copy of a sparse file of `size` bytes (made at once)
/// from her `/big/` to her `/copy/`: seconds of work for a test build, enough to watch it run or
/// cancel it. Answers the task's id.
pub async fn submit_big_copy(app: &TestApp, alice: &reqwest::Client, size: u64) -> String {
    let home_dir = app.config.data_dir.join("collections/home/alice");
    std::fs::create_dir_all(home_dir.join("big")).unwrap();
    std::fs::File::create(home_dir.join("big/big.bin"))
        .unwrap()
        .set_len(size)
        .unwrap();
    let home = collection_id("home:alice");
    let copy = json!({
        "source_collection": home,
        "items": [{"source_path": "/big/big.bin", "destination_path": "/copy/big.bin"}],
        "destination_collection": home,
        "destination_path": "/copy/",
        "checksum_algorithm": "MD5",
    });
    let (status, body) = post(app, alice, "/api/transfers", None, &copy).await;
    assert_eq!(status, 202, "{body}");
    serde_json::from_str::<TransferSubmitted>(&body)
        .unwrap()
        .task_id
}

#[tokio::test]
async fn a_running_transfer_is_canceled_through_the_portal_and_leaves_no_partial_file_on_both_backends()
 {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let alice = researcher(&app, "alice").await;
        let id = submit_big_copy(&app, &alice, 256 << 20).await;
        let home_dir = app.config.data_dir.join("collections/home/alice");
        let (status, body) = post(
            &app,
            &alice,
            &format!("/api/transfers/{id}/cancel"),
            None,
            &json!({}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let task = ended(&app, &alice, &id).await;
        assert_eq!(task.status, TransferStatus::Canceled, "{task:?}");
        assert!(task.problem.is_some(), "{task:?}");
        assert!(!home_dir.join("copy/big.bin").exists(), "no partial file");
        app.stop().await;
    }
}
