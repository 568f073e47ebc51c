//! The file manager's API on both backends: alice finds her own collection and the catalog shared
//! with her, makes a folder in hers (again: a conflict), renames it, lists it page by page, and
//! neither sees bob's collection nor writes the catalog; paths that leave a collection are refused.

use crate::datasets::researcher;
use crate::harness::TestApp;
use crate::transfers::ended;
use mrdp_server::seed::{catalog_id, collection_id};
use mrdp_shared::{
    ApiError, CollectionList, ErrorCode, FileKind, FolderListing, StoreBackend, TaskKind,
    TransferStatus, TransferSubmitted,
};
use serde_json::{Value, json};

async fn get(app: &TestApp, browser: &reqwest::Client, path: &str) -> (u16, String) {
    let response = browser.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn listing(app: &TestApp, browser: &reqwest::Client, path: &str) -> FolderListing {
    let (status, body) = get(app, browser, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

async fn post(app: &TestApp, browser: &reqwest::Client, path: &str, body: &Value) -> (u16, String) {
    let response = browser
        .post(app.url(path))
        .header("x-mrdp-csrf", "1")
        .json(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn code(body: &str) -> ErrorCode {
    serde_json::from_str::<ApiError>(body).unwrap().code
}

#[tokio::test]
async fn a_researcher_finds_her_collections_and_keeps_folders_in_her_own_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let alice = researcher(&app, "alice").await;
        let (home, catalog) = (collection_id("home:alice"), catalog_id());

        let (status, body) = get(&app, &alice, "/api/collections?filter=my-endpoints").await;
        assert_eq!(status, 200, "{backend:?}: {body}");
        let mine: CollectionList = serde_json::from_str(&body).unwrap();
        let ids: Vec<&str> = mine.collections.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, [home.as_str()], "{body}");
        assert!(mine.collections[0].yours && !mine.collections[0].shared);
        assert!(!mine.collections[0].catalog);
        assert_eq!(mine.collections[0].may_write, Some(true));
        let (_, body) = get(&app, &alice, "/api/collections?filter=shared-with-me").await;
        let shared: CollectionList = serde_json::from_str(&body).unwrap();
        assert!(
            shared.collections.iter().any(|c| c.id == catalog
                && c.shared
                && !c.yours
                && c.catalog
                && c.may_write == Some(false)),
            "{body}"
        );
        assert!(
            !shared
                .collections
                .iter()
                .any(|c| c.id == collection_id("home:bob")),
            "{body}"
        );
        let (_, body) = get(&app, &alice, "/api/collections?q=catalog").await;
        let found: CollectionList = serde_json::from_str(&body).unwrap();
        let names: Vec<&str> = found.collections.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Research data catalog"], "{body}");

        // The catalog's top: its rules are on the datasets' folders, not on `/`; the portal
        // lists the folders of the datasets alice may read (the group's too), by name.
        let top = listing(
            &app,
            &alice,
            &format!("/api/collections/{catalog}/ls?path=/"),
        )
        .await;
        let names: Vec<&str> = top.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["ceu", "ewr", "jfk", "lga", "lnk", "nyc", "sea"],
            "{backend:?}"
        );
        let bob = researcher(&app, "bob").await;
        let top = listing(
            &app,
            &bob,
            &format!("/api/collections/{catalog}/ls?path=/&order=desc&per_page=2&page=2"),
        )
        .await;
        let names: Vec<&str> = top.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            (names, top.paging.total),
            (vec!["lnk", "lga"], Some(6)),
            "no CEU for bob, who is in no group"
        );

        let base = format!("/api/collections/{home}");
        let (status, body) = post(
            &app,
            &alice,
            &format!("{base}/mkdir"),
            &json!({"path": "/results"}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = post(
            &app,
            &alice,
            &format!("{base}/mkdir"),
            &json!({"path": "/results/"}),
        )
        .await;
        assert_eq!((status, code(&body)), (409, ErrorCode::Conflict), "{body}");
        for n in 0..3 {
            let (status, _) = post(
                &app,
                &alice,
                &format!("{base}/mkdir"),
                &json!({"path": format!("/results/run-{n}")}),
            )
            .await;
            assert_eq!(status, 201);
        }
        let (status, body) = post(
            &app,
            &alice,
            &format!("{base}/rename"),
            &json!({"old_path": "/results/run-2", "new_path": "/results/final"}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let first = listing(&app, &alice, &format!("{base}/ls?path=/results&per_page=2")).await;
        assert_eq!(
            (first.path.as_str(), first.paging.total, first.entries.len()),
            ("/results/", Some(3), 2)
        );
        let second = listing(
            &app,
            &alice,
            &format!("{base}/ls?path=/results/&per_page=2&page=2"),
        )
        .await;
        let mut names: Vec<String> = first
            .entries
            .iter()
            .chain(&second.entries)
            .map(|e| e.name.clone())
            .collect();
        names.sort();
        assert_eq!(names, ["final", "run-0", "run-1"]);
        assert!(first.entries.iter().all(|e| e.kind == FileKind::Folder));
        assert!(
            app.config
                .data_dir
                .join("collections/home/alice/results/final")
                .is_dir()
        );

        // Sorted, folders first, and hidden files only when asked for.
        std::fs::write(
            app.config
                .data_dir
                .join("collections/home/alice/results/.notes"),
            "x",
        )
        .unwrap();
        let names_of = |listing: FolderListing| -> Vec<String> {
            listing.entries.into_iter().map(|e| e.name).collect()
        };
        let backwards = listing(
            &app,
            &alice,
            &format!("{base}/ls?path=/results/&order=desc"),
        )
        .await;
        assert_eq!(names_of(backwards), ["run-1", "run-0", "final"]);
        let all = listing(
            &app,
            &alice,
            &format!("{base}/ls?path=/results/&hidden=true&sort=size"),
        )
        .await;
        assert_eq!(
            names_of(all),
            ["final", "run-0", "run-1", ".notes"],
            "folders first"
        );
        let (status, _) = get(
            &app,
            &alice,
            &format!("{base}/ls?path=/results/&sort=owner"),
        )
        .await;
        assert_eq!(status, 400);

        // Deleted by a delete task, which ends like any other.
        let doomed = json!({"paths": ["/results/run-0", "/results/final/"]});
        let (status, body) = post(&app, &alice, &format!("{base}/delete"), &doomed).await;
        assert_eq!(status, 202, "{body}");
        let deletion: TransferSubmitted = serde_json::from_str(&body).unwrap();
        let task = ended(&app, &alice, &deletion.task_id).await;
        assert_eq!(
            (task.kind, task.status),
            (TaskKind::Delete, TransferStatus::Succeeded),
            "{task:?}"
        );
        let left = listing(&app, &alice, &format!("{base}/ls?path=/results/")).await;
        let names: Vec<&str> = left.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["run-1"]);
        let (status, _) = post(
            &app,
            &alice,
            &format!("{base}/delete"),
            &json!({"paths": []}),
        )
        .await;
        assert_eq!(status, 400);
        let sea = json!({"paths": ["/sea/2012.csv"]});
        let (status, body) = post(
            &app,
            &alice,
            &format!("/api/collections/{catalog}/delete"),
            &sea,
        )
        .await;
        assert_eq!((status, code(&body)), (403, ErrorCode::Forbidden), "{body}");
        assert!(body.contains("you may not delete in this folder"), "{body}");
        let kept = app
            .config
            .data_dir
            .join("collections/portal/catalog/sea/2012.csv");
        assert!(kept.is_file(), "nothing deleted in the catalog");

        // What alice may not do.
        let bobs = format!("/api/collections/{}/ls?path=/", collection_id("home:bob"));
        let (status, body) = get(&app, &alice, &bobs).await;
        assert_eq!((status, code(&body)), (404, ErrorCode::NotFound), "{body}");
        let (status, body) = post(
            &app,
            &alice,
            &format!("/api/collections/{catalog}/mkdir"),
            &json!({"path": "/sea/mine"}),
        )
        .await;
        assert_eq!((status, code(&body)), (403, ErrorCode::Forbidden), "{body}");
        for attack in ["/results/../../bob", "results", "/a\u{0}b"] {
            let (status, body) = post(
                &app,
                &alice,
                &format!("{base}/mkdir"),
                &json!({ "path": attack }),
            )
            .await;
            assert_eq!(
                (status, code(&body)),
                (400, ErrorCode::BadRequest),
                "{attack:?}: {body}"
            );
        }
        let (status, _) = get(&app, &alice, "/api/collections/not-an-id/ls").await;
        assert_eq!(status, 404);
        let (status, _) = get(&app, &alice, "/api/collections?filter=everything").await;
        assert_eq!(status, 400);
        app.stop().await;
    }
}
