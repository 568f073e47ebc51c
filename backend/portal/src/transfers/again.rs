//! "Transfer again": `POST /api/transfers/{id}/again` submits the request that made task `{id}`
//! anew (same items, same destination, same options; a new task), with its own
//! `Idempotency-Key` if the browser sends one. The portal keeps each request it submits, by the
//! task it made and for the researcher who made it; a task submitted elsewhere (straight to the
//! transfer service) has none here.

use super::routes::{submit_as, task_id};
use crate::auth::me::with_complete_profile;
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_service::store::Store;
use mrdp_shared::{TransferSubmission, TransferSubmitted};

/// Keeps what made `task_id` (a retry that made no new task keeps the first), written in the
/// background: a failure is logged, and only "transfer again" of that task is lost.
pub fn remember_soon(
    store: Store,
    (task_id, identity_id): (String, String),
    request: TransferSubmission,
    now: i64,
) {
    tokio::spawn(async move {
        let text = serde_json::to_string(&request).unwrap_or_default();
        let kept = sqlx::query(
            "INSERT INTO transfer_requests (task_id, identity_id, request, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (task_id) DO NOTHING",
        )
        .bind(&task_id)
        .bind(identity_id)
        .bind(text)
        .bind(now)
        .execute(store.pool())
        .await;
        if let Err(error) = kept {
            tracing::warn!(%error, task = %task_id, "a transfer's request is not kept for 'transfer again'");
        }
    });
}

/// What made `task_id`, if its researcher submitted it through the portal.
async fn recall(
    store: &Store,
    (task_id, identity_id): (&str, &str),
) -> Result<Option<TransferSubmission>, PortalError> {
    let text: Option<String> = sqlx::query_scalar(
        "SELECT request FROM transfer_requests WHERE task_id = $1 AND identity_id = $2",
    )
    .bind(task_id)
    .bind(identity_id)
    .fetch_optional(store.pool())
    .await?;
    Ok(text.and_then(|text| serde_json::from_str(&text).ok()))
}

pub async fn again(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let id = task_id(&id)?;
    let request = recall(&state.store, (&id, &session.identity_id))
        .await?
        .ok_or_else(|| {
            PortalError::NotFound(format!(
                "no transfer {id} submitted through the portal to do again"
            ))
        })?;
    let task_id = submit_as(&req, &state, &session, &request).await?;
    Ok(HttpResponse::Accepted().json(TransferSubmitted { task_id }))
}
