//! The API against its own OpenAPI document, by schemathesis (PyPI, in the venv): against a
//! running deployment, as alice with a bearer token from a native app, it generates requests for
//! every operation (examples, coverage, fuzzing, stateful links) and fails on a server error, an
//! answer that violates its schema, a status, content type or header the document does not list,
//! or a route open without credentials.

use crate::app_tokens::{native_app, portal_token};
use crate::harness::{TestApp, workspace};
use mrdp_portal::rate_limits::RateLimitSettings;
use mrdp_service::clock::SystemClock;
use mrdp_shared::StoreBackend;
use std::sync::Arc;

/// What the document promises: no server error, answers within their schemas, no status, content
/// type or header it does not list, and no route open without credentials. (Whether every
/// schema-valid request is accepted is not among them: a year range a dataset does not cover is
/// schema-valid and still a 400.)
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance,ignored_auth,\
                      unsupported_method,allow_header_conformance,negative_data_rejection";

#[tokio::test(flavor = "multi_thread")]
async fn schemathesis_finds_no_server_error_no_schema_violation_and_no_undocumented_answer() {
    // Hundreds of requests from one address and one token: the limits far above them.
    let app = TestApp::spawn_configured(StoreBackend::Sqlite, Arc::new(SystemClock), |config| {
        config.portal.rate_limit = RateLimitSettings {
            per_caller: 100_000,
            per_address: 100_000,
            burst_seconds: 1,
        };
    })
    .await;
    crate::datasets::researcher(&app, "alice").await;
    let notebook = native_app(&app, "schemathesis").await;
    let token = portal_token(&app, &notebook, "alice").await;
    let schemathesis = workspace().join(".tools/venv/bin/schemathesis");
    assert!(
        schemathesis.is_file(),
        "{} is missing: run `make setup`",
        schemathesis.display()
    );
    let report = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(&schemathesis)
        .arg("run")
        .arg(app.url("/api/openapi.json"))
        .args(["--url", &app.url("")])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--checks", CHECKS, "--max-examples", "12", "--workers", "1"])
        // Signing out would end the token the rest of the run uses.
        .args(["--exclude-path", "/api/auth/logout"])
        .arg("--generation-deterministic")
        .args(["--report-dir"])
        .arg(report.path())
        // Its cache (`.schemathesis/`) goes where its report does, not into the checkout.
        .current_dir(report.path())
        .env("NO_COLOR", "1")
        .output()
        .await
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    // The summary, for `--success-output immediate` and for a closing note.
    println!("{printed}");
    assert!(
        output.status.success(),
        "schemathesis found problems:\n{printed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    app.stop().await;
}
