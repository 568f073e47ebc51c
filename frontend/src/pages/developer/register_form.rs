//! Registering an app: its name, its kind, a native app's redirect URIs; then what was made, a
//! service's secret shown once, with a copy button.

use crate::api::{self, ApiFailure};
use crate::clipboard::put_on_clipboard;
use crate::components::ErrorPanel;
use leptos::prelude::*;
use mrdp_shared::{AppKind, AppRegistered, FieldError, NewApp};

/// The message for `field`, if the last check found one.
fn error_for(errors: &[FieldError], field: &str) -> Option<&'static str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message)
}

/// Redirect URIs, one a line.
fn uris_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub fn RegisterForm(
    refetch: Callback<()>,
    registered: RwSignal<Option<AppRegistered>>,
    /// The provider's page that shows a native app's code: the redirect URI a script uses.
    code_page: String,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let native = RwSignal::new(true);
    let uris = RwSignal::new(code_page);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<ApiFailure>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let kind = if native.get() {
            AppKind::Native
        } else {
            AppKind::Service
        };
        let new = NewApp {
            name: name.get(),
            kind,
            redirect_uris: if native.get() {
                uris_of(&uris.get())
            } else {
                Vec::new()
            },
        };
        let problems = new.validate();
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::register_app(&new).await {
                Ok(made) => {
                    failure.set(None);
                    name.set(String::new());
                    registered.set(Some(made));
                    refetch.run(());
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    view! {
        <form class="card register-app" data-testid="register-app" on:submit=submit novalidate>
            <h2>"Register an app"</h2>
            <label for="app-name">"Name"</label>
            <input type="text" id="app-name" data-testid="app-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            {move || error_for(&errors.get(), "name").map(|m| view! { <p class="field-error">{m}</p> })}
            <fieldset>
                <legend>"Kind"</legend>
                <label><input type="radio" name="app-kind" data-testid="kind-native" prop:checked=move || native.get() on:change=move |_| native.set(true) />" Native app: a script or a notebook; whoever runs it signs in (PKCE, no secret)"</label>
                <label><input type="radio" name="app-kind" data-testid="kind-service" prop:checked=move || !native.get() on:change=move |_| native.set(false) />" Service: acts as itself with a secret (client credentials)"</label>
            </fieldset>
            {move || native.get().then(|| view! {
                <label for="app-uris">"Redirect URIs, one a line (the provider's code page suits a script: its user pastes the code)"</label>
                <textarea id="app-uris" rows="2" data-testid="app-uris" prop:value=move || uris.get() on:input=move |ev| uris.set(event_target_value(&ev))></textarea>
            })}
            {move || error_for(&errors.get(), "redirect_uris").map(|m| view! { <p class="field-error">{m}</p> })}
            <button type="submit" data-testid="register">"Register"</button>
        </form>
        {move || failure.get().map(|failure| view! { <ErrorPanel failure /> })}
    }
}

/// What was made: its client id, and a service's secret, which is shown this once.
#[component]
pub fn Registered(made: AppRegistered) -> impl IntoView {
    let secret = made.client_secret.clone();
    view! {
        <div class="card registered" role="status" data-testid="registered">
            <p>"Registered "<strong>{made.app.name.clone()}</strong>". Its client id is "<code data-testid="registered-id">{made.app.id.clone()}</code>"."</p>
            {secret.map(|secret| {
                let copied = RwSignal::new(None::<bool>);
                let to_copy = secret.clone();
                let copy = move |_| {
                    let to_copy = to_copy.clone();
                    leptos::task::spawn_local(async move {
                        copied.set(Some(put_on_clipboard(&to_copy).await));
                    });
                };
                view! {
                    <p class="warning">"Its secret is shown this once: keep it where your service reads its configuration, never in code."</p>
                    <p><code class="secret" data-testid="app-secret">{secret}</code></p>
                    <button type="button" on:click=copy>"Copy the secret"</button>
                    <p class="detail" aria-live="polite">{move || match copied.get() {
                        Some(true) => "The secret is on your clipboard.",
                        Some(false) => "The browser refused the clipboard: select the secret by hand.",
                        None => "",
                    }}</p>
                }
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_read_one_a_line_without_blanks() {
        assert_eq!(
            uris_of(" http://127.0.0.1:8765/callback \n\nhttps://x.org/cb"),
            ["http://127.0.0.1:8765/callback", "https://x.org/cb"]
        );
    }
}
