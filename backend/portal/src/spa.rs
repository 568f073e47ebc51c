//! Serving the single-page app from `dist/`.
//!
//! Files that exist are served as they are. Any other path without a file extension is a client
//! route (`/datasets/nyc`): it gets `index.html` so that the router in the browser takes over.
//! A missing asset (`/missing.js`) is a 404, not an HTML page the browser would fail to parse.

use crate::PortalError;
use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::web;
use std::path::{Path, PathBuf};

const INDEX: &str = "index.html";

pub(crate) fn configure(cfg: &mut web::ServiceConfig, dist_dir: &Path) {
    let index = dist_dir.join(INDEX);
    cfg.service(
        Files::new("/", dist_dir)
            .index_file(INDEX)
            .default_handler(fn_service(move |req: ServiceRequest| {
                let index = index.clone();
                async move {
                    let (req, _) = req.into_parts();
                    let response = match client_route_page(req.path(), index).await {
                        Ok(page) => page.use_last_modified(true).into_response(&req),
                        Err(e) => actix_web::ResponseError::error_response(&e),
                    };
                    let mut response = ServiceResponse::new(req, response);
                    // index.html names the hashed assets of the current build: always revalidate it.
                    response
                        .headers_mut()
                        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                    Ok::<_, actix_web::Error>(response)
                }
            })),
    );
}

/// `index.html` for a client route; an error for a missing asset or an unbuilt app.
async fn client_route_page(path: &str, index: PathBuf) -> Result<NamedFile, PortalError> {
    if looks_like_asset(path) {
        return Err(PortalError::NotFound(format!("no file {path}")));
    }
    NamedFile::open_async(&index)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PortalError::WebAppMissing,
            _ => PortalError::Io(e),
        })
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
