use crate::api::{self, ApiFailure};
use crate::components::{Breadcrumbs, ErrorPanel, FileTable, Pager};
use leptos::prelude::*;

/// The dataset's folders and files, a folder and a page at a time; a file downloads straight
/// from the data server through a signed link.
#[component]
pub fn FilesSection(id: String) -> impl IntoView {
    let path = RwSignal::new(String::new());
    let page = RwSignal::new(1_u32);
    let download_failure = RwSignal::new(None::<ApiFailure>);
    let listing_id = id.clone();
    let listing = LocalResource::new(move || {
        let (id, path, page) = (listing_id.clone(), path.get(), page.get());
        async move { api::fetch_files(&id, &path, page).await }
    });
    let on_open = Callback::new(move |folder: String| {
        page.set(1);
        path.set(folder);
    });
    let on_download = Callback::new(move |file: String| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            match api::request_download(&id, &file).await {
                Ok(link) => {
                    download_failure.set(None);
                    // An attachment: the browser saves it and the page stays.
                    let _ = window().location().set_href(&link.url);
                }
                Err(failure) => download_failure.set(Some(failure)),
            }
        });
    });
    view! {
        <section aria-labelledby="files-heading" class="files-section" data-testid="files">
            <h2 id="files-heading">"Files"</h2>
            {move || view! { <Breadcrumbs path=path.get() on_open /> }}
            {move || download_failure.get().map(|failure| view! { <ErrorPanel failure /> })}
            <Transition fallback=|| view! { <p class="loading" role="status">"Listing the folder…"</p> }>
                {move || Suspend::new(async move {
                    match listing.await {
                        Ok(listing) => {
                            let pages = listing.paging.pages();
                            let current = listing.paging.page;
                            view! {
                                <FileTable listing on_open on_download />
                                <Pager page=current pages label="File pages" on_page=Callback::new(move |p| page.set(p)) />
                            }
                            .into_any()
                        }
                        Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
