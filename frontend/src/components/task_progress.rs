use crate::task_progress::{percent, status_text, summary};
use leptos::prelude::*;
use mrdp_shared::{CollectionName, TaskKind, TransferStatus, TransferTask};

/// A task's collection by its name, or its id when the transfer service gives no name.
pub fn collection_name(collection: &CollectionName) -> String {
    collection
        .name
        .clone()
        .unwrap_or_else(|| collection.id.clone())
}

/// A task's title: its label, or what it does between which collections.
pub fn task_title(task: &TransferTask) -> String {
    if let Some(label) = task.label.as_ref().filter(|l| !l.is_empty()) {
        return label.clone();
    }
    let name =
        |c: &Option<CollectionName>| c.as_ref().map_or_else(|| "?".to_owned(), collection_name);
    match task.kind {
        TaskKind::Transfer => format!("{} → {}", name(&task.source), name(&task.destination)),
        TaskKind::Delete => format!("Delete in {}", name(&task.source)),
    }
}

/// A task's status badge, progress bar and figures.
#[component]
pub fn TaskProgress(task: TransferTask) -> impl IntoView {
    let (class, word) = status_text(task.status);
    let done = percent(&task);
    let bar_label = format!("Progress of {}", task_title(&task));
    let width = format!("width: {}%", done.unwrap_or(0));
    let running = task.status == TransferStatus::Active;
    view! {
        <div class="task-progress" data-testid="task-progress" data-status=word.to_lowercase() data-percent=done.map(|p| p.to_string())>
            <span class=format!("badge {class}") data-testid="task-status">{word}</span>
            <div class="bar" role="progressbar" aria-label=bar_label aria-valuemin="0" aria-valuemax="100"
                aria-valuenow=done.map(|p| p.to_string()) aria-valuetext=done.map_or_else(|| "Finding files".to_owned(), |p| format!("{p} %"))>
                <div class="fill" class:running=running style=width></div>
            </div>
            <span class="percent" data-testid="task-percent">{done.map_or_else(|| "…".to_owned(), |p| format!("{p} %"))}</span>
            <p class="figures" data-testid="task-figures">{summary(&task)}</p>
            {task.problem.map(|problem| view! { <p class="problem" data-testid="task-problem">{problem}</p> })}
        </div>
    }
}
