//! Uploads read off the socket: a `PUT` of a local file the caller may write, with a
//! `Content-Length`, on a plain-HTTP connection (see `intercept`). The body goes from the socket
//! in blocks, through the short queue of the writing thread (`write_chunks`), into the temporary
//! file — no HTTP machinery in between — and the upload is journalled, made durable and put in
//! place exactly as the routes do it ([`LocalUpload`]). What went wrong once the body started
//! is answered here, as the routes would answer it.

use super::intercept::{Answered, Body, Request, answered, response_head};
use super::upload::{DRAIN_AT_MOST, LocalUpload};
use super::{DataError, DataServer};
use crate::access::Permission;
use crate::storage::Storage;
use crate::storage::local::{WRITE_BUFFER, write_chunks};
use actix_web::{HttpResponse, ResponseError};
use bytes::{BufMut, Bytes, BytesMut};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tracing::Instrument;

/// Bytes read off the socket before they are handed to the writer: a whole write buffer, which
/// is written without being gathered, and small enough that the writer's queue stays a few MiB.
const BLOCK: usize = WRITE_BUFFER;
/// How long a body may send nothing before the upload is given up.
const BODY_IDLE: Duration = Duration::from_secs(60);
/// The interim answer to `Expect: 100-continue`.
const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

impl DataServer {
    /// Answers `upload` (whose `body` follows, `buffered` of it already read) on `stream` if it
    /// writes a local file the caller may write; anything refused before the body is read is the
    /// routes' to answer.
    pub(super) async fn receive(
        &self,
        stream: &mut TcpStream,
        upload: &Request<'_>,
        body: Body,
        buffered: &[u8],
    ) -> Answered {
        let started = Instant::now();
        let Ok((Storage::Local(storage), path)) =
            self.authorise(upload.asked, Permission::ReadWrite).await
        else {
            return Answered::NotMine;
        };
        let Ok(local) = LocalUpload::begin(self, &storage, &path).await else {
            return Answered::NotMine;
        };
        let request_id = uuid::Uuid::new_v4();
        async {
            let mut reader = BodyReader::new(stream, buffered, body.length);
            if body.expects_continue && reader.stream.write_all(CONTINUE).await.is_err() {
                reader.broken = Some("the client went away".to_owned());
            }
            let written = match (reader.broken.clone(), local.file()) {
                (Some(why), _) => Err(std::io::Error::other(why)),
                (None, Ok(file)) => write_chunks(std::pin::pin!(reader.blocks()), file).await,
                (None, Err(error)) => Err(error),
            };
            let stored = local.finish(self, written).await;
            let answer = match (stored, reader.broken.take()) {
                (Ok(()), _) => HttpResponse::Ok().finish(),
                (Err(_), Some(why)) => DataError::UploadFailed(why).error_response(),
                (Err(error), None) => {
                    reader.drain().await;
                    DataError::from(error).error_response()
                }
            };
            let close = upload.close || reader.left > 0;
            let status = answer.status().as_u16();
            let outcome = write_answer(reader.stream, answer, &request_id, close, self).await;
            answered(reader.stream, status, started, outcome, close).await
        }
        .instrument(upload.span(&request_id))
        .await
    }
}

/// A request body of known length being read off the socket.
struct BodyReader<'s> {
    stream: &'s mut TcpStream,
    /// What was read with the head and is not handed out yet.
    buffered: Option<Bytes>,
    /// Bytes of the body still on the socket.
    left: u64,
    /// Why the body stopped short, once it did.
    broken: Option<String>,
}

impl<'s> BodyReader<'s> {
    fn new(stream: &'s mut TcpStream, buffered: &[u8], length: u64) -> Self {
        Self {
            stream,
            buffered: (!buffered.is_empty()).then(|| Bytes::copy_from_slice(buffered)),
            left: length - buffered.len() as u64,
            broken: None,
        }
    }

    /// The next block of the body; `None` at its end or once it broke (the error is given once,
    /// then kept in `broken`).
    async fn next_block(&mut self) -> Option<std::io::Result<Bytes>> {
        if let Some(buffered) = self.buffered.take() {
            return Some(Ok(buffered));
        }
        if self.left == 0 || self.broken.is_some() {
            return None;
        }
        let wanted = usize::try_from(self.left).map_or(BLOCK, |left| left.min(BLOCK));
        let mut block = BytesMut::with_capacity(wanted);
        while block.len() < wanted {
            let room = wanted - block.len();
            let mut room = (&mut block).limit(room);
            let read = match tokio::time::timeout(BODY_IDLE, self.stream.read_buf(&mut room)).await
            {
                Ok(Ok(0)) => Err(std::io::ErrorKind::UnexpectedEof.into()),
                Ok(Ok(read)) => Ok(read),
                Ok(Err(error)) => Err(error),
                Err(_) => Err(std::io::ErrorKind::TimedOut.into()),
            };
            if let Err(error) = read {
                self.broken = Some(format!("the body stopped short: {error}"));
                return Some(Err(error));
            }
        }
        self.left -= block.len() as u64;
        Some(Ok(block.freeze()))
    }

    /// The body's blocks as a stream.
    fn blocks(&mut self) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + '_ {
        futures_util::stream::unfold(self, |reader| async move {
            let block = reader.next_block().await?;
            Some((block, reader))
        })
    }

    /// Reads and drops the rest of a body whose upload failed (up to `DRAIN_AT_MOST`), so that
    /// the client reads the answer rather than a reset connection.
    async fn drain(&mut self) {
        let mut drained = 0_u64;
        while drained <= DRAIN_AT_MOST {
            match self.next_block().await {
                Some(Ok(block)) => drained += block.len() as u64,
                _ => return,
            }
        }
    }
}

/// Writes `answer` on `stream`, with the headers the routes would add; closes the connection
/// after it when `close`.
async fn write_answer(
    stream: &mut TcpStream,
    answer: HttpResponse,
    request_id: &uuid::Uuid,
    close: bool,
    server: &DataServer,
) -> std::io::Result<()> {
    let status = answer.status();
    let (answer, body) = answer.into_parts();
    let body = actix_web::body::to_bytes(body)
        .await
        .map_err(|error| std::io::Error::other(error.to_string()))?;
    let headers = answer
        .headers()
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)));
    let head = response_head(
        status,
        headers,
        body.len() as u64,
        request_id,
        close,
        server.date(),
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&body).await
}
