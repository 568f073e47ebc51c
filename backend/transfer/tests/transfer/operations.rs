//! The Transfer API over real HTTP: endpoint documents, endpoint search, and the synchronous file
//! operations, with the error documents the Globus SDK reads.

use crate::fixture::{CSV, Fixture};
use serde_json::{Value, json};

/// Sends a Transfer API request as `token` (none: anonymous); answers the status and the body.
pub async fn call(
    fixture: &Fixture,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let url = format!("{}/v0.10{path}", fixture.transfer);
    let mut request = match method {
        "POST" => client.post(url),
        "PUT" => client.put(url),
        "DELETE" => client.delete(url),
        _ => client.get(url),
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn get(fixture: &Fixture, path: &str, token: &str) -> (u16, Value) {
    call(fixture, "GET", path, Some(token), None).await
}

/// Deletes, through the Transfer API as the guest collection's owner, its rule for `principal`.
pub async fn delete_rule_for(fixture: &Fixture, principal: &str) {
    let list = format!("/endpoint/{}/access_list", fixture.shared);
    let (_, rules) = get(fixture, &list, "portal-transfer").await;
    let id = rules["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["principal"] == principal)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rule = format!("/endpoint/{}/access/{id}", fixture.shared);
    let (status, _) = call(fixture, "DELETE", &rule, Some("portal-transfer"), None).await;
    assert_eq!(status, 200);
}

/// `(name, type)` of each entry of a listing.
pub fn kinds(listing: &Value) -> Vec<(&str, &str)> {
    listing["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["name"].as_str().unwrap(),
                entry["type"].as_str().unwrap(),
            )
        })
        .collect()
}

pub fn names(listing: &Value) -> Vec<&str> {
    listing["DATA"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn endpoint_documents_name_the_https_server_and_errors_are_globus_documents() {
    let fixture = Fixture::start().await;
    let (status, shared) = get(
        &fixture,
        &format!("/endpoint/{}", fixture.shared),
        "alice-transfer",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(shared["DATA_TYPE"], "endpoint");
    assert_eq!(shared["entity_type"], "GCSv5_guest_collection");
    assert_eq!(
        shared["https_server"],
        format!("{}/{}", fixture.url, fixture.shared)
    );
    assert_eq!(
        (&shared["host_endpoint_id"], &shared["host_path"]),
        (&Value::Null, &Value::Null),
        "where it lies in its host is the owner's to know"
    );
    assert_eq!(shared["my_effective_roles"], json!([]));
    let (_, owned) = get(
        &fixture,
        &format!("/endpoint/{}", fixture.shared),
        "portal-transfer",
    )
    .await;
    assert_eq!(owned["host_endpoint_id"], fixture.mapped.as_str());
    assert_eq!(owned["host_path"], "/data/");
    assert_eq!(owned["my_effective_roles"], json!(["administrator"]));

    let (status, missing) = get(&fixture, "/endpoint/no-such-id", "alice-transfer").await;
    assert_eq!(status, 404);
    assert_eq!(missing["code"], "ClientError.NotFound");
    assert_eq!(missing["resource"], "/v0.10/endpoint/no-such-id");
    assert!(!missing["request_id"].as_str().unwrap().is_empty());

    let (status, anonymous) = call(
        &fixture,
        "GET",
        &format!("/endpoint/{}", fixture.shared),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, anonymous["code"].as_str()),
        (401, Some("ClientError.AuthenticationFailed"))
    );
    let (status, _) = get(&fixture, &format!("/endpoint/{}", fixture.shared), "alice").await;
    assert_eq!(
        status, 403,
        "a token for the data server is not one for Transfer"
    );
    let (status, unknown) = get(&fixture, "/no/such/route", "alice-transfer").await;
    assert_eq!(
        (status, unknown["code"].as_str()),
        (404, Some("ClientError.NotFound"))
    );
    fixture.stop().await;
}

#[tokio::test]
async fn endpoint_search_filters_and_pages() {
    let fixture = Fixture::start().await;
    let found = |list: &Value| -> Vec<String> {
        list["DATA"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["display_name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, all) = get(&fixture, "/endpoint_search", "alice-transfer").await;
    assert_eq!(status, 200);
    assert_eq!(all["DATA_TYPE"], "endpoint_list");
    assert_eq!(found(&all), ["Catalog"], "the host is not alice's to see");
    assert_eq!(all["has_next_page"], false);
    let (_, text) = get(
        &fixture,
        "/endpoint_search?filter_fulltext=CATAL",
        "alice-transfer",
    )
    .await;
    assert_eq!(found(&text), ["Catalog"]);
    let (_, shared) = get(
        &fixture,
        "/endpoint_search?filter_scope=shared-with-me",
        "alice-transfer",
    )
    .await;
    assert_eq!(found(&shared), ["Catalog"]);
    let (_, mine) = get(
        &fixture,
        "/endpoint_search?filter_scope=my-endpoints",
        "alice-transfer",
    )
    .await;
    assert!(found(&mine).is_empty());
    let (_, hosted) = get(
        &fixture,
        &format!("/endpoint_search?filter_host_endpoint={}", fixture.mapped),
        "portal-transfer",
    )
    .await;
    assert_eq!(found(&hosted), ["Catalog"]);
    let (_, page) = get(&fixture, "/endpoint_search?limit=1", "portal-transfer").await;
    assert_eq!(
        (found(&page).len(), &page["has_next_page"]),
        (1, &json!(true))
    );
    let (_, second) = get(
        &fixture,
        "/endpoint_search?limit=1&offset=1",
        "portal-transfer",
    )
    .await;
    assert_eq!(found(&second), ["Portal storage"]);
    for bad in ["limit=2000", "filter_scope=everything", "limit=abc"] {
        let (status, error) = get(
            &fixture,
            &format!("/endpoint_search?{bad}"),
            "alice-transfer",
        )
        .await;
        assert_eq!(
            (status, error["code"].as_str()),
            (400, Some("ClientError.BadRequest")),
            "{bad}"
        );
    }
    fixture.stop().await;
}

/// What every storage refuses to list in the shared collection (`ops`: its operation routes): a
/// missing directory, a file, a path out of it.
pub async fn assert_listings_refused(fixture: &Fixture, ops: &str) {
    let (status, missing) = get(fixture, &format!("{ops}/ls?path=/nope"), "alice-transfer").await;
    assert_eq!(
        (status, missing["message"].as_str()),
        (404, Some("Directory '/nope/' not found"))
    );
    let (status, file) = get(
        fixture,
        &format!("{ops}/ls?path=/2020.csv"),
        "alice-transfer",
    )
    .await;
    assert_eq!(
        (status, file["code"].as_str()),
        (502, Some("ExternalError.DirListingFailed.NotDirectory"))
    );
    let (status, _) = get(fixture, &format!("{ops}/ls?path=/../etc"), "alice-transfer").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn files_are_listed_stated_made_and_renamed_as_the_rules_allow() {
    let fixture = Fixture::start().await;
    let ops = format!("/operation/endpoint/{}", fixture.shared);
    let (status, root) = get(&fixture, &format!("{ops}/ls?path=/~/"), "alice-transfer").await;
    assert_eq!(status, 200);
    assert_eq!(
        (root["DATA_TYPE"].as_str(), root["path"].as_str()),
        (Some("file_list"), Some("/"))
    );
    assert_eq!(names(&root), ["2020.csv", "escape", "public", "uploads"]);
    let csv = &root["DATA"][0];
    assert_eq!(
        (csv["type"].as_str(), csv["size"].as_u64()),
        (Some("file"), Some(CSV as u64))
    );
    assert_eq!(
        root["DATA"][1]["type"], "invalid_symlink",
        "a link out of the collection"
    );
    let (_, paged) = get(
        &fixture,
        &format!("{ops}/ls?path=/&offset=1&limit=2"),
        "alice-transfer",
    )
    .await;
    assert_eq!(
        (names(&paged), paged["total"].as_u64()),
        (vec!["escape", "public"], Some(4))
    );

    let (status, stat) = get(
        &fixture,
        &format!("{ops}/stat?path=/2020.csv"),
        "alice-transfer",
    )
    .await;
    assert_eq!(
        (status, stat["name"].as_str(), stat["size"].as_u64()),
        (200, Some("2020.csv"), Some(CSV as u64))
    );
    assert_listings_refused(&fixture, &ops).await;
    let (status, denied) = get(&fixture, &format!("{ops}/ls?path=/"), "bob-transfer").await;
    assert_eq!(
        (status, denied["code"].as_str()),
        (403, Some("EndpointPermissionDenied"))
    );

    let mkdir = |path: &str| json!({"DATA_TYPE": "mkdir", "path": path});
    let (status, refused) = call(
        &fixture,
        "POST",
        &format!("{ops}/mkdir"),
        Some("alice-transfer"),
        Some(mkdir("/uploads/a")),
    )
    .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (403, Some("EndpointPermissionDenied")),
        "alice may only read"
    );
    let (status, made) = call(
        &fixture,
        "POST",
        &format!("{ops}/mkdir"),
        Some("bob-transfer"),
        Some(mkdir("/uploads/a")),
    )
    .await;
    assert_eq!(
        (status, made["DATA_TYPE"].as_str(), made["code"].as_str()),
        (200, Some("mkdir_result"), Some("DirectoryCreated"))
    );
    let (status, exists) = call(
        &fixture,
        "POST",
        &format!("{ops}/mkdir"),
        Some("bob-transfer"),
        Some(mkdir("/uploads/a/")),
    )
    .await;
    assert_eq!(
        (status, exists["code"].as_str()),
        (502, Some("ExternalError.MkdirFailed.Exists"))
    );
    let rename = json!({"DATA_TYPE": "rename", "old_path": "/uploads/a", "new_path": "/uploads/b"});
    let (status, renamed) = call(
        &fixture,
        "POST",
        &format!("{ops}/rename"),
        Some("bob-transfer"),
        Some(rename),
    )
    .await;
    assert_eq!(
        (status, renamed["code"].as_str()),
        (200, Some("FileRenamed"))
    );
    assert!(fixture.tmp.path().join("root/data/uploads/b").is_dir());
    let (status, bad) = call(
        &fixture,
        "POST",
        &format!("{ops}/mkdir"),
        Some("bob-transfer"),
        Some(json!({"nope": 1})),
    )
    .await;
    assert_eq!(
        (status, bad["code"].as_str()),
        (400, Some("ClientError.BadRequest"))
    );
    fixture.stop().await;
}
