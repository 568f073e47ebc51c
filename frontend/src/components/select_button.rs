use crate::selection::Selection;
use leptos::prelude::*;

/// Adds a dataset to the selection basket, or takes it out.
#[component]
pub fn SelectButton(selection: Selection, id: String, title: String) -> impl IntoView {
    let chosen = {
        let id = id.clone();
        move || selection.contains(&id)
    };
    let pressed = chosen.clone();
    let words = chosen.clone();
    let testid = format!("select-{id}");
    view! {
        <button
            type="button"
            class="select"
            data-testid=testid
            aria-pressed=move || pressed().to_string()
            aria-label=move || if chosen() { format!("Remove {title} from the selection") } else { format!("Add {title} to the selection") }
            on:click=move |_| selection.toggle(&id)
        >
            {move || if words() { "✓ Selected" } else { "+ Select" }}
        </button>
    }
}
