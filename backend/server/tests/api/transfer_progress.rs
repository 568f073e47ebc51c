//! `GET /api/transfers/{id}/stream` on both backends: the progress of alice's transfer, never
//! going back, to its end; a reconnect with `Last-Event-ID` sent only what is newer; bob gets a
//! 404 for her task; and 200 watchers of a task cost the transfer service as many polls as one:
//! one poller for a running task however many watch it.

use crate::datasets::{alice_and_bob, researcher};
use crate::harness::TestApp;
use crate::transfers::{ended, submit_big_copy};
use mrdp_server::seed::collection_id;
use mrdp_shared::{ServiceName, StoreBackend, TransferStatus, TransferSubmitted, TransferTask};
use std::time::Duration;

/// One event of a stream: its id, its name and its task.
#[derive(Debug)]
struct Event {
    id: String,
    name: String,
    task: TransferTask,
}

/// Submits the Clemson record (91 yearly files), sea and jfk to alice's collection, into
/// `folder`.
async fn submit(app: &TestApp, alice: &reqwest::Client, folder: &str) -> String {
    let body = serde_json::json!({
        "datasets": ["ceu", "sea", "jfk"],
        "destination_collection": collection_id("home:alice"),
        "destination_path": format!("/{folder}/"),
    });
    let response = alice
        .post(app.url("/api/transfers"))
        .header("x-mrdp-csrf", "1")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    response.json::<TransferSubmitted>().await.unwrap().task_id
}

/// Opens the task's stream (with `last` as `Last-Event-ID`) and reads it until it closes.
async fn stream(
    app: &TestApp,
    browser: &reqwest::Client,
    id: &str,
    last: Option<&str>,
) -> (u16, Vec<Event>) {
    let mut request = browser.get(app.url(&format!("/api/transfers/{id}/stream")));
    if let Some(last) = last {
        request = request.header("Last-Event-ID", last);
    }
    let mut response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let (mut text, mut events) = (String::new(), Vec::new());
    let read = async {
        while let Some(chunk) = response.chunk().await.unwrap() {
            text.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = text.find("\n\n") {
                let block: String = text.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
                        .map(str::to_owned)
                };
                if let (Some(id), Some(name), Some(data)) =
                    (field("id"), field("event"), field("data"))
                {
                    let task = serde_json::from_str(&data).unwrap();
                    events.push(Event { id, name, task });
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), read)
        .await
        .expect("the stream ended within a minute");
    (status, events)
}

#[tokio::test]
async fn a_transfer_is_followed_to_its_end_by_one_poller_however_many_watch_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let portal = app.deployment.portal().unwrap().clone();
        let (alice, bob) = alice_and_bob(&app).await;

        let id = submit(&app, &alice, "streamed").await;
        let (status, events) = stream(&app, &alice, &id, None).await;
        assert_eq!(status, 200, "{backend:?}");
        let (last, before) = events.split_last().expect("at least the end");
        assert_eq!(last.name, "end", "{events:?}");
        assert_eq!(
            last.task.status,
            TransferStatus::Succeeded,
            "{:?}",
            last.task
        );
        assert_eq!(last.task.files_transferred, last.task.files);
        assert!(
            before.iter().all(|event| event.name == "progress"),
            "{events:?}"
        );
        for pair in events.windows(2) {
            let (was, now) = (&pair[0].task, &pair[1].task);
            assert!(
                now.files_transferred >= was.files_transferred
                    && now.bytes_transferred >= was.bytes_transferred,
                "progress went back: {events:?}"
            );
        }
        // Reconnected with the last event seen: only the end again, nothing older.
        let (_, again) = stream(&app, &alice, &id, Some(&last.id)).await;
        assert_eq!(
            again.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            ["end"]
        );
        let (status, _) = stream(&app, &bob, &id, None).await;
        assert_eq!(status, 404, "bob may not watch alice's task");

        // One watcher of an ended task, then 200 at once of another: the same polls.
        let one = submit(&app, &alice, "one").await;
        ended(&app, &alice, &one).await;
        let before = portal.task_polls();
        stream(&app, &alice, &one, None).await;
        let by_one = portal.task_polls() - before;
        let many = submit(&app, &alice, "many").await;
        ended(&app, &alice, &many).await;
        let before = portal.task_polls();
        let watchers = (0..200).map(|_| stream(&app, &alice, &many, None));
        for (status, events) in futures_util::future::join_all(watchers).await {
            assert_eq!((status, events.len()), (200, 1));
        }
        let by_many = portal.task_polls() - before;
        assert_eq!((by_one, by_many), (1, 1), "polls of one watcher, of 200");
        app.stop().await;
    }
}

/// The name of the first event of the task's stream, once it comes; then the rest of the stream
/// is read to its end, and its last event answered.
async fn watch_in_two_steps(
    app: &TestApp,
    browser: reqwest::Client,
    id: String,
    first: tokio::sync::mpsc::Sender<String>,
) -> String {
    let url = app.url(&format!("/api/transfers/{id}/stream"));
    let mut response = browser.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let (mut text, mut names) = (String::new(), Vec::new());
    while let Some(chunk) = response.chunk().await.unwrap() {
        text.push_str(&String::from_utf8_lossy(&chunk));
        let found = text.lines().filter_map(|line| line.strip_prefix("event: "));
        let before = names.len();
        names = found.map(str::to_owned).collect();
        if before == 0 && !names.is_empty() {
            first.send(names[0].clone()).await.unwrap();
        }
    }
    names.pop().unwrap_or_default()
}

#[tokio::test]
async fn two_hundred_browsers_watching_a_running_task_share_one_poller_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        two_hundred_watch(backend).await;
    }
}

async fn two_hundred_watch(backend: StoreBackend) {
    let app = TestApp::spawn(backend).await;
    let portal = app.deployment.portal().unwrap().clone();
    let alice = researcher(&app, "alice").await;
    // 1 GiB: it runs until it is canceled below.
    let id = submit_big_copy(&app, &alice, 1 << 30).await;

    let pollers = portal.task_pollers();
    let (first, mut firsts) = tokio::sync::mpsc::channel(200);
    let app = std::sync::Arc::new(app);
    let watchers: Vec<_> = (0..200)
        .map(|_| {
            let (app, alice, id, first) = (app.clone(), alice.clone(), id.clone(), first.clone());
            tokio::spawn(async move { watch_in_two_steps(&app, alice, id, first).await })
        })
        .collect();
    for _ in 0..200 {
        assert_eq!(
            firsts.recv().await.unwrap(),
            "progress",
            "the task runs while they watch"
        );
    }
    assert_eq!(
        portal.task_pollers() - pollers,
        1,
        "one poller for 200 watchers"
    );

    let cancel = format!("/api/transfers/{id}/cancel");
    let response = alice
        .post(app.url(&cancel))
        .header("x-mrdp-csrf", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    for watcher in watchers {
        assert_eq!(
            watcher.await.unwrap(),
            "end",
            "every stream ends with the task"
        );
    }
    assert_eq!(portal.task_pollers() - pollers, 1, "{backend:?}");
    if let Ok(app) = std::sync::Arc::try_unwrap(app) {
        app.stop().await;
    }
}

#[tokio::test]
async fn a_stream_says_so_when_the_transfer_service_stops_answering() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let alice = researcher(&app, "alice").await;
    let id = submit(&app, &alice, "unfollowed").await;
    let mut response = alice
        .get(app.url(&format!("/api/transfers/{id}/stream")))
        .send()
        .await
        .unwrap();
    let mut text = String::new();
    let read = async {
        let mut stopped = false;
        while let Some(chunk) = response.chunk().await.unwrap() {
            text.push_str(&String::from_utf8_lossy(&chunk));
            if !stopped && text.contains("event: progress") {
                app.deployment.stop_service(ServiceName::Transfer).await;
                stopped = true;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), read)
        .await
        .expect("the stream ended within a minute");
    let last = text.trim_end().rsplit("\n\n").next().unwrap_or_default();
    assert!(
        last.starts_with("event: problem\ndata: ") && last.contains("\"upstream_unavailable\""),
        "{text}"
    );
    app.stop().await;
}
