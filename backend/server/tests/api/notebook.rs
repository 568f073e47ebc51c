//! The notebook `examples/mrdp.ipynb`, executed top to bottom by papermill (the venv's) against a
//! running deployment, as a researcher would run it against `make run`: alice signs in through
//! the native app login (the codes the provider gave for the notebook's PKCE verifier, as a person
//! would paste them), copies a dataset's folder into her storage, shares it with bob through a
//! guest collection and an access rule, bob copies it to his storage, alice withdraws the share,
//! then uses the portal's API (every dataset, a page at a time; a transfer; graphs, drawn inline).
//! Any cell's error fails papermill, and so the test.

use crate::app_tokens::{app_code, native_app_returning_to, portal_scope};
use crate::compat::python;
use crate::datasets::researcher;
use crate::harness::{TestApp, catalog_dir, workspace};
use mrdp_shared::{ServiceName, StoreBackend};
use serde_json::Value;

const TRANSFER_SCOPE: &str = "urn:globus:auth:scope:transfer.api.globus.org:all";
const VERIFIER: &str = "the-notebooks-own-pkce-verifier-0123456789abcdefghij";

/// Every text a cell printed or displayed, and how many SVG images it showed.
fn outputs(notebook: &Value) -> (String, usize) {
    let mut text = String::new();
    let mut images = 0;
    for output in notebook["cells"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|cell| cell["outputs"].as_array().cloned().unwrap_or_default())
    {
        assert_ne!(output["output_type"], "error", "{output}");
        let joined = |value: &Value| match value {
            Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect::<String>(),
            other => other.as_str().unwrap_or_default().to_owned(),
        };
        text += &joined(&output["text"]);
        text += &joined(&output["data"]["text/markdown"]);
        images += usize::from(!output["data"]["image/svg+xml"].is_null());
    }
    (text, images)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_notebook_shares_a_dataset_and_calls_the_api_top_to_bottom() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    researcher(&app, "alice").await;
    let idp = app.deployment.url(ServiceName::Idp).to_owned();
    let auth_code_page = format!("{idp}/v2/web/auth-code");
    let native = native_app_returning_to(&app, "MRDP notebook", &auth_code_page).await;
    let scope = portal_scope(&app);
    let app_of = (native.as_str(), auth_code_page.as_str());
    let alice_scopes = format!("openid profile email {TRANSFER_SCOPE} {scope}");
    let alice_code = app_code(&app, app_of, "alice", &alice_scopes, VERIFIER).await;
    let bob_scopes = format!("openid {TRANSFER_SCOPE}");
    let bob_code = app_code(&app, app_of, "bob", &bob_scopes, VERIFIER).await;

    let out = tempfile::tempdir().unwrap();
    let executed = out.path().join("mrdp.ipynb");
    let parameters = [
        ("AUTH", idp.as_str()),
        ("TRANSFER", app.deployment.url(ServiceName::Transfer)),
        ("PORTAL", app.deployment.url(ServiceName::Portal)),
        ("CLIENT_ID", &native),
        ("PORTAL_SCOPE", &scope),
        ("RESEARCHER_CODE", &alice_code),
        ("COLLEAGUE_CODE", &bob_code),
        ("VERIFIER", VERIFIER),
    ];
    let mut command = python();
    command
        .args(["-m", "papermill", "--log-output", "--no-progress-bar"])
        .arg(workspace().join("examples/mrdp.ipynb"))
        .arg(&executed)
        .args(
            parameters
                .iter()
                .flat_map(|(name, value)| ["-p", name, value]),
        )
        .current_dir(out.path());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        output.status.success(),
        "papermill: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let notebook: Value = serde_json::from_slice(&std::fs::read(&executed).unwrap()).unwrap();
    let (text, images) = outputs(&notebook);
    for said in [
        "signed in as alice@mrdp.local",
        "copied: SUCCEEDED",
        "with bob@mrdp.local",
        "the colleague's copy: SUCCEEDED",
        "share withdrawn",
        "Seattle",
        "the portal's transfer: succeeded",
    ] {
        assert!(text.contains(said), "{said:?} in {text}");
    }
    assert!(images >= 3, "{images} charts shown: {text}");
    // Bob's copy, byte for byte the catalog's.
    let bobs = app.config.data_dir.join("collections/home/bob/from-alice");
    for year in 2012..=2015 {
        let name = format!("{year}.csv");
        assert_eq!(
            std::fs::read(bobs.join(&name)).unwrap(),
            std::fs::read(catalog_dir().join("sea").join(&name)).unwrap(),
            "{name}"
        );
    }
    app.stop().await;
}
