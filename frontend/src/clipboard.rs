//! The clipboard: the browser asks nothing of a click on the page itself, but may still refuse.

/// Puts `text` on the clipboard; whether it is there.
pub async fn put_on_clipboard(text: &str) -> bool {
    let promise = leptos::prelude::window()
        .navigator()
        .clipboard()
        .write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
