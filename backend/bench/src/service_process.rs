//! A service in a process of its own (`mrdp transfer`, the transfer service and its data
//! server; `mrdp graph`, the graph service; next to this binary), measured as a deployment runs
//! it: its throughput without the client in the same process, and its own peak resident memory
//! (Linux's `VmHWM`, reset before a run through `clear_refs`).

use anyhow::{Context, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running `mrdp <role>`; stopped when dropped.
pub struct ServiceProcess {
    child: Child,
    /// The base URL of the service measured (the data server of `mrdp transfer`).
    pub url: String,
}

impl ServiceProcess {
    /// Starts `mrdp transfer` on free ports over `data_dir`, introspecting tokens at `idp`.
    pub fn start(data_dir: &Path, idp: &str) -> anyhow::Result<Self> {
        Self::start_role(
            data_dir,
            "transfer",
            &[("MRDP_UPSTREAMS__IDP", idp)],
            "data",
        )
    }

    /// Starts `mrdp <role>` on free ports over `data_dir` with `env` (where the other services
    /// are); answers once the service `listening` (`data`, `graph`) listens.
    pub fn start_role(
        data_dir: &Path,
        role: &str,
        env: &[(&str, &str)],
        listening: &str,
    ) -> anyhow::Result<Self> {
        let mrdp = std::env::current_exe()?.with_file_name("mrdp");
        if !mrdp.is_file() {
            bail!("{} is missing: `make bench` builds it", mrdp.display());
        }
        let mut child = Command::new(&mrdp)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--port-base", "0", role])
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("start {}", mrdp.display()))?;
        let stdout = child.stdout.take().context("its output")?;
        // The process ends (and the loop with it) if it cannot start.
        let prefix = format!("mrdp: {listening}");
        let url = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| line.strip_prefix(&prefix).map(|url| url.trim().to_owned()));
        let Some(url) = url else {
            let _ = child.kill();
            bail!("`mrdp {role}` exited before its {listening} service listened");
        };
        Ok(Self { child, url })
    }

    /// `/proc/<pid>` of the process.
    pub fn proc_dir(&self) -> std::path::PathBuf {
        Path::new("/proc").join(self.child.id().to_string())
    }
}

impl Drop for ServiceProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
