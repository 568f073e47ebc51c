//! Browsers watching a task's progress stream, in a process of their own (this binary run as
//! `mrdp-bench --watch <url> <cookie> <count>`), so that the deployment's process holds only the
//! portal's side of the streams: its CPU time and resident memory while they watch are the
//! portal's (and the task's own copy, the same whatever the count of watchers).

use anyhow::{Context, bail};
use std::path::Path;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The argument that runs this binary as the watchers.
pub const WATCH_MODE: &str = "--watch";

/// What the deployment's process spent while the watchers watched.
#[derive(Debug, Clone, Copy)]
pub struct Spent {
    /// CPU seconds (user and system) from the first watcher's connection to the task's end.
    pub cpu_seconds: f64,
    /// Resident memory once every watcher had its first event, in KiB.
    pub resident_kib: u64,
}

/// CPU seconds this process has used (`/proc/self/stat`, user and system).
fn cpu_seconds() -> anyhow::Result<f64> {
    cpu_seconds_of("/proc/self/stat")
}

/// CPU seconds (user and system) a process or thread has used, from its `stat` file
/// (`/proc/self/stat`, `/proc/thread-self/stat`).
pub fn cpu_seconds_of(stat: &str) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(stat)?;
    // The fields after the command's name (in parentheses, which may hold spaces).
    let after = stat.rsplit_once(')').context("a stat file")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |at: usize| -> anyhow::Result<f64> {
        Ok(fields.get(at).context("a stat file")?.parse::<f64>()?)
    };
    // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after the name.
    Ok((ticks(11)? + ticks(12)?) / clock_ticks_per_second()?)
}

fn clock_ticks_per_second() -> anyhow::Result<f64> {
    let out = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()?;
    Ok(String::from_utf8(out.stdout)?.trim().parse()?)
}

/// This process's resident memory now, in KiB (`VmRSS`).
fn resident_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|line| line.starts_with("VmRSS:"))
        .context("VmRSS")?;
    Ok(line.split_whitespace().nth(1).context("VmRSS")?.parse()?)
}

/// Runs `count` watchers of `url` in a child process until the task ends; answers what this
/// process spent meanwhile.
pub async fn watch_from_another_process(
    url: &str,
    cookie: &str,
    count: usize,
) -> anyhow::Result<Spent> {
    let bench = std::env::current_exe()?;
    let before = cpu_seconds()?;
    let mut child = tokio::process::Command::new(Path::new(&bench))
        .args([WATCH_MODE, url, cookie, &count.to_string()])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("start the watchers")?;
    let mut lines = BufReader::new(child.stdout.take().context("their output")?).lines();
    let mut resident = None;
    while let Some(line) = lines.next_line().await? {
        if line == "watching" {
            resident = Some(resident_kib()?);
        }
    }
    let status = child.wait().await?;
    if !status.success() {
        bail!("the watchers failed ({status})");
    }
    Ok(Spent {
        cpu_seconds: cpu_seconds()? - before,
        resident_kib: resident.context("the watchers never all watched")?,
    })
}

/// The watchers' side: `count` streams of `url`, each read to its end; says `watching` once
/// every stream has had its first event.
pub async fn watch(url: &str, cookie: &str, count: usize) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let (first, mut firsts) = tokio::sync::mpsc::channel::<()>(count.max(1));
    let mut streams = tokio::task::JoinSet::new();
    for _ in 0..count {
        let request = http.get(url).header("Cookie", cookie);
        let first = first.clone();
        streams.spawn(async move {
            let mut response = request.send().await?.error_for_status()?;
            let mut text = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                if text.is_empty() {
                    let _ = first.send(()).await;
                }
                text.extend_from_slice(&chunk);
            }
            anyhow::ensure!(
                String::from_utf8_lossy(&text).contains("event: end"),
                "a stream closed before the task's end"
            );
            Ok::<_, anyhow::Error>(())
        });
    }
    drop(first);
    for _ in 0..count {
        firsts
            .recv()
            .await
            .context("a stream ended before its first event")?;
    }
    println!("watching");
    while let Some(done) = streams.join_next().await {
        done??;
    }
    Ok(())
}
