//! `GET /api/transfers/{id}/stream`: Server-Sent Events of a task's progress while it runs
//! (`event: progress`, the task as `GET /api/transfers/{id}` answers it) and one `event: end`
//! when it has ended, after which the stream closes; or, when the task can no longer be followed
//! (the transfer service stopped answering the portal), one `event: problem` with the portal's
//! error document before it closes. Each event's id is the progress it carries,
//! so a browser that reconnects with `Last-Event-ID` is sent only what is newer than what it has.
//! The stream reads the task's one poller ([`super::watchers`]); a comment every 15 s keeps the
//! connection open through proxies while nothing changes.

use super::routes::task_id;
use super::watchers::Watched;
use crate::auth::me::with_complete_profile;
use crate::sse;
use crate::{PortalError, PortalState};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::{ErrorCode, TransferTask};
use std::time::Duration;
use tokio::sync::watch;

const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The event id of a task's state: its status and progress.
fn event_id(task: &TransferTask) -> String {
    format!(
        "{:?}-{}-{}-{}-{}",
        task.status, task.files, task.files_transferred, task.bytes_transferred, task.faults
    )
    .to_lowercase()
}

fn event(name: &str, task: &TransferTask) -> Bytes {
    sse::event(name, &event_id(task), task)
}

pub async fn stream(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let id = task_id(&id)?;
    let last_seen = req
        .headers()
        .get("Last-Event-ID")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let mut watching = state.task_watchers.watch(&state, &session, &id);
    let first = watching
        .wait_for(|known| *known != Watched::Unknown)
        .await
        .map(|known| known.clone())
        .map_err(|_| PortalError::Upstream("the task's poller stopped".into()))?;
    match first {
        Watched::NotFound(_) => return Err(PortalError::NotFound(format!("no transfer {id}"))),
        Watched::Unreachable(message) => return Err(PortalError::Upstream(message)),
        Watched::Unknown | Watched::Running(_) | Watched::Ended(_) => {}
    }
    let events = futures_util::stream::unfold(
        (watching, last_seen, false),
        |(mut watching, mut last_seen, done)| async move {
            if done {
                return None;
            }
            loop {
                let known = watching.borrow_and_update().clone();
                let (bytes, ends) = match &known {
                    Watched::Running(task) if last_seen.as_deref() != Some(&event_id(task)) => {
                        last_seen = Some(event_id(task));
                        (event("progress", task), false)
                    }
                    Watched::Ended(task) => (event("end", task), true),
                    Watched::Running(_) | Watched::Unknown => {
                        match next_change(&mut watching).await {
                            Some(true) => continue,
                            Some(false) => (Bytes::from_static(sse::KEEP_ALIVE_COMMENT), false),
                            None => return None,
                        }
                    }
                    Watched::NotFound(message) => {
                        (sse::problem(ErrorCode::NotFound, message), true)
                    }
                    Watched::Unreachable(message) => {
                        (sse::problem(ErrorCode::UpstreamUnavailable, message), true)
                    }
                };
                return Some((
                    Ok::<_, actix_web::Error>(bytes),
                    (watching, last_seen, ends),
                ));
            }
        },
    );
    Ok(sse::respond(events))
}

/// Waits for the next change: `Some(true)` when there is one, `Some(false)` when
/// [`KEEP_ALIVE`] passed without one, `None` when the poller is gone.
async fn next_change(watching: &mut watch::Receiver<Watched>) -> Option<bool> {
    match tokio::time::timeout(KEEP_ALIVE, watching.changed()).await {
        Ok(Ok(())) => Some(true),
        Ok(Err(_)) => None,
        Err(_) => Some(false),
    }
}
