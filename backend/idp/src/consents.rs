//! What a person allowed a client to do on their behalf.

use mrdp_service::clock::UnixTime;
use mrdp_service::store::Store;

/// The scopes of `scopes` that the person has not yet allowed the client.
pub async fn missing(
    store: &Store,
    identity_id: &str,
    client_id: &str,
    scopes: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    let granted: Vec<String> =
        sqlx::query_scalar("SELECT scope FROM consents WHERE identity_id = $1 AND client_id = $2")
            .bind(identity_id)
            .bind(client_id)
            .fetch_all(store.pool())
            .await?;
    Ok(scopes
        .iter()
        .filter(|scope| !granted.contains(scope))
        .cloned()
        .collect())
}

/// Records that the person allowed the client these scopes.
pub async fn grant(
    store: &Store,
    identity_id: &str,
    client_id: &str,
    scopes: &[String],
    now: UnixTime,
) -> Result<(), sqlx::Error> {
    let mut tx = store.pool().begin().await?;
    for scope in scopes {
        sqlx::query(
            "INSERT INTO consents (identity_id, client_id, scope, granted_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (identity_id, client_id, scope) DO NOTHING",
        )
        .bind(identity_id)
        .bind(client_id)
        .bind(scope)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
