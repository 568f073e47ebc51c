use crate::api;
use crate::components::{ErrorPanel, HealthTable};
use leptos::prelude::*;

/// The landing page: the health of every service of the deployment.
#[component]
pub fn StatusPage() -> impl IntoView {
    let health = LocalResource::new(api::fetch_health);
    view! {
        <h1>"Service status"</h1>
        <Suspense fallback=|| view! { <p data-testid="health-loading">"Checking the services…"</p> }>
            {move || Suspend::new(async move {
                match health.await {
                    Ok(report) => view! { <HealthTable report /> }.into_any(),
                    Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                }
            })}
        </Suspense>
        <p>
            <button data-testid="health-refresh" on:click=move |_| health.refetch()>"Check again"</button>
        </p>
    }
}
