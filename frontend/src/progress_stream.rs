//! Follows a progress stream (a transfer's `GET /api/transfers/{id}/stream`, a graph job's
//! `GET /api/graphs/{id}/stream`: Server-Sent Events) with the browser's `EventSource`, which
//! reconnects by itself with `Last-Event-ID` after a dropped connection. The stream is closed
//! when its work has ended, when it cannot go on, and when the [`ProgressStream`] is dropped
//! (the page is left).

use mrdp_shared::ApiError;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

/// What the stream says.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress<T> {
    /// The work (a task, a job) while it runs.
    Running(T),
    /// The work as it ended; nothing follows.
    Ended(T),
    /// The portal can no longer follow it; nothing follows.
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

/// Reads one event's data: the work for `progress` and `end`, an error document for `problem`.
pub fn read<T: DeserializeOwned>(name: &str, data: &str) -> Option<Progress<T>> {
    match name {
        "progress" => serde_json::from_str(data).ok().map(Progress::Running),
        "end" => serde_json::from_str(data).ok().map(Progress::Ended),
        "problem" => serde_json::from_str::<ApiError>(data)
            .ok()
            .map(|error| Progress::Lost(error.message)),
        _ => None,
    }
}

/// Opens the stream at `url`; `on_progress` gets each event.
pub fn follow<T: DeserializeOwned + 'static>(
    url: &str,
    on_progress: impl Fn(Progress<T>) + 'static,
) -> Option<ProgressStream> {
    let source = EventSource::new(url).ok()?;
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
            read::<mrdp_shared::TransferTask>("problem", problem),
            Some(Progress::Lost(
                "the transfer service does not answer".into()
            ))
        );
        assert_eq!(read::<mrdp_shared::GraphJob>("progress", "not json"), None);
        assert_eq!(read::<mrdp_shared::GraphJob>("keepalive", "{}"), None);
    }
}
