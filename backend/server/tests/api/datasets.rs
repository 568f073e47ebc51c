//! `GET /api/datasets` and `GET /api/datasets/{id}` over real HTTP, signed in through the
//! embedded provider as alice (a member of "Climate history") and bob (not one): ranking, facet
//! counts that equal the counts of the filtered searches, paging edges, typed errors, and the
//! Clemson record (`ceu`) invisible to bob from every route.

use crate::connections::complete_profile;
use crate::harness::{TestApp, catalog_dir};
use crate::sign_in::{Seen, as_user, browser, walk};
use mrdp_idp::bootstrap::DemoUser;
use mrdp_shared::{
    ApiError, Dataset, DatasetFiles, DatasetSearch, ErrorCode, FileKind, StoreBackend,
};

/// A browser signed in as the demo user `login` (`alice`, `bob`), profile complete.
/// The demo user whose username starts with `login` (`alice`).
pub fn demo_user(app: &TestApp, login: &str) -> DemoUser {
    let users = &app.deployment.demo_credentials().users;
    let user = users.iter().find(|user| user.username.starts_with(login));
    user.unwrap().clone()
}

pub async fn researcher(app: &TestApp, login: &str) -> reqwest::Client {
    let user = demo_user(app, login);
    let browser = browser();
    walk(app, &browser, "/", &mut Seen::default(), as_user(&user)).await;
    complete_profile(app, &browser).await;
    browser
}

/// Alice and bob, signed in with complete profiles.
pub async fn alice_and_bob(app: &TestApp) -> (reqwest::Client, reqwest::Client) {
    (researcher(app, "alice").await, researcher(app, "bob").await)
}

async fn get(app: &TestApp, browser: &reqwest::Client, path: &str) -> (u16, String) {
    let response = browser.get(app.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

pub async fn search(app: &TestApp, browser: &reqwest::Client, query: &str) -> DatasetSearch {
    let (status, body) = get(app, browser, &format!("/api/datasets?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn ids(found: &DatasetSearch) -> Vec<&str> {
    found.results.iter().map(|d| d.id.as_str()).collect()
}

async fn refused(app: &TestApp, browser: &reqwest::Client, path: &str) -> (u16, ApiError) {
    let (status, body) = get(app, browser, path).await;
    (status, serde_json::from_str(&body).unwrap())
}

/// Every facet value's count equals the total of the same search filtered by it.
async fn facet_counts_are_the_filtered_totals(
    app: &TestApp,
    browser: &reqwest::Client,
    base: &str,
) {
    let found = search(app, browser, base).await;
    let facets = [
        ("station", &found.facets.station),
        ("variable", &found.facets.variable),
        ("access", &found.facets.access),
    ];
    for (name, values) in facets {
        assert!(!values.is_empty(), "{base}: no {name} facet");
        for value in values {
            let filtered = search(app, browser, &format!("{base}&{name}={}", value.value)).await;
            assert_eq!(
                filtered.paging.total,
                Some(value.count),
                "{base} {name}={}",
                value.value
            );
        }
    }
}

#[tokio::test]
async fn search_ranks_filters_counts_and_pages_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let alice = researcher(&app, "alice").await;

        let found = search(&app, &alice, "q=seattle").await;
        assert_eq!(ids(&found)[0], "sea", "{backend:?}");
        let found = search(&app, &alice, "q=new+york&sort=relevance").await;
        assert!(ids(&found).contains(&"nyc") && ids(&found).contains(&"jfk"));

        facet_counts_are_the_filtered_totals(&app, &alice, "per_page=100").await;
        facet_counts_are_the_filtered_totals(&app, &alice, "q=temperature").await;

        // Years overlap: 2014 to 2016 takes SEA and NYC (2012-2015), LNK (2016), CEU (1930-2020).
        let found = search(&app, &alice, "from=2014&to=2016").await;
        let mut overlapping = ids(&found);
        overlapping.sort_unstable();
        assert_eq!(overlapping, ["ceu", "lnk", "nyc", "sea"]);
        let coverage = search(&app, &alice, "sort=coverage").await;
        assert_eq!(ids(&coverage)[0], "ceu", "91 years");

        // Pages: seven datasets by two, following `next`, which keeps the other parameters.
        let mut seen = Vec::new();
        let mut found = search(&app, &alice, "per_page=2&sort=title").await;
        for page in 1..=4 {
            let paging = &found.paging;
            assert_eq!(
                (paging.total, paging.page, paging.per_page),
                (Some(7), page, 2)
            );
            seen.extend(found.results.iter().map(|d| d.id.clone()));
            let Some(next) = found.paging.next.clone() else {
                assert_eq!(page, 4, "no next before the last page");
                break;
            };
            assert!(
                next.starts_with("/api/datasets?") && next.contains("sort=title"),
                "{next}"
            );
            let (status, body) = get(&app, &alice, &next).await;
            assert_eq!(status, 200, "{body}");
            found = serde_json::from_str(&body).unwrap();
        }
        assert_eq!(seen.len(), 7);
        seen.dedup();
        assert_eq!(seen.len(), 7, "no dataset on two pages");
        let past = search(&app, &alice, "per_page=2&page=5").await;
        assert!(
            past.results.is_empty() && past.paging.total == Some(7) && past.paging.next.is_none()
        );

        let (status, error) = refused(&app, &alice, "/api/datasets?per_page=101").await;
        assert_eq!((status, error.code), (400, ErrorCode::BadRequest));
        assert!(error.message.starts_with("per_page:"), "{}", error.message);
        let (status, error) = refused(&app, &alice, "/api/datasets/no-such-dataset").await;
        assert_eq!((status, error.code), (404, ErrorCode::NotFound));
        app.stop().await;
    }
}

#[tokio::test]
async fn a_non_member_never_sees_the_group_dataset_and_a_member_does_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let (alice, bob) = alice_and_bob(&app).await;

        let everything = search(&app, &bob, "per_page=100").await;
        assert_eq!(everything.paging.total, Some(6), "{backend:?}");
        assert!(!ids(&everything).contains(&"ceu"));
        assert!(!everything.facets.station.iter().any(|f| f.value == "CEU"));
        assert!(!everything.facets.access.iter().any(|f| f.value == "group"));
        assert!(search(&app, &bob, "q=clemson").await.results.is_empty());
        assert_eq!(
            search(&app, &bob, "station=CEU").await.paging.total,
            Some(0)
        );
        assert_eq!(
            search(&app, &bob, "access=group").await.paging.total,
            Some(0)
        );
        let (unknown_status, unknown) = refused(&app, &bob, "/api/datasets/nope").await;
        assert_eq!((unknown_status, unknown.code), (404, ErrorCode::NotFound));
        for route in [
            "/api/datasets/ceu",
            "/api/datasets/ceu/files",
            "/api/datasets/ceu/files?path=1930.csv",
        ] {
            let (status, error) = refused(&app, &bob, route).await;
            assert_eq!((status, error.code), (404, ErrorCode::NotFound), "{route}");
            assert_eq!(error.message, "no dataset ceu", "{route}");
        }
        let described = bob
            .get(app.url("/api/datasets/ceu"))
            .header("Accept", "application/ld+json")
            .send()
            .await
            .unwrap();
        assert_eq!(described.status(), 404, "no JSON-LD either");
        let (status, page) = get(&app, &bob, "/datasets/ceu").await;
        assert_eq!(status, 200, "the web app, which says it is not found");
        assert!(
            !page.contains("Clemson") && !page.contains("ld+json"),
            "{page}"
        );

        assert_eq!(search(&app, &alice, "q=clemson").await.results[0].id, "ceu");
        let (status, body) = get(&app, &alice, "/api/datasets/ceu").await;
        assert_eq!(status, 200, "{body}");
        let ceu: Dataset = serde_json::from_str(&body).unwrap();
        assert_eq!((ceu.file_count, ceu.years_present.len()), (91, 91));
        assert_eq!(ceu.variables_missing, ["PRCP"]);
        assert!(
            ceu.citation.bibtex.starts_with("@misc{mrdp-ceu,"),
            "{}",
            ceu.citation.bibtex
        );
        assert!(
            ceu.citation.text.contains("/datasets/ceu"),
            "{}",
            ceu.citation.text
        );
        app.stop().await;
    }
}

/// Imports, beside the demo catalog, a test dataset whose folder has folders in it.
async fn with_nested_dataset(app: &TestApp) {
    let folder = app
        .config
        .data_dir
        .join("collections/portal/catalog/nested-test");
    std::fs::create_dir_all(folder.join("a/b")).unwrap();
    std::fs::write(folder.join("top.csv"), "DATE,PRCP,TMAX,TMIN\n").unwrap();
    std::fs::write(
        folder.join("a/b/deep.csv"),
        "DATE,PRCP,TMAX,TMIN\n20200101,1,2,3\n",
    )
    .unwrap();
    let text = std::fs::read_to_string(catalog_dir().join("catalog.json")).unwrap();
    let mut file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut nested = file["datasets"][0].clone();
    nested["id"] = "nested-test".into();
    nested["folder"] = "nested-test".into();
    nested["title"] = "A test dataset with folders".into();
    file["datasets"] = serde_json::json!([nested]);
    let admin = app
        .deployment
        .portal()
        .unwrap()
        .catalog_admin()
        .await
        .unwrap();
    admin.import(&file.to_string(), 1).await.unwrap();
}

async fn files(app: &TestApp, browser: &reqwest::Client, query: &str) -> DatasetFiles {
    let (status, body) = get(app, browser, &format!("/api/datasets/{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn names(listing: &DatasetFiles) -> Vec<(&str, FileKind, u64)> {
    listing
        .entries
        .iter()
        .map(|entry| (entry.name.as_str(), entry.kind, entry.size))
        .collect()
}

#[tokio::test]
async fn files_are_listed_as_the_researcher_with_folders_and_pages_and_never_outside_the_dataset() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    with_nested_dataset(&app).await;
    let (alice, bob) = alice_and_bob(&app).await;

    let sea = files(&app, &alice, "sea/files").await;
    let size = |year: u32| {
        std::fs::metadata(catalog_dir().join(format!("sea/{year}.csv")))
            .unwrap()
            .len()
    };
    let expected: Vec<(String, FileKind, u64)> = (2012..=2015)
        .map(|year| (format!("{year}.csv"), FileKind::File, size(year)))
        .collect();
    let listed: Vec<(String, FileKind, u64)> = names(&sea)
        .into_iter()
        .map(|(name, kind, size)| (name.to_owned(), kind, size))
        .collect();
    assert_eq!(listed, expected);
    let first = files(&app, &alice, "sea/files?per_page=3").await;
    let second = files(&app, &alice, "sea/files?per_page=3&page=2").await;
    assert_eq!(
        (first.paging.next.as_deref(), second.paging.next.as_deref()),
        (Some("/api/datasets/sea/files?per_page=3&page=2"), None)
    );
    assert_eq!(
        (
            first.entries.len(),
            second.entries.len(),
            second.paging.total
        ),
        (3, 1, Some(4))
    );
    assert!(
        files(&app, &alice, "sea/files?per_page=3&page=3")
            .await
            .entries
            .is_empty()
    );

    let top = files(&app, &bob, "nested-test/files").await;
    assert_eq!(
        names(&top),
        [("a", FileKind::Folder, 0), ("top.csv", FileKind::File, 20)]
    );
    let a = files(&app, &bob, "nested-test/files?path=a").await;
    assert_eq!(
        (a.path.as_str(), names(&a)),
        ("a", vec![("b", FileKind::Folder, 0)])
    );
    let deep = files(&app, &bob, "nested-test/files?path=a/b/").await;
    assert_eq!(names(&deep), [("deep.csv", FileKind::File, 35)]);

    for attack in [
        "path=..",
        "path=..%2Fceu",
        "path=a%2F..%2F..%2Fceu",
        "path=%2Fceu",
        "path=%00",
        "path=a%00b",
        "path=%252e%252e%252fceu",
        "path=a%5C..%5C..%5Cceu",
        "per_page=101",
        "colour=blue",
    ] {
        let (status, error) =
            refused(&app, &alice, &format!("/api/datasets/sea/files?{attack}")).await;
        assert_eq!(
            (status, error.code),
            (400, ErrorCode::BadRequest),
            "{attack}"
        );
    }
    let (status, _) = refused(&app, &alice, "/api/datasets/sea/files?path=nope").await;
    assert_eq!(status, 404);
    let (status, error) = refused(&app, &bob, "/api/datasets/ceu/files").await;
    assert_eq!((status, error.message.as_str()), (404, "no dataset ceu"));
    assert_eq!(
        files(&app, &alice, "ceu/files?per_page=5")
            .await
            .paging
            .total,
        Some(91)
    );
    app.stop().await;
}
