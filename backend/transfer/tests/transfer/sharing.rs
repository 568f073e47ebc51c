//! Sharing over the Transfer API: access rules of a guest collection (create, list, get, update,
//! delete) and shared endpoints (create on a directory, delete), as the owner and as others.

use crate::fixture::Fixture;
use crate::operations::{call, get};
use serde_json::json;
use std::sync::atomic::Ordering;

#[tokio::test]
async fn the_owner_manages_access_rules_and_others_cannot() {
    let fixture = Fixture::start().await;
    let access = format!("/endpoint/{}/access", fixture.shared);
    let (status, list) = get(
        &fixture,
        &format!("/endpoint/{}/access_list", fixture.shared),
        "portal-transfer",
    )
    .await;
    assert_eq!(
        (status, list["DATA_TYPE"].as_str(), list["length"].as_u64()),
        (200, Some("access_list"), Some(4))
    );

    let rule = json!({"DATA_TYPE": "access", "principal_type": "identity", "principal": "carol",
                      "path": "/carol/", "permissions": "r", "expiration_date": "2100-01-01"});
    let (status, created) = call(
        &fixture,
        "POST",
        &access,
        Some("portal-transfer"),
        Some(rule.clone()),
    )
    .await;
    assert_eq!(
        (
            status,
            created["code"].as_str(),
            created["DATA_TYPE"].as_str()
        ),
        (201, Some("Created"), Some("access_create_result"))
    );
    let rule_id = created["access_id"].as_str().unwrap().to_owned();
    let (status, duplicate) = call(
        &fixture,
        "POST",
        &access,
        Some("portal-transfer"),
        Some(rule),
    )
    .await;
    assert_eq!((status, duplicate["code"].as_str()), (409, Some("Exists")));

    let one = format!("{access}/{rule_id}");
    let (status, document) = get(&fixture, &one, "portal-transfer").await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            document["path"].as_str(),
            document["principal"].as_str(),
            document["permissions"].as_str()
        ),
        (Some("/carol/"), Some("carol"), Some("r"))
    );
    assert_eq!(document["expiration_date"], "2100-01-01T00:00:00+00:00");
    let (status, updated) = call(
        &fixture,
        "PUT",
        &one,
        Some("portal-transfer"),
        Some(json!({"DATA_TYPE": "access", "permissions": "rw"})),
    )
    .await;
    assert_eq!((status, updated["code"].as_str()), (200, Some("Updated")));
    assert_eq!(
        get(&fixture, &one, "portal-transfer").await.1["permissions"],
        "rw"
    );

    let (status, _) = get(&fixture, &one, "alice-transfer").await;
    assert_eq!(status, 403, "only the owner sees the rules");
    let on_mapped = format!("/endpoint/{}/access_list", fixture.mapped);
    assert_eq!(
        get(&fixture, &on_mapped, "portal-transfer").await.0,
        400,
        "no rules on mapped collections"
    );
    for bad in [
        json!({"principal_type": "identity", "principal": "x", "path": "/", "permissions": "w"}),
        json!({"principal_type": "robot", "principal": "x", "path": "/", "permissions": "r"}),
        json!({"principal_type": "identity", "principal": "x", "path": "/../", "permissions": "r"}),
        json!({"principal_type": "identity", "principal": "x", "path": "/", "permissions": "r", "expiration_date": "soon"}),
        json!({"principal_type": "identity", "principal": "x", "path": "/", "permissions": "r", "expiration_date": "99999999999999-01-01"}),
        json!({"principal_type": "identity", "principal": "x", "path": "/", "permissions": "r", "expiration_date": "0000-12-31"}),
    ] {
        let (status, error) = call(
            &fixture,
            "POST",
            &access,
            Some("portal-transfer"),
            Some(bad.clone()),
        )
        .await;
        assert_eq!(
            (status, error["code"].as_str()),
            (400, Some("ClientError.BadRequest")),
            "{bad}"
        );
    }

    let (status, deleted) = call(&fixture, "DELETE", &one, Some("portal-transfer"), None).await;
    assert_eq!((status, deleted["code"].as_str()), (200, Some("Deleted")));
    assert_eq!(get(&fixture, &one, "portal-transfer").await.0, 404);
    fixture.stop().await;
}

#[tokio::test]
async fn owners_share_a_directory_as_an_endpoint_and_delete_it() {
    let fixture = Fixture::start().await;
    let share = |path: &str| {
        json!({"DATA_TYPE": "shared_endpoint", "host_endpoint": fixture.mapped,
                                    "host_path": path, "display_name": "Public data"})
    };
    let (status, created) = call(
        &fixture,
        "POST",
        "/shared_endpoint",
        Some("portal-transfer"),
        Some(share("/data/public/")),
    )
    .await;
    assert_eq!((status, created["code"].as_str()), (201, Some("Created")));
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, endpoint) = get(&fixture, &format!("/endpoint/{id}"), "portal-transfer").await;
    assert_eq!(
        (status, endpoint["host_path"].as_str()),
        (200, Some("/data/public/"))
    );
    assert_eq!(endpoint["my_effective_roles"], json!(["administrator"]));
    assert_eq!(
        fixture.idp.created_scopes(),
        [format!("https://auth.globus.org/scopes/{id}/https")],
        "its HTTPS scope is made at the identity provider"
    );

    // Without its scope a share is of no use: when the provider refuses it, no share is left.
    fixture.idp.refuse_scopes.store(true, Ordering::SeqCst);
    let (status, refused) = call(
        &fixture,
        "POST",
        "/shared_endpoint",
        Some("portal-transfer"),
        Some(share("/data/uploads/")),
    )
    .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (502, Some("ExternalError.AuthUnavailable"))
    );
    let (_, mine) = get(
        &fixture,
        "/endpoint_search?filter_scope=my-endpoints",
        "portal-transfer",
    )
    .await;
    assert!(
        mine["DATA"]
            .as_array()
            .unwrap()
            .iter()
            .all(|endpoint| endpoint["host_path"] != "/data/uploads/"),
        "{mine}"
    );
    fixture.idp.refuse_scopes.store(false, Ordering::SeqCst);

    let (status, _) = call(
        &fixture,
        "POST",
        "/shared_endpoint",
        Some("alice-transfer"),
        Some(share("/data/")),
    )
    .await;
    assert_eq!(status, 403, "alice does not own the host");
    let (status, _) = call(
        &fixture,
        "POST",
        "/shared_endpoint",
        Some("portal-transfer"),
        Some(share("/nowhere/")),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = call(
        &fixture,
        "POST",
        "/shared_endpoint",
        Some("portal-transfer"),
        Some(share("/data/2020.csv")),
    )
    .await;
    assert_eq!(status, 400, "a file is not a directory to share");

    let (status, _) = call(
        &fixture,
        "DELETE",
        &format!("/endpoint/{id}"),
        Some("alice-transfer"),
        None,
    )
    .await;
    assert_eq!(status, 404, "not alice's to know of, let alone delete");
    let (status, deleted) = call(
        &fixture,
        "DELETE",
        &format!("/endpoint/{id}"),
        Some("portal-transfer"),
        None,
    )
    .await;
    assert_eq!((status, deleted["code"].as_str()), (200, Some("Deleted")));
    assert_eq!(
        get(&fixture, &format!("/endpoint/{id}"), "portal-transfer")
            .await
            .0,
        404
    );
    assert!(
        fixture
            .tmp
            .path()
            .join("root/data/public/readme.txt")
            .exists(),
        "deleting a share keeps its files"
    );
    fixture.stop().await;
}
