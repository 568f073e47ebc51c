use crate::api::login_href;
use crate::route::AppRoute;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What a failed sign-in's `reason` means, for a person.
pub fn explain(reason: &str) -> &'static str {
    match reason {
        "access_denied" => "You did not allow the portal to act for you, so you are not signed in.",
        "expired" => "The sign-in took too long. Please try again.",
        "invalid_state" => {
            "This sign-in link was already used or did not come from this portal. Please sign in again."
        }
        "unverified" | "invalid_code" | "no_identity" | "wrong_issuer" => {
            "The sign-in service's answer could not be verified. Please sign in again."
        }
        _ => "The sign-in did not complete. Please try again.",
    }
}

/// Shown when the provider sends the browser back without a sign-in.
#[component]
pub fn SignInErrorPage() -> impl IntoView {
    let query = use_query_map();
    let reason = move || query.read().get("reason").unwrap_or_default();
    view! {
        <h1>"Not signed in"</h1>
        <p class="error-panel" role="alert" data-testid="sign-in-error">{move || explain(&reason())}</p>
        <p><a rel="external" href=login_href(AppRoute::Home.path())>"Sign in again"</a></p>
    }
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn every_reason_has_words_and_unknown_ones_a_default() {
        assert!(explain("access_denied").contains("did not allow"));
        assert_eq!(
            explain("something-new"),
            "The sign-in did not complete. Please try again."
        );
    }
}
