//! Transfer tasks between two local collections against the shell tools doing the same work in
//! the same run: a 1 GiB file against `cp` (unverified), `cp` + `md5sum` of both files (MD5),
//! `cp` (BLAKE3), and 10,000 files of 4 KiB against `cp -r`.

use crate::code_flow::median;
use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// How many small files, and their size.
pub const SMALL_FILES: usize = 10_000;
const SMALL_SIZE: usize = 4096;

/// Writes `SMALL_FILES` files of distinct content under `dir`, 1,000 per subdirectory.
pub fn write_small_files(dir: &Path) -> anyhow::Result<()> {
    for index in 0..SMALL_FILES {
        let sub = dir.join(format!("d{}", index / 1000));
        std::fs::create_dir_all(&sub)?;
        let mut content = vec![0_u8; SMALL_SIZE];
        for (offset, byte) in content.iter_mut().enumerate() {
            *byte = (offset ^ index.wrapping_mul(31)) as u8;
        }
        std::fs::write(sub.join(format!("f{index}.bin")), content)?;
    }
    Ok(())
}

/// The Transfer API of a deployment, two collections (local directories) and a token.
pub struct Copies<'a> {
    pub transfer: &'a str,
    pub token: &'a str,
    pub source: &'a str,
    pub destination: &'a str,
    pub destination_dir: &'a Path,
    pub client: reqwest::Client,
}

/// One way of copying, as a transfer item would ask for it.
pub struct Case<'a> {
    pub path: &'a str,
    pub recursive: bool,
    pub verify: Option<&'a str>,
}

impl Copies<'_> {
    async fn call(&self, request: reqwest::RequestBuilder) -> anyhow::Result<Value> {
        let response = request.bearer_auth(self.token).send().await?;
        let status = response.status();
        let body: Value = response.json().await?;
        if !status.is_success() {
            bail!("the Transfer API answered {status}: {body}");
        }
        Ok(body)
    }

    /// Submits one transfer task and waits for it: its wall time, submission to success.
    async fn task(&self, case: &Case<'_>) -> anyhow::Result<Duration> {
        let id = self
            .call(self.client.get(format!("{}/submission_id", self.transfer)))
            .await?;
        let started = Instant::now();
        let submitted = self
            .call(
                self.client
                    .post(format!("{}/transfer", self.transfer))
                    .json(&json!({
                        "DATA_TYPE": "transfer",
                        "submission_id": id["value"],
                        "source_endpoint": self.source,
                        "destination_endpoint": self.destination,
                        "verify_checksum": case.verify.is_some(),
                        "DATA": [{
                            "DATA_TYPE": "transfer_item",
                            "source_path": case.path,
                            "destination_path": case.path,
                            "recursive": case.recursive,
                            "checksum_algorithm": case.verify,
                        }],
                    })),
            )
            .await?;
        let task = submitted["task_id"].as_str().context("a task id")?;
        loop {
            let status = self
                .call(self.client.get(format!("{}/task/{task}", self.transfer)))
                .await?;
            match status["status"].as_str() {
                Some("SUCCEEDED") => return Ok(started.elapsed()),
                Some("ACTIVE") => tokio::time::sleep(Duration::from_millis(5)).await,
                _ => bail!("the task did not succeed: {status}"),
            }
        }
    }

    /// Medians over `runs` of the task and of `baseline` (shell commands run one after the
    /// other), each started with an empty destination and nothing left to write back.
    pub async fn compare(
        &self,
        case: &Case<'_>,
        baseline: &[Vec<String>],
        runs: usize,
    ) -> anyhow::Result<(f64, f64)> {
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            self.empty_destination()?;
            ours.push(self.task(case).await?.as_secs_f64());
            self.empty_destination()?;
            let started = Instant::now();
            for command in baseline {
                run(command)?;
            }
            theirs.push(started.elapsed().as_secs_f64());
        }
        self.empty_destination()?;
        Ok((median(&mut ours), median(&mut theirs)))
    }

    fn empty_destination(&self) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(self.destination_dir)? {
            let path = entry?.path();
            if path.is_dir() {
                std::fs::remove_dir_all(&path)?;
            } else {
                std::fs::remove_file(&path)?;
            }
        }
        run(&["sync".to_owned()])
    }
}

fn run(command: &[String]) -> anyhow::Result<()> {
    let (program, arguments) = command.split_first().context("a command")?;
    let status = Command::new(program)
        .args(arguments)
        .stdout(std::process::Stdio::null())
        .status()?;
    if !status.success() {
        bail!("{command:?} failed: {status}");
    }
    Ok(())
}
