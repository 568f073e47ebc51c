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

    /// Starts `mrdp <service> --worker` over `data_dir` with `env` (its database).
    pub fn worker(data_dir: &Path, service: &str, env: &[(&str, &str)]) -> anyhow::Result<Self> {
        Self::start_args(data_dir, &[service, "--worker"], env, None)
    }

    /// Starts `mrdp <role>` on free ports over `data_dir` with `env` (where the other services
    /// are); answers once it is ready, with the URL of its service `listening` (`data`, `graph`).
    pub fn start_role(
        data_dir: &Path,
        role: &str,
        env: &[(&str, &str)],
        listening: &str,
    ) -> anyhow::Result<Self> {
        Self::start_args(data_dir, &[role], env, Some(listening))
    }

    /// `mrdp <args>`, once ready; with the URL of its service `listening`, if one is named.
    fn start_args(
        data_dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        listening: Option<&str>,
    ) -> anyhow::Result<Self> {
        let mrdp = std::env::current_exe()?.with_file_name("mrdp");
        if !mrdp.is_file() {
            bail!("{} is missing: `make bench` builds it", mrdp.display());
        }
        let mut child = Command::new(&mrdp)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--port-base", "0"])
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("start {}", mrdp.display()))?;
        let stdout = child.stdout.take().context("its output")?;
        // The process ends (and the loop with it) if it cannot start.
        let prefix = format!("mrdp: {}", listening.unwrap_or("-"));
        let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
        let (mut url, mut ready) = (None, false);
        for line in lines.by_ref() {
            if line.starts_with("mrdp: ready") {
                ready = true;
                break;
            }
            if let Some(found) = line.strip_prefix(&prefix) {
                url = Some(found.trim().to_owned());
            }
        }
        // Read to the end, so that the process never writes to a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        if !ready || (listening.is_some() && url.is_none()) {
            let _ = child.kill();
            bail!("`mrdp {}` exited before it was ready", args.join(" "));
        }
        Ok(Self {
            child,
            url: url.unwrap_or_default(),
        })
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
