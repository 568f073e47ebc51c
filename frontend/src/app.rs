//! The app shell: navigation bar (who is signed in) and the route table.

use crate::api;
use crate::components::NavBar;
use crate::pages::{
    ActivityPage, DatasetPage, DatasetsPage, DeveloperPage, FileManagerPage, GraphPage, GraphsPage,
    HomePage, NotFoundPage, ProfilePage, SignInErrorPage, StatusPage, TaskPage,
};
use crate::route::{AppRoute, dataset_segments, graph_segments, task_segments};
use crate::selection::Selection;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use mrdp_shared::MeResponse;

/// Who is signed in, shared with the pages: `None` while unknown, `Some(None)` for nobody.
#[derive(Debug, Clone, Copy)]
pub struct SignedIn {
    pub me: Signal<Option<Option<MeResponse>>>,
    /// Asks the portal again (after the profile changed, say).
    pub refetch: Callback<()>,
}

#[component]
pub fn App() -> impl IntoView {
    let me = LocalResource::new(api::fetch_me);
    // An unreachable portal shows as signed out; the pages say what is wrong.
    let signed_in = SignedIn {
        me: Signal::derive(move || me.get().map(|result| result.ok().flatten())),
        refetch: Callback::new(move |()| me.refetch()),
    };
    provide_context(signed_in);
    let selection = Selection::from_session_storage();
    provide_context(selection);
    let on_sign_out = Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            if let Ok(logout) = api::logout().await {
                // End the provider's session too; it offers the way back.
                let _ = window().location().set_href(&logout.logout_url);
            }
            me.refetch();
        });
    });
    view! {
        <Router>
            <NavBar me=signed_in.me selection on_sign_out />
            <main>
                <Routes fallback=NotFoundPage>
                    <Route path=AppRoute::Home.segments() view=HomePage />
                    <Route path=AppRoute::Status.segments() view=StatusPage />
                    <Route path=AppRoute::Profile.segments() view=ProfilePage />
                    <Route path=AppRoute::SignInError.segments() view=SignInErrorPage />
                    <Route path=AppRoute::Datasets.segments() view=DatasetsPage />
                    <Route path=dataset_segments() view=DatasetPage />
                    <Route path=AppRoute::FileManager.segments() view=FileManagerPage />
                    <Route path=AppRoute::Activity.segments() view=ActivityPage />
                    <Route path=task_segments() view=TaskPage />
                    <Route path=AppRoute::Graphs.segments() view=GraphsPage />
                    <Route path=graph_segments() view=GraphPage />
                    <Route path=AppRoute::Developer.segments() view=DeveloperPage />
                </Routes>
            </main>
        </Router>
    }
}
