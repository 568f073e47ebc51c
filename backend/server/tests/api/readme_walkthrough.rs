//! The README's "Calling the API", command by command, against a running deployment: the Python
//! walk (`examples/portal_api.py`, signing in through the native app login with the code the
//! provider shows), a service's token with its secret, and the curl walk (a dataset found,
//! transferred and followed to its end, graphs drawn and their links).

use crate::app_tokens::{native_app_returning_to, portal_scope, portal_token};
use crate::apps_in_portal::{developer, read, register};
use crate::datasets::{demo_user, researcher};
use crate::harness::{TestApp, workspace};
use crate::sign_in::{as_user, browser, through_provider_to};
use mrdp_shared::{AppRegistered, MeResponse, ServiceName, StoreBackend};
use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

/// The `sh` blocks of the README's "Calling the API" section, in order.
fn readme_blocks() -> Vec<String> {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let start = readme
        .find("## Calling the API")
        .expect("the README's API section");
    let section = &readme[start..];
    let section = &section[..section[3..]
        .find("\n## ")
        .map_or(section.len(), |end| end + 3)];
    section
        .split("```sh\n")
        .skip(1)
        .map(|block| block[..block.find("```").unwrap()].to_owned())
        .collect()
}

/// Runs a README block with bash (strict), the venv's Python first on `PATH`, in the checkout.
fn bash(block: &str, env: &[(&str, &str)]) -> std::process::Command {
    let venv = workspace().join(".tools/venv/bin");
    // The blocks' `python` is the venv's, where `make setup` put globus-sdk.
    assert!(
        venv.join("python").is_file(),
        "{} has no python: run `make setup`",
        venv.display()
    );
    let path = format!(
        "{}:{}",
        venv.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = std::process::Command::new("bash");
    command
        .args(["-euo", "pipefail", "-c", block])
        .current_dir(workspace())
        .env("PATH", path)
        .env_remove("PYTHONOPTIMIZE")
        .envs(env.iter().copied());
    command
}

#[tokio::test(flavor = "multi_thread")]
async fn every_command_of_the_readmes_api_walkthrough_runs() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let blocks = readme_blocks();
    assert_eq!(
        blocks.len(),
        3,
        "the Python walk, a service's token, the curl walk"
    );
    researcher(&app, "alice").await;
    let idp = app.deployment.url(ServiceName::Idp).to_owned();
    let portal = app.deployment.url(ServiceName::Portal).to_owned();
    let scope = portal_scope(&app);

    // The Python walk, with the README's own addresses replaced by this deployment's.
    let auth_code_page = format!("{idp}/v2/web/auth-code");
    let native = native_app_returning_to(&app, "walkthrough", &auth_code_page).await;
    let script = blocks[0]
        .replace("http://127.0.0.1:8081", &idp)
        .replace("http://127.0.0.1:8080", &portal);
    let mut child = bash(
        &script,
        &[("NATIVE_APP_ID", &native), ("PORTAL_SCOPE", &scope)],
    )
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    let authorize = first
        .trim()
        .strip_prefix("Sign in at: ")
        .expect(&first)
        .to_owned();
    let alice = demo_user(&app, "alice");
    let landed =
        through_provider_to(&browser(), &authorize, &as_user(&alice), &auth_code_page).await;
    let code = reqwest::Url::parse(&landed)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    writeln!(child.stdin.take().unwrap(), "{code}").unwrap();
    let output = child.wait_with_output().unwrap();
    let mut printed = String::new();
    std::io::Read::read_to_string(&mut out, &mut printed).unwrap();
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "the catalog holds 7 datasets you may read\n",
        "found sea",
        " succeeded\ngraphs ",
        " succeeded\n",
    ] {
        assert!(printed.contains(line), "{line:?} in {printed}");
    }
    assert!(
        printed.lines().any(|l| l.contains(".svg http")),
        "the charts' links: {printed}"
    );

    // A service's own token, with its secret.
    let alice_developer = developer(&app, "alice").await;
    let (status, body) = register(
        &app,
        &alice_developer,
        serde_json::json!({"name": "Sync", "kind": "service"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let service: AppRegistered = serde_json::from_str(&body).unwrap();
    let secret = service.client_secret.unwrap();
    let service_env = [
        ("SERVICE_ID", service.app.id.as_str()),
        ("SERVICE_SECRET", &secret),
        ("PORTAL_SCOPE", &scope),
    ];
    let block = blocks[1].replace("http://127.0.0.1:8081", &idp);
    let output = bash(&format!("{block}echo \"$TOKEN\""), &service_env)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let me: MeResponse = read(&app, &crate::app_tokens::app_client(&token), "/api/me").await;
    assert_eq!(me.identity_id, service.app.id, "the service acts as itself");

    // The curl walk, as alice.
    let notebook = crate::app_tokens::native_app(&app, "notebook").await;
    let token = portal_token(&app, &notebook, "alice").await;
    let output = bash(&blocks[2], &[("PORTAL", &portal), ("TOKEN", &token)])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        printed.starts_with("Seattle, WA: daily weather"),
        "{printed}"
    );
    assert_eq!(
        printed.matches("event: end").count(),
        2,
        "both streams end: {printed}"
    );
    assert!(
        printed
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("http"),
        "{printed}"
    );
    app.stop().await;
}
