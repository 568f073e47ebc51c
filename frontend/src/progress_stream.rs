//! Follows a task's progress stream (`GET /api/transfers/{id}/stream`, Server-Sent Events) with
//! the browser's `EventSource`, which reconnects by itself with `Last-Event-ID` after a dropped
//! connection. The stream is closed when its task has ended, when it cannot go on, and when the
//! [`ProgressStream`] is dropped (the page is left).

use crate::api::stream_url;
use mrdp_shared::{ApiError, TransferTask};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

/// What the stream says.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// The task while it runs.
    Running(TransferTask),
    /// The task as it ended; nothing follows.
    Ended(TransferTask),
    /// The portal can no longer follow the task; nothing follows.
    Lost(String),
}

/// An open stream and the listeners it calls.
pub struct ProgressStream {
    source: EventSource,
    _listeners: Vec<Closure<dyn FnMut(MessageEvent)>>,
}

impl std::fmt::Debug for ProgressStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProgressStream")
            .field("url", &self.source.url())
            .finish_non_exhaustive()
    }
}

impl Drop for ProgressStream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Reads one event's data: a task for `progress` and `end`, an error document for `problem`.
pub fn read(name: &str, data: &str) -> Option<Progress> {
    match name {
        "progress" => serde_json::from_str(data).ok().map(Progress::Running),
        "end" => serde_json::from_str(data).ok().map(Progress::Ended),
        "problem" => serde_json::from_str::<ApiError>(data)
            .ok()
            .map(|error| Progress::Lost(error.message)),
        _ => None,
    }
}

/// Opens the stream of task `id`; `on_progress` gets each event.
pub fn follow(id: &str, on_progress: impl Fn(Progress) + 'static) -> Option<ProgressStream> {
    let source = EventSource::new(&stream_url(id)).ok()?;
    let on_progress = std::rc::Rc::new(on_progress);
    let listeners = ["progress", "end", "problem"]
        .into_iter()
        .map(|name| {
            let (on_progress, closing) = (on_progress.clone(), source.clone());
            let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data().as_string().unwrap_or_default();
                let Some(progress) = read(name, &data) else {
                    return;
                };
                if !matches!(progress, Progress::Running(_)) {
                    closing.close();
                }
                on_progress(progress);
            });
            // A listener the source refuses only means that event is not followed.
            let _ =
                source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
            listener
        })
        .collect();
    Some(ProgressStream {
        source,
        _listeners: listeners,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_reads_as_what_it_carries() {
        let problem =
            r#"{"code":"upstream_unavailable","message":"the transfer service does not answer"}"#;
        assert_eq!(
            read("problem", problem),
            Some(Progress::Lost(
                "the transfer service does not answer".into()
            ))
        );
        assert_eq!(read("progress", "not json"), None);
        assert_eq!(read("keepalive", "{}"), None);
    }
}
