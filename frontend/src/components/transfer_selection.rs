use crate::file_manager_link::FileManagerLink;
use crate::selection::Selection;
use leptos::prelude::*;

/// "Transfer selected datasets": the file manager with the catalog on the left, the selected
/// datasets' folders ticked, and the last destination used on the right.
#[component]
pub fn TransferSelection(selection: Selection) -> impl IntoView {
    move || {
        let ids = selection.ids();
        (!ids.is_empty()).then(|| {
            let link = FileManagerLink {
                select: ids.clone(),
                ..Default::default()
            };
            let words = match ids.len() {
                1 => "Transfer the selected dataset".to_owned(),
                n => format!("Transfer {n} selected datasets"),
            };
            view! { <a class="button-link primary" data-testid="transfer-selection" href=link.href()>{words}</a> }
        })
    }
}
