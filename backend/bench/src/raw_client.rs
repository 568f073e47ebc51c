//! A load client of our own over httparse and plain TCP: the same request sent again and again
//! on kept-alive connections, each sent once the last answer is read whole. It costs the machine
//! far less per request than a general HTTP client, so that on two cores shared with the server
//! the server, not the client, is what is measured.

use crate::load::Rate;
use anyhow::{Context, bail};
use bytes::{Buf, BytesMut};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A `GET` sent again and again: where to, the request's bytes, and the status it must get.
#[derive(Debug, Clone)]
pub struct Target {
    address: SocketAddr,
    request: Vec<u8>,
    status: u16,
}

impl Target {
    /// `GET` of `url` (`http://<IP address>:<port>/<path>`) with `headers`, answered `status`.
    pub fn get(url: &str, headers: &[(&str, &str)], status: u16) -> anyhow::Result<Self> {
        let rest = url.strip_prefix("http://").context("a plain-HTTP URL")?;
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let address = authority
            .parse()
            .with_context(|| format!("an address in {url}"))?;
        let mut request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        Ok(Self {
            address,
            request: request.into_bytes(),
            status,
        })
    }

    /// Requests per second on one connection during `run`.
    pub async fn rate(&self, run: Duration) -> anyhow::Result<f64> {
        let latencies = self.latencies(run).await?;
        Ok(latencies.len() as f64 / run.as_secs_f64())
    }

    /// Requests per second on `connections` connections at once during `run`, with the
    /// latencies' median and 99th percentile.
    pub async fn rate_on(&self, connections: usize, run: Duration) -> anyhow::Result<Rate> {
        let started = Instant::now();
        let mut clients = tokio::task::JoinSet::new();
        for _ in 0..connections {
            let target = self.clone();
            clients.spawn(async move { target.latencies(run).await });
        }
        let mut all = Vec::new();
        while let Some(latencies) = clients.join_next().await {
            all.extend(latencies??);
        }
        let per_second = all.len() as f64 / started.elapsed().as_secs_f64();
        Ok(Rate::of(per_second, &mut all))
    }

    /// Milliseconds of each request sent on one connection during `run`.
    async fn latencies(&self, run: Duration) -> anyhow::Result<Vec<f64>> {
        let mut stream = TcpStream::connect(self.address).await?;
        stream.set_nodelay(true)?;
        let mut read = BytesMut::with_capacity(64 << 10);
        let started = Instant::now();
        let mut latencies = Vec::new();
        while started.elapsed() < run {
            let sent = Instant::now();
            stream.write_all(&self.request).await?;
            loop {
                if let Some(length) = self.whole_response(&read)? {
                    read.advance(length);
                    break;
                }
                if stream.read_buf(&mut read).await? == 0 {
                    bail!("{} closed the connection", self.address);
                }
            }
            latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
        }
        Ok(latencies)
    }

    /// The length of the response at the start of `read` once it is all there.
    fn whole_response(&self, read: &[u8]) -> anyhow::Result<Option<usize>> {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        let httparse::Status::Complete(head) = response.parse(read)? else {
            return Ok(None);
        };
        if response.code != Some(self.status) {
            bail!("answered {:?}, not {}", response.code, self.status);
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
}
