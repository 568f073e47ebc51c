//! Where a service's database lives, from configuration.

use super::StoreError;
use mrdp_shared::StoreBackend;
use std::path::{Path, PathBuf};

/// A database connection URL. It may carry a password, so `Debug` shows only its scheme.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The full URL, for the driver only: never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn scheme(&self) -> &str {
        self.0.split_once(':').map_or("", |(scheme, _)| scheme)
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({}://[redacted])", self.scheme())
    }
}

/// The database every service of a deployment uses: SQLite files in a directory (the embedded
/// default, one file per service) or one PostgreSQL database (one schema per service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    Sqlite { dir: PathBuf },
    Postgres(DatabaseUrl),
}

impl StoreLocation {
    /// PostgreSQL when `database_url` is a `postgres://` URL; SQLite files under
    /// `<data_dir>/db` when it is absent.
    pub fn from_config(
        database_url: Option<&DatabaseUrl>,
        data_dir: &Path,
    ) -> Result<Self, StoreError> {
        match database_url {
            None => Ok(Self::Sqlite {
                dir: data_dir.join("db"),
            }),
            Some(url) if matches!(url.scheme(), "postgres" | "postgresql") => {
                Ok(Self::Postgres(url.clone()))
            }
            Some(url) => Err(StoreError::InvalidUrl(format!(
                "scheme `{}` is not supported: use postgres://… or leave it unset for SQLite",
                url.scheme()
            ))),
        }
    }

    pub fn backend(&self) -> StoreBackend {
        match self {
            Self::Sqlite { .. } => StoreBackend::Sqlite,
            Self::Postgres(_) => StoreBackend::Postgres,
        }
    }

    /// The URL the pool connects to for the service `schema`; creates the SQLite directory.
    pub(super) fn connection_url(&self, schema: &str) -> Result<DatabaseUrl, StoreError> {
        match self {
            Self::Sqlite { dir } => {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                    path: dir.display().to_string(),
                    source,
                })?;
                let file = dir.join(format!("{schema}.sqlite"));
                Ok(DatabaseUrl(format!("sqlite://{}?mode=rwc", file.display())))
            }
            Self::Postgres(url) => Ok(url.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_password() {
        let url = DatabaseUrl::new("postgres://mrdp:s3cret@db.example:5432/mrdp");
        let shown = format!("{url:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres"));
    }

    #[test]
    fn unset_url_means_sqlite_in_the_data_dir() {
        let location = StoreLocation::from_config(None, Path::new("/srv/mrdp")).unwrap();
        assert_eq!(
            location,
            StoreLocation::Sqlite {
                dir: PathBuf::from("/srv/mrdp/db")
            }
        );
        assert_eq!(location.backend(), StoreBackend::Sqlite);
    }

    #[test]
    fn postgres_urls_select_postgres_and_others_are_rejected() {
        for url in ["postgres://h/db", "postgresql://h/db"] {
            let location =
                StoreLocation::from_config(Some(&DatabaseUrl::new(url)), Path::new("/d"));
            assert_eq!(location.unwrap().backend(), StoreBackend::Postgres);
        }
        let mysql =
            StoreLocation::from_config(Some(&DatabaseUrl::new("mysql://h/db")), Path::new("/d"));
        assert!(matches!(mysql, Err(StoreError::InvalidUrl(m)) if m.contains("mysql")));
    }

    #[test]
    fn sqlite_file_is_named_after_the_service() {
        let dir = std::env::temp_dir().join(format!("mrdp-location-{}", std::process::id()));
        let location = StoreLocation::Sqlite { dir: dir.clone() };
        let url = location.connection_url("idp").unwrap();
        assert!(
            url.expose().ends_with("/idp.sqlite?mode=rwc"),
            "{}",
            url.expose()
        );
        assert!(dir.is_dir());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
