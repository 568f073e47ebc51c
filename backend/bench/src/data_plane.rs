//! Data server throughput over loopback: `GET` of a 1 GiB file against Debian's nginx serving the
//! same file (the baseline, measured in the same run), and `PUT` of 1 GiB against that `GET`.

use crate::code_flow::median;
use anyhow::{Context, bail};
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The file's size: 1 GiB.
pub const SIZE: u64 = 1 << 30;
const NGINX: &str = "/usr/sbin/nginx";

/// Writes `SIZE` bytes of a non-repeating pattern (no page of zeros for anything to shortcut),
/// durably: no write-back of it is left to disturb what is measured next.
pub fn write_file(path: &Path) -> anyhow::Result<()> {
    let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut block = vec![0_u8; 1 << 20];
    for index in 0..(SIZE >> 20) {
        for (offset, byte) in block.iter_mut().enumerate() {
            *byte = (offset as u64 ^ index.wrapping_mul(0x9E37_79B9)) as u8;
        }
        file.write_all(&block)?;
    }
    file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

/// nginx serving `root` on a free loopback port; stopped when dropped.
pub struct Nginx {
    child: Child,
    pub url: String,
    prefix: tempfile::TempDir,
}

impl Nginx {
    pub fn serve(root: &Path) -> anyhow::Result<Self> {
        if !Path::new(NGINX).is_file() {
            bail!("{NGINX} is missing: `make setup` installs Debian's nginx");
        }
        let prefix = tempfile::tempdir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let conf = prefix.path().join("nginx.conf");
        std::fs::write(
            &conf,
            format!(
                "daemon off; worker_processes 1; user root; pid {pid}; error_log {log} warn;\n\
                 events {{ worker_connections 64; }}\n\
                 http {{ access_log off; sendfile on; tcp_nopush on;\n\
                   client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp};\n\
                   uwsgi_temp_path {tmp}; scgi_temp_path {tmp};\n\
                   server {{ listen 127.0.0.1:{port}; root {root}; }} }}\n",
                pid = prefix.path().join("nginx.pid").display(),
                log = prefix.path().join("error.log").display(),
                tmp = prefix.path().display(),
                root = root.display(),
            ),
        )?;
        let child = Command::new(NGINX)
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(prefix.path())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("start nginx")?;
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("nginx did not listen on {port}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Self { child, url, prefix })
    }
}

impl Drop for Nginx {
    /// Asks the master to stop, which stops its worker too (a SIGKILL to the master alone left
    /// the worker running, one more after every bench).
    fn drop(&mut self) {
        let prefix = self.prefix.path();
        let stopped = Command::new(NGINX)
            .arg("-c")
            .arg(prefix.join("nginx.conf"))
            .arg("-p")
            .arg(prefix)
            .args(["-s", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !stopped.is_ok_and(|status| status.success()) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Downloads `url` (streaming, nothing kept); answers bytes per second.
async fn get_rate(client: &reqwest::Client, url: &str, token: Option<&str>) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut request = client.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let mut response = request.send().await?.error_for_status()?;
    let mut received = 0_u64;
    while let Some(chunk) = response.chunk().await? {
        received += chunk.len() as u64;
    }
    if received != SIZE {
        bail!("{url} sent {received} bytes, not {SIZE}");
    }
    Ok(SIZE as f64 / started.elapsed().as_secs_f64())
}

/// Uploads `SIZE` bytes to `url` in 1 MiB chunks; answers bytes per second.
async fn put_rate(client: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<f64> {
    let chunk = bytes::Bytes::from(vec![7_u8; 1 << 20]);
    let chunks = (0..(SIZE >> 20)).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let started = Instant::now();
    client
        .put(url)
        .bearer_auth(token)
        .body(body)
        .send()
        .await?
        .error_for_status()?;
    Ok(SIZE as f64 / started.elapsed().as_secs_f64())
}

/// Medians over `runs`: the data server's GET, nginx's GET, the data server's PUT (bytes/s).
/// The two servers' downloads alternate, each going first in every other round, and run before
/// the uploads, whose write-back would otherwise slow whichever download came next.
pub async fn measure(
    data_file: &str,
    nginx_file: &str,
    upload: &str,
    token: &str,
    runs: usize,
) -> anyhow::Result<(f64, f64, f64)> {
    let client = reqwest::Client::new();
    let (mut data, mut nginx, mut put) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..runs {
        if round % 2 == 0 {
            data.push(get_rate(&client, data_file, Some(token)).await?);
        }
        nginx.push(get_rate(&client, nginx_file, None).await?);
        if round % 2 == 1 {
            data.push(get_rate(&client, data_file, Some(token)).await?);
        }
    }
    for _ in 0..runs {
        put.push(put_rate(&client, upload, token).await?);
    }
    Ok((median(&mut data), median(&mut nginx), median(&mut put)))
}

/// Starts a process's peak resident memory afresh from what it holds now (Linux's
/// `clear_refs`), so that the next [`peak_memory_mib`] covers only what ran in between. `proc`:
/// `/proc/self` or `/proc/<pid>`.
pub fn reset_peak_memory(proc: &Path) -> std::io::Result<()> {
    std::fs::write(proc.join("clear_refs"), "5")
}

/// A process's peak resident memory since its start or the last reset, in MiB (`VmHWM`).
pub fn peak_memory_mib(proc: &Path) -> Option<f64> {
    let status = std::fs::read_to_string(proc.join("status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
