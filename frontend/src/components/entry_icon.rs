use leptos::prelude::*;

/// A folder's or a file's outline, drawn here so that it shows without an emoji font.
#[component]
pub fn EntryIcon(folder: bool) -> impl IntoView {
    let path = if folder {
        "M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z"
    } else {
        "M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3"
    };
    view! {
        <svg class=if folder { "icon folder" } else { "icon file" } viewBox="0 0 16 16" aria-hidden="true">
            <path d=path />
        </svg>
    }
}
