//! One binary to deploy: `mrdp` copied into an empty directory and started there, with no
//! configuration, serves the web app and the demo catalog it carries; a catalog directory that is
//! configured but missing stops it with a message naming the setting.

use crate::child_output::ChildOutput;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MRDP: &str = env!("CARGO_BIN_EXE_mrdp");

/// The binary copied into `dir`, to be started there with a clean environment.
fn copied_into(dir: &Path) -> Command {
    let binary = dir.join("mrdp");
    std::fs::copy(MRDP, &binary).unwrap();
    let mut command = Command::new(binary);
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    command
}

/// `GET url`'s status and body, asked again until `done` holds or a minute passes (the demo
/// catalog is imported once the services answer, just after `mrdp: ready`).
async fn fetch_until(url: &str, done: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let response = client.get(url).send().await.unwrap();
        let status = response.status().as_u16();
        let body = response.text().await.unwrap();
        if done(status, &body) || started.elapsed() > Duration::from_secs(60) {
            return (status, body);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_binary_alone_serves_the_web_app_and_the_demo_catalog() {
    let empty = tempfile::tempdir().unwrap();
    let mut child = copied_into(empty.path())
        .args(["all", "--port-base", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let portal = ChildOutput::of(&mut child)
        .service_urls()
        .into_iter()
        .find_map(|(service, url)| (service == "portal").then_some(url))
        .unwrap();

    let (status, page) = fetch_until(&format!("{portal}/"), |status, _| status == 200).await;
    assert_eq!(status, 200, "{page}");
    let script = page
        .split('"')
        .find(|part| part.starts_with("/mrdp-frontend-") && part.ends_with(".js"))
        .unwrap_or_else(|| panic!("the web app's script in {page}"));
    let (status, _) = fetch_until(&format!("{portal}{script}"), |status, _| status == 200).await;
    assert_eq!(status, 200, "{script}");
    // A dataset's landing page, described for search engines: the catalog was imported.
    let (status, landing) = fetch_until(&format!("{portal}/datasets/sea"), |_, body| {
        body.contains("application/ld+json")
    })
    .await;
    assert!(
        status == 200 && landing.contains("Seattle"),
        "{status}: {landing}"
    );
    assert!(
        empty
            .path()
            .join("var/collections/portal/catalog/sea/2012.csv")
            .is_file(),
        "the demo datasets are in the catalog collection"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_catalog_directory_configured_but_missing_is_named() {
    let empty = tempfile::tempdir().unwrap();
    let output = copied_into(empty.path())
        .args(["all", "--port-base", "0"])
        .env("MRDP_TRANSFER__CATALOG_DIR", "/nowhere/climate")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{said}");
    assert!(
        said.contains("transfer.catalog_dir: /nowhere/climate is not a directory"),
        "{said}"
    );
}
