use crate::api;
use crate::app::SignedIn;
use crate::components::ErrorPanel;
use leptos::prelude::*;
use mrdp_shared::{FieldError, ProfileRequest};

/// The message for `field`, if the last check found one.
fn error_for(errors: &[FieldError], field: &str) -> Option<&'static str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message)
}

/// The researcher's profile: name, email and institution, checked before saving.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let signed_in = expect_context::<SignedIn>();
    let (name, email, institution) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let saved = RwSignal::new(false);
    let failure = RwSignal::new(None::<api::ApiFailure>);
    // Fill the form once the person is known.
    Effect::new(move |_| {
        if let Some(Some(me)) = signed_in.me.get() {
            name.set(me.profile.name.clone());
            email.set(me.profile.email.clone());
            institution.set(me.profile.institution.clone());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = ProfileRequest {
            name: name.get(),
            email: email.get(),
            institution: institution.get(),
        };
        let problems = request.validate();
        saved.set(false);
        if !problems.is_empty() {
            errors.set(problems);
            return;
        }
        errors.set(Vec::new());
        leptos::task::spawn_local(async move {
            match api::save_profile(&request).await {
                Ok(_) => {
                    failure.set(None);
                    saved.set(true);
                    signed_in.refetch.run(());
                }
                Err(e) => failure.set(Some(e)),
            }
        });
    };
    let field = move |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <label for=id>{label}</label>
            <input type="text" id=id name=id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            {move || error_for(&errors.get(), id).map(|m| view! { <p class="field-error" data-testid=format!("{id}-error")>{m}</p> })}
        }
    };
    view! {
        <h1>"Your profile"</h1>
        <p>"The portal needs your name, email and institution before you use its data."</p>
        <form class="profile" on:submit=submit novalidate>
            {field("name", "Name", name)}
            {field("email", "Email", email)}
            {field("institution", "Institution", institution)}
            <button type="submit" data-testid="save-profile">"Save"</button>
        </form>
        {move || saved.get().then(|| view! { <p class="saved" role="status" data-testid="profile-saved">"Profile saved."</p> })}
        {move || failure.get().map(|failure| view! { <ErrorPanel failure /> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_found_by_field() {
        let errors = ProfileRequest {
            name: "A".into(),
            email: "x".into(),
            institution: "N".into(),
        }
        .validate();
        assert!(error_for(&errors, "email").is_some());
        assert_eq!(error_for(&errors, "name"), None);
    }
}
