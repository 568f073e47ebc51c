//! The transfer service and its data server in a process of their own (`mrdp transfer`, next to
//! this binary), measured as a deployment runs them: their throughput without the client in the
//! same process, and their own peak resident memory (Linux's `VmHWM`, reset before a run through
//! `clear_refs`).

use anyhow::{Context, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A running `mrdp transfer`; stopped when dropped.
pub struct ServiceProcess {
    child: Child,
    /// The data server's base URL.
    pub data_url: String,
}

impl ServiceProcess {
    /// Starts `mrdp transfer` on free ports over `data_dir`, introspecting tokens at `idp`.
    pub fn start(data_dir: &Path, idp: &str) -> anyhow::Result<Self> {
        let mrdp = std::env::current_exe()?.with_file_name("mrdp");
        if !mrdp.is_file() {
            bail!("{} is missing: `make bench` builds it", mrdp.display());
        }
        let mut child = Command::new(&mrdp)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--port-base", "0", "transfer"])
            .env("MRDP_UPSTREAMS__IDP", idp)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("start {}", mrdp.display()))?;
        let stdout = child.stdout.take().context("its output")?;
        // The process ends (and the loop with it) if it cannot start.
        let data_url = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|line| {
                line.strip_prefix("mrdp: data")
                    .map(|url| url.trim().to_owned())
            });
        let Some(data_url) = data_url else {
            let _ = child.kill();
            bail!("`mrdp transfer` exited before its data server listened");
        };
        Ok(Self { child, data_url })
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
