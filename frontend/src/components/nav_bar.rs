use crate::api::{login_href, signup_href};
use crate::route::AppRoute;
use crate::selection::Selection;
use leptos::prelude::*;
use leptos_router::components::A;
use mrdp_shared::MeResponse;

/// The name to show: the profile's, or the identity provider's until there is one.
pub fn display_name(me: &MeResponse) -> String {
    if me.profile.name.trim().is_empty() {
        me.name.clone()
    } else {
        me.profile.name.clone()
    }
}

/// The navigation bar: the portal's name, and who is signed in (or a way to sign in).
#[component]
pub fn NavBar(
    /// `None` while unknown, `Some(None)` when nobody is signed in.
    me: Signal<Option<Option<MeResponse>>>,
    /// The basket, whose count the bar shows to a signed-in researcher.
    selection: Selection,
    on_sign_out: Callback<()>,
) -> impl IntoView {
    view! {
        <header class="nav">
            <A href=AppRoute::Home.path() attr:data-testid="home">"Research Data Portal"</A>
            <A href=AppRoute::Datasets.path() attr:class="nav-link" attr:data-testid="nav-datasets">"Datasets"</A>
            {move || matches!(me.get(), Some(Some(_))).then(|| view! {
                <A href=AppRoute::FileManager.path() attr:class="nav-link" attr:data-testid="nav-file-manager">"File manager"</A>
                <A href=AppRoute::Activity.path() attr:class="nav-link" attr:data-testid="nav-activity">"Activity"</A>
                <A href=AppRoute::Graphs.path() attr:class="nav-link" attr:data-testid="nav-graphs">"Graphs"</A>
                <A href=AppRoute::Developer.path() attr:class="nav-link" attr:data-testid="nav-developer">"Developer"</A>
            })}
            <A href=AppRoute::Status.path() attr:class="nav-link">"Status"</A>
            <span class="spacer"></span>
            {move || match me.get() {
                None => ().into_any(),
                Some(None) => view! {
                    <a class="nav-action" data-testid="sign-up" rel="external" href=signup_href(AppRoute::Profile.path())>"Sign up"</a>
                    <a class="nav-action" data-testid="sign-in" rel="external" href=login_href(AppRoute::Home.path())>"Sign in"</a>
                }.into_any(),
                Some(Some(me)) => view! {
                    <span class="selection-count" role="status" data-testid="selection-count" data-count=move || selection.count()>
                        {move || match selection.count() { 1 => "1 dataset selected".to_owned(), n => format!("{n} datasets selected") }}
                    </span>
                    {(!me.profile_complete).then(|| view! {
                        <A href=AppRoute::Profile.path() attr:data-testid="complete-profile" attr:class="nav-action">"Complete your profile"</A>
                    })}
                    <span data-testid="user-name">{display_name(&me)}</span>
                    <button class="nav-action" data-testid="sign-out" on:click=move |_| on_sign_out.run(())>"Sign out"</button>
                }.into_any(),
            }}
        </header>
    }
}
