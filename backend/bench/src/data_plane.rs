//! Data server throughput over loopback: `GET` of a 1 GiB file against Debian's nginx serving the
//! same file (the baseline, measured in the same run), and `PUT` of 1 GiB against that `GET` and
//! against the disk's own durable write of 1 GiB (`write` + `fsync`, as `dd conv=fsync`): a `PUT`
//! is answered once its file is on the disk, so no `PUT` is faster than the disk.

use crate::code_flow::median;
use anyhow::bail;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// The file's size: 1 GiB.
pub const SIZE: u64 = 1 << 30;

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
    _running: mrdp_service::testing::nginx::Nginx,
    pub url: String,
}

impl Nginx {
    pub fn serve(root: &Path) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let http = format!(
            "access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;\n\
             server {{ listen 127.0.0.1:{port}; root {root}; }}",
            root = root.display(),
        );
        let running = mrdp_service::testing::nginx::Nginx::start(tempfile::tempdir()?, &http, port)
            .map_err(anyhow::Error::msg)?;
        Ok(Self {
            _running: running,
            url: format!("http://127.0.0.1:{port}"),
        })
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

/// A block of the uploaded bytes.
fn upload_block() -> bytes::Bytes {
    bytes::Bytes::from(vec![7_u8; 1 << 20])
}

/// Uploads `SIZE` bytes to `url` in 1 MiB chunks, with their length told (as `curl -T` and the
/// SDK's `requests` tell it); answers bytes per second.
async fn put_rate(client: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<f64> {
    let block = upload_block();
    let chunks = (0..(SIZE >> 20)).map(move |_| Ok::<_, std::io::Error>(block.clone()));
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let started = Instant::now();
    client
        .put(url)
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_LENGTH, SIZE)
        .body(body)
        .send()
        .await?
        .error_for_status()?;
    Ok(SIZE as f64 / started.elapsed().as_secs_f64())
}

/// Writes the same `SIZE` bytes into a new file in `dir` and fsyncs it, as `dd conv=fsync`
/// does; answers bytes per second.
fn durable_write_rate(dir: &Path) -> anyhow::Result<f64> {
    let path = dir.join("durable-write.bin");
    let block = upload_block();
    let started = Instant::now();
    let mut file = std::fs::File::create(&path)?;
    for _ in 0..(SIZE >> 20) {
        file.write_all(&block)?;
    }
    file.sync_all()?;
    let rate = SIZE as f64 / started.elapsed().as_secs_f64();
    std::fs::remove_file(path)?;
    Ok(rate)
}

/// Medians of the rates measured (bytes/s).
pub struct Rates {
    pub data_get: f64,
    pub nginx_get: f64,
    pub data_put: f64,
    pub durable_write: f64,
}

/// Medians over `runs`. The two servers' downloads alternate, each going first in every other
/// round, and run before the uploads, whose write-back would otherwise slow whichever download
/// came next; the uploads alternate in the same way with the disk's durable writes into
/// `upload_dir`, the directory the uploads land in.
pub async fn measure(
    data_file: &str,
    nginx_file: &str,
    upload: &str,
    upload_dir: &Path,
    token: &str,
    runs: usize,
) -> anyhow::Result<Rates> {
    let client = reqwest::Client::new();
    let (mut data, mut nginx) = (Vec::new(), Vec::new());
    let (mut put, mut durable) = (Vec::new(), Vec::new());
    for round in 0..runs {
        if round % 2 == 0 {
            data.push(get_rate(&client, data_file, Some(token)).await?);
        }
        nginx.push(get_rate(&client, nginx_file, None).await?);
        if round % 2 == 1 {
            data.push(get_rate(&client, data_file, Some(token)).await?);
        }
    }
    for round in 0..runs {
        if round % 2 == 0 {
            put.push(put_rate(&client, upload, token).await?);
        }
        durable.push(durable_write_rate(upload_dir)?);
        if round % 2 == 1 {
            put.push(put_rate(&client, upload, token).await?);
        }
    }
    Ok(Rates {
        data_get: median(&mut data),
        nginx_get: median(&mut nginx),
        data_put: median(&mut put),
        durable_write: median(&mut durable),
    })
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
