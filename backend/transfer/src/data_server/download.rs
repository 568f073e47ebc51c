//! Sending a file: the whole of it or one byte range (`Range: bytes=a-b`, `a-`, `-n`), read in
//! large blocks on a blocking thread and streamed through a small bounded queue, so memory stays
//! at a few blocks whatever the file's size.

use crate::storage::Entry;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use std::io::{Read, Seek, SeekFrom};

/// Bytes read per block.
const BLOCK: usize = 4 << 20;
/// Blocks read ahead of the network.
const QUEUE: usize = 4;

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    Whole,
    /// Inclusive byte positions.
    Part(u64, u64),
    Unsatisfiable,
}

/// Reads a single-range `Range` header; anything else (several ranges, other units, nonsense)
/// is answered with the whole file, as RFC 9110 allows.
pub fn wanted(range: Option<&HeaderValue>, size: u64) -> Wanted {
    let Some(spec) = range
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().strip_prefix("bytes="))
        .filter(|spec| !spec.contains(','))
    else {
        return Wanted::Whole;
    };
    let Some((first, last)) = spec.split_once('-') else {
        return Wanted::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let bounds = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(first), Ok(last)) if first <= last => (first, last.min(size.saturating_sub(1))),
        (Ok(first), Err(_)) if last.is_empty() => (first, size.saturating_sub(1)),
        (Err(_), Ok(suffix)) if first.is_empty() && suffix > 0 => {
            (size.saturating_sub(suffix), size.saturating_sub(1))
        }
        _ => return Wanted::Whole,
    };
    if bounds.0 >= size {
        Wanted::Unsatisfiable
    } else {
        Wanted::Part(bounds.0, bounds.1)
    }
}

/// The response for `file` (described by `entry`) to `req` (a `GET` or a `HEAD`).
pub fn respond(req: &HttpRequest, file: std::fs::File, entry: &Entry) -> HttpResponse {
    let size = entry.size;
    let (status, start, length) = match wanted(req.headers().get(header::RANGE), size) {
        Wanted::Whole => (StatusCode::OK, 0, size),
        Wanted::Part(first, last) => (StatusCode::PARTIAL_CONTENT, first, last - first + 1),
        Wanted::Unsatisfiable => {
            return HttpResponse::RangeNotSatisfiable()
                .insert_header((header::CONTENT_RANGE, format!("bytes */{size}")))
                .finish();
        }
    };
    let mime = std::path::Path::new(&entry.name)
        .extension()
        .and_then(|ext| ext.to_str())
        .map_or(
            mime::APPLICATION_OCTET_STREAM,
            actix_files::file_extension_to_mime,
        );
    let mut response = HttpResponse::build(status);
    response
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::CONTENT_TYPE, mime.to_string()));
    if status == StatusCode::PARTIAL_CONTENT {
        response.insert_header((
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{size}", start + length - 1),
        ));
    }
    if req.method() == actix_web::http::Method::HEAD {
        // The length of what a GET would send; the server sends no body for a HEAD.
        let nothing = futures_util::stream::empty::<Block>();
        return response.body(actix_web::body::SizedStream::new(length, nothing));
    }
    response
        .no_chunking(length)
        .streaming(blocks(file, start, length))
}

type Block = Result<actix_web::web::Bytes, std::io::Error>;

/// `length` bytes of `file` from `start`, as a stream of blocks read on a blocking thread.
fn blocks(
    mut file: std::fs::File,
    start: u64,
    length: u64,
) -> impl futures_util::Stream<Item = Block> {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Block>(QUEUE);
    tokio::task::spawn_blocking(move || {
        if let Err(e) = file.seek(SeekFrom::Start(start)) {
            let _ = sender.blocking_send(Err(e));
            return;
        }
        let mut left = length;
        while left > 0 {
            let wanted = left.min(BLOCK as u64);
            // Read into fresh capacity: no pass over the block to zero it first.
            let mut block = Vec::with_capacity(BLOCK);
            let read = match Read::by_ref(&mut file).take(wanted).read_to_end(&mut block) {
                Ok(0) => Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)),
                other => other,
            };
            let item = read.map(|read| {
                left -= read as u64;
                actix_web::web::Bytes::from(block)
            });
            let failed = item.is_err();
            // The client went away: stop reading.
            if sender.blocking_send(item).is_err() || failed {
                return;
            }
        }
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|block| (block, receiver))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(range: &str, size: u64) -> Wanted {
        wanted(Some(&HeaderValue::from_str(range).unwrap()), size)
    }

    #[test]
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(wanted(None, 100), Wanted::Whole);
        assert_eq!(asked("bytes=10-19", 100), Wanted::Part(10, 19));
        assert_eq!(asked("bytes=90-", 100), Wanted::Part(90, 99));
        assert_eq!(asked("bytes=-5", 100), Wanted::Part(95, 99));
        assert_eq!(
            asked("bytes=-500", 100),
            Wanted::Part(0, 99),
            "a suffix longer than the file"
        );
        assert_eq!(asked("bytes=50-5000", 100), Wanted::Part(50, 99));
        assert_eq!(asked("bytes=100-", 100), Wanted::Unsatisfiable);
        for ignored in [
            "bytes=1-2,5-6",
            "items=1-2",
            "bytes=5-1",
            "bytes=x-y",
            "bytes=-0",
        ] {
            assert_eq!(asked(ignored, 100), Wanted::Whole, "{ignored}");
        }
    }
}
