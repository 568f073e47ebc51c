//! The embedded deployment with its catalog and its graphs in buckets of an S3-compatible server
//! (`s3s-fs` 0.14.1, started on loopback): `transfer.portal_storage` and `transfer.graph_storage`
//! name the buckets. The demo datasets, uploaded to the portal's bucket, are imported into the
//! catalog (their files counted in the bucket); a researcher has two of them delivered to her own
//! collection through the portal, byte for byte; a graph job reads a dataset over HTTPS out of
//! the bucket, and its charts and provenance go into the graph bucket.

use crate::datasets::researcher;
use crate::files::{copy_tree, files_under};
use crate::graph_calls::{finished, graph_token, submit};
use crate::harness::{TestApp, catalog_dir};
use crate::transfers::ended;
use mrdp_server::seed::collection_id;
use mrdp_service::clock::SystemClock;
use mrdp_service::testing::s3_server::{ACCESS_KEY, S3Server, SECRET_KEY};
use mrdp_shared::{GraphStatus, StoreBackend, TransferStatus, TransferSubmitted};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread")]
async fn with_the_catalog_and_the_graphs_in_buckets_datasets_are_delivered_and_graphs_drawn() {
    let s3_root = tempfile::tempdir().unwrap();
    let s3 = S3Server::start(s3_root.path(), &["portal", "graphs"]).await;
    // Uploaded as the operator would: s3s-fs keeps a bucket's objects as files.
    copy_tree(&catalog_dir(), &s3.bucket_dir("portal").join("catalog"));
    let endpoint = s3.endpoint.clone();
    let app = TestApp::spawn_configured(StoreBackend::Postgres, Arc::new(SystemClock), |config| {
        config.s3.endpoint = Some(endpoint);
        config.s3.access_key_id = Some(ACCESS_KEY.into());
        config.s3.secret_access_key = Some(SECRET_KEY.into());
        config.transfer.portal_storage = Some("s3://portal".into());
        config.transfer.graph_storage = Some("s3://graphs".into());
    })
    .await;
    let collections = app.config.data_dir.join("collections");
    assert!(!collections.join("portal").exists() && !collections.join("graph").exists());

    // Two datasets delivered out of the bucket into alice's own collection.
    let alice = researcher(&app, "alice").await;
    let wanted = json!({"datasets": ["sea", "jfk"], "destination_path": "/incoming/",
        "destination_collection": collection_id("home:alice")});
    let submitted = alice
        .post(app.url("/api/transfers"))
        .header("x-mrdp-csrf", "1")
        .json(&wanted)
        .send()
        .await
        .unwrap();
    assert_eq!(submitted.status(), 202);
    let submitted: TransferSubmitted = submitted.json().await.unwrap();
    let task = ended(&app, &alice, &submitted.task_id).await;
    assert_eq!(task.status, TransferStatus::Succeeded, "{task:?}");
    for dataset in ["sea", "jfk"] {
        let (source, copy) = (
            catalog_dir().join(dataset),
            collections.join("home/alice/incoming").join(dataset),
        );
        let names = files_under(&source);
        assert!(!names.is_empty());
        assert_eq!(files_under(&copy), names, "{dataset}");
        for name in names {
            let same = std::fs::read(source.join(&name)).unwrap()
                == std::fs::read(copy.join(&name)).unwrap();
            assert!(same, "{dataset}/{name} byte for byte");
        }
    }

    // A graph job reads out of the portal's bucket and writes into the graph bucket.
    let token = graph_token(&app, "alice").await;
    let body =
        json!({"datasets": ["sea"], "from_year": 2012, "to_year": 2012, "charts": ["temperature"]});
    let job = submit(&app, &token, &body).await;
    let job = finished(&app, &token, &job.id).await;
    assert_eq!(job.status, GraphStatus::Succeeded, "{job:?}");
    let result = job.result.as_ref().unwrap();
    let folder = s3.bucket_dir("graphs").join("results").join(&job.id);
    assert!(result.files.len() >= 3, "{result:?}");
    for file in &result.files {
        let bytes = std::fs::read(folder.join(&file.name)).unwrap();
        assert_eq!(
            format!("{:x}", Sha256::digest(&bytes)),
            file.sha256,
            "{}",
            file.name
        );
    }
    app.stop().await;
}
