use super::EntryIcon;
use crate::size::size_text;
use leptos::prelude::*;
use mrdp_shared::{DatasetFiles, FileKind};

/// `path` and `name` joined as the API takes them (relative to the dataset's folder).
pub fn child_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}/{name}")
    }
}

/// One folder's entries: a folder opens, a file downloads.
#[component]
pub fn FileTable(
    listing: DatasetFiles,
    on_open: Callback<String>,
    on_download: Callback<String>,
) -> impl IntoView {
    if listing.entries.is_empty() {
        return view! { <p data-testid="listing" data-path=listing.path>"This folder is empty."</p> }.into_any();
    }
    let (path, page) = (listing.path.clone(), listing.paging.page);
    let rows = listing
        .entries
        .into_iter()
        .map(|entry| {
            let target = child_path(&listing.path, &entry.name);
            let name = entry.name.clone();
            let row_name = entry.name.clone();
            let modified = entry.modified.get(..16).unwrap_or(&entry.modified).to_owned();
            match entry.kind {
                FileKind::Folder => view! {
                    <tr data-testid="folder-row" data-name=row_name>
                        <td><button type="button" class="link" on:click=move |_| on_open.run(target.clone())><EntryIcon folder=true />{name}</button></td>
                        <td>"Folder"</td><td>{modified}</td><td></td>
                    </tr>
                }
                .into_any(),
                FileKind::File => view! {
                    <tr data-testid="file-row" data-name=row_name>
                        <td>{entry.name}</td>
                        <td>{size_text(entry.size)}</td>
                        <td>{modified}</td>
                        <td><button type="button" aria-label=format!("Download {name}") on:click=move |_| on_download.run(target.clone())>"Download"</button></td>
                    </tr>
                }
                .into_any(),
            }
        })
        .collect_view();
    view! {
        <table class="files" data-testid="listing" data-path=path data-page=page>
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Size"</th><th scope="col">"Modified (UTC)"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::child_path;

    #[test]
    fn children_are_relative_to_the_dataset() {
        assert_eq!(child_path("", "2012.csv"), "2012.csv");
        assert_eq!(child_path("a/b", "deep.csv"), "a/b/deep.csv");
    }
}
