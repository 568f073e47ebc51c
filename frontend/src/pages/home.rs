use crate::api;
use crate::app::SignedIn;
use crate::components::{ConnectionList, ErrorPanel, display_name};
use crate::pages::StatusPage;
use leptos::prelude::*;
use mrdp_shared::MeResponse;

/// The landing page: for a signed-in researcher, what the portal may do for them; for anyone
/// else, the service status.
#[component]
pub fn HomePage() -> impl IntoView {
    let signed_in = expect_context::<SignedIn>();
    move || match signed_in.me.get() {
        None => view! { <p>"Loading…"</p> }.into_any(),
        Some(None) => view! { <StatusPage /> }.into_any(),
        Some(Some(me)) => view! { <Welcome me /> }.into_any(),
    }
}

/// The signed-in landing page. Closed until the profile is complete: the portal says so and the
/// error panel sends the researcher to the profile page.
#[component]
fn Welcome(me: MeResponse) -> impl IntoView {
    let connections = LocalResource::new(api::fetch_connections);
    view! {
        <h1 data-testid="welcome">"Welcome, " {display_name(&me)}</h1>
        <p>"You allowed this portal to act for you with these services. It keeps their tokens on the server; your browser never sees them."</p>
        <Suspense fallback=|| view! { <p>"Loading your connections…"</p> }>
            {move || Suspend::new(async move {
                match connections.await {
                    Ok(connections) => view! { <ConnectionList connections /> }.into_any(),
                    Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
