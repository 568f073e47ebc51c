//! The transfers journey: alice sends two selected datasets into a folder she makes in her own
//! collection, watches the task to the end, transfers it again, cancels a large transfer on its
//! way, shares the folder with bob read-only; bob finds it
//! under "Shared with me", downloads a file of it (allowing the portal to read that collection
//! first) and may not delete from it. Every page is checked with axe-core.

use mrdp_e2e::pages::{ActivityPages, DatasetsPage, FileManagerPage, NavBar, SignInPages};
use mrdp_e2e::{
    Browser, Portal, check_accessibility, screenshot_dir, sign_in_with_profile, workspace_root,
};
use std::path::Path;

/// The size of the file transferred and canceled on its way: large enough (and sparse, so made
/// at once) that its copy is still running when the page shows it.
const LARGE: u64 = 8 << 30;

/// The names and bytes of the files of a folder, sorted by name.
fn files_of(folder: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        files.push((
            entry.file_name().to_string_lossy().into_owned(),
            std::fs::read(entry.path())?,
        ));
    }
    files.sort();
    Ok(files)
}

#[tokio::test]
async fn alice_transfers_two_datasets_home_and_shares_them_with_bob_read_only() -> anyhow::Result<()>
{
    let portal = Portal::start().await?;
    let browser = Browser::launch().await?;
    sign_in_with_profile(&browser, &portal, "alice@mrdp.local").await?;

    // Two datasets selected, then "Transfer selected datasets": the catalog on the left with
    // their folders ticked.
    let search = DatasetsPage::open(&browser, portal.url(), "").await?;
    for id in ["sea", "jfk"] {
        search.select(id).await?;
    }
    NavBar::new(&browser).wait_selection_count(2).await?;
    browser
        .find("[data-testid=transfer-selection]")
        .await?
        .click()
        .await?;
    let manager = FileManagerPage::new(&browser);
    manager.wait_listing("origin", "/").await?;
    assert_eq!(manager.ticked("origin").await?, ["jfk", "sea"]);

    // Her own collection on the right, and a folder made there.
    manager
        .choose_collection("destination", "Alice Researcher's storage")
        .await?;
    manager.make_folder("destination", "incoming").await?;
    manager
        .open_folder("destination", "incoming", "/incoming/")
        .await?;
    check_accessibility(&browser, "the file manager").await?;
    browser
        .screenshot(&screenshot_dir().join("file-manager.png"))
        .await?;
    // The address holds both panes: a reload shows them again.
    browser.reload().await?;
    manager.wait_listing("destination", "/incoming/").await?;
    manager.wait_listing("origin", "/").await?;
    for id in ["sea", "jfk"] {
        manager.tick("origin", id).await?;
    }

    // The transfer, followed on its page to the end.
    let task = manager.transfer_right().await?;
    manager.follow_transfer().await?;
    let activity = ActivityPages::new(&browser);
    browser
        .screenshot(&screenshot_dir().join("transfer-task.png"))
        .await?;
    let ended = activity.wait_ended().await?;
    assert_eq!(
        (ended.status.as_str(), ended.percent),
        ("succeeded", Some(100)),
        "{ended:?}"
    );
    assert!(
        activity
            .event_codes()
            .await?
            .contains(&"SUCCEEDED".to_owned())
    );
    let sources: usize = ["sea", "jfk"]
        .iter()
        .map(|id| {
            std::fs::read_dir(workspace_root().join("data/climate").join(id)).map(Iterator::count)
        })
        .sum::<Result<_, _>>()?;
    assert_eq!(activity.copied_files().await?, sources);
    check_accessibility(&browser, "a transfer's page").await?;
    browser
        .screenshot(&screenshot_dir().join("transfer-done.png"))
        .await?;
    // The same request again: a new task, which ends the same way.
    let again = activity.transfer_again(&task).await?;
    assert_ne!(again, task);
    let ended = activity.wait_ended().await?;
    assert_eq!(ended.status, "succeeded", "{ended:?}");
    let listed = activity.open_list(portal.url(), &task).await?;
    assert_eq!(listed.percent, Some(100), "{listed:?}");
    check_accessibility(&browser, "the activity page").await?;
    let mut succeeded = activity.only("succeeded").await?;
    succeeded.sort();
    let mut both = vec![task.clone(), again.clone()];
    both.sort();
    assert_eq!(succeeded, both);
    browser
        .screenshot(&screenshot_dir().join("activity.png"))
        .await?;
    let home = portal.data_dir().join("collections/home/alice/incoming");
    for id in ["sea", "jfk"] {
        let source = files_of(&workspace_root().join("data/climate").join(id))?;
        assert!(!source.is_empty());
        assert!(
            files_of(&home.join(id))? == source,
            "{id}: the copies differ from the sources"
        );
    }

    // A large file of her own on its way, then canceled from its page: nothing of it is left.
    let large = portal.data_dir().join("collections/home/alice/large");
    std::fs::create_dir_all(&large)?;
    std::fs::File::create(large.join("large.bin"))?.set_len(LARGE)?;
    for _ in 0..3 {
        browser.back().await?;
    }
    manager.wait_listing("destination", "/incoming/").await?;
    manager
        .choose_collection("origin", "Alice Researcher's storage")
        .await?;
    manager.open_folder("origin", "large", "/large/").await?;
    manager.tick("origin", "large.bin").await?;
    manager.transfer_right().await?;
    manager.follow_transfer().await?;
    let running = activity.wait_running_with_bytes().await?;
    assert!(running.figures.contains("of 1 files"), "{running:?}");
    browser
        .screenshot(&screenshot_dir().join("transfer-running.png"))
        .await?;
    activity.cancel().await?;
    let stopped = activity.wait_ended().await?;
    assert_eq!(stopped.status, "canceled", "{stopped:?}");
    let mut left: Vec<String> = std::fs::read_dir(&home)?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    left.sort();
    assert_eq!(left, ["jfk", "sea"], "no part of the canceled copy is left");

    // "Transfer selected datasets" again: the file manager remembers where they went last.
    DatasetsPage::open(&browser, portal.url(), "").await?;
    browser
        .find("[data-testid=transfer-selection]")
        .await?
        .click()
        .await?;
    manager.wait_listing("destination", "/incoming/").await?;
    assert_eq!(
        manager.recent_destinations().await?,
        ["Alice Researcher's storage /incoming/"]
    );

    // The folder shared with bob, read-only.
    manager.open_top("destination").await?;
    manager.tick("destination", "incoming").await?;
    manager.open_share("destination").await?;
    manager.share_read_only("bob@mrdp.local").await?;
    check_accessibility(&browser, "the share dialog").await?;
    browser
        .screenshot(&screenshot_dir().join("share-dialog.png"))
        .await?;
    browser.close().await?;

    // Bob finds it shared with him, and may not delete from it.
    let browser = Browser::launch().await?;
    sign_in_with_profile(&browser, &portal, "bob@mrdp.local").await?;
    browser
        .goto(&format!("{}/file-manager", portal.url()))
        .await?;
    let manager = FileManagerPage::new(&browser);
    manager
        .choose_collection("origin", "incoming, shared by Alice Researcher")
        .await?;
    assert_eq!(manager.entries("origin").await?, ["jfk", "sea"]);
    assert!(
        !manager.offers_share("origin").await?,
        "bob does not own it"
    );
    manager.open_folder("origin", "sea", "/sea/").await?;
    let first = manager
        .entries("origin")
        .await?
        .first()
        .cloned()
        .unwrap_or_default();
    manager.tick("origin", &first).await?;
    // A download needs bob's permission for the shared collection first: a sign-in asking for
    // it, and back to the same folder.
    manager.download_ticked("origin").await?;
    manager.allow_collection("origin").await?;
    SignInPages::new(&browser).allow().await?;
    manager.wait_listing("origin", "/sea/").await?;
    manager.tick("origin", &first).await?;
    manager.download_ticked("origin").await?;
    let copy = std::fs::read(home.join("sea").join(&first))?;
    assert!(
        browser.downloaded(&first).await? == copy,
        "the download differs from the file"
    );
    let refused = manager.delete_ticked("origin").await?;
    assert!(refused.contains("you may not delete"), "{refused}");
    check_accessibility(&browser, "a folder shared with bob").await?;
    assert!(home.join("sea").join(&first).is_file(), "nothing deleted");

    browser.close().await
}
