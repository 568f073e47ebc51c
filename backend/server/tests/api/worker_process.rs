//! `mrdp transfer --worker` and `mrdp graph --worker` processes, and more transfer services, beside
//! a test's deployment: on its PostgreSQL database and data directory, calling its services, with
//! 3-second leases so that a killed worker's work is taken up quickly.

use crate::child_output::{ChildOutput, START_LIMIT};
use crate::harness::TestApp;
use mrdp_shared::ServiceName;
use std::process::{Child, Command, Stdio};

const MRDP: &str = env!("CARGO_BIN_EXE_mrdp");

/// A worker of `service` (`transfer` or `graph`), once it says it is ready.
pub fn worker(app: &TestApp, service: &str) -> Child {
    let ready = format!("mrdp: ready, a {service} worker");
    beside(app, &[service, "--worker"], &ready).0
}

/// Another transfer service (with its engine and data server) on free ports; with its API's URL.
pub fn transfer_service(app: &TestApp) -> (Child, String) {
    let (child, said) = beside(app, &["--port-base", "0", "transfer"], "mrdp: data");
    let api = said
        .iter()
        .find_map(|line| line.strip_prefix("mrdp: transfer"))
        .expect("the transfer service says where it listens");
    (child, api.trim().to_owned())
}

/// `mrdp <args>` beside `app`, with what it printed before the line that starts with `ready`.
fn beside(app: &TestApp, args: &[&str], ready: &str) -> (Child, Vec<String>) {
    let service = args
        .iter()
        .find(|arg| ["transfer", "graph"].contains(arg))
        .unwrap();
    let database = app.config.database_url.as_ref().unwrap().expose();
    let upstream = |name| app.deployment.url(name).to_owned();
    let mut child = Command::new(MRDP)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("MRDP_DATABASE_URL", database)
        .env("MRDP_UPSTREAMS__IDP", upstream(ServiceName::Idp))
        .env("MRDP_UPSTREAMS__TRANSFER", upstream(ServiceName::Transfer))
        .env("MRDP_UPSTREAMS__DATA", upstream(ServiceName::Data))
        .env(
            format!("MRDP_{}__LEASE_SECONDS", service.to_uppercase()),
            "3",
        )
        .env("MRDP_GRAPH__WORKERS", "1")
        .arg("--data-dir")
        .arg(&app.config.data_dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let said = ChildOutput::of(&mut child).until(ready, START_LIMIT);
    (child, said)
}

/// Kills `child` with SIGKILL (nothing is given up) and reaps it.
pub fn kill(child: &mut Child) {
    child.kill().unwrap();
    child.wait().unwrap();
}
