//! Apps people register for themselves (Globus Auth's client API): each belongs to the person who
//! made it, in their own project; a confidential one authenticates with any of its credentials;
//! deleting one revokes every token it was given, and every token given on its users' consent.

use super::clients::ClientRow;
use crate::secret::{ClientSecret, digest, new_client_secret};
use crate::tokens;
use mrdp_service::clock::UnixTime;
use mrdp_service::store::Store;
use sqlx::FromRow;

/// A person's one project, which holds their apps: its id is derived from theirs.
pub fn project_of(identity: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("mrdp:project:{identity}").as_bytes(),
    )
    .to_string()
}

#[derive(FromRow)]
struct AppRow {
    id: String,
    name: String,
    public: i64,
    redirect_uris: String,
}

impl From<AppRow> for ClientRow {
    fn from(row: AppRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            public: row.public != 0,
            redirect_uris: row
                .redirect_uris
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        }
    }
}

const OWNED: &str = "SELECT id, display_name AS name, public, redirect_uris FROM clients \
                     WHERE owner_identity = $1 AND deleted_at IS NULL";

/// `owner`'s apps, by name.
pub async fn owned(store: &Store, owner: &str) -> Result<Vec<ClientRow>, sqlx::Error> {
    let rows: Vec<AppRow> = sqlx::query_as(&format!("{OWNED} ORDER BY display_name, id"))
        .bind(owner)
        .fetch_all(store.pool())
        .await?;
    Ok(rows.into_iter().map(ClientRow::from).collect())
}

/// `owner`'s app `id`; `None` for an app of someone else's, as for an unknown one.
pub async fn find_owned(
    store: &Store,
    owner: &str,
    id: &str,
) -> Result<Option<ClientRow>, sqlx::Error> {
    let row: Option<AppRow> = sqlx::query_as(&format!("{OWNED} AND id = $2"))
        .bind(owner)
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    Ok(row.map(ClientRow::from))
}

/// Deletes an app: it can no longer authenticate or be signed in to, and every token issued to
/// it, or on its users' consent to it, is revoked.
pub async fn delete(store: &Store, id: &str, now: UnixTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE clients SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
        .bind(now)
        .bind(id)
        .execute(store.pool())
        .await?;
    tokens::revoke_of_client(store, id, now).await
}

/// A credential of a confidential app, as made.
#[derive(Debug, Clone)]
pub struct Credential {
    pub id: String,
    pub name: String,
    pub client_id: String,
    pub created_at: UnixTime,
}

/// Makes a new secret for the confidential app `client_id`; the secret is returned here only.
pub async fn add_credential(
    store: &Store,
    client_id: &str,
    name: &str,
    now: UnixTime,
) -> Result<(Credential, ClientSecret), sqlx::Error> {
    let secret = new_client_secret();
    let credential = Credential {
        id: uuid::Uuid::new_v4().to_string(),
        name: name.to_owned(),
        client_id: client_id.to_owned(),
        created_at: now,
    };
    sqlx::query(
        "INSERT INTO client_credentials (id, client_id, name, secret_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&credential.id)
    .bind(client_id)
    .bind(name)
    .bind(digest(secret.expose()))
    .bind(now)
    .execute(store.pool())
    .await?;
    Ok((credential, secret))
}

/// The digests of the credentials of `client_id`.
pub async fn credential_digests(
    store: &Store,
    client_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT secret_hash FROM client_credentials WHERE client_id = $1")
        .bind(client_id)
        .fetch_all(store.pool())
        .await
}
