//! A service's migrations, one set per SQL dialect.

use mrdp_shared::StoreBackend;
use sqlx::migrate::Migrator;

/// The migrations a service embeds with `sqlx::migrate!`, one directory per dialect
/// (`migrations/sqlite`, `migrations/postgres`), numbered alike so both backends reach the
/// same schema version.
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

/// Embeds the calling crate's `migrations/sqlite` and `migrations/postgres` as [`Migrations`].
#[macro_export]
macro_rules! embed_migrations {
    () => {
        $crate::store::Migrations {
            sqlite: ::sqlx::migrate!("migrations/sqlite"),
            postgres: ::sqlx::migrate!("migrations/postgres"),
        }
    };
}
