use super::pane_actions::PaneActions;
use crate::api::{self, ListingOrder};
use crate::components::{Breadcrumbs, ErrorPanel, FolderTable, Pager, Picked};
use crate::file_manager_link::{PaneAt, folder_path};
use crate::recent_destinations;
use leptos::prelude::*;
use mrdp_shared::CollectionSummary;

/// One side of the file manager: a collection chosen from those the researcher may use, a folder
/// of it a page at a time, and what can be done there.
#[component]
pub fn Pane(
    /// "origin" or "destination": the pane's test ids and labels.
    side: &'static str,
    heading: &'static str,
    collections: Vec<CollectionSummary>,
    at: Signal<Option<PaneAt>>,
    on_move: Callback<PaneAt>,
    picked: RwSignal<Vec<Picked>>,
    /// Names to tick once the first listing arrives (the datasets selection).
    preselect: Vec<String>,
    /// Bumped to list the folder again (after a transfer, say).
    refresh: RwSignal<u32>,
    on_share: Callback<PaneAt>,
) -> impl IntoView {
    let page = RwSignal::new(1_u32);
    let order = RwSignal::new(ListingOrder {
        sort: "name",
        descending: false,
        hidden: false,
    });
    // A new folder starts on its first page with nothing ticked.
    Effect::new(move |previous: Option<Option<PaneAt>>| {
        let now = at.get();
        if previous.is_some_and(|p| p != now) {
            page.set(1);
            picked.set(Vec::new());
        }
        now
    });
    let listing = LocalResource::new(move || {
        let (at, page, order, _) = (at.get(), page.get(), order.get(), refresh.get());
        async move {
            match at {
                Some(at) => api::list_folder(&at.collection, &at.path, page, &order)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
    });
    let preselect = StoredValue::new(preselect);
    Effect::new(move |_| {
        if let Some(Ok(Some(found))) = listing.get() {
            let wanted = preselect.get_value();
            if !wanted.is_empty() {
                preselect.set_value(Vec::new());
                picked.set(
                    found
                        .entries
                        .iter()
                        .filter(|e| wanted.contains(&e.name))
                        .map(Picked::of)
                        .collect(),
                );
            }
        }
    });
    let collection_of = {
        let collections = collections.clone();
        move |id: &str| collections.iter().find(|c| c.id == id).cloned()
    };
    let choose = move |event: leptos::ev::Event| {
        let id = event_target_value(&event);
        if !id.is_empty() {
            on_move.run(PaneAt::new(&id, "/"));
        }
    };
    let open_relative = Callback::new(move |relative: String| {
        if let Some(here) = at.get_untracked() {
            on_move.run(PaneAt::new(&here.collection, &relative));
        }
    });
    let open_child = Callback::new(move |name: String| {
        if let Some(here) = at.get_untracked() {
            on_move.run(PaneAt::new(
                &here.collection,
                &format!("{}{name}", here.path),
            ));
        }
    });
    let on_sort = Callback::new(move |key: &'static str| {
        page.set(1);
        order.update(|o| {
            o.descending = o.sort == key && !o.descending;
            o.sort = key;
        });
    });
    let select_id = format!("{side}-collection");
    let options = move |mine: bool| {
        collections
            .iter()
            .filter(|c| c.yours == mine)
            .map(|c| {
                let id = c.id.clone();
                let chosen = move || at.with(|a| a.as_ref().is_some_and(|a| a.collection == id));
                view! { <option value=c.id.clone() selected=chosen>{c.name.clone()}</option> }
            })
            .collect_view()
    };
    let (yours, shared) = (options(true), options(false));
    // The destination offers the folders transferred to lately (of collections still listed).
    let recent: Vec<(String, PaneAt)> = if side == "destination" {
        recent_destinations::recent()
            .into_iter()
            .filter_map(|at| collection_of(&at.collection).map(|c| (c.name, at)))
            .collect()
    } else {
        Vec::new()
    };
    let recent = (!recent.is_empty()).then(|| {
        recent
            .into_iter()
            .map(|(name, at)| {
                let words = format!("{name} {}", at.path);
                view! { <li><button type="button" class="link" data-testid="recent-destination" on:click=move |_| on_move.run(at.clone())>{words}</button></li> }
            })
            .collect_view()
    });
    view! {
        <section class="pane" aria-labelledby=format!("{side}-heading") data-testid=format!("{side}-pane")>
            <h2 id=format!("{side}-heading")>{heading}</h2>
            <label for=select_id.clone()>"Collection"</label>
            <select id=select_id data-testid=format!("{side}-collection") on:change=choose>
                <option value="" selected=move || at.with(Option::is_none)>"Choose a collection…"</option>
                <optgroup label="Your collections">{yours}</optgroup>
                <optgroup label="Shared with you">{shared}</optgroup>
            </select>
            {recent.map(|items| view! {
                <nav class="recent" aria-label="Recent destinations" data-testid="recent-destinations"><span>"Recent: "</span><ul>{items}</ul></nav>
            })}
            {move || at.get().map(|here| {
                let collection = collection_of(&here.collection);
                let relative = here.path.trim_matches('/').to_owned();
                view! {
                    <Breadcrumbs path=relative on_open=open_relative />
                    <div class="pane-options">
                        <label>
                            <input type="checkbox" data-testid=format!("{side}-hidden") prop:checked=move || order.with(|o| o.hidden)
                                on:change=move |_| { page.set(1); order.update(|o| o.hidden = !o.hidden); } />
                            " Show hidden files"
                        </label>
                    </div>
                    <PaneActions side here collection picked refresh on_share />
                }
            })}
            <Transition fallback=|| view! { <p class="loading" role="status">"Listing the folder…"</p> }>
                {move || Suspend::new(async move {
                    match listing.await {
                        Ok(Some(found)) => {
                            let pages = found.paging.pages();
                            let current = found.paging.page;
                            view! {
                                <FolderTable listing=found side picked order=order.get_untracked() on_open=open_child on_sort />
                                <Pager page=current pages label="Folder pages" on_page=Callback::new(move |p| page.set(p)) />
                            }.into_any()
                        }
                        Ok(None) => view! { <p class="empty">"Choose a collection to see its folders."</p> }.into_any(),
                        Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Where a ticked entry is in the pane's collection.
pub fn picked_path(here: &PaneAt, item: &Picked) -> String {
    let path = format!("{}{}", here.path, item.name);
    if item.folder {
        folder_path(&path)
    } else {
        path
    }
}
