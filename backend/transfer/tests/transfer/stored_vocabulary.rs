//! What the store holds is read back as closed vocabularies: a task's kind and status, a rule's
//! principal type and permissions, a collection's kind. A value the code does not know (a row
//! written by a newer version, or by hand) is an error, never a guess: a task of an unknown kind
//! is not carried out as a transfer, a rule of an unknown type is not silently dropped.

use crate::fixture::Fixture;
use mrdp_transfer::{access_rules, collections, tasks};
use sqlx::Executor;

/// Writes `sql` as it is, past the schema's CHECK constraints (SQLite lets one connection
/// ignore them), as a row from elsewhere would be.
async fn write_unchecked(fixture: &Fixture, sql: &str) {
    let mut connection = fixture.store.pool().acquire().await.unwrap();
    connection
        .execute("PRAGMA ignore_check_constraints = ON")
        .await
        .unwrap();
    connection.execute(sql).await.unwrap();
    connection
        .execute("PRAGMA ignore_check_constraints = OFF")
        .await
        .unwrap();
}

fn is_decode_error<T: std::fmt::Debug>(read: Result<T, sqlx::Error>) -> bool {
    matches!(read, Err(sqlx::Error::Decode(_)))
}

#[tokio::test]
async fn a_task_of_an_unknown_kind_or_status_is_an_error_not_a_transfer() {
    let fixture = Fixture::start_with(false).await;
    for (id, kind, status) in [("copy", "COPY", "ACTIVE"), ("paused", "TRANSFER", "PAUSED")] {
        write_unchecked(
            &fixture,
            &format!(
                "INSERT INTO tasks (id, submission_id, kind, owner_id, status, source_endpoint, \
                 request, request_time, items) \
                 VALUES ('{id}', '{id}', '{kind}', 'bob', '{status}', '{}', '{{}}', 0, 1)",
                fixture.shared
            ),
        )
        .await;
        let found = tasks::find(&fixture.store, id).await;
        assert!(is_decode_error(found), "{kind} {status}");
    }
    fixture.stop().await;
}

#[tokio::test]
async fn a_rule_or_collection_of_an_unknown_kind_is_an_error_not_left_out() {
    let fixture = Fixture::start_with(false).await;
    write_unchecked(
        &fixture,
        &format!(
            "INSERT INTO access_rules (id, collection_id, principal_type, principal, path, \
             permissions, created_at) VALUES ('r1', '{}', 'robot', 'x', '/', 'r', 0)",
            fixture.shared
        ),
    )
    .await;
    let rules = access_rules::list(&fixture.store, &fixture.shared).await;
    assert!(is_decode_error(rules));
    write_unchecked(
        &fixture,
        "INSERT INTO collections (id, display_name, description, kind, owner_id, storage_url, \
         created_at) VALUES ('c1', 'c', '', 'bucket', 'bob', 'file:///tmp', 0)",
    )
    .await;
    assert!(is_decode_error(
        collections::find(&fixture.store, "c1").await
    ));
    assert!(is_decode_error(collections::list(&fixture.store).await));
    fixture.stop().await;
}
