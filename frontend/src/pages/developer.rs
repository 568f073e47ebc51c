//! The Developer page: the researcher's apps (native apps for scripts and notebooks, services
//! acting as themselves), registering one, deleting one, and what an app needs to call the API.

mod register_form;

use crate::api::{self, ApiFailure, apps_consent_href};
use crate::components::ErrorPanel;
use crate::route::AppRoute;
use leptos::prelude::*;
use mrdp_shared::{App, AppKind, AppRegistered, Apps};
use register_form::{RegisterForm, Registered};

#[component]
pub fn DeveloperPage() -> impl IntoView {
    let apps = LocalResource::new(|| async { api::fetch_apps().await });
    let refetch = Callback::new(move |()| apps.refetch());
    // Kept here, outside the list that is drawn again, so that a secret stays shown.
    let registered = RwSignal::new(None::<AppRegistered>);
    view! {
        <h1>"Developer"</h1>
        <p class="lead">"Apps call the portal's API for whoever signs in to them: your scripts and notebooks as you, a colleague's as them. Register yours here."</p>
        {move || registered.get().map(|made| view! { <Registered made /> })}
        // A transition: the list stays as it was while it is fetched again after a change.
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading your apps…"</p> }>
            {move || Suspend::new(async move {
                match apps.await {
                    Ok(apps) => view! { <AppsView apps refetch registered /> }.into_any(),
                    Err(failure) if failure.needs_consent() => view! { <AllowApps /> }.into_any(),
                    Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Asks the researcher to let the portal manage their apps (a sign-in that asks for it).
#[component]
fn AllowApps() -> impl IntoView {
    view! {
        <div class="card" data-testid="allow-apps">
            <p>"To list and register your apps, the portal needs your permission to manage them at the identity provider."</p>
            <a class="button-link primary" rel="external" data-testid="allow-apps-link" href=apps_consent_href(AppRoute::Developer.path())>"Allow the portal to manage my apps"</a>
        </div>
    }
}

#[component]
fn AppsView(
    apps: Apps,
    refetch: Callback<()>,
    registered: RwSignal<Option<AppRegistered>>,
) -> impl IntoView {
    let Apps {
        apps,
        paging,
        portal_scope,
        code_page,
    } = apps;
    let more = paging.next.is_some().then(|| {
        let (shown, total) = (apps.len(), paging.total.unwrap_or_default());
        view! { <p class="detail" data-testid="more-apps">{format!("Showing your first {shown} apps of {total}; the API lists them all (GET /api/apps?page=2).")}</p> }
    });
    view! {
        <section class="card" aria-labelledby="scope-heading">
            <h2 id="scope-heading">"The portal's scope"</h2>
            <p>"An app asks for this scope when its user signs in; the token it gets opens every route of the API, as "<code>"Authorization: Bearer <token>"</code>"."</p>
            <p><code class="scope" data-testid="portal-scope">{portal_scope}</code></p>
        </section>
        <h2>"Your apps"</h2>
        {if apps.is_empty() {
            view! { <p class="empty" data-testid="no-apps">"You have registered no app yet."</p> }.into_any()
        } else {
            view! {
                <ul class="apps" data-testid="apps">
                    {apps.into_iter().map(|app| view! { <AppRow app refetch /> }).collect_view()}
                </ul>
            }.into_any()
        }}
        {more}
        <RegisterForm refetch registered code_page />
    }
}

#[component]
fn AppRow(app: App, refetch: Callback<()>) -> impl IntoView {
    let failure = RwSignal::new(None::<ApiFailure>);
    let kind = match app.kind {
        AppKind::Native => "Native app (PKCE)",
        AppKind::Service => "Service (client credentials)",
    };
    let id = app.id.clone();
    let remove = move |_| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            match api::delete_app(&id).await {
                Ok(()) => refetch.run(()),
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let label = format!("Delete {}", app.name);
    view! {
        <li class="card app" data-testid="app" data-app=app.id.clone()>
            <div class="app-head">
                <strong data-name=app.name.clone()>{app.name.clone()}</strong>
                <span class="detail">{kind}</span>
            </div>
            <dl class="app-facts">
                <dt>"Client id"</dt>
                <dd><code data-testid="app-client-id">{app.id.clone()}</code></dd>
                {(!app.redirect_uris.is_empty()).then(|| view! {
                    <dt>"Redirect URIs"</dt>
                    <dd>{app.redirect_uris.join(", ")}</dd>
                })}
            </dl>
            <button type="button" class="danger" aria-label=label data-testid="delete-app" on:click=remove>"Delete"</button>
            {move || failure.get().map(|failure| view! { <ErrorPanel failure /> })}
        </li>
    }
}
