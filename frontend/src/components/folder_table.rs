use super::EntryIcon;
use crate::api::ListingOrder;
use crate::size::size_text;
use leptos::prelude::*;
use mrdp_shared::{FileEntry, FileKind, FolderListing};

/// A file or folder ticked in a pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub name: String,
    pub folder: bool,
}

impl Picked {
    pub fn of(entry: &FileEntry) -> Self {
        Self {
            name: entry.name.clone(),
            folder: entry.kind == FileKind::Folder,
        }
    }
}

/// The columns that sort: (the API's name, the header).
const COLUMNS: [(&str, &str); 3] = [
    ("name", "Name"),
    ("size", "Size"),
    ("modified", "Modified (UTC)"),
];

/// One page of a collection's folder: a box to tick each entry, a folder opens, the headers sort.
#[component]
pub fn FolderTable(
    listing: FolderListing,
    /// What the table is in, for labels and test ids ("origin", "destination").
    side: &'static str,
    picked: RwSignal<Vec<Picked>>,
    order: ListingOrder,
    on_open: Callback<String>,
    on_sort: Callback<&'static str>,
) -> impl IntoView {
    if listing.entries.is_empty() {
        return view! { <p class="empty" data-testid=format!("{side}-listing") data-path=listing.path>"This folder is empty."</p> }.into_any();
    }
    let headers = COLUMNS
        .iter()
        .map(|&(key, words)| {
            let sorted = (order.sort == key).then_some(if order.descending { "descending" } else { "ascending" });
            view! {
                <th scope="col" aria-sort=sorted>
                    <button type="button" class="link sort" data-testid=format!("{side}-sort-{key}") on:click=move |_| on_sort.run(key)>
                        {words}
                        {sorted.map(|s| if s == "ascending" { " ▲" } else { " ▼" })}
                    </button>
                </th>
            }
        })
        .collect_view();
    let rows = listing
        .entries
        .into_iter()
        .map(|entry| {
            let item = Picked::of(&entry);
            let ticked = {
                let item = item.clone();
                move || picked.with(|all| all.contains(&item))
            };
            let toggle = {
                let item = item.clone();
                move |_| picked.update(|all| match all.iter().position(|p| *p == item) {
                    Some(at) => { all.remove(at); }
                    None => all.push(item.clone()),
                })
            };
            let row_ticked = ticked.clone();
            let modified = entry.modified.get(..16).unwrap_or(&entry.modified).to_owned();
            let name = entry.name.clone();
            let label = format!("Select {name}");
            let cell = if item.folder {
                let target = name.clone();
                view! { <button type="button" class="link" on:click=move |_| on_open.run(target.clone())><EntryIcon folder=true />{name.clone()}</button> }.into_any()
            } else {
                view! { <span><EntryIcon folder=false />{name.clone()}</span> }.into_any()
            };
            view! {
                <tr data-testid=format!("{side}-entry") data-name=entry.name class:picked=row_ticked>
                    <td><input type="checkbox" aria-label=label prop:checked=ticked on:change=toggle /></td>
                    <td>{cell}</td>
                    <td>{if item.folder { "Folder".to_owned() } else { size_text(entry.size) }}</td>
                    <td>{modified}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="files" data-testid=format!("{side}-listing") data-path=listing.path data-page=listing.paging.page>
            <thead><tr><th scope="col"><span class="visually-hidden">"Selected"</span></th>{headers}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
