//! `mrdp transfer collection add|list`: an operator adds collections from the command line; each
//! gets its HTTPS scope at the embedded identity provider.

use crate::cli::{mrdp, stderr_of};
use std::process::Output;

#[test]
fn collections_are_added_and_listed_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| -> Output { mrdp(data.path()).args(args).output().unwrap() };
    let stdout = |output: &Output| String::from_utf8_lossy(&output.stdout).into_owned();
    let user = mrdp(data.path())
        .args(["idp", "user", "add", "carol", "--name", "Carol Curator"])
        .output()
        .unwrap();
    assert!(user.status.success(), "{}", stderr_of(&user));

    let root = data.path().join("lab");
    let mapped = run(&[
        "transfer",
        "collection",
        "add",
        "--name",
        "Lab data",
        "--owner",
        "carol",
        "--root",
        root.to_str().unwrap(),
    ]);
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

    let guest = run(&[
        "transfer",
        "collection",
        "add",
        "--name",
        "Lab share",
        "--owner",
        "carol",
        "--host",
        &id,
        "--host-path",
        "/share/",
    ]);
    assert!(guest.status.success(), "{}", stderr_of(&guest));

    let listed = stdout(&run(&["transfer", "collection", "list"]));
    assert!(
        listed.contains("Lab data") && listed.contains(&format!("{id}:/share/")),
        "{listed}"
    );

    let nobody = run(&[
        "transfer",
        "collection",
        "add",
        "--name",
        "X",
        "--owner",
        "nobody",
        "--root",
        "/tmp/x",
    ]);
    assert!(!nobody.status.success() && stderr_of(&nobody).contains("no account `nobody`"));
    let neither = run(&[
        "transfer",
        "collection",
        "add",
        "--name",
        "X",
        "--owner",
        "carol",
    ]);
    assert!(!neither.status.success(), "a root or a host is required");
    let bad_path = run(&[
        "transfer",
        "collection",
        "add",
        "--name",
        "X",
        "--owner",
        "carol",
        "--host",
        &id,
        "--host-path",
        "/../etc/",
    ]);
    assert!(!bad_path.status.success() && stderr_of(&bad_path).contains("--host-path"));
}
