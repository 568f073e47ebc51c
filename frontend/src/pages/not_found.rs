use crate::route::AppRoute;
use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for any path the app does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is nothing at this address. " <A href=AppRoute::Home.path()>"Back to the portal"</A></p>
    }
}
