//! The last folders the researcher transferred to, kept in the browser's local storage, so that
//! "Transfer selected datasets" opens the file manager on the last one.

use crate::file_manager_link::PaneAt;
use leptos::prelude::window;
use serde::{Deserialize, Serialize};

const STORAGE_KEY: &str = "mrdp.recent-destinations";
/// How many are kept.
const KEPT: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Kept {
    collection: String,
    path: String,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn read(text: &str) -> Vec<Kept> {
    serde_json::from_str(text).unwrap_or_default()
}

/// `used` first, then the others it does not repeat, at most [`KEPT`].
fn with_first(kept: Vec<Kept>, used: Kept) -> Vec<Kept> {
    let others = kept.into_iter().filter(|k| *k != used);
    std::iter::once(used.clone())
        .chain(others)
        .take(KEPT)
        .collect()
}

/// The destinations used in this browser, the last first.
pub fn recent() -> Vec<PaneAt> {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map(|text| read(&text))
        .unwrap_or_default()
        .into_iter()
        .map(|kept| PaneAt::new(&kept.collection, &kept.path))
        .collect()
}

/// The last destination used in this browser.
pub fn last() -> Option<PaneAt> {
    recent().into_iter().next()
}

/// Remembers a destination just used; a full or disabled storage only forgets it.
pub fn remember(at: &PaneAt) {
    let Some(storage) = storage() else { return };
    let kept = storage
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .map(|text| read(&text))
        .unwrap_or_default();
    let used = Kept {
        collection: at.collection.clone(),
        path: at.path.clone(),
    };
    let text = serde_json::to_string(&with_first(kept, used)).unwrap_or_default();
    let _ = storage.set_item(STORAGE_KEY, &text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(collection: &str) -> Kept {
        Kept {
            collection: collection.into(),
            path: "/".into(),
        }
    }

    #[test]
    fn the_one_used_comes_first_once_and_the_oldest_go() {
        let all: Vec<Kept> = ["a", "b", "c", "d", "e"].map(kept).into();
        let next = with_first(all, kept("c"));
        let order: Vec<&str> = next.iter().map(|k| k.collection.as_str()).collect();
        assert_eq!(order, ["c", "a", "b", "d", "e"]);
        let next = with_first(next, kept("f"));
        assert_eq!(next.len(), KEPT);
        assert_eq!(next[0].collection, "f");
        assert!(read("not json").is_empty());
    }
}
