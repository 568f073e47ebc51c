use crate::api;
use crate::components::{ErrorPanel, Pager, TaskProgress, task_title};
use crate::live_task::LiveTask;
use crate::route::{AppRoute, task_path};
use leptos::prelude::*;
use mrdp_shared::{TransferStatus, TransferTask};

/// How many running tasks of a page are followed live (each holds a connection, and a browser
/// opens only six to one server).
const FOLLOWED: usize = 3;

/// The statuses the list can be narrowed to: (the API's value, words).
const FILTERS: [(&str, &str); 5] = [
    ("", "every task"),
    ("active", "running"),
    ("inactive", "paused"),
    ("succeeded", "succeeded"),
    ("failed", "failed or canceled"),
];

/// Every task of the researcher, newest first, the running ones with live progress.
#[component]
pub fn ActivityPage() -> impl IntoView {
    let page = RwSignal::new(1_u32);
    let status = RwSignal::new(String::new());
    let tasks = LocalResource::new(move || {
        let (page, status) = (page.get(), status.get());
        async move { api::fetch_transfers(page, &status).await }
    });
    let choose = move |event: leptos::ev::Event| {
        page.set(1);
        status.set(event_target_value(&event));
    };
    view! {
        <div class="title-row">
            <h1>"Activity"</h1>
            <label class="filter">
                "Show "
                <select data-testid="task-filter" on:change=choose>
                    {FILTERS.iter().map(|&(value, words)| view! { <option value=value selected=move || status.with(|s| s == value)>{words}</option> }).collect_view()}
                </select>
            </label>
        </div>
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading your transfers…"</p> }>
            {move || Suspend::new(async move {
                match tasks.await {
                    Ok(found) if found.transfers.is_empty() && !status.get_untracked().is_empty() => view! {
                        <p class="empty" data-testid="no-tasks">"No task is in that state."</p>
                    }.into_any(),
                    Ok(found) if found.transfers.is_empty() => view! {
                        <div class="empty" data-testid="no-tasks">
                            <p>"You have no transfers yet."</p>
                            <p><a href=AppRoute::FileManager.path()>"Open the file manager"</a> " or " <a href=AppRoute::Datasets.path()>"choose datasets"</a></p>
                        </div>
                    }.into_any(),
                    Ok(found) => {
                        let pages = found.paging.pages();
                        let current = found.paging.page;
                        let mut followed = 0;
                        let rows = found.transfers.into_iter().map(|task| {
                            let live = matches!(task.status, TransferStatus::Active | TransferStatus::Inactive) && followed < FOLLOWED;
                            followed += usize::from(live);
                            view! { <TaskRow task live /> }
                        }).collect_view();
                        view! {
                            <ul class="tasks" data-testid="tasks" data-status=status.get_untracked()>{rows}</ul>
                            <Pager page=current pages label="Transfer pages" on_page=Callback::new(move |p| page.set(p)) />
                        }.into_any()
                    }
                    Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TaskRow(task: TransferTask, live: bool) -> impl IntoView {
    let shown = if live {
        LiveTask::follow(task).task
    } else {
        RwSignal::new(task)
    };
    let (id, requested) = shown.with_untracked(|t| (t.task_id.clone(), t.requested_at.clone()));
    view! {
        <li class="card task" data-testid="task" data-task=id.clone()>
            <header>
                <h2><a href=task_path(&id)>{move || shown.with(task_title)}</a></h2>
                <span class="detail">{requested.get(..16).unwrap_or(&requested).replace('T', " ")}</span>
            </header>
            {move || view! { <TaskProgress task=shown.get() /> }}
        </li>
    }
}
