//! Throwaway databases for store tests, so that every store test runs on both backends.
//!
//! SQLite databases live in a temporary directory. PostgreSQL databases are created, uniquely
//! named, on the server that `MRDP_TEST_POSTGRES_URL` names (`make test` starts a private cluster
//! and sets it) and dropped afterwards. Without that variable a PostgreSQL test fails loudly:
//! a store test that silently ran on one backend only would prove nothing about the other.

#![expect(
    clippy::expect_used,
    reason = "test support: a setup failure must fail the test, loudly"
)]

pub mod accepted_sockets;
pub mod nginx;
pub mod s3_server;

use crate::health;
use crate::store::{DatabaseUrl, Migrations, Store, StoreLocation};
use actix_web::web;
use mrdp_shared::{HealthStatus, ServiceHealth, ServiceName, StoreBackend};
use sqlx::{Connection, Executor};
use std::future::Future;

/// Sends SIGTERM to the process `pid`: a graceful stop, as an init system asks for one.
pub fn terminate(pid: u32) {
    let pid = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .expect("a process id");
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("send SIGTERM");
}

/// The variable naming a PostgreSQL server (an admin URL, e.g. `postgres://postgres@127.0.0.1:5432/postgres`).
pub const POSTGRES_URL_VAR: &str = "MRDP_TEST_POSTGRES_URL";

/// A database that exists for one test and is removed by [`TestDatabase::remove`].
#[derive(Debug)]
pub struct TestDatabase {
    location: StoreLocation,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Sqlite(tempfile::TempDir),
    Postgres {
        admin_url: DatabaseUrl,
        database: String,
    },
}

impl TestDatabase {
    /// Creates an empty database on `backend`. Panics (fails the test) when none can be had.
    pub async fn create(backend: StoreBackend) -> Self {
        match backend {
            StoreBackend::Sqlite => {
                let dir = tempfile::tempdir().expect("create a temporary SQLite directory");
                let location = StoreLocation::Sqlite {
                    dir: dir.path().to_owned(),
                };
                Self {
                    location,
                    cleanup: Cleanup::Sqlite(dir),
                }
            }
            StoreBackend::Postgres => Self::create_postgres().await,
        }
    }

    async fn create_postgres() -> Self {
        let admin = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
            panic!(
                "{POSTGRES_URL_VAR} is not set. Run the tests with `make test`, which starts a \
                 throwaway PostgreSQL cluster, or set it to a server you own, e.g. \
                 postgres://postgres@127.0.0.1:5432/postgres"
            )
        });
        sqlx::any::install_default_drivers();
        let database = format!("mrdp_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::AnyConnection::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_URL_VAR}: {e}"));
        conn.execute(format!("CREATE DATABASE {database}").as_str())
            .await
            .expect("create the test database");
        conn.close().await.expect("close the admin connection");
        let url = DatabaseUrl::new(with_database(&admin, &database));
        Self {
            location: StoreLocation::Postgres(url),
            cleanup: Cleanup::Postgres {
                admin_url: DatabaseUrl::new(admin),
                database,
            },
        }
    }

    pub fn location(&self) -> &StoreLocation {
        &self.location
    }

    /// Drops the database (PostgreSQL) or its directory (SQLite).
    pub async fn remove(self) {
        match self.cleanup {
            Cleanup::Sqlite(dir) => dir.close().expect("remove the SQLite directory"),
            Cleanup::Postgres {
                admin_url,
                database,
            } => {
                let mut conn = sqlx::AnyConnection::connect(admin_url.expose())
                    .await
                    .expect("reconnect to drop the test database");
                conn.execute(format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)").as_str())
                    .await
                    .expect("drop the test database");
                conn.close().await.expect("close the admin connection");
            }
        }
    }
}

/// Runs `test` once on a fresh SQLite database and once on a fresh PostgreSQL database.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(StoreLocation) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let database = TestDatabase::create(backend).await;
        test(database.location().clone()).await;
        database.remove().await;
    }
}

/// Serves a service's routes on a free port over a freshly migrated store on `backend`, and
/// returns what its `GET /health` answers: the smoke test every service crate runs.
pub async fn served_health<F>(
    backend: StoreBackend,
    schema: &str,
    migrations: &Migrations,
    configure: F,
) -> ServiceHealth
where
    F: Fn(&mut web::ServiceConfig, &Store) + Send + Clone + 'static,
{
    let database = TestDatabase::create(backend).await;
    let store = Store::connect(database.location(), schema)
        .await
        .expect("connect the store");
    store.migrate(migrations).await.expect("migrate the store");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let address = listener.local_addr().expect("local address");
    let served = store.clone();
    let server = crate::http::serve(listener, 1, move |cfg| configure(cfg, &served))
        .expect("start the server");
    let handle = server.handle();
    tokio::spawn(server);
    let health = reqwest_health(&format!("http://{address}{}", health::PATH)).await;
    handle.stop(true).await;
    store.close().await;
    database.remove().await;
    health
}

/// Asserts that a service, served over a migrated store, reports itself healthy with its newest
/// schema version on SQLite and on PostgreSQL.
pub async fn assert_healthy_on_both_backends<F>(
    service: ServiceName,
    schema: &str,
    migrations: &Migrations,
    configure: F,
) where
    F: Fn(&mut web::ServiceConfig, &Store) + Send + Clone + 'static,
{
    let newest = migrations.sqlite.iter().map(|m| m.version).max();
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let health = served_health(backend, schema, migrations, configure.clone()).await;
        assert_eq!(
            (health.service, health.status),
            (service, HealthStatus::Ok),
            "{health:?}"
        );
        let store = health.store.expect("the health document reports the store");
        assert_eq!((store.backend, store.schema_version), (backend, newest));
    }
}

async fn reqwest_health(url: &str) -> ServiceHealth {
    let response = reqwest::get(url).await.expect("GET /health");
    response.json().await.expect("a health document")
}

/// A clock that stands still until a test moves it: expiry is tested without sleeping.
#[derive(Debug, Clone)]
pub struct ManualClock(std::sync::Arc<std::sync::atomic::AtomicI64>);

impl ManualClock {
    pub fn starting_at(now: crate::clock::UnixTime) -> Self {
        Self(std::sync::Arc::new(std::sync::atomic::AtomicI64::new(now)))
    }

    pub fn advance(&self, seconds: i64) {
        self.0
            .fetch_add(seconds, std::sync::atomic::Ordering::SeqCst);
    }
}

impl crate::clock::Clock for ManualClock {
    fn now(&self) -> crate::clock::UnixTime {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// The admin URL with its database path replaced by `database` (query parameters kept).
fn with_database(admin_url: &str, database: &str) -> String {
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let server = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_is_swapped_in_the_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5433/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5433/t1"
        );
        assert_eq!(
            with_database("postgres://u:p@h:1", "t2"),
            "postgres://u:p@h:1/t2"
        );
        assert_eq!(
            with_database("postgres://h/postgres?sslmode=disable", "t3"),
            "postgres://h/t3?sslmode=disable"
        );
    }
}
