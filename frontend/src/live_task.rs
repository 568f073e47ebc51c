//! A task kept up to date by its progress stream while it runs.

use crate::progress_stream::{self, Progress};
use leptos::prelude::*;
use mrdp_shared::{TransferStatus, TransferTask};

/// The task as last heard, and why it can no longer be followed, if it cannot.
#[derive(Debug, Clone, Copy)]
pub struct LiveTask {
    pub task: RwSignal<TransferTask>,
    pub lost: RwSignal<Option<String>>,
    /// Whether the task has ended since it was first read.
    pub ended: RwSignal<bool>,
}

impl LiveTask {
    /// Follows `task` while it is active (or paused); the stream closes with the owner.
    pub fn follow(task: TransferTask) -> Self {
        let live = Self {
            task: RwSignal::new(task.clone()),
            lost: RwSignal::new(None),
            ended: RwSignal::new(false),
        };
        if matches!(
            task.status,
            TransferStatus::Active | TransferStatus::Inactive
        ) {
            let url = crate::api::stream_url(&task.task_id);
            let stream = progress_stream::follow(&url, move |progress| match progress {
                Progress::Running(task) => live.task.set(task),
                Progress::Ended(task) => {
                    live.task.set(task);
                    live.ended.set(true);
                }
                Progress::Lost(why) => live.lost.set(Some(why)),
            });
            let stream = StoredValue::new_local(stream);
            on_cleanup(move || stream.set_value(None));
        }
        live
    }
}
