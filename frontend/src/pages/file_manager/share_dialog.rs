use crate::api::{self, ApiFailure};
use crate::components::ErrorPanel;
use crate::file_manager_link::PaneAt;
use crate::focus::focused_input;
use leptos::prelude::*;
use mrdp_shared::{Share, SharePermission, ShareRequest};

/// Shares a folder of a collection the researcher owns with a colleague, and lists and revokes
/// the folder's shares.
#[component]
pub fn ShareDialog(at: PaneAt, on_close: Callback<()>) -> impl IntoView {
    let at = StoredValue::new(at);
    let changed = RwSignal::new(0_u32);
    let shares = LocalResource::new(move || {
        let (at, _) = (at.get_value(), changed.get());
        async move { api::fetch_shares(&at.collection, &at.path).await }
    });
    let (colleague, permission, expires) = (
        RwSignal::new(String::new()),
        RwSignal::new("read".to_owned()),
        RwSignal::new(String::new()),
    );
    let failure = RwSignal::new(None::<ApiFailure>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let at = at.get_value();
        let request = ShareRequest {
            path: at.path.clone(),
            colleague: colleague.get_untracked().trim().to_owned(),
            permission: if permission.get_untracked() == "read_write" {
                SharePermission::ReadWrite
            } else {
                SharePermission::Read
            },
            // A date ends at the start of that day, UTC.
            expires_at: Some(expires.get_untracked()).filter(|d| !d.is_empty()),
        };
        leptos::task::spawn_local(async move {
            match api::share_folder(&at.collection, &request).await {
                Ok(_) => {
                    failure.set(None);
                    colleague.set(String::new());
                    changed.update(|n| *n += 1);
                }
                Err(refused) => failure.set(Some(refused)),
            }
        });
    };
    let revoke = Callback::new(move |share: Share| {
        leptos::task::spawn_local(async move {
            match api::revoke_share(&share).await {
                Ok(()) => changed.update(|n| *n += 1),
                Err(refused) => failure.set(Some(refused)),
            }
        });
    });
    let path = at.get_value().path;
    let first_field = focused_input();
    let escape = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            on_close.run(());
        }
    };
    view! {
        <section class="dialog" role="dialog" aria-labelledby="share-heading" data-testid="share-dialog" on:keydown=escape>
            <div class="dialog-head">
                <h2 id="share-heading">"Share " <code>{path}</code></h2>
                <button type="button" data-testid="share-close" on:click=move |_| on_close.run(())>"Close"</button>
            </div>
            <form class="share-form" on:submit=submit>
                <label for="share-colleague">"Colleague's username or email"</label>
                <input id="share-colleague" data-testid="share-colleague" type="text" required autocomplete="off" node_ref=first_field
                    prop:value=move || colleague.get() on:input=move |ev| colleague.set(event_target_value(&ev)) />
                <label for="share-permission">"They may"</label>
                <select id="share-permission" data-testid="share-permission" on:change=move |ev| permission.set(event_target_value(&ev))>
                    <option value="read" selected=true>"Read"</option>
                    <option value="read_write">"Read and write"</option>
                </select>
                <label for="share-expires">"Until (optional, UTC)"</label>
                <input id="share-expires" data-testid="share-expires" type="date"
                    prop:value=move || expires.get() on:input=move |ev| expires.set(event_target_value(&ev)) />
                <button type="submit" data-testid="share-submit">"Share"</button>
            </form>
            {move || failure.get().map(|failure| view! { <ErrorPanel failure /> })}
            <h3>"Shared with"</h3>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the shares…"</p> }>
                {move || Suspend::new(async move {
                    match shares.await {
                        Ok(found) if found.shares.is_empty() => view! { <p data-testid="share-list" data-count=0>"Nobody yet."</p> }.into_any(),
                        Ok(found) => {
                            let count = found.shares.len();
                            let rows = found.shares.into_iter().map(|share| view! { <ShareRow share revoke /> }).collect_view();
                            view! { <ul class="shares" data-testid="share-list" data-count=count>{rows}</ul> }.into_any()
                        }
                        Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ShareRow(share: Share, revoke: Callback<Share>) -> impl IntoView {
    let who = format!("{} ({})", share.colleague.name, share.colleague.username);
    let may = match share.permission {
        SharePermission::Read => "may read",
        SharePermission::ReadWrite => "may read and write",
    };
    let until = share
        .expires_at
        .as_ref()
        .map(|at| format!(", until {}", at.get(..10).unwrap_or(at)));
    let label = format!("Stop sharing with {}", share.colleague.name);
    let username = share.colleague.username.clone();
    view! {
        <li data-testid="share" data-username=username>
            <span><strong>{who}</strong> " " {may} {until}</span>
            <button type="button" aria-label=label on:click=move |_| revoke.run(share.clone())>"Revoke"</button>
        </li>
    }
}
