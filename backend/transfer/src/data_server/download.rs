//! Sending a file: the whole of it or one byte range (`Range: bytes=a-b`, `a-`, `-n`), streamed
//! from the storage as it is read, so memory stays at a few blocks whatever the file's size.

use crate::storage::{Entry, Opened};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

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
pub fn wanted(range: Option<&[u8]>, size: u64) -> Wanted {
    let Some(spec) = range
        .and_then(|value| std::str::from_utf8(value).ok())
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

/// What is sent of a file: all of it, or one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub status: StatusCode,
    /// The first byte sent.
    pub start: u64,
    /// How many bytes are sent.
    pub length: u64,
    /// The `Content-Range` header of a part.
    pub content_range: Option<String>,
    pub content_type: String,
}

/// What is sent of the file `entry` for the `Range` header `range`; `None` when the range is
/// beyond the file (416, with `Content-Range: bytes */size`).
pub fn sent(range: Option<&[u8]>, entry: &Entry) -> Option<Sent> {
    let size = entry.size;
    let (status, start, length) = match wanted(range, size) {
        Wanted::Whole => (StatusCode::OK, 0, size),
        Wanted::Part(first, last) => (StatusCode::PARTIAL_CONTENT, first, last - first + 1),
        Wanted::Unsatisfiable => return None,
    };
    let content_range = (status == StatusCode::PARTIAL_CONTENT)
        .then(|| format!("bytes {start}-{}/{size}", start + length - 1));
    let content_type = std::path::Path::new(&entry.name)
        .extension()
        .and_then(|ext| ext.to_str())
        .map_or(
            mime::APPLICATION_OCTET_STREAM,
            actix_files::file_extension_to_mime,
        )
        .to_string();
    Some(Sent {
        status,
        start,
        length,
        content_range,
        content_type,
    })
}

/// The response for the `opened` file to `req` (a `GET` or a `HEAD`).
pub fn respond(req: &HttpRequest, opened: Opened) -> HttpResponse {
    let range = req
        .headers()
        .get(header::RANGE)
        .map(|value| value.as_bytes());
    let Some(sent) = sent(range, &opened.entry) else {
        return HttpResponse::RangeNotSatisfiable()
            .insert_header((
                header::CONTENT_RANGE,
                format!("bytes */{}", opened.entry.size),
            ))
            .finish();
    };
    let mut response = HttpResponse::build(sent.status);
    response
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::CONTENT_TYPE, sent.content_type));
    if let Some(content_range) = sent.content_range {
        response.insert_header((header::CONTENT_RANGE, content_range));
    }
    if req.method() == actix_web::http::Method::HEAD {
        // The length of what a GET would send; the server sends no body for a HEAD.
        let nothing = futures_util::stream::empty::<crate::storage::Chunk>();
        return response.body(actix_web::body::SizedStream::new(sent.length, nothing));
    }
    response
        .no_chunking(sent.length)
        .streaming(opened.chunks(sent.start, sent.length))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(range: &str, size: u64) -> Wanted {
        wanted(Some(range.as_bytes()), size)
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
