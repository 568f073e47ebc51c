//! `task_list` pages in the store: a page of documents is one query whatever its length (plus one
//! for the total), not a query per task; filters and paging are the database's work.

use crate::fixture::Fixture;
use crate::operations::get;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_shared::StoreBackend;
use mrdp_transfer::access::Caller;
use mrdp_transfer::tasks::{self, NewTask, TaskType};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::layer::SubscriberExt;

/// Counts the SQL statements run anywhere in the process (sqlx logs each one under the target
/// `sqlx::query`); each test runs in its own process under nextest.
#[derive(Debug, Clone, Default)]
struct Statements(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl Statements {
    fn install() -> Self {
        let statements = Self::default();
        let subscriber = tracing_subscriber::registry().with(statements.clone());
        tracing::subscriber::set_global_default(subscriber).unwrap();
        statements
    }

    fn take(&self) -> usize {
        self.0.swap(0, Ordering::SeqCst)
    }
}

async fn submit(fixture: &Fixture, owner: &str, kind: TaskType, at: i64) -> String {
    let new = NewTask {
        submission_id: uuid::Uuid::new_v4().to_string(),
        kind,
        owner_id: owner.into(),
        label: Some(format!("{owner} {at}")),
        source_endpoint: fixture.shared.clone(),
        destination_endpoint: Some(fixture.mapped.clone()),
        request: "{}".into(),
        items: 1,
        submitter: Caller {
            identities: vec![owner.into()],
            groups: Vec::new(),
        },
        deadline: None,
    };
    let submitted = tasks::submit(&fixture.store, new, at).await.unwrap();
    let tasks::Submitted::Accepted(id) = submitted else {
        panic!("a new submission: {submitted:?}")
    };
    id
}

#[tokio::test]
async fn a_page_of_tasks_is_one_query_filtered_and_paged_by_the_store() {
    let statements = Statements::install();
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        pages_on(backend, &statements).await;
    }
}

async fn pages_on(backend: StoreBackend, statements: &Statements) {
    let fixture = Fixture::start_with_store(backend, false).await;
    let start = SystemClock.now();
    let mut bobs = Vec::new();
    for n in 0..30 {
        let kind = if n % 3 == 0 {
            TaskType::Delete
        } else {
            TaskType::Transfer
        };
        bobs.push(submit(&fixture, "bob", kind, start + n).await);
        submit(&fixture, "alice", TaskType::Transfer, start + n).await;
    }
    // As if an engine had taken bob's first task up and ended it.
    sqlx::query("UPDATE tasks SET lease_owner = 'engine' WHERE id = $1")
        .bind(&bobs[0])
        .execute(fixture.store.pool())
        .await
        .unwrap();
    let held = (bobs[0].as_str(), "engine");
    tasks::finish(&fixture.store, held, Some(("CANCELED", "no")), start)
        .await
        .unwrap();

    // Once before counting: a connection goes back to the pool in the background, so the page's
    // second query may need a second connection, which the store opens (with its set-up
    // statements) the first time only. What is counted is the page's own statements.
    get(&fixture, "/task_list?limit=25&offset=2", "bob-transfer").await;
    statements.take();
    let (status, page) = get(&fixture, "/task_list?limit=25&offset=2", "bob-transfer").await;
    assert_eq!(status, 200, "{page}");
    let queries = statements.take();
    assert!(
        queries <= 2,
        "{queries} statements for one page on {backend:?}"
    );
    assert_eq!((&page["total"], &page["length"]), (&30.into(), &25.into()));
    let ids: Vec<&str> = page["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .map(|task| task["task_id"].as_str().unwrap())
        .collect();
    let newest_first: Vec<&str> = bobs
        .iter()
        .rev()
        .skip(2)
        .take(25)
        .map(String::as_str)
        .collect();
    assert_eq!(ids, newest_first);
    let first = &page["DATA"][0];
    assert_eq!(first["source_endpoint_display_name"], "Catalog");
    assert_eq!(first["destination_endpoint_display_name"], "Portal storage");

    let (_, deletes) = get(
        &fixture,
        "/task_list?filter=type:delete/status:ACTIVE,failed&limit=100",
        "bob-transfer",
    )
    .await;
    assert_eq!(deletes["total"], 10);
    let (_, failed) = get(&fixture, "/task_list?filter=status:FAILED", "bob-transfer").await;
    assert_eq!(failed["DATA"][0]["task_id"], bobs[0].as_str());
    let by_id = format!("/task_list?filter=task_id:{},{}", bobs[1], bobs[2]);
    assert_eq!(get(&fixture, &by_id, "bob-transfer").await.1["total"], 2);
    for refused in ["status:PAUSED", "type:COPY", "owner:me"] {
        let (status, error) = get(
            &fixture,
            &format!("/task_list?filter={refused}"),
            "bob-transfer",
        )
        .await;
        assert_eq!(
            (status, error["code"].as_str()),
            (400, Some("ClientError.BadRequest")),
            "{refused}"
        );
    }
    fixture.stop().await;
}
