//! `trunk serve` as a frontend developer runs it (the README's frontend section): the project's
//! own `Trunk.toml`, port 8090, `/api` proxied to the portal on 8080. Its build goes to a
//! directory of its own, so the release build other journeys serve stays as it is.

use anyhow::{Context, bail};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// Where `trunk serve` listens (Trunk.toml).
pub const TRUNK_SERVE_URL: &str = "http://127.0.0.1:8090";
/// A first debug build of the web app for wasm32 takes minutes on a cold cache.
const BUILD_TIMEOUT: Duration = Duration::from_secs(900);

/// The ports the README's frontend set-up takes: the deployment's (portal 8080 and the four
/// after it) and trunk's 8090.
const PORTS: [u16; 6] = [8080, 8081, 8082, 8083, 8084, 8090];

/// `trunk serve`, killed when dropped.
#[derive(Debug)]
pub struct TrunkServe {
    _child: Child,
    _dist: tempfile::TempDir,
}

/// Fails, saying why, when another program holds a port the set-up needs (`make run`, say).
pub fn ports_are_free() -> anyhow::Result<()> {
    for port in PORTS {
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_err() {
            bail!(
                "port {port} is taken: the trunk serve journey runs the README's set-up on 8080–8084 and 8090 (stop `make run` or `trunk serve` first)"
            );
        }
    }
    Ok(())
}

impl TrunkServe {
    /// Starts `trunk serve` in the workspace and waits until it serves the built app.
    pub async fn start() -> anyhow::Result<Self> {
        let dist = tempfile::tempdir().context("a directory for trunk's build")?;
        let child = Command::new("trunk")
            .arg("serve")
            .arg("--dist")
            .arg(dist.path())
            .current_dir(crate::workspace_root())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context(
                "start `trunk serve` (installed by `make setup`; `make test` puts it on PATH)",
            )?;
        let serve = Self {
            _child: child,
            _dist: dist,
        };
        tokio::time::timeout(BUILD_TIMEOUT, serving())
            .await
            .context("trunk serve did not serve the web app in time")??;
        Ok(serve)
    }
}

/// Waits until trunk answers `/` with the app (it serves once its first build is done).
async fn serving() -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    loop {
        if let Ok(response) = http.get(TRUNK_SERVE_URL).send().await
            && response.status().is_success()
            && response.text().await?.contains("mrdp-frontend")
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
