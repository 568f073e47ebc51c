//! Downloads answered straight on the socket. On a plain-HTTP connection the data server reads
//! each request's head itself, and answers a `GET` or `HEAD` of a local file the caller may read
//! here: the head written, then the bytes sent from the page cache to the socket by the kernel
//! (`sendfile`), never copied through the process — what lets one core keep up with nginx.
//!
//! Everything else — uploads, `/health`, every refusal, a range beyond the file, a file in a
//! bucket, a URL with percent-escapes, a request with a body or an upgrade, HTTP/1.0, a head too
//! long — is handed over, with the connection and what was read of it, to the actix-web routes,
//! which answer it as they answer every request over TLS. So there is one behaviour, with one
//! shortcut for the one request that moves the bytes.

use super::download::{self, Sent};
use super::{Asked, Authorised, DataServer};
use crate::access::Permission;
use crate::storage::Storage;
use bytes::{Buf, BytesMut};
use mrdp_service::http::{GracefulShutdownSignal, Interceptor, REQUEST_ID_HEADER, Unanswered};
use std::fs::File;
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt, Interest};
use tokio::net::TcpStream;
use tracing::Instrument;

/// The longest request head read here; a longer one goes to the routes (which refuse it).
const HEAD_LIMIT: usize = 16 << 10;
/// How long the next request head may take to arrive whole (actix-web's keep-alive and request
/// timeouts are as long).
const IDLE: Duration = Duration::from_secs(5);
/// The most headers a request read here may have (more: the routes' to answer).
const MAX_HEADERS: usize = 32;
/// The most one `sendfile` call is asked to send.
const SEND_AT_MOST: u64 = 1 << 30;

impl Interceptor for DataServer {
    async fn intercept(
        &self,
        mut stream: TcpStream,
        shutdown: GracefulShutdownSignal,
    ) -> Option<Unanswered> {
        let mut read = BytesMut::with_capacity(4096);
        loop {
            let length = match next_head(&mut stream, &mut read, &shutdown).await {
                Next::Head(length) => length,
                Next::Closed => return None,
                Next::NotMine => break,
            };
            let Some(download) = Download::parse(&read[..length]) else {
                break;
            };
            match self.answer(&mut stream, &download).await {
                Answered::KeepOpen => read.advance(length),
                Answered::Close => return None,
                Answered::NotMine => break,
            }
        }
        Some(Unanswered {
            stream,
            read: read.freeze(),
        })
    }
}

/// What comes next on a connection.
enum Next {
    /// A request head of this many bytes, at the start of what was read.
    Head(usize),
    /// Something the routes are to read.
    NotMine,
    /// Nothing: the client closed, went quiet, or the server is stopping.
    Closed,
}

/// Reads until `read` starts with a whole request head, which must come whole within `IDLE`
/// (a client sending it a byte at a time does not hold the connection longer).
async fn next_head(
    stream: &mut TcpStream,
    read: &mut BytesMut,
    shutdown: &GracefulShutdownSignal,
) -> Next {
    let deadline = tokio::time::Instant::now() + IDLE;
    loop {
        match head_length(read) {
            Ok(Some(length)) => return Next::Head(length),
            Ok(None) if read.len() < HEAD_LIMIT => {}
            _ => return Next::NotMine,
        }
        let idle = read.is_empty();
        tokio::select! {
            more = tokio::time::timeout_at(deadline, stream.read_buf(read)) => match more {
                Ok(Ok(read_now)) if read_now > 0 => {}
                _ => return Next::Closed,
            },
            () = shutdown.notified(), if idle => return Next::Closed,
        }
    }
}

/// The length of the request head `read` starts with, as the parser that reads it counts it (it
/// accepts lines ending in a bare LF, so the head can end before any CRLF CRLF); `None` while it
/// is incomplete, `Err` for what is not a request head this parser reads.
fn head_length(read: &[u8]) -> Result<Option<usize>, httparse::Error> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    match httparse::Request::new(&mut headers).parse(read)? {
        httparse::Status::Complete(length) => Ok(Some(length)),
        httparse::Status::Partial => Ok(None),
    }
}

/// A request this module may answer: a `GET` or `HEAD` of `/{collection}/{path}`.
#[derive(Debug)]
struct Download<'a> {
    method: &'a str,
    target: &'a str,
    asked: Asked<'a>,
    range: Option<&'a [u8]>,
    /// The client asked for the connection to be closed after the answer.
    close: bool,
}

impl<'a> Download<'a> {
    /// Reads a request head; `None` for whatever is the routes' to answer.
    fn parse(head: &'a [u8]) -> Option<Self> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        if !matches!(request.parse(head), Ok(httparse::Status::Complete(_))) {
            return None;
        }
        let method = request.method.filter(|m| matches!(*m, "GET" | "HEAD"))?;
        // HTTP/1.0's connection rules are the routes' to apply.
        if request.version != Some(1) {
            return None;
        }
        let target = request.path?;
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        // The routes' router decodes escapes; a path with any is left to it.
        if path.contains('%') {
            return None;
        }
        let (collection, raw_path) = path.strip_prefix('/')?.split_once('/')?;
        let (mut authorization, mut range, mut close) = (None, None, false);
        for header in request.headers.iter() {
            let (name, value) = (header.name, header.value);
            let once = |slot: &mut Option<&'a [u8]>| slot.replace(value).is_none();
            let named = |wanted: &str| name.eq_ignore_ascii_case(wanted);
            if named("authorization") {
                once(&mut authorization).then_some(())?;
            } else if named("origin") {
                // Cross-origin reads get CORS headers: the routes' to write.
                return None;
            } else if named("range") {
                once(&mut range).then_some(())?;
            } else if named("connection") {
                for option in std::str::from_utf8(value).ok()?.split(',') {
                    match option.trim().to_ascii_lowercase().as_str() {
                        "close" => close = true,
                        "upgrade" => return None,
                        _ => {}
                    }
                }
            } else if named("content-length") {
                // A body is the routes' to read.
                (value == b"0").then_some(())?;
            } else if named("transfer-encoding") || named("upgrade") || named("expect") {
                return None;
            }
        }
        Some(Self {
            method,
            target,
            asked: Asked {
                collection,
                raw_path,
                query,
                authorization,
            },
            range,
            close,
        })
    }
}

/// How a request went.
enum Answered {
    KeepOpen,
    Close,
    NotMine,
}

impl DataServer {
    /// Answers `download` on `stream` if it reads a local file the caller may read.
    async fn answer(&self, stream: &mut TcpStream, download: &Download<'_>) -> Answered {
        let started = Instant::now();
        // Where the path leads is read, and the file opened, on this thread, as the file's pages
        // are sent from it (a hand-over to a blocking thread would cost more than either).
        let Ok(Authorised {
            storage: Storage::Local(storage),
            path,
            signed,
        }) = self.authorise_here(download.asked, Permission::Read).await
        else {
            return Answered::NotMine;
        };
        let Ok((file, entry)) = storage.open_read_now(&path) else {
            return Answered::NotMine;
        };
        let Some(sent) = download::sent(download.range, &entry) else {
            return Answered::NotMine;
        };
        let request_id = uuid::Uuid::new_v4();
        let span = tracing::info_span!(
            "HTTP request",
            http.method = download.method,
            http.target = download.target,
            %request_id,
        );
        async {
            let now = u64::try_from(self.clock.now()).unwrap_or_default();
            let date = SystemTime::UNIX_EPOCH + Duration::from_secs(now);
            let disposition = signed.then(|| super::signing::disposition(&path));
            let head = response_head(&sent, &request_id, (download.close, disposition), date);
            let mut outcome = stream.write_all(head.as_bytes()).await;
            if outcome.is_ok() && download.method == "GET" {
                outcome = send_file(stream, &file, sent.start, sent.length).await;
            }
            let status = sent.status.as_u16();
            let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
            match &outcome {
                Ok(()) => tracing::info!(status, elapsed_ms, "request"),
                Err(error) => tracing::info!(status, elapsed_ms, %error, "request cut short"),
            }
            match outcome {
                Ok(()) if !download.close => Answered::KeepOpen,
                _ => {
                    let _ = stream.shutdown().await;
                    Answered::Close
                }
            }
        }
        .instrument(span)
        .await
    }
}

/// The status line and headers of a download, as the routes would write them.
fn response_head(
    sent: &Sent,
    request_id: &uuid::Uuid,
    (close, disposition): (bool, Option<String>),
    date: SystemTime,
) -> String {
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {length}\r\naccept-ranges: bytes\r\n\
         content-type: {content_type}\r\n{REQUEST_ID_HEADER}: {request_id}\r\ndate: {date}\r\n",
        status = sent.status,
        length = sent.length,
        content_type = sent.content_type,
        date = httpdate::fmt_http_date(date),
    );
    if let Some(content_range) = &sent.content_range {
        head.push_str(&format!("content-range: {content_range}\r\n"));
    }
    if let Some(disposition) = disposition {
        head.push_str(&format!(
            "content-disposition: {disposition}\r\nvary: Origin\r\n"
        ));
    }
    if close {
        head.push_str("connection: close\r\n");
    }
    head.push_str("\r\n");
    head
}

/// Sends `length` bytes of `file` from `start` to `stream`, from the page cache.
async fn send_file(
    stream: &TcpStream,
    file: &File,
    start: u64,
    length: u64,
) -> std::io::Result<()> {
    let (mut offset, end) = (start, start + length);
    while offset < end {
        stream.writable().await?;
        let wanted = usize::try_from((end - offset).min(SEND_AT_MOST)).unwrap_or(usize::MAX);
        let sent = stream.try_io(Interest::WRITABLE, || {
            Ok(rustix::fs::sendfile(
                stream,
                file,
                Some(&mut offset),
                wanted,
            )?)
        });
        match sent {
            // The file is shorter than it was when opened: the promised length cannot be sent.
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(head: &str) -> Option<Download<'_>> {
        Download::parse(head.as_bytes())
    }

    #[test]
    fn only_plain_downloads_are_answered_here() {
        let download = taken(
            "GET /c1/dir/a.csv?x=1 HTTP/1.1\r\nAuthorization: Bearer t\r\nRange: bytes=1-2\r\n\
             Connection: keep-alive, close\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            (download.asked.collection, download.asked.raw_path),
            ("c1", "dir/a.csv")
        );
        assert_eq!(download.asked.authorization, Some(&b"Bearer t"[..]));
        assert_eq!(download.range, Some(&b"bytes=1-2"[..]));
        assert!(download.close);
        let head = taken("HEAD /c1/a HTTP/1.1\r\nContent-Length: 0\r\n\r\n").unwrap();
        assert!(!head.close && head.asked.authorization.is_none());
        for routes in [
            "PUT /c1/a HTTP/1.1\r\nContent-Length: 1\r\n\r\n",
            "GET /c1/a HTTP/1.1\r\nContent-Length: 3\r\n\r\n",
            "GET /c1/a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET /c1/a HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
            "GET /c1/a HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
            "GET /c1/a HTTP/1.0\r\n\r\n",
            "GET /c1/a%20b HTTP/1.1\r\n\r\n",
            "GET /health HTTP/1.1\r\n\r\n",
            "GET /c1/a HTTP/1.1\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n",
            "GET /c1/a HTTP/1.1\r\nRange: bytes=1-2\r\nRange: bytes=3-4\r\n\r\n",
            "GET /c1/a HTTP/1.1\r\nBad Header\r\n\r\n",
            "OPTIONS /c1/a HTTP/1.1\r\n\r\n",
        ] {
            assert!(taken(routes).is_none(), "{routes:?} is the routes'");
        }
    }

    #[test]
    fn a_download_head_says_what_the_routes_would() {
        let sent = Sent {
            status: actix_web::http::StatusCode::PARTIAL_CONTENT,
            start: 10,
            length: 10,
            content_range: Some("bytes 10-19/100".into()),
            content_type: "text/csv".into(),
        };
        let id = uuid::Uuid::nil();
        let date = SystemTime::UNIX_EPOCH + Duration::from_secs(86_400);
        let head = response_head(&sent, &id, (true, None), date);
        assert!(head.starts_with("HTTP/1.1 206 Partial Content\r\ncontent-length: 10\r\n"));
        for line in [
            "content-range: bytes 10-19/100\r\n",
            "content-type: text/csv\r\n",
            "x-request-id: 00000000-0000-0000-0000-000000000000\r\n",
            "connection: close\r\n",
            "date: Fri, 02 Jan 1970 00:00:00 GMT\r\n",
        ] {
            assert!(head.contains(line), "{line:?} in {head:?}");
        }
        assert!(head.ends_with("\r\n\r\n"));
    }
}
