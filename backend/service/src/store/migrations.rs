//! A service's migrations, one set per SQL dialect.

use mrdp_shared::StoreBackend;
use sqlx::migrate::Migrator;

/// The migrations a service embeds with `sqlx::migrate!`, one set per SQL dialect, numbered alike
/// so that both backends reach the same schema version. Most services write portable SQL and use
/// one directory for both ([`embed_migrations!`](crate::embed_migrations)); a service whose
/// schema needs dialect-specific SQL embeds one directory per dialect.
#[derive(Debug)]
pub struct Migrations {
    pub sqlite: Migrator,
    pub postgres: Migrator,
}

impl Migrations {
    pub fn for_backend(&self, backend: StoreBackend) -> &Migrator {
        match backend {
            StoreBackend::Sqlite => &self.sqlite,
            StoreBackend::Postgres => &self.postgres,
        }
    }
}

/// Embeds the calling crate's `migrations/` directory, portable SQL that both SQLite and
/// PostgreSQL run, as [`Migrations`].
#[macro_export]
macro_rules! embed_migrations {
    () => {
        $crate::store::Migrations {
            sqlite: ::sqlx::migrate!("./migrations"),
            postgres: ::sqlx::migrate!("./migrations"),
        }
    };
}
