mod copied_files;

use crate::api::{self, ApiFailure};
use crate::components::{ErrorPanel, Pager, TaskProgress, collection_name, task_title};
use crate::file_manager_link::{FileManagerLink, PaneAt};
use crate::live_task::LiveTask;
use crate::route::{AppRoute, TASK_ID_PARAM, task_path};
use copied_files::CopiedFiles;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use mrdp_shared::{TaskKind, TransferStatus, TransferTask};

/// One task: live progress while it runs, its event log, cancel, and the way to its collections.
#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get(TASK_ID_PARAM).unwrap_or_default()));
    let task = LocalResource::new(move || {
        let id = id.get();
        async move { api::fetch_transfer(&id).await }
    });
    view! {
        <p class="back"><a href=AppRoute::Activity.path()>"← All activity"</a></p>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the transfer…"</p> }>
            {move || Suspend::new(async move {
                match task.await {
                    Ok(task) => view! { <Task task /> }.into_any(),
                    Err(failure) => view! { <h1>"Transfer"</h1><ErrorPanel failure /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Task(task: TransferTask) -> impl IntoView {
    let (id, kind) = (task.task_id.clone(), task.kind);
    let live = LiveTask::follow(task);
    let failure = RwSignal::new(None::<ApiFailure>);
    let cancel = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            leptos::task::spawn_local(async move {
                match api::cancel_transfer(&id).await {
                    Ok(task) => live.task.set(task),
                    Err(refused) => failure.set(Some(refused)),
                }
            });
        }
    };
    let navigate = use_navigate();
    let again = {
        let id = id.clone();
        move |_| {
            let (id, navigate) = (id.clone(), navigate.clone());
            leptos::task::spawn_local(async move {
                match api::transfer_again(&id, &api::new_idempotency_key()).await {
                    Ok(made) => navigate(&task_path(&made.task_id), Default::default()),
                    Err(refused) => failure.set(Some(refused)),
                }
            });
        }
    };
    let repeatable = move || {
        live.task.with(|t| {
            t.kind == TaskKind::Transfer
                && !matches!(t.status, TransferStatus::Active | TransferStatus::Inactive)
        })
    };
    let stoppable = move || {
        live.task
            .with(|t| matches!(t.status, TransferStatus::Active | TransferStatus::Inactive))
    };
    view! {
        <h1 data-testid="task-title" data-task=id.clone()>{move || live.task.with(task_title)}</h1>
        {move || view! { <TaskProgress task=live.task.get() /> }}
        {move || live.lost.get().map(|why| view! { <p class="error-panel" role="alert">{format!("Live progress stopped: {why}. Reload the page to try again.")}</p> })}
        {move || failure.get().map(|failure| view! { <ErrorPanel failure /> })}
        <div class="toolbar">
            {move || stoppable().then(|| view! { <button type="button" class="danger" data-testid="cancel-task" on:click=cancel.clone()>"Cancel"</button> })}
            {move || repeatable().then(|| view! { <button type="button" data-testid="transfer-again" on:click=again.clone()>"Transfer again"</button> })}
            {move || live.task.with(open_links)}
        </div>
        <TaskFacts live />
        {(kind == TaskKind::Transfer).then(|| view! { <CopiedFiles id=id.clone() /> })}
        <EventLog id ended=live.ended />
    }
}

/// Links that open the task's collections in the file manager.
fn open_links(task: &TransferTask) -> impl IntoView + use<> {
    let at = |c: &Option<mrdp_shared::CollectionName>| c.as_ref().map(|c| PaneAt::new(&c.id, "/"));
    let (source, destination) = (at(&task.source), at(&task.destination));
    let both = FileManagerLink {
        origin: source.clone(),
        destination: destination.clone(),
        select: Vec::new(),
    };
    let words = if task.kind == TaskKind::Delete {
        "Open the collection"
    } else {
        "Open source and destination"
    };
    view! { <a class="button-link" data-testid="open-in-file-manager" href=both.href()>{words}</a> }
}

#[component]
fn TaskFacts(live: LiveTask) -> impl IntoView {
    let name = |c: &Option<mrdp_shared::CollectionName>| {
        c.as_ref().map(collection_name).unwrap_or_default()
    };
    move || {
        let task = live.task.get();
        view! {
            <dl class="facts-list task-facts">
                <dt>"From"</dt><dd>{name(&task.source)}</dd>
                {(task.kind == TaskKind::Transfer).then(|| view! { <dt>"To"</dt><dd>{name(&task.destination)}</dd> })}
                <dt>"Requested"</dt><dd>{task.requested_at.replace('T', " ")}</dd>
                {task.deadline.map(|at| view! { <dt>"Must be done by"</dt><dd>{at.replace('T', " ")}</dd> })}
                <dt>"Completed"</dt><dd>{task.completed_at.map_or_else(|| "not yet".to_owned(), |t| t.replace('T', " "))}</dd>
                <dt>"Files"</dt><dd>{format!("{} copied, {} already there, of {}", task.files_transferred, task.files_skipped, task.files)}</dd>
                <dt>"Faults"</dt><dd>{task.faults}</dd>
                <dt>"Task id"</dt><dd><code>{task.task_id}</code></dd>
            </dl>
        }
    }
}

/// The task's event log, newest first, read again when the task ends.
#[component]
fn EventLog(id: String, ended: RwSignal<bool>) -> impl IntoView {
    let page = RwSignal::new(1_u32);
    let events = LocalResource::new(move || {
        let (id, page, _) = (id.clone(), page.get(), ended.get());
        async move { api::fetch_transfer_events(&id, page).await }
    });
    view! {
        <section aria-labelledby="events-heading">
            <h2 id="events-heading">"Event log"</h2>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the events…"</p> }>
                {move || Suspend::new(async move {
                    match events.await {
                        Ok(found) => {
                            let pages = found.paging.pages();
                            let current = found.paging.page;
                            let rows = found.events.into_iter().map(|event| { let code = event.code.clone(); view! {
                                <tr class:error=event.is_error data-testid="event" data-code=code>
                                    <td>{event.time.get(..19).unwrap_or(&event.time).replace('T', " ")}</td>
                                    <td>{event.code}</td>
                                    <td>{event.description}{(!event.details.is_empty()).then(|| view! { <span class="detail">" — " {event.details}</span> })}</td>
                                </tr>
                            }}).collect_view();
                            view! {
                                <table class="files events" data-testid="events">
                                    <thead><tr><th scope="col">"Time (UTC)"</th><th scope="col">"Event"</th><th scope="col">"What happened"</th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                                <Pager page=current pages label="Event pages" on_page=Callback::new(move |p| page.set(p)) />
                            }.into_any()
                        }
                        Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
