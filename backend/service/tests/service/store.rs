//! The store foundation on both backends: migrations, queries, schema isolation, health.

use mrdp_service::store::{Migrations, Store, StoreLocation};
use mrdp_service::testing::each_backend;
use mrdp_shared::HealthStatus;

static FIXTURE_MIGRATIONS: Migrations = Migrations {
    sqlite: sqlx::migrate!("tests/fixtures/migrations/sqlite"),
    postgres: sqlx::migrate!("tests/fixtures/migrations/postgres"),
};

async fn migrated(location: &StoreLocation, schema: &str) -> Store {
    let store = Store::connect(location, schema).await.expect("connect");
    store.migrate(&FIXTURE_MIGRATIONS).await.expect("migrate");
    store
}

async fn add_note(store: &Store, body: &str, author: Option<&str>) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO notes (body, created_at, author) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(body)
    .bind(1_700_000_000_i64)
    .bind(author)
    .fetch_one(store.pool())
    .await
    .expect("insert a note")
}

async fn note_bodies(store: &Store) -> Vec<String> {
    sqlx::query_scalar("SELECT body FROM notes ORDER BY id")
        .fetch_all(store.pool())
        .await
        .expect("select notes")
}

#[tokio::test]
async fn migrations_apply_once_and_queries_run_on_both_backends() {
    each_backend(|location| async move {
        let store = Store::connect(&location, "notes_service").await.unwrap();
        assert_eq!(store.backend(), location.backend());
        assert_eq!(store.schema_version().await.unwrap(), None);

        store.migrate(&FIXTURE_MIGRATIONS).await.unwrap();
        assert_eq!(store.schema_version().await.unwrap(), Some(2));
        // A second run (a restart) is a no-op, not an error.
        store.migrate(&FIXTURE_MIGRATIONS).await.unwrap();
        assert_eq!(store.schema_version().await.unwrap(), Some(2));

        let first = add_note(&store, "tmax is in tenths of a degree", Some("alice")).await;
        let second = add_note(&store, "PRCP can be missing", None).await;
        assert!(second > first);
        let author: Option<String> = sqlx::query_scalar("SELECT author FROM notes WHERE id = $1")
            .bind(second)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(author, None);
        assert_eq!(
            note_bodies(&store).await,
            ["tmax is in tenths of a degree", "PRCP can be missing"]
        );
        store.close().await;
    })
    .await;
}

#[tokio::test]
async fn data_survives_reopening_the_store() {
    each_backend(|location| async move {
        let store = migrated(&location, "durable").await;
        add_note(&store, "kept", None).await;
        store.close().await;

        let reopened = migrated(&location, "durable").await;
        assert_eq!(note_bodies(&reopened).await, ["kept"]);
        reopened.close().await;
    })
    .await;
}

#[tokio::test]
async fn services_sharing_a_location_do_not_see_each_others_tables() {
    each_backend(|location| async move {
        let idp = migrated(&location, "idp").await;
        let transfer = migrated(&location, "transfer").await;
        add_note(&idp, "only the idp's", None).await;

        assert_eq!(note_bodies(&idp).await, ["only the idp's"]);
        assert!(note_bodies(&transfer).await.is_empty());
        idp.close().await;
        transfer.close().await;
    })
    .await;
}

#[tokio::test]
async fn health_reports_backend_and_schema_version() {
    each_backend(|location| async move {
        let store = migrated(&location, "healthy").await;
        let health = store.health().await;
        assert_eq!(health.status, HealthStatus::Ok);
        assert_eq!(health.backend, location.backend());
        assert_eq!(health.schema_version, Some(2));

        store.close().await;
        let closed = store.health().await;
        assert_eq!(closed.status, HealthStatus::Down);
    })
    .await;
}
