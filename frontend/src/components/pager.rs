use leptos::prelude::*;

/// Previous and next page buttons around "Page 2 of 5"; nothing when there is one page.
#[component]
pub fn Pager(
    page: u32,
    pages: u32,
    /// What the pager is for, for screen readers ("Result pages").
    label: &'static str,
    on_page: Callback<u32>,
) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=label>
                <button type="button" data-testid="previous-page" disabled={page <= 1} on:click=move |_| on_page.run(page - 1)>"← Previous"</button>
                <span data-testid="page-of">"Page " {page} " of " {pages}</span>
                <button type="button" data-testid="next-page" disabled={page >= pages} on:click=move |_| on_page.run(page + 1)>"Next →"</button>
            </nav>
        }
    })
}
