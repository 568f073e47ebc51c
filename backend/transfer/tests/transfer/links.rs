//! Symbolic links in shared collections lead nowhere the rules do not open: a guest collection is
//! confined (by the kernel) to its own directory of its host, a link in it is judged by where it
//! leads rather than by the path written, and a recursive task does not follow links.

use crate::copies::{finished, item, post};
use crate::fixture::Fixture;
use crate::operations::{get, kinds};
use serde_json::{Value, json};
use std::os::unix::fs::symlink;

/// In the mapped collection: `/private/key.txt` (nobody's but the owner's) and the guest
/// collection's `/restricted/r.txt` (alice's only); in bob's `/uploads/`: his `own.txt`, a link to
/// it, a link to `/restricted`, and one out of the guest collection to `/private`.
fn plant_links(fixture: &Fixture) {
    let root = &fixture.root;
    std::fs::create_dir_all(root.join("private")).unwrap();
    std::fs::write(root.join("private/key.txt"), "private key").unwrap();
    std::fs::create_dir_all(root.join("data/restricted")).unwrap();
    std::fs::write(root.join("data/restricted/r.txt"), "restricted").unwrap();
    let uploads = root.join("data/uploads");
    std::fs::write(uploads.join("own.txt"), "own").unwrap();
    symlink("own.txt", uploads.join("alias")).unwrap();
    symlink("../restricted", uploads.join("peek")).unwrap();
    symlink("../../private", uploads.join("away")).unwrap();
}

fn refused(status: u16) -> bool {
    matches!(status, 403 | 404)
}

#[tokio::test]
async fn the_data_server_serves_nothing_a_link_leads_to_outside_the_rules() {
    let fixture = Fixture::start().await;
    plant_links(&fixture);
    for (path, secret) in [
        ("/uploads/peek/r.txt", "restricted"),
        ("/uploads/away/key.txt", "private key"),
    ] {
        let response = fixture.get(path, Some("bob")).await;
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        assert!(
            refused(status) && !body.contains(secret),
            "{path}: {status} {body}"
        );
    }
    let alias = fixture.get("/uploads/alias", Some("bob")).await;
    assert_eq!(
        alias.text().await.unwrap(),
        "own",
        "a link the rules allow works"
    );
    let planted = reqwest::Client::new()
        .put(fixture.file(&fixture.shared, "/uploads/peek/planted.txt"))
        .bearer_auth("bob")
        .body("x")
        .send()
        .await
        .unwrap();
    assert!(refused(planted.status().as_u16()), "{}", planted.status());
    assert!(!fixture.root.join("data/restricted/planted.txt").exists());
    fixture.stop().await;
}

#[tokio::test]
async fn listings_and_stats_show_no_more_than_the_rules_open() {
    let fixture = Fixture::start().await;
    plant_links(&fixture);
    let ops = format!("/operation/endpoint/{}", fixture.shared);
    for path in ["/uploads/peek", "/uploads/away", "/uploads/away/"] {
        let (status, listing) =
            get(&fixture, &format!("{ops}/ls?path={path}"), "bob-transfer").await;
        assert!(refused(status), "ls {path}: {status} {listing}");
    }
    for path in ["/uploads/peek/r.txt", "/uploads/away/key.txt"] {
        let (status, found) =
            get(&fixture, &format!("{ops}/stat?path={path}"), "bob-transfer").await;
        assert!(refused(status), "stat {path}: {status} {found}");
    }
    let (status, listing) = get(&fixture, &format!("{ops}/ls?path=/uploads"), "bob-transfer").await;
    assert_eq!(status, 200, "{listing}");
    let kinds = kinds(&listing);
    assert_eq!(
        kinds,
        [
            ("alias", "file"),
            ("away", "invalid_symlink"),
            ("own.txt", "file"),
            ("peek", "invalid_symlink"),
        ],
        "where a link leads is shown only when the rules open it"
    );
    fixture.stop().await;
}

#[tokio::test]
async fn a_recursive_task_does_not_follow_links_and_a_linked_item_is_refused() {
    let fixture = Fixture::start().await;
    plant_links(&fixture);
    let (bobs, bobs_root) = fixture.bobs_own_collection().await;
    let body = |items: Value| {
        json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
               "source_endpoint": fixture.shared, "destination_endpoint": bobs,
               "verify_checksum": true, "DATA": items})
    };
    let (status, accepted) = post(&fixture, body(json!([item("/uploads/", "/copy/", true)]))).await;
    assert_eq!(status, 202, "{accepted}");
    let task = finished(&fixture, accepted["task_id"].as_str().unwrap()).await;
    assert_eq!(task["status"], "SUCCEEDED", "{task}");
    let mut copied: Vec<String> = std::fs::read_dir(bobs_root.join("copy"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    copied.sort();
    assert_eq!(
        copied,
        ["own.txt"],
        "links are not followed (Globus's recursive_symlinks=ignore)"
    );

    for linked in ["/uploads/peek/r.txt", "/uploads/away/key.txt"] {
        let (status, error) =
            post(&fixture, body(json!([item(linked, "/stolen.txt", false)]))).await;
        assert!(refused(status), "{linked}: {status} {error}");
    }
    assert!(!bobs_root.join("stolen.txt").exists());
    fixture.stop().await;
}
