//! OAuth clients: confidential apps (with a secret) and public ones (native apps, PKCE).

use super::identities::{CLIENT_DOMAIN, IdentityKind};
use crate::error::RegistryError;
use crate::secret::{ClientSecret, digest, new_client_secret};
use mrdp_service::clock::UnixTime;
use mrdp_service::store::Store;
use sqlx::FromRow;

/// What registering a client takes.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub name: String,
    pub public: bool,
    /// Exact redirect URIs (no patterns): a code is only ever sent to one of these.
    pub redirect_uris: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRow {
    pub id: String,
    pub name: String,
    pub public: bool,
    pub redirect_uris: Vec<String>,
}

#[derive(FromRow)]
struct Row {
    id: String,
    name: String,
    public: i64,
    redirect_uris: String,
    secret_hash: Option<String>,
}

impl Row {
    fn split(self) -> (ClientRow, Option<String>) {
        let redirect_uris = self
            .redirect_uris
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        (
            ClientRow {
                id: self.id,
                name: self.name,
                public: self.public != 0,
                redirect_uris,
            },
            self.secret_hash,
        )
    }
}

/// Clients that were not deleted.
const SELECT: &str = "SELECT id, COALESCE(display_name, name) AS name, public, redirect_uris, \
                      secret_hash FROM clients WHERE deleted_at IS NULL";

/// Registers a client; a confidential one gets a secret, returned here and never again.
pub async fn create(
    store: &Store,
    now: UnixTime,
    new: NewClient,
) -> Result<(ClientRow, Option<ClientSecret>), RegistryError> {
    validate(&new)?;
    if find_by_name(store, &new.name).await?.is_some() {
        return Err(RegistryError::Duplicate(format!("client {}", new.name)));
    }
    let secret = (!new.public).then(new_client_secret);
    let hash = secret.as_ref().map(|s| digest(s.expose()));
    let row = insert(store, now, new, None, hash).await?;
    Ok((row, secret))
}

/// Registers an app `owner` made for themselves (Globus Auth's client API); a confidential one
/// gets its secrets later, as credentials.
pub async fn create_owned(
    store: &Store,
    now: UnixTime,
    new: NewClient,
    owner: &str,
) -> Result<ClientRow, RegistryError> {
    validate(&new)?;
    insert(store, now, new, Some(owner), None).await
}

async fn insert(
    store: &Store,
    now: UnixTime,
    new: NewClient,
    owner: Option<&str>,
    secret_hash: Option<String>,
) -> Result<ClientRow, RegistryError> {
    let id = uuid::Uuid::new_v4().to_string();
    let mut tx = store.pool().begin().await?;
    sqlx::query("INSERT INTO identities (id, username, name, email, organization, kind, created_at) VALUES ($1, $2, $3, NULL, NULL, $4, $5)")
        .bind(&id)
        .bind(format!("{id}@{CLIENT_DOMAIN}"))
        .bind(&new.name)
        .bind(IdentityKind::Client.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    // An app's name need not be unique: its unique `name` is then its id.
    let (unique_name, display_name) = match owner {
        Some(_) => (id.as_str(), Some(new.name.as_str())),
        None => (new.name.as_str(), None),
    };
    sqlx::query("INSERT INTO clients (id, name, public, secret_hash, redirect_uris, created_at, owner_identity, display_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(&id)
        .bind(unique_name)
        .bind(i64::from(new.public))
        .bind(secret_hash)
        .bind(new.redirect_uris.join(" "))
        .bind(now)
        .bind(owner)
        .bind(display_name)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ClientRow {
        id,
        name: new.name,
        public: new.public,
        redirect_uris: new.redirect_uris,
    })
}

fn validate(new: &NewClient) -> Result<(), RegistryError> {
    if new.name.trim().is_empty() || new.name.len() > 100 {
        return Err(RegistryError::Invalid(
            "a client name has 1 to 100 characters".into(),
        ));
    }
    for uri in &new.redirect_uris {
        let valid = (uri.starts_with("https://") || uri.starts_with("http://"))
            && !uri.contains('#')
            && !uri.chars().any(char::is_whitespace);
        if !valid {
            return Err(RegistryError::Invalid(format!(
                "redirect URI `{uri}` must be an absolute http(s) URL without a fragment"
            )));
        }
    }
    Ok(())
}

/// Replaces a confidential client's secret; the old one stops working at once.
pub async fn rotate_secret(store: &Store, name: &str) -> Result<ClientSecret, RegistryError> {
    let client = find_by_name(store, name)
        .await?
        .ok_or_else(|| RegistryError::NotFound(format!("client {name}")))?;
    if client.public {
        return Err(RegistryError::Invalid(format!(
            "client {name} is public: it has no secret"
        )));
    }
    let secret = new_client_secret();
    sqlx::query("UPDATE clients SET secret_hash = $1 WHERE id = $2")
        .bind(digest(secret.expose()))
        .bind(&client.id)
        .execute(store.pool())
        .await?;
    Ok(secret)
}

pub async fn find(store: &Store, id: &str) -> Result<Option<ClientRow>, sqlx::Error> {
    Ok(find_with_secret(store, id).await?.map(|(client, _)| client))
}

/// The client and the digest of its secret, for authentication.
pub async fn find_with_secret(
    store: &Store,
    id: &str,
) -> Result<Option<(ClientRow, Option<String>)>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} AND id = $1"))
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(row.map(Row::split))
}

pub async fn find_by_name(store: &Store, name: &str) -> Result<Option<ClientRow>, sqlx::Error> {
    // The operator's clients, by their unique names (apps people made are named by their ids).
    let row: Option<Row> = sqlx::query_as(&format!(
        "{SELECT} AND name = $1 AND owner_identity IS NULL"
    ))
    .bind(name)
    .fetch_optional(store.pool())
    .await?;
    Ok(row.map(|r| r.split().0))
}

pub async fn list(store: &Store) -> Result<Vec<ClientRow>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY name"))
        .fetch_all(store.pool())
        .await?;
    Ok(rows.into_iter().map(|r| r.split().0).collect())
}
