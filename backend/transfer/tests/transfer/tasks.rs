//! Delete tasks over the Transfer API: submitted once per submission id, carried out in the
//! background, with their outcome, events and failures; resumed after the last item done.

use crate::fixture::Fixture;
use crate::operations::{call, get};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_transfer::access::Caller;
use mrdp_transfer::engine::Engine;
use mrdp_transfer::leases::TASKS;
use mrdp_transfer::tasks::{self, NewTask, Submitted, TaskType};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

/// Polls the task until it is no longer active.
async fn finished(fixture: &Fixture, token: &str, id: &str) -> Value {
    for _ in 0..300 {
        let (status, task) = get(fixture, &format!("/task/{id}"), token).await;
        assert_eq!(status, 200, "{task}");
        if task["status"] != "ACTIVE" {
            return task;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("task {id} did not finish");
}

async fn submission_id(fixture: &Fixture) -> String {
    let (status, id) = get(fixture, "/submission_id", "bob-transfer").await;
    assert_eq!(status, 200);
    id["value"].as_str().unwrap().to_owned()
}

fn delete(fixture: &Fixture, submission: &str, paths: &[&str], recursive: bool) -> Value {
    let items: Vec<Value> = paths
        .iter()
        .map(|path| json!({"DATA_TYPE": "delete_item", "path": path}))
        .collect();
    json!({"DATA_TYPE": "delete", "endpoint": fixture.shared, "submission_id": submission,
           "recursive": recursive, "ignore_missing": false, "label": "clean up", "DATA": items})
}

/// `POST /v0.10/task/{id}/cancel` as bob; answers the result document.
pub async fn cancel(fixture: &Fixture, id: &str) -> Value {
    let path = format!("/task/{id}/cancel");
    call(fixture, "POST", &path, Some("bob-transfer"), None)
        .await
        .1
}

/// `POST /v0.10/delete` as bob.
async fn submit(fixture: &Fixture, body: &Value) -> (u16, Value) {
    call(
        fixture,
        "POST",
        "/delete",
        Some("bob-transfer"),
        Some(body.clone()),
    )
    .await
}

fn uploads(fixture: &Fixture) -> std::path::PathBuf {
    fixture.tmp.path().join("root/data/uploads")
}

#[tokio::test]
async fn a_delete_task_runs_once_per_submission_and_reports_its_outcome() {
    let fixture = Fixture::start().await;
    std::fs::write(uploads(&fixture).join("a.txt"), "a").unwrap();
    std::fs::create_dir_all(uploads(&fixture).join("dir/sub")).unwrap();
    std::fs::write(uploads(&fixture).join("dir/sub/b.txt"), "b").unwrap();
    let submission = submission_id(&fixture).await;
    let body = delete(
        &fixture,
        &submission,
        &["/uploads/a.txt", "/uploads/dir/"],
        true,
    );
    let (status, accepted) = submit(&fixture, &body).await;
    assert_eq!(
        (status, accepted["code"].as_str()),
        (202, Some("Accepted")),
        "{accepted}"
    );
    let id = accepted["task_id"].as_str().unwrap().to_owned();
    let (_, again) = submit(&fixture, &body).await;
    assert_eq!(
        (again["code"].as_str(), again["task_id"].as_str()),
        (Some("Duplicate"), Some(id.as_str()))
    );

    let task = finished(&fixture, "bob-transfer", &id).await;
    assert_eq!(
        (task["status"].as_str(), task["type"].as_str()),
        (Some("SUCCEEDED"), Some("DELETE")),
        "{task}"
    );
    assert_eq!(
        (
            task["subtasks_total"].as_u64(),
            task["subtasks_succeeded"].as_u64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(task["source_endpoint_display_name"], "Catalog");
    assert!(!uploads(&fixture).join("a.txt").exists() && !uploads(&fixture).join("dir").exists());

    let (_, events) = get(&fixture, &format!("/task/{id}/event_list"), "bob-transfer").await;
    let codes: Vec<&str> = events["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SUCCEEDED", "STARTED"], "newest first");
    let (_, list) = get(&fixture, "/task_list", "bob-transfer").await;
    assert_eq!(list["DATA"][0]["task_id"], id.as_str());
    let (_, done) = get(
        &fixture,
        "/task_list?filter=status:SUCCEEDED,FAILED/type:DELETE&limit=5",
        "bob-transfer",
    )
    .await;
    assert_eq!(
        (done["total"].as_u64(), done["limit"].as_u64()),
        (Some(1), Some(5))
    );
    let (_, active) = get(&fixture, "/task_list?filter=status:ACTIVE", "bob-transfer").await;
    assert_eq!(active["total"], 0);
    let (status, _) = get(&fixture, "/task_list?filter=owner:me", "bob-transfer").await;
    assert_eq!(status, 400);
    assert_eq!(
        get(&fixture, &format!("/task/{id}"), "alice-transfer")
            .await
            .0,
        404,
        "bob's task"
    );
    let late = cancel(&fixture, &id).await;
    assert_eq!(late["code"], "TaskComplete");
    fixture.stop().await;
}

#[tokio::test]
async fn failing_deletes_end_with_the_reason_and_bad_submissions_are_refused() {
    let fixture = Fixture::start().await;
    std::fs::create_dir_all(uploads(&fixture).join("full")).unwrap();
    std::fs::write(uploads(&fixture).join("full/x"), "x").unwrap();
    let cases = [
        (vec!["/uploads/full/"], false, "DIRECTORY_NOT_EMPTY"),
        (vec!["/uploads/missing"], true, "FILE_NOT_FOUND"),
    ];
    for (paths, recursive, code) in cases {
        let submission = submission_id(&fixture).await;
        let body = delete(&fixture, &submission, &paths, recursive);
        let (_, accepted) = submit(&fixture, &body).await;
        let task = finished(
            &fixture,
            "bob-transfer",
            accepted["task_id"].as_str().unwrap(),
        )
        .await;
        assert_eq!(
            (
                task["status"].as_str(),
                task["fatal_error"]["code"].as_str()
            ),
            (Some("FAILED"), Some(code)),
            "{task}"
        );
    }
    assert!(
        uploads(&fixture).join("full/x").exists(),
        "nothing deleted without recursive"
    );

    let submission = submission_id(&fixture).await;
    let mut missing_ok = delete(&fixture, &submission, &["/uploads/missing"], false);
    missing_ok["ignore_missing"] = json!(true);
    let (_, accepted) = submit(&fixture, &missing_ok).await;
    let task = finished(
        &fixture,
        "bob-transfer",
        accepted["task_id"].as_str().unwrap(),
    )
    .await;
    assert_eq!(task["status"], "SUCCEEDED");

    let fresh = submission_id(&fixture).await;
    let refusals = [
        (
            delete(&fixture, &fresh, &[], false),
            400,
            "ClientError.BadRequest.NoTransferItems",
        ),
        (
            delete(&fixture, &fresh, &["/2020.csv"], false),
            403,
            "EndpointPermissionDenied",
        ),
        (
            delete(&fixture, "not-a-uuid", &["/uploads/x"], false),
            400,
            "ClientError.BadRequest",
        ),
        (
            delete(&fixture, &fresh, &["/uploads/../x"], false),
            400,
            "ClientError.BadRequest",
        ),
    ];
    for (body, status, code) in refusals {
        let (got, error) = submit(&fixture, &body).await;
        assert_eq!(
            (got, error["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
    }
    assert!(std::fs::read(fixture.tmp.path().join("root/data/2020.csv")).is_ok());
    fixture.stop().await;
}

#[tokio::test]
async fn an_interrupted_task_resumes_after_its_last_item_done() {
    let fixture = Fixture::start_with(false).await;
    std::fs::write(uploads(&fixture).join("second.txt"), "2").unwrap();
    // A task stored as a crashed service left it: its first item (already gone) done.
    let request = delete(
        &fixture,
        &uuid::Uuid::new_v4().to_string(),
        &["/uploads/first.txt", "/uploads/second.txt"],
        false,
    );
    let new = NewTask {
        submission_id: request["submission_id"].as_str().unwrap().to_owned(),
        kind: TaskType::Delete,
        owner_id: "bob".into(),
        label: None,
        source_endpoint: fixture.shared.clone(),
        destination_endpoint: None,
        request: request.to_string(),
        items: 2,
        submitter: Caller {
            identities: vec!["bob".into()],
            groups: Vec::new(),
        },
        deadline: None,
    };
    let Submitted::Accepted(id) = tasks::submit(&fixture.store, new.clone(), SystemClock.now())
        .await
        .unwrap()
    else {
        panic!("a new submission")
    };
    tasks::item_done(&fixture.store, &id, false).await.unwrap();
    // And one its owner canceled before the engine reached it.
    std::fs::write(uploads(&fixture).join("kept.txt"), "k").unwrap();
    let kept = delete(
        &fixture,
        &uuid::Uuid::new_v4().to_string(),
        &["/uploads/kept.txt"],
        false,
    );
    let canceled = NewTask {
        submission_id: kept["submission_id"].as_str().unwrap().to_owned(),
        request: kept.to_string(),
        items: 1,
        ..new.clone()
    };
    let Submitted::Accepted(canceled) = tasks::submit(&fixture.store, canceled, SystemClock.now())
        .await
        .unwrap()
    else {
        panic!("a new submission")
    };
    let asked = cancel(&fixture, &canceled).await;
    assert_eq!(asked["code"], "Canceled");
    // The service starts again.
    let engine = Engine::new(
        fixture.store.clone(),
        Default::default(),
        Arc::new(SystemClock),
    );
    tokio::spawn(engine.run());
    let task = finished(&fixture, "bob-transfer", &id).await;
    assert_eq!(
        task["status"], "SUCCEEDED",
        "the first item is not tried again: {task}"
    );
    assert!(!uploads(&fixture).join("second.txt").exists());
    let stopped = finished(&fixture, "bob-transfer", &canceled).await;
    assert_eq!(
        (
            stopped["status"].as_str(),
            stopped["fatal_error"]["code"].as_str()
        ),
        (Some("FAILED"), Some("CANCELED"))
    );
    assert_eq!(stopped["subtasks_canceled"], 1);
    assert!(
        uploads(&fixture).join("kept.txt").exists(),
        "a canceled task deletes nothing more"
    );
    fixture.stop().await;
}

#[tokio::test]
async fn tasks_events_and_cancellation_keep_in_the_store_on_both_backends() {
    mrdp_service::testing::each_backend(|location| async move {
        let store = mrdp_service::store::Store::connect(&location, "transfer")
            .await
            .unwrap();
        store.migrate(&mrdp_transfer::MIGRATIONS).await.unwrap();
        let new = || NewTask {
            submission_id: "8d6c2c2e-0000-4000-8000-000000000001".into(),
            kind: TaskType::Delete,
            owner_id: "bob".into(),
            label: Some("l".into()),
            source_endpoint: "e".into(),
            destination_endpoint: None,
            request: "{}".into(),
            items: 3,
            submitter: Caller {
                identities: vec!["bob".into()],
                groups: Vec::new(),
            },
            deadline: None,
        };
        let Submitted::Accepted(id) = tasks::submit(&store, new(), 10).await.unwrap() else {
            panic!("a new submission")
        };
        assert_eq!(
            tasks::submit(&store, new(), 11).await.unwrap(),
            Submitted::Duplicate(id.clone())
        );
        tasks::item_done(&store, &id, false).await.unwrap();
        tasks::item_done(&store, &id, true).await.unwrap();
        tasks::fault(&store, &id).await.unwrap();
        assert!(tasks::request_cancel(&store, &id).await.unwrap());
        assert!(tasks::cancel_requested(&store, &id).await.unwrap());
        assert_eq!(
            TASKS.claim_next(&store, "engine", (12, 30)).await.unwrap(),
            Some(id.clone())
        );
        assert!(
            !tasks::finish(&store, (&id, "another"), Some(("CANCELED", "no")), 20)
                .await
                .unwrap(),
            "only the engine holding a task ends it"
        );
        assert!(
            tasks::finish(
                &store,
                (&id, "engine"),
                Some(("CANCELED", "by its owner")),
                20
            )
            .await
            .unwrap()
        );
        assert!(
            !tasks::request_cancel(&store, &id).await.unwrap(),
            "no longer active"
        );
        let task = tasks::find(&store, &id).await.unwrap().unwrap();
        assert_eq!(
            (
                task.status.as_str(),
                task.done_items,
                task.failed_items,
                task.faults
            ),
            ("FAILED", 2, 1, 1)
        );
        assert_eq!(
            task.fatal_error,
            Some(("CANCELED".into(), "by its owner".into()))
        );
        assert!(tasks::active(&store).await.unwrap().is_empty());
        let codes: Vec<String> = tasks::events(&store, &id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(codes, ["CANCELED", "STARTED"]);
        store.close().await;
    })
    .await;
}
