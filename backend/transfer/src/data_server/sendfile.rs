//! Downloads sent from the page cache to the socket by the kernel (`sendfile`), never copied
//! through the process: a `GET` or `HEAD` of a local file the caller may read, on a plain-HTTP
//! connection (see `intercept`).

use super::DataServer;
use super::download::{self, Sent};
use super::intercept::{Answered, Request, answered, response_head};
use crate::access::Permission;
use crate::storage::Storage;
use std::fs::File;
use std::time::{Instant, SystemTime};
use tokio::io::{AsyncWriteExt, Interest};
use tokio::net::TcpStream;
use tracing::Instrument;

/// The most one `sendfile` call is asked to send.
const SEND_AT_MOST: u64 = 1 << 30;

impl DataServer {
    /// Answers `download` on `stream` if it reads a local file the caller may read.
    pub(super) async fn send(&self, stream: &mut TcpStream, download: &Request<'_>) -> Answered {
        let started = Instant::now();
        let Ok((Storage::Local(storage), path)) =
            self.authorise(download.asked, Permission::Read).await
        else {
            return Answered::NotMine;
        };
        let Ok((file, entry)) = storage.open_read(&path).await else {
            return Answered::NotMine;
        };
        let Some(sent) = download::sent(download.range, &entry) else {
            return Answered::NotMine;
        };
        let request_id = uuid::Uuid::new_v4();
        async {
            let head = download_head(&sent, &request_id, download.close, self.date());
            let mut outcome = stream.write_all(head.as_bytes()).await;
            if outcome.is_ok() && download.method == "GET" {
                outcome = send_file(stream, &file, sent.start, sent.length).await;
            }
            let status = sent.status.as_u16();
            answered(stream, status, started, outcome, download.close).await
        }
        .instrument(download.span(&request_id))
        .await
    }
}

/// The status line and headers of a download, as the routes would write them.
fn download_head(sent: &Sent, request_id: &uuid::Uuid, close: bool, date: SystemTime) -> String {
    let mut headers = vec![
        ("accept-ranges", "bytes"),
        ("content-type", sent.content_type.as_str()),
    ];
    if let Some(content_range) = &sent.content_range {
        headers.push(("content-range", content_range.as_str()));
    }
    response_head(sent.status, headers, sent.length, request_id, close, date)
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
    use std::time::Duration;

    #[test]
    fn a_download_head_says_what_the_routes_would() {
        let sent = Sent {
            status: actix_web::http::StatusCode::PARTIAL_CONTENT,
            start: 10,
            length: 10,
            content_range: Some("bytes 10-19/100".into()),
            content_type: "text/csv".into(),
        };
        let date = SystemTime::UNIX_EPOCH + Duration::from_secs(86_400);
        let head = download_head(&sent, &uuid::Uuid::nil(), false, date);
        assert!(head.starts_with("HTTP/1.1 206 Partial Content\r\ncontent-length: 10\r\n"));
        for line in [
            "accept-ranges: bytes\r\n",
            "content-range: bytes 10-19/100\r\n",
            "content-type: text/csv\r\n",
        ] {
            assert!(head.contains(line), "{line:?} in {head:?}");
        }
    }
}
