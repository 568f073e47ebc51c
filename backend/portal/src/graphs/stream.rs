//! `GET /api/graphs/{id}/stream`: Server-Sent Events of a graph job as it goes: `event: progress`
//! (the job as `GET /api/graphs/{id}` answers it) each time it moves, one `event: end` when it
//! has ended, after which the stream closes; `event: problem` when the graph service stops
//! answering. Each event's id is the state it carries, so a browser that reconnects with
//! `Last-Event-ID` is sent only what is newer. The portal asks the graph service with the
//! researcher's token, every quarter of a second at first and less often while nothing changes
//! (jobs last seconds); a comment every 15 s keeps the connection open through proxies.

use super::forward::GraphAs;
use super::routes::job_of;
use crate::{PortalError, PortalState, sse};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::{ErrorCode, GraphJob};
use std::time::Duration;
use tokio::time::Instant;

const FIRST_PAUSE: Duration = Duration::from_millis(250);
const LONGEST_PAUSE: Duration = Duration::from_secs(2);
const KEEP_ALIVE: Duration = Duration::from_secs(15);
const NO_BODY: Option<&()> = None;

/// The event id of a job's state.
fn event_id(job: &GraphJob) -> String {
    format!(
        "{:?}-{}-{}",
        job.status, job.progress.done, job.progress.total
    )
    .to_lowercase()
}

/// Where a stream is: what the browser was last sent, how long to wait, when it was last sent
/// anything, and whether it is over.
struct Following {
    graph: GraphAs,
    path: String,
    last_seen: Option<String>,
    pause: Duration,
    last_sent: Instant,
    over: bool,
}

impl Following {
    /// The next bytes to send, once there is something to send.
    async fn next(&mut self) -> Bytes {
        loop {
            let job: GraphJob = match self
                .graph
                .fetch(reqwest::Method::GET, &self.path, NO_BODY)
                .await
            {
                Ok(job) => job,
                Err(error) => {
                    self.over = true;
                    let code = match error {
                        PortalError::NotFound(_) => ErrorCode::NotFound,
                        _ => ErrorCode::UpstreamUnavailable,
                    };
                    return sse::problem(code, &error.to_string());
                }
            };
            let id = event_id(&job);
            if job.status.finished() {
                self.over = true;
                return sse::event("end", &id, &job);
            }
            if self.last_seen.as_deref() != Some(&id) {
                self.last_seen = Some(id.clone());
                self.pause = FIRST_PAUSE;
                self.last_sent = Instant::now();
                return sse::event("progress", &id, &job);
            }
            if self.last_sent.elapsed() >= KEEP_ALIVE {
                self.last_sent = Instant::now();
                return Bytes::from_static(sse::KEEP_ALIVE_COMMENT);
            }
            tokio::time::sleep(self.pause).await;
            self.pause = (self.pause * 3 / 2).min(LONGEST_PAUSE);
        }
    }
}

pub async fn stream(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PortalError> {
    let (_, graph, path) = job_of(&req, &state, &id).await?;
    // An unknown job is a 404 before the stream starts.
    let _: GraphJob = graph.fetch(reqwest::Method::GET, &path, NO_BODY).await?;
    let following = Following {
        graph,
        path,
        last_seen: req
            .headers()
            .get("Last-Event-ID")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
        pause: FIRST_PAUSE,
        last_sent: Instant::now(),
        over: false,
    };
    let events = futures_util::stream::unfold(following, |mut following| async move {
        if following.over {
            return None;
        }
        let bytes = following.next().await;
        Some((Ok::<_, actix_web::Error>(bytes), following))
    });
    Ok(sse::respond(events))
}
