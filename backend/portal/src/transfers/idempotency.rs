//! `Idempotency-Key` on a submission: the portal keeps the submission id it got for a key with
//! the request, and a retry of that request submits again with the same id, which the transfer
//! service answers with the same task (Globus's submission ids work so). The same key with
//! another request is refused; two retries racing each other agree on one id (the first kept).

use crate::PortalError;
use actix_web::HttpRequest;
use mrdp_service::store::Store;

/// The header, as clients send it.
pub const HEADER: &str = "Idempotency-Key";
/// The longest key taken.
const MOST_LENGTH: usize = 200;

/// The request's key, if it has one: 1 to 200 visible ASCII characters.
pub fn key_of(req: &HttpRequest) -> Result<Option<String>, PortalError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default();
    let fine =
        !key.is_empty() && key.len() <= MOST_LENGTH && key.bytes().all(|b| b.is_ascii_graphic());
    fine.then(|| Some(key.to_owned())).ok_or_else(|| {
        PortalError::BadRequest(format!(
            "{HEADER}: 1 to {MOST_LENGTH} visible ASCII characters"
        ))
    })
}

/// The submission id kept for `identity`'s `key` with `request` or, when there is none,
/// `fresh`'s, kept now.
pub async fn submission_id_for(
    store: &Store,
    (identity, key): (&str, &str),
    request: &str,
    now: i64,
    fresh: impl Future<Output = Result<String, PortalError>>,
) -> Result<String, PortalError> {
    if let Some(kept) = kept(store, identity, key, request).await? {
        return Ok(kept);
    }
    let submission_id = fresh.await?;
    sqlx::query(
        "INSERT INTO transfer_submissions (identity_id, idempotency_key, request, submission_id, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (identity_id, idempotency_key) DO NOTHING",
    )
    .bind(identity)
    .bind(key)
    .bind(request)
    .bind(&submission_id)
    .bind(now)
    .execute(store.pool())
    .await?;
    // Another retry may have kept its id first: that one is the submission's.
    kept(store, identity, key, request)
        .await?
        .ok_or_else(|| PortalError::Conflict(format!("{HEADER} {key} was not kept")))
}

/// The id kept for the key, if any; a 409 when it was kept for another request.
async fn kept(
    store: &Store,
    identity: &str,
    key: &str,
    request: &str,
) -> Result<Option<String>, PortalError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT request, submission_id FROM transfer_submissions \
         WHERE identity_id = $1 AND idempotency_key = $2",
    )
    .bind(identity)
    .bind(key)
    .fetch_optional(store.pool())
    .await?;
    match row {
        Some((kept_request, id)) if kept_request == request => Ok(Some(id)),
        Some(_) => Err(PortalError::Conflict(format!(
            "{HEADER} {key} was used for another submission: use a new key for a new one"
        ))),
        None => Ok(None),
    }
}
