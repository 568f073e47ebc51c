//! A service's database: one connection pool over SQLite or PostgreSQL, chosen by URL.
//!
//! Queries are written once, with `$1` placeholders that both SQLite and PostgreSQL accept, and
//! run through sqlx's `Any` driver. Each service owns its tables: on SQLite it has a database file
//! of its own, on PostgreSQL a schema of its own (named after the service) in a shared database,
//! so that `_sqlx_migrations` and table names never collide between services.

mod location;
mod migrations;

use mrdp_shared::{HealthStatus, StoreBackend, StoreHealth};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub use location::{DatabaseUrl, StoreLocation};
pub use migrations::Migrations;

/// Why a store could not be opened or used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    #[error("cannot create the database directory {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// A service's connection pool and the backend it runs on.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: StoreBackend,
}

impl Store {
    /// Opens (creating if needed) the store of the service `schema` at `location`.
    pub async fn connect(location: &StoreLocation, schema: &str) -> Result<Self, StoreError> {
        install_default_drivers();
        let url = location.connection_url(schema)?;
        let backend = location.backend();
        if backend == StoreBackend::Postgres {
            create_schema(&url, schema).await?;
        }
        let setup = session_setup(backend, schema);
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                StoreBackend::Sqlite => 4,
                StoreBackend::Postgres => 10,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                let setup = setup.clone();
                Box::pin(async move {
                    conn.execute(setup.as_str()).await?;
                    Ok(())
                })
            })
            .connect(url.expose())
            .await?;
        Ok(Self { pool, backend })
    }

    /// Applies the service's migrations for this backend; running it again is a no-op.
    pub async fn migrate(&self, migrations: &Migrations) -> Result<(), StoreError> {
        migrations.for_backend(self.backend).run(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> StoreBackend {
        self.backend
    }

    /// The newest applied migration, `None` before the first one.
    pub async fn schema_version(&self) -> Result<Option<i64>, StoreError> {
        let applied = sqlx::query_scalar::<_, i64>(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await;
        match applied {
            Ok(version) => Ok(version),
            // No migration table yet: nothing has been applied.
            Err(sqlx::Error::Database(e)) if is_missing_table(e.as_ref()) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Round-trips the database and reports what the health endpoint shows.
    pub async fn health(&self) -> StoreHealth {
        let probe = async {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            self.schema_version().await
        };
        match tokio::time::timeout(Duration::from_secs(5), probe)
            .await
            .ok()
        {
            Some(Ok(schema_version)) => StoreHealth {
                backend: self.backend,
                status: HealthStatus::Ok,
                schema_version,
            },
            Some(Err(e)) => {
                tracing::warn!(error = %e, "store health probe failed");
                StoreHealth {
                    backend: self.backend,
                    status: HealthStatus::Down,
                    schema_version: None,
                }
            }
            None => {
                tracing::warn!("store health probe timed out");
                StoreHealth {
                    backend: self.backend,
                    status: HealthStatus::Down,
                    schema_version: None,
                }
            }
        }
    }

    /// Closes every connection; pending queries finish first.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Reads a column holding a word of a closed vocabulary (`parse` knows the words): a word it does
/// not know is a decode error naming the column and the word, never a guess.
pub fn known_word<T>(
    column: &str,
    word: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    parse(word).ok_or_else(|| unknown_word(column, word))
}

/// The decode error of a column holding a word the code does not know.
pub fn unknown_word(column: &str, word: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {column} `{word}`").into())
}

/// The statements every new connection runs before it is handed out.
fn session_setup(backend: StoreBackend, schema: &str) -> String {
    match backend {
        // WAL lets readers proceed during a write; the busy timeout absorbs writer contention.
        StoreBackend::Sqlite => {
            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;"
                .to_owned()
        }
        StoreBackend::Postgres => format!("SET search_path TO {}", quote_identifier(schema)),
    }
}

async fn create_schema(url: &DatabaseUrl, schema: &str) -> Result<(), StoreError> {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(url.expose()).await?;
    let statement = format!("CREATE SCHEMA IF NOT EXISTS {}", quote_identifier(schema));
    let created = conn.execute(statement.as_str()).await;
    conn.close().await?;
    match created {
        Ok(_) => Ok(()),
        // Two processes creating the schema at once: the loser sees a unique violation.
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("23505") => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Quotes an SQL identifier (schema names come from code, but quoting costs nothing).
fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn is_missing_table(e: &dyn sqlx::error::DatabaseError) -> bool {
    // PostgreSQL: undefined_table; SQLite reports it only in the message.
    e.code().as_deref() == Some("42P01") || e.message().contains("no such table")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_word_is_a_decode_error_naming_it() {
        let parse = |word: &str| (word == "r").then_some(1);
        assert_eq!(known_word("permissions", "r", parse).ok(), Some(1));
        let error = known_word("permissions", "w", parse).unwrap_err();
        assert!(
            matches!(&error, sqlx::Error::Decode(why) if why.to_string() == "unknown permissions `w`")
        );
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_identifier("idp"), "\"idp\"");
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn postgres_sessions_use_the_service_schema() {
        assert_eq!(
            session_setup(StoreBackend::Postgres, "transfer"),
            "SET search_path TO \"transfer\""
        );
        assert!(session_setup(StoreBackend::Sqlite, "transfer").contains("journal_mode = WAL"));
    }
}
