//! What a caller may not see, the Transfer API does not show: collections of others are known to
//! their owners and to those a live access rule is for; the layout of a shared collection's host
//! (its id and path) only to the owner; another person's task not even by its submission id.

use crate::fixture::Fixture;
use crate::operations::{call, get};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_transfer::access::{Permission, Principal};
use mrdp_transfer::access_rules;
use mrdp_transfer::collections::{self, NewCollection, Placement};
use mrdp_transfer::paths::CollectionPath;
use serde_json::{Value, json};

fn ids(list: &Value) -> Vec<&str> {
    list["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .map(|endpoint| endpoint["id"].as_str().unwrap())
        .collect()
}

/// A guest collection of the portal's on `/data/public/`, shared with alice alone, her rule
/// having expired when `expired`.
async fn share_with_alice(fixture: &Fixture, expired: bool) -> String {
    let now = SystemClock.now();
    let share = collections::create(
        &fixture.store,
        NewCollection {
            display_name: "Alice's share".into(),
            description: String::new(),
            owner_id: "portal".into(),
            placement: Placement::Guest {
                host_collection_id: fixture.mapped.clone(),
                host_path: CollectionPath::parse("/data/public/").unwrap(),
            },
        },
        now,
    )
    .await
    .unwrap();
    let root = CollectionPath::root();
    let ends = expired.then_some(now - 1);
    let alice = Principal::Identity("alice".into());
    access_rules::add(
        &fixture.store,
        &share.id,
        alice,
        root,
        Permission::Read,
        ends,
        now,
    )
    .await
    .unwrap();
    share.id
}

#[tokio::test]
async fn others_collections_are_seen_only_by_those_they_are_shared_with() {
    let fixture = Fixture::start().await;
    let share = share_with_alice(&fixture, false).await;
    let lapsed = share_with_alice(&fixture, true).await;

    // bob: a rule on the catalog's /uploads/; nothing else of the portal's is his to see.
    let (_, all) = get(
        &fixture,
        "/endpoint_search?filter_scope=all",
        "bob-transfer",
    )
    .await;
    assert_eq!(ids(&all), [fixture.shared.as_str()], "{all}");
    let catalog = &all["DATA"][0];
    assert_eq!(
        (&catalog["host_endpoint_id"], &catalog["host_path"]),
        (&Value::Null, &Value::Null),
        "the host's layout is the owner's"
    );
    assert_eq!(catalog["owner_id"], "portal");
    for hidden in [&share, &lapsed, &fixture.mapped] {
        let (status, error) = get(&fixture, &format!("/endpoint/{hidden}"), "bob-transfer").await;
        assert_eq!(
            (status, error["code"].as_str()),
            (404, Some("ClientError.NotFound"))
        );
        let ls = format!("/operation/endpoint/{hidden}/ls?path=/");
        assert_eq!(get(&fixture, &ls, "bob-transfer").await.0, 404, "{hidden}");
    }
    let (_, searched) = get(
        &fixture,
        "/endpoint_search?filter_fulltext=share",
        "bob-transfer",
    )
    .await;
    assert!(ids(&searched).is_empty(), "{searched}");

    // alice: her live share, not the lapsed one; still not the host's layout.
    let (_, with_alice) = get(
        &fixture,
        "/endpoint_search?filter_scope=shared-with-me",
        "alice-transfer",
    )
    .await;
    let mut expected = vec![fixture.shared.as_str(), share.as_str()];
    expected.sort_by_key(|id| if *id == share { 0 } else { 1 });
    assert_eq!(ids(&with_alice), expected, "{with_alice}");
    let (status, document) = get(&fixture, &format!("/endpoint/{share}"), "alice-transfer").await;
    assert_eq!((status, &document["host_path"]), (200, &Value::Null));

    // The owner sees everything of its own.
    let (_, mine) = get(&fixture, &format!("/endpoint/{share}"), "portal-transfer").await;
    assert_eq!(
        (&mine["host_endpoint_id"], &mine["host_path"]),
        (&json!(fixture.mapped), &json!("/data/public/"))
    );
    let (_, owned) = get(
        &fixture,
        "/endpoint_search?filter_scope=my-endpoints",
        "portal-transfer",
    )
    .await;
    assert_eq!(ids(&owned).len(), 4, "{owned}");
    fixture.stop().await;
}

#[tokio::test]
async fn a_submission_id_used_by_someone_else_reveals_nothing_of_their_task() {
    let fixture = Fixture::start_with(false).await;
    let (_, id) = get(&fixture, "/submission_id", "alice-transfer").await;
    let submission = id["value"].as_str().unwrap();
    let body = |endpoint: &str, path: &str| {
        json!({"DATA_TYPE": "delete", "endpoint": endpoint, "submission_id": submission,
               "DATA": [{"DATA_TYPE": "delete_item", "path": path}]})
    };
    let (status, accepted) = call(
        &fixture,
        "POST",
        "/delete",
        Some("portal-transfer"),
        Some(body(&fixture.mapped, "/data/uploads/")),
    )
    .await;
    assert_eq!(status, 202, "{accepted}");
    let task = accepted["task_id"].as_str().unwrap();

    let (status, refused) = call(
        &fixture,
        "POST",
        "/delete",
        Some("bob-transfer"),
        Some(body(&fixture.shared, "/uploads/x")),
    )
    .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (409, Some("ClientError.Conflict")),
        "{refused}"
    );
    assert!(!refused.to_string().contains(task), "{refused}");
    fixture.stop().await;
}
