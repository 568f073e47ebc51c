//! Compatibility with clients nobody here wrote: the official Globus SDK and authlib, run from
//! the project's Python venv (`make setup`) against a real deployment (`compat/auth_compat.py`,
//! `compat/transfer_compat.py`).

use crate::harness::{TestApp, workspace};
use crate::sign_in::{Seen, browser, sign_in};
use mrdp_idp::bootstrap::{GRAPH_CLIENT, PORTAL_CLIENT, graph_scope, read_credentials};
use mrdp_idp::registry::clients::{self, NewClient};
use mrdp_server::deployment::open_store;
use mrdp_server::seed::{catalog_id, collection_id};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::store::StoreLocation;
use mrdp_shared::{ServiceName, StoreBackend};

/// Runs a compatibility script; answers its output, failing the test if it failed.
async fn run(mut command: std::process::Command, script: &str) -> String {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    println!("{stdout}");
    assert!(
        output.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The project's Python, where `make setup` put the pinned clients, as the scripts run: with
/// their checks kept whatever the environment asks (`PYTHONOPTIMIZE` strips asserts, and would
/// strip the checks of a script that used them).
pub fn python() -> std::process::Command {
    let python = workspace().join(".tools/venv/bin/python");
    assert!(
        python.is_file(),
        "{} is missing: run `make setup`",
        python.display()
    );
    let mut command = std::process::Command::new(python);
    command.env_remove("PYTHONOPTIMIZE");
    command
}

#[test]
fn the_scripts_run_with_their_checks_kept_whatever_the_environment_says() {
    let command = python();
    let optimize = command
        .get_envs()
        .find(|(name, _)| *name == "PYTHONOPTIMIZE");
    assert_eq!(optimize, Some(("PYTHONOPTIMIZE".as_ref(), None)), "cleared");
    // And a check holds even where asserts are stripped (`-O`).
    let mut stripped = python();
    stripped.current_dir(workspace().join("compat")).args([
        "-O",
        "-c",
        "from check import check; check(1 == 2, 'one is two')",
    ]);
    let output = stripped.output().unwrap();
    assert!(!output.status.success(), "a failed check fails under -O");
    assert!(String::from_utf8_lossy(&output.stderr).contains("CheckFailed: one is two"));
}

#[tokio::test(flavor = "multi_thread")]
async fn globus_sdk_transfer_client_browses_shares_copies_and_cancels() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    sign_in(&app, &browser(), "/", &mut Seen::default()).await;
    let tokens = app.grant("transfer.api.globus.org").await;
    // A file too big for a copy to finish before the script cancels it (sparse: no disk used).
    let home = app.config.data_dir.join("collections/home/alice");
    std::fs::File::create(home.join("huge.bin"))
        .unwrap()
        .set_len(64 << 30)
        .unwrap();
    let transfer = app.deployment.url(ServiceName::Transfer);
    let mut command = python();
    command
        .arg(workspace().join("compat/transfer_compat.py"))
        .env("GLOBUS_SDK_SERVICE_URL_TRANSFER", format!("{transfer}/"))
        .env("MRDP_TRANSFER_TOKEN", &tokens.access_token)
        .env("MRDP_CATALOG_ID", catalog_id())
        .env("MRDP_HOME_ID", collection_id("home:alice"))
        .env("MRDP_DATA_URL", app.deployment.url(ServiceName::Data));
    let stdout = run(command, "compat/transfer_compat.py").await;
    for part in [
        "browsing ok",
        "share workflow ok",
        "transfer task ok",
        "delete task ok",
        "cancel ok",
    ] {
        assert!(stdout.contains(part), "{part} was not reported: {stdout}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn globus_sdk_and_authlib_sign_in_and_use_the_identity_provider() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let data_dir = app.config.data_dir.clone();
    let alice = app.deployment.demo_credentials().users[0].clone();
    let portal =
        read_credentials(&data_dir.join(format!("secrets/clients/{PORTAL_CLIENT}.toml"))).unwrap();
    let graph =
        read_credentials(&data_dir.join(format!("secrets/clients/{GRAPH_CLIENT}.toml"))).unwrap();
    let callback = format!(
        "{}/api/auth/callback",
        app.deployment.url(ServiceName::Portal)
    );

    // A native app, registered as an operator would (`mrdp idp client add native --public …`).
    let store = open_store(
        &StoreLocation::from_config(None, &data_dir).unwrap(),
        "idp",
        &mrdp_idp::MIGRATIONS,
    )
    .await
    .unwrap();
    let native = NewClient {
        name: "native".into(),
        public: true,
        redirect_uris: vec![callback.clone()],
    };
    let (native, _) = clients::create(&store, SystemClock.now(), native)
        .await
        .unwrap();
    store.close().await;

    let auth_url = app.deployment.url(ServiceName::Idp).to_owned();
    let mut command = python();
    command
        .arg(workspace().join("compat/auth_compat.py"))
        .env("GLOBUS_SDK_SERVICE_URL_AUTH", format!("{auth_url}/"))
        // The identity provider also serves the Groups API for its groups.
        .env("GLOBUS_SDK_SERVICE_URL_GROUPS", format!("{auth_url}/"))
        .env("MRDP_AUTH_URL", &auth_url)
        .env("MRDP_CALLBACK", &callback)
        .env("MRDP_USERNAME", &alice.username)
        .env("MRDP_PASSWORD", &alice.password)
        .env("MRDP_PORTAL_ID", &portal.client_id)
        .env("MRDP_PORTAL_SECRET", &portal.client_secret)
        .env("MRDP_GRAPH_ID", &graph.client_id)
        .env("MRDP_GRAPH_SECRET", &graph.client_secret)
        .env("MRDP_NATIVE_ID", &native.id)
        .env("MRDP_GRAPH_SCOPE", graph_scope(&graph.client_id));
    let stdout = run(command, "compat/auth_compat.py").await;
    for client in [
        "globus-sdk ConfidentialAppAuthClient",
        "globus-sdk NativeAppAuthClient",
        "globus-sdk GroupsClient",
        "globus-sdk AuthClient",
        "authlib",
    ] {
        assert!(stdout.contains(client), "{client} did not report: {stdout}");
    }
    app.stop().await;
}
