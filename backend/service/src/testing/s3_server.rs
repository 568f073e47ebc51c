//! A real S3-compatible server for the tests: `s3s-fs` (installed by `make setup`), which keeps
//! each bucket as a directory of files and refuses requests not signed (SigV4) with its key.

#![expect(
    clippy::expect_used,
    reason = "test support: a server that does not start must fail the test, loudly"
)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};

pub const ACCESS_KEY: &str = "mrdp-test";
pub const SECRET_KEY: &str = "mrdp-test-secret";

#[derive(Debug)]
pub struct S3Server {
    pub endpoint: String,
    root: PathBuf,
    _process: tokio::process::Child,
}

impl S3Server {
    /// Starts `s3s-fs` on a free loopback port over `root`, with `buckets` (empty) in it.
    pub async fn start(root: &Path, buckets: &[&str]) -> Self {
        for bucket in buckets {
            std::fs::create_dir_all(root.join(bucket)).expect("make the bucket's directory");
        }
        let mut process = tokio::process::Command::new("s3s-fs")
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(root)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("s3s-fs 0.14.1 runs (`make setup` installs it)");
        let mut lines =
            BufReader::new(process.stdout.take().expect("s3s-fs's output is piped")).lines();
        let endpoint = loop {
            let line = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
                .await
                .expect("s3s-fs says where it listens within 30 s")
                .expect("read s3s-fs's output")
                .expect("s3s-fs exited before listening");
            if let Some(at) = line.find("server is running at http://") {
                let url = &line[at + "server is running at ".len()..];
                break url.split_whitespace().next().unwrap_or_default().to_owned();
            }
        };
        // Keep its output flowing so that it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self {
            endpoint,
            root: root.to_owned(),
            _process: process,
        }
    }

    /// The directory holding `bucket`'s objects, one file per key.
    pub fn bucket_dir(&self, bucket: &str) -> PathBuf {
        self.root.join(bucket)
    }
}
