//! A real `mrdp all` process for one journey.

use anyhow::{Context, bail};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Names the `mrdp` binary to test; by default the one cargo built next to this test.
const BINARY_VAR: &str = "MRDP_TEST_BIN";
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// `mrdp all` running on free ports; killed when dropped.
#[derive(Debug)]
pub struct Portal {
    url: String,
    /// The demo sign-ins the first start printed: (username, password).
    demo_users: Vec<(String, String)>,
    _child: Child,
    data_dir: tempfile::TempDir,
}

impl Portal {
    /// Starts `mrdp all --port-base 0` with a fresh data directory, the built web app and the
    /// shipped demo catalog, and waits for its "ready" line.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with_catalog(&crate::workspace_root().join("data/climate")).await
    }

    /// As [`Portal::start`], with the demo catalog (folders and `catalog.json`) taken from
    /// `catalog_dir`.
    pub async fn start_with_catalog(catalog_dir: &std::path::Path) -> anyhow::Result<Self> {
        Self::launch(catalog_dir, "0", &[]).await
    }

    /// `mrdp all` on its default ports (the portal on 8080) as a frontend developer runs it
    /// beside `trunk serve`, which browsers reach on `public_url` (`http://127.0.0.1:8090`).
    pub async fn start_for_trunk_serve(public_url: &str) -> anyhow::Result<Self> {
        let catalog = crate::workspace_root().join("data/climate");
        Self::launch(&catalog, "8080", &[("MRDP_PORTAL__PUBLIC_URL", public_url)]).await
    }

    async fn launch(
        catalog_dir: &std::path::Path,
        port_base: &str,
        env: &[(&str, &str)],
    ) -> anyhow::Result<Self> {
        let binary = mrdp_binary()?;
        let dist = crate::workspace_root().join("dist");
        if !dist.join("index.html").is_file() {
            bail!(
                "{} has no index.html: build the web app first (`trunk build --release`; `make test` does)",
                dist.display()
            );
        }
        let data_dir = tempfile::tempdir().context("create a data directory")?;
        let mut child = Command::new(&binary)
            .args(["all", "--port-base", port_base, "--data-dir"])
            .arg(data_dir.path())
            .env("MRDP_DIST_DIR", &dist)
            .env("MRDP_TRANSFER__CATALOG_DIR", catalog_dir)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {}", binary.display()))?;
        let stdout = child.stdout.take().context("mrdp stdout")?;
        let (url, demo_users) = tokio::time::timeout(START_TIMEOUT, read_start_up(stdout))
            .await
            .context("mrdp all did not report ready in time")??;
        Ok(Self {
            url,
            demo_users,
            _child: child,
            data_dir,
        })
    }

    /// The portal's base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The deployment's data directory (its collections are under `collections/`).
    pub fn data_dir(&self) -> &std::path::Path {
        self.data_dir.path()
    }

    /// The first demo user's username and password.
    pub fn demo_user(&self) -> anyhow::Result<&(String, String)> {
        self.demo_users
            .first()
            .context("mrdp printed no demo sign-in")
    }

    /// The password of the demo user `username` (`alice@mrdp.local`, `bob@mrdp.local`).
    pub fn demo_password(&self, username: &str) -> anyhow::Result<&str> {
        self.demo_users
            .iter()
            .find(|(user, _)| user == username)
            .map(|(_, password)| password.as_str())
            .with_context(|| format!("mrdp printed no demo sign-in for {username}"))
    }
}

/// Reads `mrdp: portal <url>`, the demo sign-in lines (`mrdp:   <user>  password <pw>`), then
/// `mrdp: ready…` from the process's stdout.
async fn read_start_up(
    stdout: tokio::process::ChildStdout,
) -> anyhow::Result<(String, Vec<(String, String)>)> {
    let mut lines = BufReader::new(stdout).lines();
    let (mut url, mut demo_users) = (None, Vec::new());
    while let Some(line) = lines.next_line().await? {
        if let Some(rest) = line.strip_prefix("mrdp: portal") {
            url = Some(rest.trim().to_owned());
        } else if let Some((user, password)) = line
            .strip_prefix("mrdp:   ")
            .and_then(|rest| rest.split_once("  password "))
        {
            demo_users.push((user.trim().to_owned(), password.trim().to_owned()));
        } else if line.starts_with("mrdp: ready") {
            return Ok((
                url.context("mrdp reported ready before naming the portal URL")?,
                demo_users,
            ));
        }
    }
    bail!("mrdp exited before it was ready (its log is above)")
}

fn mrdp_binary() -> anyhow::Result<PathBuf> {
    let binary = match std::env::var_os(BINARY_VAR) {
        Some(path) => PathBuf::from(path),
        // target/<profile>/deps/<test> -> target/<profile>/mrdp
        None => std::env::current_exe()?
            .parent()
            .and_then(|deps| deps.parent())
            .context("locate the target directory")?
            .join("mrdp"),
    };
    if !binary.is_file() {
        bail!(
            "{} does not exist: build it with `cargo build -p mrdp-server` or set {BINARY_VAR}",
            binary.display()
        );
    }
    Ok(binary)
}
