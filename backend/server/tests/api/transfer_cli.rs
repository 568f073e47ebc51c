//! `mrdp transfer collection add|list`: an operator adds collections from the command line (a
//! local directory, a bucket of the configured S3 store, or a shared directory); each gets its
//! HTTPS scope at the embedded identity provider.

use crate::cli::{mrdp, stderr_of};
use mrdp_service::testing::s3_server::{ACCESS_KEY, S3Server, SECRET_KEY};
use std::path::Path;
use std::process::Output;

/// `mrdp transfer collection add --name NAME --owner OWNER` and `more`.
fn add(data_dir: &Path, name: &str, owner: &str, more: &[&str]) -> Output {
    mrdp(data_dir)
        .args([
            "transfer",
            "collection",
            "add",
            "--name",
            name,
            "--owner",
            owner,
        ])
        .args(more)
        .output()
        .unwrap()
}

/// An account at the embedded identity provider to own collections.
fn add_carol(data_dir: &Path) {
    let user = mrdp(data_dir)
        .args(["idp", "user", "add", "carol", "--name", "Carol Curator"])
        .output()
        .unwrap();
    assert!(user.status.success(), "{}", stderr_of(&user));
}

/// What `mrdp transfer collection list` prints.
fn list(data_dir: &Path) -> String {
    stdout(
        &mrdp(data_dir)
            .args(["transfer", "collection", "list"])
            .output()
            .unwrap(),
    )
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn collections_are_added_and_listed_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path();
    add_carol(dir);

    let root = dir.join("lab");
    let mapped = add(
        dir,
        "Lab data",
        "carol",
        &["--root", root.to_str().unwrap()],
    );
    assert!(mapped.status.success(), "{}", stderr_of(&mapped));
    let id = stdout(&mapped)
        .lines()
        .find_map(|line| line.strip_prefix("id: "))
        .expect("the new collection's id")
        .to_owned();
    assert!(root.is_dir(), "the root is made");
    assert!(
        stderr_of(&mapped).contains("HTTPS scope is not registered"),
        "no transfer client before `mrdp all` has run: {}",
        stderr_of(&mapped)
    );

    let guest = add(
        dir,
        "Lab share",
        "carol",
        &["--host", &id, "--host-path", "/share/"],
    );
    assert!(guest.status.success(), "{}", stderr_of(&guest));
    let listed = list(dir);
    assert!(
        listed.contains("Lab data") && listed.contains(&format!("{id}:/share/")),
        "{listed}"
    );

    let nobody = add(dir, "X", "nobody", &["--root", "/tmp/x"]);
    assert!(!nobody.status.success() && stderr_of(&nobody).contains("no account `nobody`"));
    assert!(
        !add(dir, "X", "carol", &[]).status.success(),
        "a root or a host is required"
    );
    let escape = add(
        dir,
        "X",
        "carol",
        &["--host", &id, "--host-path", "/../etc/"],
    );
    assert!(!escape.status.success() && stderr_of(&escape).contains("--host-path"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bucket_is_added_as_a_collection_once_it_answers_to_the_configured_key() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path();
    let s3 = S3Server::start(&dir.join("s3"), &["lab"]).await;
    std::fs::create_dir_all(s3.bucket_dir("lab").join("projects")).unwrap();
    std::fs::write(s3.bucket_dir("lab").join("projects/a.csv"), "1,2\n").unwrap();
    add_carol(dir);
    let add_with = |secret: Option<&str>| {
        let mut command = mrdp(dir);
        if let Some(secret) = secret {
            command
                .env("MRDP_S3__ENDPOINT", &s3.endpoint)
                .env("MRDP_S3__ACCESS_KEY_ID", ACCESS_KEY)
                .env("MRDP_S3__SECRET_ACCESS_KEY", secret);
        }
        let bucket = [
            "--name",
            "Lab bucket",
            "--owner",
            "carol",
            "--s3",
            "s3://lab/projects",
        ];
        command
            .args(["transfer", "collection", "add"])
            .args(bucket)
            .output()
            .unwrap()
    };

    let unconfigured = add_with(None);
    assert!(
        !unconfigured.status.success()
            && stderr_of(&unconfigured).contains("no S3 store is configured"),
        "{}",
        stderr_of(&unconfigured)
    );
    let forged = add_with(Some("not-the-secret"));
    let said = stderr_of(&forged);
    assert!(
        !forged.status.success() && said.contains("list s3://lab/projects"),
        "{said}"
    );
    assert!(
        !said.contains("not-the-secret"),
        "the secret is never shown"
    );
    let added = add_with(Some(SECRET_KEY));
    assert!(added.status.success(), "{}", stderr_of(&added));
    let listed = list(dir);
    assert!(
        listed.contains("Lab bucket") && listed.contains("s3://lab/projects"),
        "{listed}"
    );
}
