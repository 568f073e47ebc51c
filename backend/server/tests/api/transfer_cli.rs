//! `mrdp transfer collection add|list`: an operator adds collections from the command line; each
//! gets its HTTPS scope at the embedded identity provider.

use crate::cli::{mrdp, stderr_of};
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

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn collections_are_added_and_listed_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path();
    let user = mrdp(dir)
        .args(["idp", "user", "add", "carol", "--name", "Carol Curator"])
        .output()
        .unwrap();
    assert!(user.status.success(), "{}", stderr_of(&user));

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
    let listed = stdout(
        &mrdp(dir)
            .args(["transfer", "collection", "list"])
            .output()
            .unwrap(),
    );
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
