//! `mrdp` processes beside a test's deployment, on its PostgreSQL database and data directory and
//! calling its services: `mrdp transfer --worker` and `mrdp graph --worker` with 3-second leases
//! (so that a killed worker's work is taken up quickly), more transfer services, replicas.

use crate::child_output::ChildOutput;
use crate::harness::TestApp;
use mrdp_shared::ServiceName;
use std::process::{Child, Command, Stdio};

const MRDP: &str = env!("CARGO_BIN_EXE_mrdp");

/// A worker of `service` (`transfer` or `graph`), once it says it is ready.
pub fn worker(app: &TestApp, service: &str) -> Child {
    let lease = format!("MRDP_{}__LEASE_SECONDS", service.to_uppercase());
    let settings = [(lease.as_str(), "3"), ("MRDP_GRAPH__WORKERS", "1")];
    beside(app, &[service, "--worker"], &settings).0
}

/// Another transfer service (with its engine and data server) on free ports; with its API's URL.
pub fn transfer_service(app: &TestApp) -> (Child, String) {
    let settings = [("MRDP_TRANSFER__LEASE_SECONDS", "3")];
    let (child, urls) = beside(app, &["transfer"], &settings);
    (child, url_of(&urls, "transfer"))
}

/// The URL of `service` among what a process said.
pub fn url_of(urls: &[(String, String)], service: &str) -> String {
    urls.iter()
        .find_map(|(name, url)| (name == service).then(|| url.clone()))
        .unwrap_or_else(|| panic!("no {service} in {urls:?}"))
}

/// `mrdp <args>` beside `app` on free ports, with `settings` (environment variables) besides the
/// deployment's own, once it is ready; with the services it runs and their URLs.
pub fn beside(
    app: &TestApp,
    args: &[&str],
    settings: &[(&str, &str)],
) -> (Child, Vec<(String, String)>) {
    let database = app.config.database_url.as_ref().unwrap().expose();
    let upstream = |name| app.deployment.url(name).to_owned();
    let mut command = Command::new(MRDP);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("MRDP_DATABASE_URL", database)
        .env("MRDP_UPSTREAMS__IDP", upstream(ServiceName::Idp))
        .env("MRDP_UPSTREAMS__TRANSFER", upstream(ServiceName::Transfer))
        .env("MRDP_UPSTREAMS__DATA", upstream(ServiceName::Data))
        .env("MRDP_UPSTREAMS__GRAPH", upstream(ServiceName::Graph));
    for (name, value) in settings {
        command.env(name, value);
    }
    let mut child = command
        .arg("--data-dir")
        .arg(&app.config.data_dir)
        .args(["--port-base", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let urls = ChildOutput::of(&mut child).service_urls();
    (child, urls)
}

/// Kills `child` with SIGKILL (nothing is given up) and reaps it.
pub fn kill(child: &mut Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}
