use crate::api::{self, ApiFailure};
use crate::components::ErrorPanel;
use leptos::prelude::*;
use mrdp_shared::TransferredFile;

/// The files a transfer has copied, read when the researcher opens the list, a hundred at a time.
#[component]
pub fn CopiedFiles(id: String) -> impl IntoView {
    let files = RwSignal::new(Vec::<TransferredFile>::new());
    let next = RwSignal::new(Some(api::transferred_files_address(&id)));
    let failure = RwSignal::new(None::<ApiFailure>);
    let loading = RwSignal::new(false);
    let more = move || {
        let Some(address) = next.get_untracked() else {
            return;
        };
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        leptos::task::spawn_local(async move {
            match api::fetch_transferred_files(&address).await {
                Ok(page) => {
                    files.update(|all| all.extend(page.files));
                    next.set(page.paging.next);
                }
                Err(refused) => failure.set(Some(refused)),
            }
            loading.set(false);
        });
    };
    let opened = move |_| {
        if files.with_untracked(Vec::is_empty) {
            more();
        }
    };
    view! {
        <details class="copied-files" data-testid="copied-files" on:toggle=opened>
            <summary>"Files copied"</summary>
            {move || failure.get().map(|failure| view! { <ErrorPanel failure /> })}
            <ul data-count=move || files.with(Vec::len)>
                {move || files.get().into_iter().map(|file| view! {
                    <li><code>{file.source_path}</code>" → "<code>{file.destination_path}</code></li>
                }).collect_view()}
            </ul>
            {move || (next.get().is_some() && !files.with(Vec::is_empty)).then(|| view! {
                <button type="button" on:click=move |_| more()>"More files"</button>
            })}
            {move || loading.get().then(|| view! { <p class="loading" role="status">"Listing the files…"</p> })}
        </details>
    }
}
