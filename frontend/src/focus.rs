//! Moving the keyboard's focus to what just appeared (a dialog's first field, a form asking for
//! a name): `autofocus` only works for what is there when the page loads.

use leptos::html::Input;
use leptos::prelude::*;

/// A reference for an input that takes the focus as soon as it is in the page.
pub fn focused_input() -> NodeRef<Input> {
    let input = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(element) = input.get() {
            // Focus cannot fail in a way the page could do anything about.
            let _ = element.focus();
        }
    });
    input
}
