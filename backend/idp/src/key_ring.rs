//! The identity provider's signing keys, kept in its store so that every replica on one database
//! signs with the same key and publishes the same JWKS: a key rotated through one (`mrdp idp
//! rotate-key`) is what all of them sign with and publish from their next id token or JWKS
//! request, as each reads the list of keys (one small query) before it uses them.
//!
//! The private keys are sealed (ChaCha20-Poly1305, bound to their kid) with
//! `<data_dir>/secrets/idp-key-seal.key`, shared configuration like the other secrets, so a copy
//! of the database alone signs nothing. The newest key not retired signs; the few most recently
//! retired stay published, so that id tokens they signed still verify. Keys that earlier versions
//! kept as files in the secrets directory are taken into the store at the first start.

use crate::keys::{Jwk, Jwks, KeyError, SigningKey};
use mrdp_service::secrets;
use mrdp_service::store::Store;
use mrdp_service::vault::{self, VaultKey};
use std::path::Path;
use std::sync::{Arc, Mutex};

const SEAL_KEY_FILE: &str = "idp-key-seal.key";
/// Where earlier versions kept the signing key, and the keys rotated out (`<unix time>.pem`).
const FORMER_KEY_FILE: &str = "idp-signing-key.pem";
const FORMER_RETIRED_DIR: &str = "idp-retired-signing-keys";
/// How many retired keys stay published.
pub const KEEP_RETIRED: usize = 3;

/// The keys as one replica last read them.
#[derive(Debug)]
pub struct Published {
    /// Every key's kid and retirement, newest first: what a later read compares.
    listed: Vec<(String, Option<i64>)>,
    signing: SigningKey,
    jwks: Jwks,
}

impl Published {
    /// The key id tokens are signed with now.
    pub fn signing(&self) -> &SigningKey {
        &self.signing
    }

    /// The signing key first, then the most recently retired.
    pub fn jwks(&self) -> &Jwks {
        &self.jwks
    }
}

/// One row of the keys' list.
#[derive(sqlx::FromRow)]
struct Listed {
    kid: String,
    public_n: String,
    public_e: String,
    retired_at: Option<i64>,
}

/// The signing keys of the store, as this replica reads them.
#[derive(Debug)]
pub struct KeyRing {
    store: Store,
    seal: VaultKey,
    last: Mutex<Option<Arc<Published>>>,
}

impl KeyRing {
    /// The keys of `store` (migrated), made on the first start: taken from the files of earlier
    /// versions in `secrets_dir`, or generated.
    pub async fn open(store: Store, secrets_dir: &Path, now: i64) -> Result<Self, KeyError> {
        let seal = secrets::load_or_create(&secrets_dir.join(SEAL_KEY_FILE), || {
            Ok::<_, String>(VaultKey::generate())
        })?;
        let seal = VaultKey::from_bytes(&seal)
            .ok_or_else(|| KeyError::Parse(format!("{SEAL_KEY_FILE} must hold 32 bytes")))?;
        let ring = Self {
            store,
            seal,
            last: Mutex::default(),
        };
        if ring.listed().await?.is_empty() {
            ring.take_in_or_make(secrets_dir, now).await?;
        }
        ring.current().await?;
        Ok(ring)
    }

    /// The keys as they are in the store now (read again only when they changed).
    pub async fn current(&self) -> Result<Arc<Published>, KeyError> {
        let rows = self.listed().await?;
        let listed: Vec<(String, Option<i64>)> = rows
            .iter()
            .map(|row| (row.kid.clone(), row.retired_at))
            .collect();
        let last = self.last().clone();
        if let Some(last) = last.as_ref().filter(|last| last.listed == listed) {
            return Ok(last.clone());
        }
        // Two replicas that started at once on an empty store may both have made a key: the
        // newest (by time, then kid) signs for all of them.
        let current = rows
            .iter()
            .find(|row| row.retired_at.is_none())
            .ok_or(KeyError::NoneCurrent)?;
        let signing = match last.filter(|last| last.signing.kid() == current.kid) {
            Some(last) => last.signing.clone(),
            None => self.unsealed(&current.kid).await?,
        };
        let others = rows.iter().filter(|row| row.kid != current.kid);
        let mut keys = vec![signing.public().clone()];
        keys.extend(
            others
                .take(KEEP_RETIRED)
                .map(|row| Jwk::rsa(row.kid.clone(), row.public_n.clone(), row.public_e.clone())),
        );
        let published = Arc::new(Published {
            listed,
            signing,
            jwks: Jwks { keys },
        });
        *self.last() = Some(published.clone());
        Ok(published)
    }

    /// Makes a new key the signing one and retires the others; the new key's id.
    pub async fn rotate(&self, now: i64) -> Result<String, KeyError> {
        let key = SigningKey::generate()?;
        self.keep(&key, now, None).await?;
        sqlx::query(
            "UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL AND kid <> $2",
        )
        .bind(now)
        .bind(key.kid())
        .execute(self.store.pool())
        .await?;
        Ok(key.kid().to_owned())
    }

    fn last(&self) -> std::sync::MutexGuard<'_, Option<Arc<Published>>> {
        self.last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn listed(&self) -> Result<Vec<Listed>, KeyError> {
        Ok(sqlx::query_as(
            "SELECT kid, public_n, public_e, retired_at FROM signing_keys \
             ORDER BY created_at DESC, kid DESC",
        )
        .fetch_all(self.store.pool())
        .await?)
    }

    async fn unsealed(&self, kid: &str) -> Result<SigningKey, KeyError> {
        let sealed: String =
            sqlx::query_scalar("SELECT sealed_key FROM signing_keys WHERE kid = $1")
                .bind(kid)
                .fetch_one(self.store.pool())
                .await?;
        let pem = vault::open_bytes(&self.seal, &context(kid), &sealed)
            .map_err(|_| KeyError::Sealed(kid.to_owned()))?;
        SigningKey::from_pem(&pem)
    }

    /// Stores `key`, made at `created_at` and retired at `retired_at` (a key already kept stays
    /// as it is).
    async fn keep(
        &self,
        key: &SigningKey,
        created_at: i64,
        retired_at: Option<i64>,
    ) -> Result<(), KeyError> {
        let sealed = vault::seal_bytes(&self.seal, &context(key.kid()), key.pem())
            .map_err(|_| KeyError::Sealed(key.kid().to_owned()))?;
        let public = key.public();
        sqlx::query(
            "INSERT INTO signing_keys (kid, sealed_key, public_n, public_e, created_at, \
             retired_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kid) DO NOTHING",
        )
        .bind(key.kid())
        .bind(sealed)
        .bind(&public.n)
        .bind(&public.e)
        .bind(created_at)
        .bind(retired_at)
        .execute(self.store.pool())
        .await?;
        Ok(())
    }

    /// The first start on this store: the keys earlier versions kept as files, or a new one.
    async fn take_in_or_make(&self, secrets_dir: &Path, now: i64) -> Result<(), KeyError> {
        let retired_dir = secrets_dir.join(FORMER_RETIRED_DIR);
        if let Ok(entries) = std::fs::read_dir(&retired_dir) {
            for path in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
                // Named `<unix time of its retirement>.pem`.
                let Some(retired_at) = path
                    .file_stem()
                    .and_then(|stem| stem.to_str()?.parse::<i64>().ok())
                else {
                    continue;
                };
                let key = SigningKey::from_pem(&read(&path)?)?;
                self.keep(&key, retired_at, Some(retired_at)).await?;
            }
        }
        let former = secrets_dir.join(FORMER_KEY_FILE);
        let key = match former.exists() {
            true => SigningKey::from_pem(&read(&former)?)?,
            false => SigningKey::generate()?,
        };
        self.keep(&key, now, None).await
    }
}

/// What a sealed key is bound to.
fn context(kid: &str) -> String {
    format!("idp signing key\n{kid}")
}

fn read(path: &Path) -> Result<Vec<u8>, KeyError> {
    std::fs::read(path).map_err(|source| {
        KeyError::Secret(secrets::SecretError::Io {
            path: path.display().to_string(),
            source,
        })
    })
}
