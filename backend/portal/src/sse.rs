//! Server-Sent Events as the portal's streams write them: named events with an id (what a
//! browser sends back as `Last-Event-ID` when it reconnects) and a JSON document, and the
//! `problem` event that ends a stream which cannot go on.

use actix_web::HttpResponse;
use actix_web::web::Bytes;
use mrdp_shared::{ApiError, ErrorCode};

/// `id: …`, `event: <name>`, `data: <document as JSON>`.
pub fn event(name: &str, id: &str, document: &impl serde::Serialize) -> Bytes {
    let data = serde_json::to_string(document).unwrap_or_default();
    Bytes::from(format!("id: {id}\nevent: {name}\ndata: {data}\n\n"))
}

/// `event: problem`, the last of a stream that cannot go on: the portal's error document.
pub fn problem(code: ErrorCode, message: &str) -> Bytes {
    let data = serde_json::to_string(&ApiError::new(code, message)).unwrap_or_default();
    Bytes::from(format!("event: problem\ndata: {data}\n\n"))
}

/// A comment: keeps a connection open through proxies while nothing changes.
pub const KEEP_ALIVE_COMMENT: &[u8] = b": still running\n\n";

/// The response of a stream of `events`, unbuffered by proxies.
pub fn respond<S>(events: S) -> HttpResponse
where
    S: futures_util::Stream<Item = Result<Bytes, actix_web::Error>> + 'static,
{
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(events)
}
