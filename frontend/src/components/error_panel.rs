use crate::api::ApiFailure;
use leptos::prelude::*;

/// Says what went wrong with a request, in words for a person.
#[component]
pub fn ErrorPanel(failure: ApiFailure) -> impl IntoView {
    view! { <div class="error-panel" role="alert" data-testid="error-panel">{failure.message()}</div> }
}
