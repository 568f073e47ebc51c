//! The routes of signed URLs: `POST /signed-urls` signs one for the bearer of a token for the
//! collection, for a file it may read; a signed download is sent as an attachment, and to the
//! configured portal origins with CORS headers (so the web app can read a file its researcher may
//! read); `OPTIONS` answers their preflight.

use super::signed::{LIFETIME, UrlSigner};
use super::{Asked, DataError, DataServer};
use crate::access::Permission;
use crate::paths::CollectionPath;
use crate::storage::LastLink;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};

/// What the data server signs URLs with, where they point, and which web origins may read them.
#[derive(Debug)]
pub struct SignedUrls {
    pub signer: UrlSigner,
    /// The data server's base URL as clients reach it.
    pub public_url: String,
    /// Origins (`https://portal.example.org`) whose pages may read signed downloads.
    pub origins: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    collection: String,
    /// The file, absolute in the collection (`/sea/2012.csv`).
    path: String,
}

#[derive(Debug, Serialize)]
pub struct SignedUrl {
    url: String,
    expires_at: i64,
}

/// `POST /signed-urls {collection, path}` with a bearer token for the collection's HTTPS scope.
pub async fn sign_url(
    req: HttpRequest,
    server: web::Data<DataServer>,
    body: web::Json<SignRequest>,
) -> Result<web::Json<SignedUrl>, DataError> {
    let raw_path = body.path.strip_prefix('/').unwrap_or(&body.path);
    let asked = Asked {
        collection: &body.collection,
        raw_path,
        query: "",
        authorization: super::bearer::authorization(&req),
    };
    let request = server.request(asked).await?;
    let Some(caller) = request.caller.clone() else {
        return Err(DataError::Unauthenticated(
            "signing a URL needs a bearer token".to_owned(),
        ));
    };
    let now = server.clock.now();
    let at = (&request.path, LastLink::Follow);
    let granted = request.judge.permission(Some(&caller), at, now).await?;
    let collection = request.judge.collection().id.clone();
    let authorised = request.allowed(granted, Permission::Read)?;
    let entry = authorised.storage.stat(&authorised.path).await?;
    if entry.kind != crate::storage::EntryKind::File {
        return Err(DataError::NotFound("no such file".to_owned()));
    }
    let expires_at = now + LIFETIME;
    let signed_path = format!("/{}", authorised.path.relative());
    let query = server
        .signed_urls
        .signer
        .sign(&collection, &signed_path, &caller, expires_at);
    let base = server.signed_urls.public_url.trim_end_matches('/');
    let path = url_path(&authorised.path);
    Ok(web::Json(SignedUrl {
        url: format!("{base}/{collection}{path}?{query}"),
        expires_at,
    }))
}

/// The path as a URL carries it and the router gives it back: each name percent-encoded.
fn url_path(path: &CollectionPath) -> String {
    const NAME: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let relative = path.relative();
    let mut encoded = String::new();
    for name in relative.split('/') {
        encoded.push('/');
        encoded.extend(utf8_percent_encode(name, NAME));
    }
    encoded
}

/// Headers of a signed download: an attachment with the file's name, and CORS for an allowed
/// origin.
pub fn mark_signed(
    req: &HttpRequest,
    urls: &SignedUrls,
    path: &CollectionPath,
    response: &mut HttpResponse,
) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&disposition(path)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    allow_origin(req, urls, headers);
}

/// `Content-Disposition` of a signed download: an attachment named as the file (ASCII, and
/// RFC 8187's UTF-8 form).
pub fn disposition(path: &CollectionPath) -> String {
    let name = path.name().unwrap_or("download");
    let plain: String = name
        .chars()
        .map(|c| match c {
            ' ' => ' ',
            '"' | '\\' => '_',
            c if c.is_ascii_graphic() => c,
            _ => '_',
        })
        .collect();
    let encoded = utf8_percent_encode(name, NON_ALPHANUMERIC);
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

fn allow_origin(req: &HttpRequest, urls: &SignedUrls, headers: &mut header::HeaderMap) {
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return;
    };
    if urls
        .origins
        .iter()
        .any(|allowed| allowed.as_bytes() == origin.as_bytes())
    {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("Content-Length, Content-Range, Content-Disposition"),
        );
    }
}

/// `OPTIONS` of a file: the preflight of a cross-origin read with `Range`.
pub async fn preflight(req: HttpRequest, server: web::Data<DataServer>) -> HttpResponse {
    let mut response = HttpResponse::NoContent().finish();
    let headers = response.headers_mut();
    allow_origin(&req, &server.signed_urls, headers);
    if headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Range"),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
    }
    response
}
