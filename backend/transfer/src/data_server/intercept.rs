//! The requests that move the bytes, answered on the socket itself. On a plain-HTTP connection
//! the data server reads each request's head here, and answers a `GET` or `HEAD` of a local file
//! the caller may read by sending it from the page cache (`sendfile`), and a `PUT` of one with a
//! `Content-Length` by reading the body off the socket straight into the file (`receive`):
//! nothing between the socket and the disk but one buffer, which is what lets one core keep up
//! with nginx.
//!
//! Everything else — `/health`, every refusal, a range beyond the file, a file in a bucket, a URL
//! with percent-escapes, a download with a body, a chunked upload, an upgrade, HTTP/1.0, a head
//! too long — is handed over, with the connection and what was read of it, to the actix-web
//! routes, which answer it as they answer every request over TLS. So there is one behaviour,
//! with a shortcut for each request that moves the bytes.

use super::{Asked, DataServer};
use bytes::{Buf, BytesMut};
use mrdp_service::http::{GracefulShutdownSignal, Interceptor, REQUEST_ID_HEADER, Unanswered};
use std::time::{Duration, Instant, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The longest request head read here; a longer one goes to the routes (which refuse it).
const HEAD_LIMIT: usize = 16 << 10;
/// How long the next request head may take to arrive whole (actix-web's keep-alive and request
/// timeouts are as long).
const IDLE: Duration = Duration::from_secs(5);

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
            let (head, after) = read.split_at(length);
            let Some(request) = Request::parse(head) else {
                break;
            };
            let (answered, body_read) = match request.body {
                None => (self.send(&mut stream, &request).await, 0),
                Some(body) => {
                    let buffered = &after[..after.len().min(body.buffered_limit())];
                    let answered = self.receive(&mut stream, &request, body, buffered).await;
                    (answered, buffered.len())
                }
            };
            match answered {
                Answered::KeepOpen => read.advance(length + body_read),
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

/// How a request went.
pub(super) enum Answered {
    /// Answered whole; the next request may follow.
    KeepOpen,
    /// Answered as far as it could be, and the connection closed.
    Close,
    /// Not taken: nothing was written, and nothing read beyond the head.
    NotMine,
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
        if let Some(end) = read.windows(4).position(|window| window == b"\r\n\r\n") {
            return Next::Head(end + 4);
        }
        if read.len() >= HEAD_LIMIT {
            return Next::NotMine;
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

/// A request answered here: a `GET` or `HEAD` of `/{collection}/{path}`, or a `PUT` of one with
/// a body of known length.
#[derive(Debug)]
pub(super) struct Request<'a> {
    pub method: &'a str,
    pub target: &'a str,
    pub asked: Asked<'a>,
    pub range: Option<&'a [u8]>,
    /// The client asked for the connection to be closed after the answer.
    pub close: bool,
    /// A `PUT`'s body.
    pub body: Option<Body>,
}

/// The body of a `PUT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Body {
    pub length: u64,
    /// The client waits for `100 Continue` before sending it.
    pub expects_continue: bool,
}

impl Body {
    /// How much of what was read after the head can be this body.
    fn buffered_limit(self) -> usize {
        usize::try_from(self.length).unwrap_or(usize::MAX)
    }
}

impl<'a> Request<'a> {
    /// Reads a request head; `None` for whatever is the routes' to answer.
    pub(super) fn parse(head: &'a [u8]) -> Option<Self> {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut request = httparse::Request::new(&mut headers);
        if !matches!(request.parse(head), Ok(httparse::Status::Complete(_))) {
            return None;
        }
        let method = request
            .method
            .filter(|m| matches!(*m, "GET" | "HEAD" | "PUT"))?;
        // HTTP/1.0's connection rules are the routes' to apply.
        if request.version != Some(1) {
            return None;
        }
        let target = request.path?;
        let path = target.split_once('?').map_or(target, |(path, _)| path);
        // The routes' router decodes escapes; a path with any is left to it.
        if path.contains('%') {
            return None;
        }
        let (collection, raw_path) = path.strip_prefix('/')?.split_once('/')?;
        let (mut authorization, mut range, mut length) = (None, None, None);
        let (mut close, mut expects_continue) = (false, false);
        for header in request.headers.iter() {
            let (name, value) = (header.name, header.value);
            let once = |slot: &mut Option<&'a [u8]>| slot.replace(value).is_none();
            let named = |wanted: &str| name.eq_ignore_ascii_case(wanted);
            if named("authorization") {
                once(&mut authorization).then_some(())?;
            } else if named("range") {
                once(&mut range).then_some(())?;
            } else if named("content-length") {
                once(&mut length).then_some(())?;
            } else if named("connection") {
                for option in std::str::from_utf8(value).ok()?.split(',') {
                    match option.trim().to_ascii_lowercase().as_str() {
                        "close" => close = true,
                        "upgrade" => return None,
                        _ => {}
                    }
                }
            } else if named("expect") {
                value.eq_ignore_ascii_case(b"100-continue").then_some(())?;
                expects_continue = true;
            } else if named("transfer-encoding") || named("upgrade") {
                return None;
            }
        }
        let told = length.is_some();
        let length = match length {
            Some(digits) if digits.iter().all(u8::is_ascii_digit) => {
                std::str::from_utf8(digits).ok()?.parse::<u64>().ok()?
            }
            Some(_) => return None,
            None => 0,
        };
        let body = match method {
            // An upload's length must be told; a chunked one is the routes'.
            "PUT" => told.then_some(Some(Body {
                length,
                expects_continue,
            }))?,
            // A download with a body is the routes' to read.
            _ => (length == 0 && !expects_continue).then_some(None)?,
        };
        Some(Self {
            method,
            target,
            asked: Asked {
                collection,
                raw_path,
                authorization,
            },
            range,
            close,
            body,
        })
    }
}

/// The status line and headers of an answer, as the routes would write them: `headers`, then the
/// length, the request id, the date and, when the connection closes after it, `connection`.
pub(super) fn response_head<'h>(
    status: actix_web::http::StatusCode,
    headers: impl IntoIterator<Item = (&'h str, &'h str)>,
    length: u64,
    request_id: &uuid::Uuid,
    close: bool,
    date: SystemTime,
) -> String {
    let mut head = format!("HTTP/1.1 {status}\r\ncontent-length: {length}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let date = httpdate::fmt_http_date(date);
    head.push_str(&format!(
        "{REQUEST_ID_HEADER}: {request_id}\r\ndate: {date}\r\n"
    ));
    if close {
        head.push_str("connection: close\r\n");
    }
    head.push_str("\r\n");
    head
}

impl DataServer {
    /// The time now, for a `Date` header.
    pub(super) fn date(&self) -> SystemTime {
        let now = u64::try_from(self.clock.now()).unwrap_or_default();
        SystemTime::UNIX_EPOCH + Duration::from_secs(now)
    }
}

impl Request<'_> {
    /// The span an answer given here is logged in, named as the routes name theirs.
    pub(super) fn span(&self, request_id: &uuid::Uuid) -> tracing::Span {
        tracing::info_span!(
            "HTTP request",
            http.method = self.method,
            http.target = self.target,
            %request_id,
        )
    }
}

/// Logs how an answer given here went (in its span, as the routes log theirs), and closes the
/// connection when the answer failed or was the last: what is left of the connection.
pub(super) async fn answered(
    stream: &mut TcpStream,
    status: u16,
    started: Instant,
    outcome: std::io::Result<()>,
    close: bool,
) -> Answered {
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Err(error) = &outcome {
        tracing::info!(status, elapsed_ms, %error, "request cut short");
    } else {
        tracing::info!(status, elapsed_ms, "request");
    }
    if outcome.is_err() || close {
        let _ = stream.shutdown().await;
        return Answered::Close;
    }
    Answered::KeepOpen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(head: &str) -> Option<Request<'_>> {
        Request::parse(head.as_bytes())
    }

    #[test]
    fn only_plain_downloads_and_uploads_of_known_length_are_answered_here() {
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
        assert!(download.close && download.body.is_none());
        let head = taken("HEAD /c1/a HTTP/1.1\r\nContent-Length: 0\r\n\r\n").unwrap();
        assert!(!head.close && head.asked.authorization.is_none());
        let upload = taken("PUT /c1/a HTTP/1.1\r\nContent-Length: 12\r\n\r\n").unwrap();
        let told = |length, expects_continue| {
            Some(Body {
                length,
                expects_continue,
            })
        };
        assert_eq!(upload.body, told(12, false));
        let waiting = "PUT /c1/a HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(taken(waiting).unwrap().body, told(0, true));
        for routes in [
            "PUT /c1/a HTTP/1.1\r\n\r\n",
            "PUT /c1/a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "PUT /c1/a HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
            "PUT /c1/a HTTP/1.1\r\nContent-Length: +1\r\n\r\n",
            "PUT /c1/a HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
            "PUT /c1/a HTTP/1.1\r\nContent-Length: 1\r\nExpect: something-else\r\n\r\n",
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
    fn an_answer_head_says_what_the_routes_would() {
        let id = uuid::Uuid::nil();
        let date = SystemTime::UNIX_EPOCH + Duration::from_secs(86_400);
        let status = actix_web::http::StatusCode::PARTIAL_CONTENT;
        let headers = [
            ("content-range", "bytes 10-19/100"),
            ("content-type", "text/csv"),
        ];
        let head = response_head(status, headers, 10, &id, true, date);
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
        let kept = response_head(status, [], 0, &id, false, date);
        assert!(!kept.contains("connection"));
    }
}
