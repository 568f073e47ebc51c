//! The file manager: two collections side by side, each a folder at a time, and transfers
//! between them; the address holds both panes, so a link or Back restores them.

mod pane;
mod pane_actions;
mod share_dialog;
mod transfer_bar;

use crate::api::{self, CollectionFilter};
use crate::components::{ErrorPanel, Picked};
use crate::file_manager_link::{FileManagerLink, PaneAt};
use crate::recent_destinations;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use mrdp_shared::CollectionSummary;
use pane::Pane;
use share_dialog::ShareDialog;
use transfer_bar::TransferBar;

#[component]
pub fn FileManagerPage() -> impl IntoView {
    let url = use_query_map();
    let link = Memo::new(move |_| {
        url.with(|map| {
            let pairs: Vec<(&str, String)> = [
                "origin",
                "origin_path",
                "destination",
                "destination_path",
                "select",
            ]
            .into_iter()
            .filter_map(|key| map.get(key).map(|value| (key, value)))
            .collect();
            FileManagerLink::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
        })
    });
    let collections = LocalResource::new(|| async {
        let mut all = api::fetch_collections(CollectionFilter::Mine)
            .await?
            .collections;
        let shared = api::fetch_collections(CollectionFilter::SharedWithMe)
            .await?
            .collections;
        all.extend(shared.into_iter().filter(|c| !c.yours));
        Ok::<_, api::ApiFailure>(all)
    });
    view! {
        <h1>"File manager"</h1>
        <Suspense fallback=|| view! { <p class="loading" role="status">"Finding your collections…"</p> }>
            {move || Suspend::new(async move {
                match collections.await {
                    Ok(collections) => view! { <Manager collections link /> }.into_any(),
                    Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Manager(collections: Vec<CollectionSummary>, link: Memo<FileManagerLink>) -> impl IntoView {
    let navigate = use_navigate();
    let replace = navigate.clone();
    let go = Callback::new(move |next: FileManagerLink| {
        navigate(
            &next.href(),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });
    // From the datasets selection: the catalog on the left, the last destination on the right.
    let opened = link.get_untracked();
    let catalog = collections.iter().find(|c| c.catalog).map(|c| c.id.clone());
    if let (None, false, Some(catalog)) = (&opened.origin, opened.select.is_empty(), catalog) {
        let next = FileManagerLink {
            origin: Some(PaneAt::new(&catalog, "/")),
            destination: opened.destination.or_else(recent_destinations::last),
            select: opened.select,
        };
        Effect::new(move |_| {
            replace(
                &next.href(),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            )
        });
    }
    let origin = Signal::derive(move || link.with(|l| l.origin.clone()));
    let destination = Signal::derive(move || link.with(|l| l.destination.clone()));
    let move_origin = Callback::new(move |at: PaneAt| {
        let mut next = link.get_untracked();
        next.origin = Some(at);
        next.select.clear();
        go.run(next);
    });
    let move_destination = Callback::new(move |at: PaneAt| {
        let mut next = link.get_untracked();
        next.destination = Some(at);
        next.select.clear();
        go.run(next);
    });
    let (origin_picked, destination_picked) = (
        RwSignal::new(Vec::<Picked>::new()),
        RwSignal::new(Vec::<Picked>::new()),
    );
    let refresh = RwSignal::new(0_u32);
    let sharing = RwSignal::new(None::<PaneAt>);
    let on_share = Callback::new(move |at: PaneAt| sharing.set(Some(at)));
    let preselect = link.get_untracked().select;
    view! {
        {move || sharing.get().map(|at| view! { <ShareDialog at on_close=Callback::new(move |()| sharing.set(None)) /> })}
        <TransferBar origin destination origin_picked destination_picked refresh />
        <div class="panes">
            <Pane side="origin" heading="From" collections=collections.clone() at=origin on_move=move_origin picked=origin_picked preselect refresh on_share />
            <Pane side="destination" heading="To" collections at=destination on_move=move_destination picked=destination_picked preselect=Vec::new() refresh on_share />
        </div>
    }
}
