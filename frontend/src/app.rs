//! The app shell: navigation bar and the route table.

use crate::pages::{NotFoundPage, StatusPage};
use crate::route::AppRoute;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="nav">
                <A href=AppRoute::Status.path()>"Research Data Portal"</A>
            </header>
            <main>
                <Routes fallback=NotFoundPage>
                    <Route path=AppRoute::Status.segments() view=StatusPage />
                </Routes>
            </main>
        </Router>
    }
}
