//! Moving the keyboard's focus to what just appeared (a dialog's first field or button, a form
//! asking for a name): `autofocus` only works for what is there when the page loads.

use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A reference for an element that takes the focus as soon as it is in the page.
fn focused<E>() -> NodeRef<E>
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let element = NodeRef::<E>::new();
    Effect::new(move |_| {
        if let Some(element) = element.get() {
            // Focus cannot fail in a way the page could do anything about.
            if let Some(html) = element.dyn_ref::<web_sys::HtmlElement>() {
                let _ = html.focus();
            }
        }
    });
    element
}

/// An input that takes the focus as soon as it is in the page.
pub fn focused_input() -> NodeRef<leptos::html::Input> {
    focused()
}

/// A button that takes the focus as soon as it is in the page.
pub fn focused_button() -> NodeRef<leptos::html::Button> {
    focused()
}
