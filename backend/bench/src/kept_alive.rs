//! Small files on one connection kept alive, as a browser fetches the web app's files and the
//! graph service many small CSVs: `GET`s one after another on one plain TCP connection (the next
//! sent once the last response is read whole), in requests per second, against nginx serving the
//! same file (nginx sets `TCP_NODELAY` by default). The data server's `GET` of a 6.8 KB CSV runs
//! in its own process (`mrdp transfer`); the portal's `GET /` (`index.html` of `dist/`) in the
//! deployment. Each server's runs alternate with nginx's, each first in every other round.

use crate::code_flow::{CodeFlow, median};
use crate::data_plane::Nginx;
use crate::service_process::ServiceProcess;
use crate::{Stores, workspace};
use anyhow::{Context, bail};
use bytes::{Buf, BytesMut};
use mrdp_globus::auth::collection_https_scope;
use mrdp_server::deployment::Deployment;
use mrdp_shared::ServiceName;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long each run sends requests.
const RUN: Duration = Duration::from_secs(2);
/// Runs of each server.
const ROUNDS: usize = 5;
/// A real file of the demo catalog: 6,799 bytes.
const SMALL_FILE: &str = "data/climate/nyc/2013.csv";

/// Prints both lines: the data server's small file and the portal's `index.html`, each against
/// nginx.
pub async fn print(
    deployment: &Deployment,
    stores: &Stores<'_>,
    flow: &CodeFlow<'_>,
    web_app: &Path,
) -> anyhow::Result<()> {
    let (collection, root) = stores.collection("bench-small-files", flow).await?;
    std::fs::create_dir_all(&root)?;
    std::fs::copy(workspace().join(SMALL_FILE), root.join("small.csv"))
        .with_context(|| format!("copy {SMALL_FILE}"))?;
    let token = flow
        .client_token(&collection_https_scope(&collection))
        .await?;
    let service = ServiceProcess::start(stores.data_dir, deployment.url(ServiceName::Idp))?;
    let nginx = Nginx::serve(&root)?;
    let data = Target::get(
        &format!("{}/{collection}/small.csv", service.data_url),
        Some(&token),
    )?;
    let (ours, theirs) = compare(
        &data,
        &Target::get(&format!("{}/small.csv", nginx.url), None)?,
    )
    .await?;
    println!(
        "small data GET 6.8 KB, one kept-alive connection {ours:8.0} /s   nginx {theirs:8.0} /s   ratio {:.2} (goal 0.8)",
        ours / theirs
    );

    let nginx = Nginx::serve(web_app)?;
    let portal = Target::get(&format!("{}/", deployment.url(ServiceName::Portal)), None)?;
    let (ours, theirs) = compare(&portal, &Target::get(&format!("{}/", nginx.url), None)?).await?;
    println!(
        "small portal GET / (index.html), one kept-alive connection {ours:8.0} /s   nginx {theirs:8.0} /s   ratio {:.2} (goal 0.8)",
        ours / theirs
    );
    Ok(())
}

/// Requests per second of `ours` and of `nginx`: medians of `ROUNDS` runs each, alternating.
async fn compare(ours: &Target, nginx: &Target) -> anyhow::Result<(f64, f64)> {
    let (mut our_rates, mut nginx_rates) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        if round % 2 == 0 {
            our_rates.push(ours.rate().await?);
        }
        nginx_rates.push(nginx.rate().await?);
        if round % 2 == 1 {
            our_rates.push(ours.rate().await?);
        }
    }
    Ok((median(&mut our_rates), median(&mut nginx_rates)))
}

/// A `GET` sent again and again: where to, and the request's bytes.
struct Target {
    address: SocketAddr,
    request: Vec<u8>,
}

impl Target {
    /// `GET` of `url` (`http://<IP address>:<port>/<path>`), with a bearer token if given.
    fn get(url: &str, token: Option<&str>) -> anyhow::Result<Self> {
        let rest = url.strip_prefix("http://").context("a plain-HTTP URL")?;
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let address = authority
            .parse()
            .with_context(|| format!("an address in {url}"))?;
        let mut request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\n");
        if let Some(token) = token {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        request.push_str("\r\n");
        Ok(Self {
            address,
            request: request.into_bytes(),
        })
    }

    /// Requests per second on one connection during `RUN`.
    async fn rate(&self) -> anyhow::Result<f64> {
        let mut stream = TcpStream::connect(self.address).await?;
        let mut read = BytesMut::with_capacity(64 << 10);
        let started = Instant::now();
        let mut answered = 0_u32;
        while started.elapsed() < RUN {
            stream.write_all(&self.request).await?;
            loop {
                if let Some(length) = whole_response(&read)? {
                    read.advance(length);
                    break;
                }
                if stream.read_buf(&mut read).await? == 0 {
                    bail!("{} closed the connection", self.address);
                }
            }
            answered += 1;
        }
        Ok(f64::from(answered) / started.elapsed().as_secs_f64())
    }
}

/// The length of the `200` response at the start of `read` once it is all there.
fn whole_response(read: &[u8]) -> anyhow::Result<Option<usize>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(head) = response.parse(read)? else {
        return Ok(None);
    };
    if response.code != Some(200) {
        bail!("answered {:?}, not 200", response.code);
    }
    let length = response
        .headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("content-length"))
        .context("a response without a Content-Length")?
        .value;
    let length: usize = std::str::from_utf8(length)?.trim().parse()?;
    Ok((read.len() >= head + length).then_some(head + length))
}
