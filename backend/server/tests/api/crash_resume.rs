//! A transfer task survives `kill -9` of the service: the `mrdp all` process is killed while it
//! copies hundreds of files, started again on the same data directory, and the task finishes
//! with every file present exactly once, byte-identical, and no temporary file left behind —
//! into a local directory, and into a bucket of a real S3 server. The kill lands in the middle of
//! the task by construction: one of its files is 64 GiB (sparse), which no disk copies before the
//! kill; it is cut short while the service is down, and the test checks, in the store, that the
//! task was still active with files to copy when the service came back.

use crate::child_output::ChildOutput;
use crate::cli::mrdp;
use crate::files::files_under;
use mrdp_globus::transfer::TRANSFER_SCOPE;
use mrdp_idp::bootstrap::{ClientCredentials, PORTAL_CLIENT, read_credentials};
use mrdp_server::seed::collection_id;
use mrdp_service::store::{Store, StoreLocation};
use mrdp_service::testing::s3_server::{ACCESS_KEY, S3Server, SECRET_KEY};
use mrdp_transfer::paths::DIRECTORY_MARKER;
use mrdp_transfer::task_files;
use mrdp_transfer::tasks::{self, TaskStatus};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const FILES: usize = 300;
const SIZE: usize = 256 << 10;
/// The file no disk copies before the kill (sparse: it takes no room at the source).
const HUGE: u64 = 64 << 30;
/// What it is cut to while the service is down.
const SHRUNK: u64 = 1 << 20;

/// `mrdp all` on free ports, with `env` besides; answers the process and each service's URL.
fn start(
    data_dir: &Path,
    catalog: &Path,
    env: &[(&str, &str)],
) -> (Child, HashMap<String, String>) {
    let mut child = mrdp(data_dir)
        .args(["all", "--port-base", "0"])
        .env("MRDP_DIST_DIR", catalog)
        .env("MRDP_TRANSFER__CATALOG_DIR", catalog)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let urls = ChildOutput::of(&mut child)
        .service_urls()
        .into_iter()
        .collect();
    (child, urls)
}

/// Sends the request; answers its JSON body.
async fn json(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

fn content(index: usize) -> Vec<u8> {
    (0..SIZE)
        .map(|i| ((i * 31 + index * 7) % 251) as u8)
        .collect()
}

async fn task(
    client: &reqwest::Client,
    urls: &HashMap<String, String>,
    token: &str,
    id: &str,
) -> Value {
    json(
        client
            .get(format!("{}/v0.10/task/{id}", urls["transfer"]))
            .bearer_auth(token),
    )
    .await
}

/// The portal's client: its id (an identity id) and secret.
fn portal_client(data_dir: &Path) -> ClientCredentials {
    read_credentials(&data_dir.join(format!("secrets/clients/{PORTAL_CLIENT}.toml"))).unwrap()
}

/// Where the copy goes: an endpoint, and the directory its `/copy/` is seen in.
struct Destination {
    endpoint: String,
    copy_dir: PathBuf,
}

/// Copies `FILES` files from the portal's storage to `destination`, verified, kills the service
/// with SIGKILL in the middle, starts it again and checks the task's outcome and every file.
async fn a_copy_is_killed_and_finishes(
    dir: &Path,
    catalog: &Path,
    env: &[(&str, &str)],
    destination: &Destination,
) {
    let (mut first, urls) = start(dir, catalog, env);
    let storage = dir.join("collections/portal");
    std::fs::create_dir_all(storage.join("many")).unwrap();
    for index in 0..FILES {
        std::fs::write(storage.join(format!("many/{index:03}.bin")), content(index)).unwrap();
    }
    let huge = storage.join("many/huge.bin");
    std::fs::File::create(&huge).unwrap().set_len(HUGE).unwrap();
    let portal = portal_client(dir);
    let client = reqwest::Client::new();
    let token: Value = json(
        client
            .post(format!("{}/v2/oauth2/token", urls["idp"]))
            .basic_auth(&portal.client_id, Some(&portal.client_secret))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", TRANSFER_SCOPE),
            ]),
    )
    .await;
    let token = token["access_token"].as_str().unwrap().to_owned();
    let submission = json!({"DATA_TYPE": "transfer", "submission_id": uuid::Uuid::new_v4().to_string(),
        "source_endpoint": collection_id("portal-storage"),
        "destination_endpoint": destination.endpoint, "verify_checksum": true,
        "DATA": [{"DATA_TYPE": "transfer_item", "source_path": "/many/", "destination_path": "/copy/", "recursive": true}]});
    let accepted: Value = json(
        client
            .post(format!("{}/v0.10/transfer", urls["transfer"]))
            .bearer_auth(&token)
            .json(&submission),
    )
    .await;
    let id = accepted["task_id"].as_str().unwrap().to_owned();

    // Kill the service once the copy is well under way.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let now = task(&client, &urls, &token, &id).await;
        let done = now["files_transferred"].as_u64().unwrap_or(0);
        if done >= 20 {
            break;
        }
        assert!(Instant::now() < deadline, "the copy did not start: {now}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();
    // What the service left: the task active, files still to copy (the huge one at least).
    let (status, pending) = stored_task(dir, &id).await;
    assert_eq!(status, TaskStatus::Active);
    assert!(pending > 0, "the kill landed in the middle of the task");
    // The huge file shrinks to a size the resumed copy finishes in no time.
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(SHRUNK)
        .unwrap();

    let (mut second, urls) = start(dir, catalog, env);
    let deadline = Instant::now() + Duration::from_secs(120);
    let finished = loop {
        let now = task(&client, &urls, &token, &id).await;
        if now["status"] != "ACTIVE" {
            break now;
        }
        assert!(
            Instant::now() < deadline,
            "the resumed task did not finish: {now}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    second.kill().unwrap();
    second.wait().unwrap();

    assert_eq!(finished["status"], "SUCCEEDED", "{finished}");
    assert_eq!(finished["files_transferred"], FILES + 1);
    // In a bucket, the directory's marker object is not a file of the copy.
    let mut copied: Vec<PathBuf> = files_under(&destination.copy_dir)
        .into_iter()
        .map(PathBuf::from)
        .filter(|file| file.as_os_str() != DIRECTORY_MARKER)
        .collect();
    copied.sort();
    let mut expected: Vec<PathBuf> = (0..FILES)
        .map(|i| PathBuf::from(format!("{i:03}.bin")))
        .collect();
    expected.push(PathBuf::from("huge.bin"));
    assert_eq!(
        copied, expected,
        "every file exactly once, no temporary file left"
    );
    for index in 0..FILES {
        let copy = std::fs::read(destination.copy_dir.join(format!("{index:03}.bin"))).unwrap();
        assert!(copy == content(index), "{index:03}.bin differs");
    }
    let huge_copy = std::fs::read(destination.copy_dir.join("huge.bin")).unwrap();
    assert!(huge_copy.len() == SHRUNK as usize && huge_copy.iter().all(|b| *b == 0));
}

/// The task's status and how many of its files are still to copy, as the store of the service
/// (now stopped) in `dir` holds them.
async fn stored_task(dir: &Path, id: &str) -> (TaskStatus, usize) {
    let location = StoreLocation::Sqlite {
        dir: dir.join("db"),
    };
    let store = Store::connect(&location, "transfer").await.unwrap();
    let task = tasks::find(&store, id).await.unwrap().unwrap();
    let pending = task_files::pending(&store, id).await.unwrap().len();
    store.close().await;
    (task.status, pending)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_task_survives_sigkill_and_finishes_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let (dir, catalog) = (data.path().join("var"), data.path().join("catalog"));
    std::fs::create_dir_all(&catalog).unwrap();
    let destination = Destination {
        endpoint: collection_id("portal-storage"),
        copy_dir: dir.join("collections/portal/copy"),
    };
    a_copy_is_killed_and_finishes(&dir, &catalog, &[], &destination).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_transfer_task_into_a_bucket_survives_sigkill_and_finishes_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let (dir, catalog) = (data.path().join("var"), data.path().join("catalog"));
    std::fs::create_dir_all(&catalog).unwrap();
    let s3 = S3Server::start(&data.path().join("s3"), &["crash"]).await;
    let env = [
        ("MRDP_S3__ENDPOINT", s3.endpoint.as_str()),
        ("MRDP_S3__ACCESS_KEY_ID", ACCESS_KEY),
        ("MRDP_S3__SECRET_ACCESS_KEY", SECRET_KEY),
    ];
    // A first start registers the portal's client, which then owns a collection in the bucket.
    let (mut first, _) = start(&dir, &catalog, &env);
    first.kill().unwrap();
    first.wait().unwrap();
    let added = mrdp(&dir)
        .args(["transfer", "collection", "add", "--name", "Crash bucket"])
        .args([
            "--owner",
            &portal_client(&dir).client_id,
            "--s3",
            "s3://crash",
        ])
        .envs(env)
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", crate::cli::stderr_of(&added));
    let endpoint = String::from_utf8_lossy(&added.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("id: ").map(str::to_owned))
        .unwrap();
    let destination = Destination {
        endpoint,
        copy_dir: s3.bucket_dir("crash").join("copy"),
    };
    a_copy_is_killed_and_finishes(&dir, &catalog, &env, &destination).await;
}
