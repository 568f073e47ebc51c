//! The compressed forms of the web app's files. A release build leaves `<file>.br` (brotli) and
//! `<file>.gz` (gzip) beside each compressible file (`scripts/compress-web-app`, Trunk's
//! post-build hook); a request gets the form its `Accept-Encoding` prefers among those that exist
//! (higher q-value first, then brotli before gzip; without the header, with `identity` preferred
//! or with neither form acceptable: the file as it is), with the file's own `Content-Type` and
//! `Content-Disposition`, `Vary: Accept-Encoding`, and the validators (`ETag`, `Last-Modified`)
//! of the form sent. A `Range` is always cut from the file as it is, so that the parts of a
//! resumed download never come from two forms.

use crate::PortalError;
use actix_files::NamedFile;
use actix_web::http::header::{self, AcceptEncoding, ContentEncoding, Encoding, HeaderValue};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use std::path::{Path, PathBuf};

/// The forms a build makes, by the suffix added to the file's name.
const FORMS: [(ContentEncoding, &str); 2] = [
    (ContentEncoding::Brotli, "br"),
    (ContentEncoding::Gzip, "gz"),
];

/// Files smaller than this are read as their response is written, not on a thread of their own:
/// their head and body go out together, with no hand-over to another thread.
const READ_AT_ONCE: u64 = 64 << 10;

/// The response to `req` for `file`, in the form the request prefers.
pub(super) fn respond(req: &HttpRequest, file: &Path) -> Result<HttpResponse, PortalError> {
    let plain = NamedFile::open(file)?;
    let sent = match preferred_form(req, file) {
        Some((encoding, form)) => NamedFile::open(form)?
            .set_content_type(plain.content_type().clone())
            .set_content_disposition(plain.content_disposition().clone())
            .set_content_encoding(encoding),
        None => plain,
    };
    let mut response = sent.read_mode_threshold(READ_AT_ONCE).into_response(req);
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(response)
}

/// The compressed form of `file` that `req` prefers and the build made, with its encoding;
/// `None` for the file as it is.
fn preferred_form(req: &HttpRequest, file: &Path) -> Option<(ContentEncoding, PathBuf)> {
    if req.headers().contains_key(header::RANGE)
        || !req.headers().contains_key(header::ACCEPT_ENCODING)
    {
        return None;
    }
    // An unreadable header asks for nothing in particular.
    let accepted = req.get_header::<AcceptEncoding>()?;
    let mut built = vec![(ContentEncoding::Identity, file.to_owned())];
    for (encoding, suffix) in FORMS {
        let mut name = file.as_os_str().to_owned();
        name.push(".");
        name.push(suffix);
        let form = PathBuf::from(name);
        if form.is_file() {
            built.push((encoding, form));
        }
    }
    let encodings: Vec<Encoding> = built.iter().map(|(e, _)| Encoding::Known(*e)).collect();
    let chosen = accepted.negotiate(encodings.iter())?;
    built
        .into_iter()
        .find(|(encoding, _)| Encoding::Known(*encoding) == chosen)
        .filter(|(encoding, _)| *encoding != ContentEncoding::Identity)
}
