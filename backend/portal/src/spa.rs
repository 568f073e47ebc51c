//! Serving the single-page app from `dist/`.
//!
//! Files that exist are served, in the compressed form the browser accepts when the build made
//! one (see `precompressed`). Any other path without a file extension is a client route
//! (`/datasets/nyc`): it gets `index.html` so that the router in the browser takes over.
//! A missing asset (`/missing.js`) is a 404, not an HTML page the browser would fail to parse.

mod precompressed;

use crate::{PortalError, PortalState};
use actix_files::PathBufWrap;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, guard, web};
use std::path::{Path, PathBuf};

const INDEX: &str = "index.html";

/// Registers the web app on every path (after the routes registered before it); other methods
/// than `GET` and `HEAD` are 405.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/{path:.*}").route(
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(get_web_app_file),
        ),
    );
}

/// `GET`/`HEAD` of a file of the web app, or of `index.html` for a client route.
pub(crate) async fn get_web_app_file(
    req: HttpRequest,
    state: web::Data<PortalState>,
) -> Result<HttpResponse, PortalError> {
    let file = locate(&state.dist_dir, req.path())?;
    let mut response = precompressed::respond(&req, &file)?;
    if file.file_name() == Some(INDEX.as_ref()) {
        // index.html names the hashed assets of the current build: always revalidate it.
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    Ok(response)
}

/// The file `path` names in `dist`: the file itself, a directory's `index.html`, or the app's
/// `index.html` for a client route; an error for a missing asset or an unbuilt app. (Looking a
/// name up in a directory is quicker done here than handed to a thread, as actix-files does it.)
fn locate(dist: &Path, path: &str) -> Result<PathBuf, PortalError> {
    // Decodes escapes and refuses `..` above the root, hidden files and the like.
    let relative = PathBufWrap::parse_path(path, false)
        .map_err(|e| PortalError::BadRequest(format!("no file of the web app is {path}: {e}")))?;
    let mut file = dist.join(relative);
    if file.is_dir() {
        file.push(INDEX);
    }
    if file.is_file() {
        return Ok(file);
    }
    if looks_like_asset(path) {
        return Err(PortalError::NotFound(format!("no file {path}")));
    }
    let index = dist.join(INDEX);
    if index.is_file() {
        Ok(index)
    } else {
        Err(PortalError::WebAppMissing)
    }
}

/// Whether the last path segment has a file extension (`app.js`), unlike a client route.
fn looks_like_asset(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|segment| segment.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::looks_like_asset;

    #[test]
    fn client_routes_and_assets_are_told_apart() {
        for route in ["/", "/datasets", "/datasets/nyc", "/profile/"] {
            assert!(!looks_like_asset(route), "{route}");
        }
        for asset in ["/app.js", "/mrdp-frontend-5f2a_bg.wasm", "/favicon.ico"] {
            assert!(looks_like_asset(asset), "{asset}");
        }
    }
}
