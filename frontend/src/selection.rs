//! The selection basket: the datasets a researcher picked, kept in the tab's session storage so
//! that a reload keeps them; "Transfer selected datasets" opens the file manager with them.

use leptos::prelude::*;

/// The session storage key.
const STORAGE_KEY: &str = "mrdp.selection";

/// The selected dataset ids, shared by the navigation bar and the pages.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    ids: RwSignal<Vec<String>>,
}

impl Selection {
    /// Reads what the tab kept, and writes back every change.
    pub fn from_session_storage() -> Self {
        let kept = storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .map(|text| parse(&text))
            .unwrap_or_default();
        let ids = RwSignal::new(kept);
        Effect::new(move |_| {
            let text = serde_json::to_string(&ids.get()).unwrap_or_default();
            if let Some(storage) = storage() {
                // A full or disabled storage only means the basket will not survive a reload.
                let _ = storage.set_item(STORAGE_KEY, &text);
            }
        });
        Self { ids }
    }

    pub fn count(self) -> usize {
        self.ids.with(Vec::len)
    }

    pub fn ids(self) -> Vec<String> {
        self.ids.get()
    }

    pub fn contains(self, id: &str) -> bool {
        self.ids.with(|ids| ids.iter().any(|i| i == id))
    }

    /// Adds the dataset if it is not selected, removes it if it is.
    pub fn toggle(self, id: &str) {
        self.ids.update(|ids| *ids = toggled(ids, id));
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

/// What the storage holds: a JSON array of ids; anything else is an empty basket.
fn parse(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn toggled(ids: &[String], id: &str) -> Vec<String> {
    if ids.iter().any(|i| i == id) {
        ids.iter().filter(|i| *i != id).cloned().collect()
    } else {
        ids.iter().cloned().chain([id.to_owned()]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggling_adds_then_removes_keeping_the_order() {
        let ids = toggled(&toggled(&[], "sea"), "nyc");
        assert_eq!(ids, ["sea", "nyc"]);
        assert_eq!(toggled(&ids, "sea"), ["nyc"]);
    }

    #[test]
    fn stored_text_reads_back_and_garbage_is_an_empty_basket() {
        let text = serde_json::to_string(&["sea", "ceu"]).unwrap();
        assert_eq!(parse(&text), ["sea", "ceu"]);
        assert!(parse("not json").is_empty());
    }
}
