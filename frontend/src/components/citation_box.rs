use crate::clipboard::put_on_clipboard;
use leptos::prelude::*;
use mrdp_shared::Citation;

/// What the last copy did, said to screen readers too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    Done(&'static str),
    Refused(&'static str),
}

/// Puts text on the clipboard and says whether it is there; a refusal leaves the text on the page
/// to select by hand.
fn copy(kind: &'static str, text: String, said: RwSignal<Option<Copied>>) {
    said.set(None);
    leptos::task::spawn_local(async move {
        let outcome = if put_on_clipboard(&text).await {
            Copied::Done(kind)
        } else {
            Copied::Refused(kind)
        };
        said.set(Some(outcome));
    });
}

/// How to cite a dataset, as text and as BibTeX, each with a copy button.
#[component]
pub fn CitationBox(citation: Citation) -> impl IntoView {
    let copied = RwSignal::new(None::<Copied>);
    let block = move |kind: &'static str, testid: &'static str, text: String| {
        let to_copy = text.clone();
        view! {
            <div class="citation">
                <pre data-testid=testid>{text}</pre>
                <button type="button" data-testid=format!("copy-{testid}") on:click=move |_| copy(kind, to_copy.clone(), copied)>
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
            <p class="saved" role="status" data-testid="copy-status" data-copied=move || copied.get().map(|said| match said {
                Copied::Done(kind) => kind,
                Copied::Refused(_) => "refused",
            })>
                {move || copied.get().map(|said| match said {
                    Copied::Done(kind) => format!("The {kind} is on your clipboard."),
                    Copied::Refused(kind) => format!("The browser did not allow copying: select the {kind} above to copy it."),
                })}
            </p>
        </section>
    }
}
