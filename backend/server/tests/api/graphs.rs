//! The graph service over real HTTP, on both backends: it acts for the researcher its token is
//! for (a token for another service, a client's own token, a body naming someone else: refused),
//! reads the datasets AS the researcher (bob's job for the Clemson record fails as his download
//! would), writes the charts and their RO-Crate AS itself to its results collection with a rule
//! for the researcher alone, answers an identical request from the cache (drawing nothing), and
//! takes its rule and, once no other job holds them, its files back on delete.

use crate::compat::python;
use crate::graph_calls::{
    call, finished, gone, graph_token, identity_of, portal_token_for_graphs, refusal, result_rules,
    results_dir, submit,
};
use crate::harness::{TestApp, catalog_dir, workspace};
use mrdp_globus::transfer::TRANSFER_RESOURCE_SERVER;
use mrdp_server::seed::{catalog_id, collection_id};
use mrdp_shared::{
    ChartKind, ErrorCode, GraphJobs, GraphResult, GraphStatus, ServiceName, StoreBackend,
};
use serde_json::{Value, json};

/// Seattle and New York, two years, with a trend per station and a comparison.
fn two_stations() -> Value {
    json!({"datasets": ["sea", "nyc"], "from_year": 2013, "to_year": 2014,
           "charts": ["precipitation", "trend", "comparison"]})
}

#[tokio::test]
async fn graphs_are_made_for_the_researcher_alone_from_what_they_may_read_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let alice = graph_token(&app, "alice").await;
        let bob = graph_token(&app, "bob").await;
        let (alice_id, bob_id) = (
            identity_of(&app, &alice).await,
            identity_of(&app, &bob).await,
        );
        let post = reqwest::Method::POST;

        // Who may ask.
        let anonymous = refusal(
            call(
                &app,
                post.clone(),
                "/api/graphs",
                (None, Some(&two_stations())),
            )
            .await,
        );
        assert_eq!(
            (anonymous.0, anonymous.1),
            (401, ErrorCode::Unauthenticated)
        );
        let transfer = app.grant(TRANSFER_RESOURCE_SERVER).await.access_token;
        let elsewhere = refusal(
            call(
                &app,
                post.clone(),
                "/api/graphs",
                (Some(&transfer), Some(&two_stations())),
            )
            .await,
        );
        assert_eq!(
            elsewhere.0, 403,
            "a token for another service: {elsewhere:?}"
        );
        assert!(elsewhere.2.contains("another service"), "{elsewhere:?}");
        let portal_own = portal_token_for_graphs(&app).await;
        let portal = refusal(
            call(
                &app,
                post.clone(),
                "/api/graphs",
                (Some(&portal_own), Some(&two_stations())),
            )
            .await,
        );
        assert_eq!(portal.0, 403, "the portal's own token: {portal:?}");
        assert!(portal.2.contains("a client's own"), "{portal:?}");
        let mut naming_bob = two_stations();
        naming_bob["identity"] = json!(bob_id);
        let named = refusal(
            call(
                &app,
                post.clone(),
                "/api/graphs",
                (Some(&alice), Some(&naming_bob)),
            )
            .await,
        );
        assert_eq!(
            (named.0, named.1),
            (400, ErrorCode::BadRequest),
            "{named:?}"
        );
        for (body, says) in [
            (
                json!({"datasets": ["mars"], "from_year": 2013, "to_year": 2013}),
                "no dataset",
            ),
            (
                json!({"datasets": ["sea"], "from_year": 2010, "to_year": 2013}),
                "covers 2012–2015",
            ),
            (
                json!({"datasets": ["ceu"], "from_year": 1930, "to_year": 1950}),
                "at most 20",
            ),
        ] {
            let bad = refusal(
                call(
                    &app,
                    post.clone(),
                    "/api/graphs",
                    (Some(&alice), Some(&body)),
                )
                .await,
            );
            assert_eq!(bad.0, 400);
            assert!(bad.2.contains(says), "{bad:?}");
        }
        let (_, none) = call(
            &app,
            reqwest::Method::GET,
            "/api/graphs",
            (Some(&bob), None),
        )
        .await;
        assert_eq!(serde_json::from_str::<GraphJobs>(&none).unwrap().jobs, []);

        // Alice's job: read as her, written as the service, shared with her alone.
        let job = submit(&app, &alice, &two_stations()).await;
        assert_eq!(job.status, GraphStatus::Queued);
        let job = finished(&app, &alice, &job.id).await;
        assert_eq!(job.status, GraphStatus::Succeeded, "{job:?}");
        assert_eq!(job.progress.done, job.progress.total);
        let result = job.result.clone().unwrap();
        assert!(!result.from_cache);
        assert_eq!(result.collection, collection_id("graph-results"));
        assert_eq!(result.folder, format!("/{}/", job.id));
        let kinds: Vec<ChartKind> = result.charts.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == ChartKind::Precipitation)
                .count(),
            4
        );
        assert_eq!(kinds.iter().filter(|k| **k == ChartKind::Trend).count(), 2);
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == ChartKind::Comparison)
                .count(),
            3
        );
        assert_eq!(result.files.len(), 2 * result.charts.len() + 1);
        let folder = results_dir(&app).join(&job.id);
        for file in &result.files {
            let bytes = std::fs::read(folder.join(&file.name)).unwrap();
            assert_eq!(
                (
                    bytes.len() as u64,
                    mrdp_graph::provenance::sha256_hex(&bytes)
                ),
                (file.size, file.sha256.clone())
            );
        }
        let crate_json: Value =
            serde_json::from_slice(&std::fs::read(folder.join("ro-crate-metadata.json")).unwrap())
                .unwrap();
        assert!(crate_json["@graph"].as_array().unwrap().iter().any(|e| {
            e["@id"]
                .as_str()
                .is_some_and(|id| id.ends_with("/sea/2013.csv"))
        }));
        read_by_ro_crate_py(&app, &folder, &result);
        assert_eq!(
            result_rules(&app).await,
            [(alice_id.clone(), result.folder.clone(), "r".to_owned())]
        );

        // Bob: none of alice's jobs; Lincoln, which records no precipitation, says so; and the
        // Clemson record fails as his download would.
        let lnk = submit(&app, &bob, &json!({"datasets": ["lnk"], "from_year": 2016, "to_year": 2016, "charts": ["precipitation"]})).await;
        let lnk = finished(&app, &bob, &lnk.id).await.result.unwrap();
        assert_eq!(lnk.notes.len(), 1, "{:?}", lnk.notes);
        assert!(
            lnk.notes[0].starts_with("LNK 2016:")
                && lnk.notes[0].contains("no precipitation recorded"),
            "{:?}",
            lnk.notes
        );
        let chart = results_dir(&app)
            .join(lnk.folder.trim_matches('/'))
            .join("LNK-2016-precipitation.svg");
        assert!(
            std::fs::read_to_string(chart)
                .unwrap()
                .contains("No precipitation is recorded"),
            "the chart says what is missing"
        );
        for method in [reqwest::Method::GET, reqwest::Method::DELETE] {
            let (status, _) = call(
                &app,
                method,
                &format!("/api/graphs/{}", job.id),
                (Some(&bob), None),
            )
            .await;
            assert_eq!(status, 404);
        }
        let ceu = submit(
            &app,
            &bob,
            &json!({"datasets": ["ceu"], "from_year": 1930, "to_year": 1930}),
        )
        .await;
        let ceu = finished(&app, &bob, &ceu.id).await;
        assert_eq!(ceu.status, GraphStatus::Failed);
        assert!(
            ceu.error
                .as_deref()
                .unwrap_or("")
                .contains("you may not read CEU 1930"),
            "{ceu:?}"
        );
        assert!(
            !results_dir(&app).join(&ceu.id).exists(),
            "nothing written for a failed job"
        );

        // Bob asks what alice asked: answered from her folder, drawn again by nobody.
        let written: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
            .collect();
        let again = submit(&app, &bob, &two_stations()).await;
        let again = finished(&app, &bob, &again.id).await;
        let cached = again.result.clone().unwrap();
        assert!(cached.from_cache, "{again:?}");
        assert_eq!(
            (cached.folder.clone(), cached.files.clone()),
            (result.folder.clone(), result.files.clone())
        );
        let unchanged: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().modified().unwrap())
            .collect();
        assert_eq!(written, unchanged, "no file was written again");
        assert!(!results_dir(&app).join(&again.id).exists());
        let rules = result_rules(&app).await;
        assert!(
            rules.contains(&(alice_id.clone(), result.folder.clone(), "r".to_owned())),
            "{rules:?}"
        );
        assert!(
            rules.contains(&(bob_id.clone(), result.folder.clone(), "r".to_owned())),
            "{rules:?}"
        );
        assert_eq!(
            rules.len(),
            3,
            "alice's and bob's on her folder, bob's on his Lincoln job's: {rules:?}"
        );

        // Deleting: alice's rule goes, the files stay for bob; then his rule and the files go.
        let delete = reqwest::Method::DELETE;
        let (status, _) = call(
            &app,
            delete.clone(),
            &format!("/api/graphs/{}", job.id),
            (Some(&alice), None),
        )
        .await;
        assert_eq!(status, 204);
        assert!(
            !result_rules(&app)
                .await
                .iter()
                .any(|(who, _, _)| *who == alice_id)
        );
        assert!(result_rules(&app).await.contains(&(
            bob_id.clone(),
            result.folder.clone(),
            "r".to_owned()
        )));
        assert!(folder.join("ro-crate-metadata.json").exists());
        let (status, _) = call(
            &app,
            delete,
            &format!("/api/graphs/{}", again.id),
            (Some(&bob), None),
        )
        .await;
        assert_eq!(status, 204);
        assert_eq!(result_rules(&app).await.len(), 1, "bob's Lincoln job's");
        gone(&folder).await;
        let (_, left) = call(
            &app,
            reqwest::Method::GET,
            "/api/graphs",
            (Some(&bob), None),
        )
        .await;
        assert_eq!(
            serde_json::from_str::<GraphJobs>(&left).unwrap().jobs.len(),
            2,
            "Lincoln and the failed Clemson job"
        );
        app.stop().await;
    }
}

/// ro-crate-py (a reader nobody here wrote) reads the job's crate: every file it lists is in the
/// folder with its size and SHA-256, and its inputs are the four station-years, each with the
/// SHA-256 of the catalog's file.
fn read_by_ro_crate_py(app: &TestApp, folder: &std::path::Path, result: &GraphResult) {
    let server = format!("{}/{}", app.deployment.url(ServiceName::Data), catalog_id());
    let inputs: Vec<String> = [("sea", 2013), ("sea", 2014), ("nyc", 2013), ("nyc", 2014)]
        .into_iter()
        .map(|(dataset, year)| {
            let bytes = std::fs::read(catalog_dir().join(dataset).join(format!("{year}.csv")));
            let sha256 = mrdp_graph::provenance::sha256_hex(&bytes.unwrap());
            format!("{server}/{dataset}/{year}.csv={sha256}")
        })
        .collect();
    let output = python()
        .current_dir(workspace().join("compat"))
        .arg("ro_crate_check.py")
        .arg(folder)
        .args(&inputs)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let read: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        (read["files"].as_u64(), read["inputs"].as_u64()),
        (Some(result.files.len() as u64 - 1), Some(4)),
        "every chart file and every input: {read}"
    );
}
