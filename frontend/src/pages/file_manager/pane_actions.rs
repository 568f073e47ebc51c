use super::pane::picked_path;
use crate::api::{self, ApiFailure, consent_href};
use crate::components::{ErrorPanel, Picked};
use crate::file_manager_link::PaneAt;
use crate::focus::focused_input;
use crate::route::task_path;
use leptos::prelude::*;
use mrdp_shared::CollectionSummary;

/// What a pane's toolbar is asking for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asking {
    Nothing,
    NewFolder,
    Rename,
    ConfirmDelete,
}

/// The result of the last action, for the researcher.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Done(String),
    Deleting(String),
    /// The researcher has not allowed the portal to read this collection's files yet.
    NeedsConsent,
    Failed(ApiFailure),
}

/// A pane's toolbar: make a folder, rename or delete what is ticked, share a folder of a
/// collection the researcher owns, list again.
#[component]
pub fn PaneActions(
    side: &'static str,
    here: PaneAt,
    collection: Option<CollectionSummary>,
    picked: RwSignal<Vec<Picked>>,
    refresh: RwSignal<u32>,
    on_share: Callback<PaneAt>,
) -> impl IntoView {
    let asking = RwSignal::new(Asking::Nothing);
    let outcome = RwSignal::new(None::<Outcome>);
    let name = RwSignal::new(String::new());
    let here = StoredValue::new(here);
    let shareable = collection.as_ref().is_some_and(|c| c.yours && !c.shared);
    // Where the researcher may not write (the catalog), nothing that writes is offered.
    let writable = collection
        .as_ref()
        .is_none_or(|c| c.may_write != Some(false));
    let one = move || picked.with(|p| (p.len() == 1).then(|| p[0].clone()));
    let finish = move |result: Result<String, ApiFailure>| match result {
        Ok(words) => {
            outcome.set(Some(Outcome::Done(words)));
            asking.set(Asking::Nothing);
            picked.set(Vec::new());
            refresh.update(|n| *n += 1);
        }
        Err(failure) => outcome.set(Some(Outcome::Failed(failure))),
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (here, wanted) = (here.get_value(), name.get_untracked().trim().to_owned());
        let asked = asking.get_untracked();
        leptos::task::spawn_local(async move {
            let result = match (asked, one()) {
                (Asking::NewFolder, _) => {
                    let path = format!("{}{wanted}/", here.path);
                    api::make_folder(&here.collection, &path)
                        .await
                        .map(|_| format!("Folder {wanted} made."))
                }
                (Asking::Rename, Some(item)) => {
                    let (old, new) = (
                        picked_path(&here, &item),
                        picked_path(
                            &here,
                            &Picked {
                                name: wanted.clone(),
                                folder: item.folder,
                            },
                        ),
                    );
                    api::rename(&here.collection, &old, &new)
                        .await
                        .map(|_| format!("{} renamed {wanted}.", item.name))
                }
                _ => return,
            };
            finish(result);
        });
    };
    let delete = move |_| {
        let here = here.get_value();
        let paths =
            picked.with_untracked(|p| p.iter().map(|item| picked_path(&here, item)).collect());
        leptos::task::spawn_local(async move {
            match api::delete_paths(&here.collection, paths).await {
                Ok(task) => {
                    outcome.set(Some(Outcome::Deleting(task.task_id)));
                    asking.set(Asking::Nothing);
                    picked.set(Vec::new());
                }
                Err(failure) => {
                    asking.set(Asking::Nothing);
                    outcome.set(Some(Outcome::Failed(failure)));
                }
            }
        });
    };
    let ask = move |what: Asking| {
        outcome.set(None);
        name.set(match (what, one()) {
            (Asking::Rename, Some(item)) => item.name,
            _ => String::new(),
        });
        asking.set(what);
    };
    let download = move |_| {
        let here = here.get_value();
        let Some(item) = one() else { return };
        leptos::task::spawn_local(async move {
            match api::request_collection_download(&here.collection, &picked_path(&here, &item))
                .await
            {
                Ok(link) => {
                    outcome.set(None);
                    // An attachment: the browser saves it and the page stays.
                    let _ = window().location().set_href(&link.url);
                }
                Err(failure) if failure.needs_consent() => outcome.set(Some(Outcome::NeedsConsent)),
                Err(failure) => outcome.set(Some(Outcome::Failed(failure))),
            }
        });
    };
    let share = move |_| {
        let here = here.get_value();
        let target = one().filter(|item| item.folder).map_or_else(
            || here.clone(),
            |item| PaneAt::new(&here.collection, &picked_path(&here, &item)),
        );
        on_share.run(target);
    };
    let testid = move |what: &str| format!("{side}-{what}");
    view! {
        <div class="toolbar" role="toolbar" aria-label=format!("{side} folder actions")>
            {writable.then(|| view! {
                <button type="button" data-testid=testid("new-folder") on:click=move |_| ask(Asking::NewFolder)>"New folder"</button>
                <button type="button" data-testid=testid("rename") disabled=move || one().is_none() on:click=move |_| ask(Asking::Rename)>"Rename"</button>
            })}
            <button type="button" data-testid=testid("download") disabled=move || one().is_none_or(|item| item.folder) on:click=download>"Download"</button>
            {writable.then(|| view! {
                <button type="button" data-testid=testid("delete") disabled=move || picked.with(Vec::is_empty) on:click=move |_| ask(Asking::ConfirmDelete)>"Delete"</button>
            })}
            {shareable.then(|| view! { <button type="button" data-testid=testid("share") on:click=share>"Share"</button> })}
            <button type="button" data-testid=testid("refresh") on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
        </div>
        {move || match asking.get() {
            Asking::NewFolder | Asking::Rename => {
                let (label, button) = if asking.get() == Asking::NewFolder { ("New folder's name", "Make folder") } else { ("New name", "Rename") };
                let field = format!("{side}-name");
                view! {
                    <form class="inline-form" on:submit=submit>
                        <label for=field.clone()>{label}</label>
                        <input id=field data-testid=testid("name") required node_ref=focused_input() prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                        <button type="submit" data-testid=testid("name-submit")>{button}</button>
                        <button type="button" on:click=move |_| asking.set(Asking::Nothing)>"Cancel"</button>
                    </form>
                }.into_any()
            }
            Asking::ConfirmDelete => view! {
                <div class="inline-form" role="group" aria-label="Confirm the deletion">
                    <span>{move || match picked.with(Vec::len) { 1 => "Delete 1 item, with everything in it?".to_owned(), n => format!("Delete {n} items, with everything in them?") }}</span>
                    <button type="button" class="danger" data-testid=testid("confirm-delete") on:click=delete>"Delete"</button>
                    <button type="button" on:click=move |_| asking.set(Asking::Nothing)>"Keep"</button>
                </div>
            }.into_any(),
            Asking::Nothing => ().into_any(),
        }}
        {move || outcome.get().map(|o| match o {
            Outcome::Done(words) => view! { <p class="saved" role="status" data-testid=testid("outcome")>{words}</p> }.into_any(),
            Outcome::Deleting(task) => view! {
                <p class="saved" role="status" data-testid=testid("outcome")>"Deleting. " <a href=task_path(&task)>"Follow the deletion"</a></p>
            }.into_any(),
            Outcome::NeedsConsent => {
                let back = window().location();
                let next = format!("{}{}", back.pathname().unwrap_or_default(), back.search().unwrap_or_default());
                view! {
                    <p class="error-panel" role="alert" data-testid=testid("consent")>
                        "To download from this collection, allow the portal to read its files for you. "
                        <a rel="external" data-testid=testid("allow") href=consent_href(&here.get_value().collection, &next)>"Allow and come back"</a>
                    </p>
                }.into_any()
            }
            Outcome::Failed(failure) => view! { <ErrorPanel failure /> }.into_any(),
        })}
    }
}
