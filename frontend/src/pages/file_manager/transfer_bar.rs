use super::pane::picked_path;
use crate::api::{self, ApiFailure};
use crate::components::{ErrorPanel, Picked};
use crate::file_manager_link::PaneAt;
use crate::recent_destinations;
use crate::route::task_path;
use leptos::prelude::*;
use mrdp_shared::{TransferItem, TransferSubmission};

/// Which way a transfer goes between the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Right,
    Left,
}

/// The transfer of what is ticked on one side into the other side's folder.
pub fn submission(
    from: &PaneAt,
    picked: &[Picked],
    to: &PaneAt,
    options: &Options,
) -> TransferSubmission {
    TransferSubmission {
        datasets: Vec::new(),
        source_collection: Some(from.collection.clone()),
        items: picked
            .iter()
            .map(|item| TransferItem {
                source_path: picked_path(from, item),
                destination_path: picked_path(to, item),
                recursive: item.folder,
            })
            .collect(),
        destination_collection: to.collection.clone(),
        destination_path: to.path.clone(),
        label: Some(options.label.trim().to_owned()).filter(|l| !l.is_empty()),
        sync_level: options.sync_level,
        verify_checksum: Some(options.verify_checksum),
        checksum_algorithm: None,
        preserve_timestamp: Some(options.preserve_timestamp),
        deadline: Some(options.deadline.trim().to_owned()).filter(|d| !d.is_empty()),
    }
}

/// What the researcher chose under "Transfer options".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub label: String,
    pub sync_level: Option<u8>,
    pub verify_checksum: bool,
    pub preserve_timestamp: bool,
    /// `2027-01-31T12:00` (UTC), or empty for none.
    pub deadline: String,
}

/// "Transfer →" and "← Transfer", with the options they share and what came of the last one.
#[component]
pub fn TransferBar(
    origin: Signal<Option<PaneAt>>,
    destination: Signal<Option<PaneAt>>,
    origin_picked: RwSignal<Vec<Picked>>,
    destination_picked: RwSignal<Vec<Picked>>,
    refresh: RwSignal<u32>,
) -> impl IntoView {
    let label = RwSignal::new(String::new());
    let sync_level = RwSignal::new(String::new());
    let verify_checksum = RwSignal::new(true);
    let preserve_timestamp = RwSignal::new(false);
    let deadline = RwSignal::new(String::new());
    let submitted = RwSignal::new(None::<Result<String, ApiFailure>>);
    let sides = move |direction: Direction| match direction {
        Direction::Right => (origin, origin_picked, destination),
        Direction::Left => (destination, destination_picked, origin),
    };
    let ready = move |direction: Direction| {
        let (from, picked, to) = sides(direction);
        from.with(Option::is_some) && to.with(Option::is_some) && !picked.with(Vec::is_empty)
    };
    let go = move |direction: Direction| {
        let (from, picked, to) = sides(direction);
        let (Some(from), Some(to)) = (from.get_untracked(), to.get_untracked()) else {
            return;
        };
        let options = Options {
            label: label.get_untracked(),
            sync_level: sync_level.get_untracked().parse().ok(),
            verify_checksum: verify_checksum.get_untracked(),
            preserve_timestamp: preserve_timestamp.get_untracked(),
            deadline: deadline.get_untracked(),
        };
        let request = picked.with_untracked(|p| submission(&from, p, &to, &options));
        let key = api::new_idempotency_key();
        leptos::task::spawn_local(async move {
            let result = api::submit_transfer(&request, &key)
                .await
                .map(|done| done.task_id);
            if result.is_ok() {
                recent_destinations::remember(&to);
                picked.set(Vec::new());
                refresh.update(|n| *n += 1);
            }
            submitted.set(Some(result));
        });
    };
    view! {
        <div class="transfer-bar" data-testid="transfer-bar">
            <button type="button" class="primary" data-testid="transfer-right" disabled=move || !ready(Direction::Right) on:click=move |_| go(Direction::Right)>"Transfer →"</button>
            <button type="button" class="primary" data-testid="transfer-left" disabled=move || !ready(Direction::Left) on:click=move |_| go(Direction::Left)>"← Transfer"</button>
            <details class="transfer-options">
                <summary>"Transfer options"</summary>
                <label for="transfer-label">"Label"</label>
                <input id="transfer-label" data-testid="transfer-label" maxlength="128" prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
                <label for="transfer-sync">"Files already there"</label>
                <select id="transfer-sync" data-testid="transfer-sync" on:change=move |ev| sync_level.set(event_target_value(&ev))>
                    <option value="" selected=true>"Copy again"</option>
                    <option value="1">"Skip if the size is the same"</option>
                    <option value="2">"Skip unless the source is newer"</option>
                    <option value="3">"Skip if the checksum is the same"</option>
                </select>
                <label>
                    <input type="checkbox" data-testid="transfer-verify" prop:checked=move || verify_checksum.get() on:change=move |_| verify_checksum.update(|v| *v = !*v) />
                    " Verify each file's checksum"
                </label>
                <label>
                    <input type="checkbox" data-testid="transfer-preserve" prop:checked=move || preserve_timestamp.get() on:change=move |_| preserve_timestamp.update(|v| *v = !*v) />
                    " Keep each file's modification time"
                </label>
                <label for="transfer-deadline">"Must be done by (UTC, optional)"</label>
                <input id="transfer-deadline" data-testid="transfer-deadline" type="datetime-local" prop:value=move || deadline.get() on:input=move |ev| deadline.set(event_target_value(&ev)) />
            </details>
        </div>
        {move || submitted.get().map(|result| match result {
            Ok(task) => view! {
                <p class="saved" role="status" data-testid="transfer-submitted" data-task=task.clone()>
                    "Transfer submitted. " <a href=task_path(&task) data-testid="follow-transfer">"Follow its progress"</a>
                </p>
            }.into_any(),
            Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticked_files_and_folders_go_into_the_other_folder() {
        let picked = [
            Picked {
                name: "sea".into(),
                folder: true,
            },
            Picked {
                name: "notes.txt".into(),
                folder: false,
            },
        ];
        let options = Options {
            label: "  ".into(),
            sync_level: Some(1),
            verify_checksum: true,
            preserve_timestamp: true,
            deadline: " ".into(),
        };
        let sent = submission(
            &PaneAt::new("cat", "/"),
            &picked,
            &PaneAt::new("home", "/in/"),
            &options,
        );
        assert_eq!(sent.source_collection.as_deref(), Some("cat"));
        assert_eq!(
            sent.items,
            [
                TransferItem {
                    source_path: "/sea/".into(),
                    destination_path: "/in/sea/".into(),
                    recursive: true
                },
                TransferItem {
                    source_path: "/notes.txt".into(),
                    destination_path: "/in/notes.txt".into(),
                    recursive: false
                },
            ]
        );
        assert_eq!(
            (sent.destination_path.as_str(), sent.label, sent.sync_level),
            ("/in/", None, Some(1))
        );
        assert_eq!((sent.preserve_timestamp, sent.deadline), (Some(true), None));
    }
}
