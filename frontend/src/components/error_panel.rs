use crate::api::ApiFailure;
use crate::route::AppRoute;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Says what went wrong with a request, in words for a person. A feature closed until the
/// profile is complete sends the researcher to the profile page instead.
#[component]
pub fn ErrorPanel(failure: ApiFailure) -> impl IntoView {
    if failure.needs_profile() {
        let navigate = use_navigate();
        Effect::new(move |_| navigate(AppRoute::Profile.path(), Default::default()));
    }
    view! { <div class="error-panel" role="alert" data-testid="error-panel">{failure.message()}</div> }
}
