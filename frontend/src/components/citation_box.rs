use leptos::prelude::*;
use mrdp_shared::Citation;

/// Puts text on the clipboard; the browser asks nothing of a click on the page itself.
fn copy(text: &str) {
    // The promise settles by itself; a refusal leaves the text on the page to select by hand.
    let _ = window().navigator().clipboard().write_text(text);
}

/// How to cite a dataset, as text and as BibTeX, each with a copy button.
#[component]
pub fn CitationBox(citation: Citation) -> impl IntoView {
    let copied = RwSignal::new(None::<&'static str>);
    let block = move |kind: &'static str, testid: &'static str, text: String| {
        let to_copy = text.clone();
        view! {
            <div class="citation">
                <pre data-testid=testid>{text}</pre>
                <button type="button" data-testid=format!("copy-{testid}") on:click=move |_| { copy(&to_copy); copied.set(Some(kind)); }>
                    "Copy " {kind}
                </button>
            </div>
        }
    };
    view! {
        <section aria-labelledby="cite-heading">
            <h2 id="cite-heading">"Cite this dataset"</h2>
            {block("citation", "citation-text", citation.text)}
            {block("BibTeX", "citation-bibtex", citation.bibtex)}
            <p class="saved" role="status">{move || copied.get().map(|kind| format!("The {kind} is on your clipboard."))}</p>
        </section>
    }
}
