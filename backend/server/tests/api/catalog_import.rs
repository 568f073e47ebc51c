//! The portal's catalog: the demo catalog imported on the first start, its counts read from the
//! transfer service, its access enforced there by one rule per dataset folder (the Clemson record
//! for the group "Climate history" only), and an import with anything wrong applying nothing.

use crate::harness::{TestApp, catalog_dir};
use crate::sign_in::{Seen, as_user, browser, walk};
use mrdp_idp::bootstrap::demo_group_id;
use mrdp_portal::catalog::admin::{CatalogAdmin, CatalogError};
use mrdp_portal::catalog::stored::StoredDataset;
use mrdp_server::seed::catalog_id;
use mrdp_shared::{Access, ServiceName, StoreBackend};
use mrdp_transfer::access::Principal;
use mrdp_transfer::access_rules;

async fn admin(app: &TestApp) -> CatalogAdmin {
    app.deployment
        .portal()
        .unwrap()
        .catalog_admin()
        .await
        .unwrap()
}

/// Each catalog rule as (path, principal).
async fn rules(app: &TestApp) -> Vec<(String, Principal)> {
    let store = app.store("transfer").await;
    let mut rules: Vec<(String, Principal)> = access_rules::list(&store, &catalog_id())
        .await
        .unwrap()
        .into_iter()
        .map(|rule| (rule.path.as_dir(), rule.principal))
        .collect();
    rules.sort_by(|a, b| a.0.cmp(&b.0));
    rules
}

fn shipped() -> serde_json::Value {
    let text = std::fs::read_to_string(catalog_dir().join("catalog.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Files, bytes and years of a station folder, read from the disk.
fn on_disk(folder: &str) -> (u64, u64, Vec<i32>) {
    let mut years = Vec::new();
    let (mut files, mut bytes) = (0, 0);
    for entry in std::fs::read_dir(catalog_dir().join(folder)).unwrap() {
        let entry = entry.unwrap();
        files += 1;
        bytes += entry.metadata().unwrap().len();
        let name = entry.file_name().into_string().unwrap();
        years.push(name.trim_end_matches(".csv").parse().unwrap());
    }
    years.sort_unstable();
    (files, bytes, years)
}

#[tokio::test]
async fn the_demo_catalog_is_imported_with_counts_and_rules_from_the_transfer_service_on_both_backends()
 {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let datasets = admin(&app).await.list().await.unwrap();
        let ids: Vec<&str> = datasets.iter().map(|d| d.entry.id.as_str()).collect();
        assert_eq!(
            ids,
            ["ceu", "ewr", "jfk", "lga", "lnk", "nyc", "sea"],
            "{backend:?}"
        );
        for StoredDataset { entry, counts } in &datasets {
            let (files, bytes, years) = on_disk(&entry.folder);
            assert_eq!(
                (counts.file_count, counts.bytes, &counts.years_present),
                (files, bytes, &years),
                "{}",
                entry.id
            );
        }
        let ceu = &datasets[0];
        assert_eq!(
            (ceu.counts.file_count, ceu.counts.years_present.len()),
            (91, 91)
        );
        let expected: Vec<(String, Principal)> = ["ceu", "ewr", "jfk", "lga", "lnk", "nyc", "sea"]
            .iter()
            .map(|folder| {
                let principal = if *folder == "ceu" {
                    Principal::Group(demo_group_id())
                } else {
                    Principal::AllAuthenticatedUsers
                };
                (format!("/{folder}/"), principal)
            })
            .collect();
        assert_eq!(rules(&app).await, expected, "{backend:?}");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_catalog_import_with_anything_wrong_changes_nothing_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let admin = admin(&app).await;
        let (before, rules_before) = (admin.list().await.unwrap(), rules(&app).await);

        // The first entry is changed and valid, the fourth is wrong: neither lands.
        let mut file = shipped();
        file["datasets"][0]["title"] = "Renamed".into();
        file["datasets"][0]["access"] =
            serde_json::json!({"kind": "group", "id": demo_group_id(), "name": "Climate history"});
        file["datasets"][3]["last_year"] = 1800.into();
        let error = admin.import(&file.to_string(), 1).await.unwrap_err();
        assert!(
            matches!(&error, CatalogError::Entry(e) if e.entry == "entry 4 (jfk)" && e.field == "last_year"),
            "{error}"
        );

        // A folder the transfer service does not have is refused by name, after the check.
        let mut file = shipped();
        file["datasets"][0]["title"] = "Renamed".into();
        file["datasets"][2]["folder"] = "no-such-station".into();
        let error = admin.import(&file.to_string(), 1).await.unwrap_err();
        assert!(
            matches!(&error, CatalogError::Entry(e) if e.entry == "entry 3 (ewr)" && e.field == "folder"),
            "{error}"
        );
        assert_eq!(admin.list().await.unwrap(), before, "{backend:?}");
        assert_eq!(rules(&app).await, rules_before, "{backend:?}");
        app.stop().await;
    }
}

#[tokio::test]
async fn removing_a_dataset_takes_its_rule_and_importing_it_again_brings_both_back() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let admin = admin(&app).await;
    let (before, rules_before) = (admin.list().await.unwrap(), rules(&app).await);
    assert!(admin.remove("sea").await.unwrap());
    assert!(!admin.remove("sea").await.unwrap(), "gone already");
    let ids: Vec<String> = admin
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.entry.id)
        .collect();
    assert!(!ids.contains(&"sea".to_owned()));
    assert!(!rules(&app).await.iter().any(|(path, _)| path == "/sea/"));

    // A group dataset made open, then the shipped catalog again: the rules follow.
    let mut file = shipped();
    file["datasets"][6]["access"] = serde_json::json!({"kind": "signed_in"});
    admin.import(&file.to_string(), 2).await.unwrap();
    let open = (String::from("/ceu/"), Principal::AllAuthenticatedUsers);
    assert!(rules(&app).await.contains(&open));
    admin.import(&shipped().to_string(), 3).await.unwrap();
    assert_eq!(rules(&app).await, rules_before);
    let after = admin.refresh(4).await.unwrap();
    assert_eq!(after, before);
    assert!(matches!(&after[0].entry.access, Access::Group { .. }));
    app.stop().await;
}

/// `mrdp portal catalog ARGS` against `app`'s services, as an operator runs it beside them.
async fn catalog_command(app: &TestApp, args: &[&str]) -> std::process::Output {
    let mut command = crate::cli::mrdp(&app.config.data_dir);
    for (service, key) in [
        (ServiceName::Idp, "IDP"),
        (ServiceName::Transfer, "TRANSFER"),
    ] {
        command.env(
            format!("MRDP_UPSTREAMS__{key}"),
            app.deployment.url(service),
        );
    }
    command.args(["portal", "catalog"]).args(args);
    tokio::process::Command::from(command)
        .output()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_operator_keeps_the_catalog_from_the_command_line() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let listed = catalog_command(&app, &["list"]).await;
    assert!(listed.status.success(), "{}", text(&listed.stderr));
    let lines: Vec<String> = text(&listed.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert!(
        lines[0].starts_with("ceu") && lines[0].contains("91 files"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("group Climate history"), "{}", lines[0]);

    let mut bad = shipped();
    bad["datasets"][3]["last_year"] = 1800.into();
    let file = app.config.data_dir.join("bad-catalog.json");
    std::fs::write(&file, bad.to_string()).unwrap();
    let refused = catalog_command(&app, &["import", file.to_str().unwrap()]).await;
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("entry 4 (jfk): last_year"),
        "{}",
        text(&refused.stderr)
    );

    let removed = catalog_command(&app, &["remove", "sea"]).await;
    assert_eq!(text(&removed.stdout), "removed sea\n");
    let again = catalog_command(&app, &["remove", "sea"]).await;
    assert!(!again.status.success(), "no dataset sea any more");
    let shipped_file = catalog_dir().join("catalog.json");
    let imported = catalog_command(&app, &["import", shipped_file.to_str().unwrap()]).await;
    assert!(
        text(&imported.stdout).starts_with("imported 7 datasets: sea, nyc"),
        "{}",
        text(&imported.stdout)
    );
    let refreshed = catalog_command(&app, &["refresh"]).await;
    assert_eq!(text(&refreshed.stdout), "counted 7 datasets\n");
    app.stop().await;
}

#[tokio::test]
async fn the_researchers_groups_are_learned_at_sign_in_from_the_groups_api() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let users = app.deployment.demo_credentials().users.clone();
    for user in &users {
        let (status, _, _) = walk(&app, &browser(), "/", &mut Seen::default(), as_user(user)).await;
        assert_eq!(status, 302);
    }
    let store = app.portal_store().await;
    let sessions: Vec<(String, String)> =
        sqlx::query_as("SELECT username, group_ids FROM sessions ORDER BY username")
            .fetch_all(store.pool())
            .await
            .unwrap();
    store.close().await;
    let group = demo_group_id();
    assert_eq!(
        sessions,
        [
            ("alice@mrdp.local".to_owned(), group),
            ("bob@mrdp.local".to_owned(), String::new())
        ]
    );
    app.stop().await;
}
