//! The data server: HTTPS access to collection files, as Globus Connect Server gives it.
//!
//! `GET`/`HEAD` (with `Range`) and `PUT` of `{https_server}{path}`, where a collection's
//! `https_server` is `<data server>/<collection id>`. A request carries a bearer token for the
//! collection's scope `https://auth.globus.org/scopes/<collection id>/https`, checked by
//! introspection at the identity provider; what the token's identity may do comes from the
//! collection (owner, access rules). Without a token, only what the rules open to anyone.
//! Bodies stream in both directions; an upload becomes visible whole, or not at all. In plain
//! HTTP, downloads of local files go from the page cache to the socket (see `sendfile`).

mod download;
mod errors;
mod sendfile;
pub mod signed;
mod signing;

pub use errors::DataError;
pub use signing::SignedUrls;

use crate::access::{Caller, Permission};
use crate::bearer;
use crate::judge::{Judge, Judges};
use crate::locate::Storages;
use crate::paths::CollectionPath;
use crate::storage::local::{LocalStorage, write_chunks};
use crate::storage::{LastLink, Storage, StorageError};
use crate::temporary_files::{self, JournalError};
use actix_web::dev::Server;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use mrdp_globus::auth::collection_https_scope;
use mrdp_globus::introspection::Introspector;
use mrdp_service::clock::SharedClock;
use mrdp_service::health::{self, HealthProbe};
use mrdp_service::http;
use mrdp_service::metrics::{Metrics, measured};
use mrdp_service::periodic;
use mrdp_service::store::Store;
use mrdp_service::tls::Tls;
use mrdp_shared::ServiceName;
use std::sync::Arc;

/// What the data server's handlers share.
#[derive(Debug, Clone)]
pub struct DataServer {
    store: Store,
    introspector: Arc<Introspector>,
    clock: SharedClock,
    storages: Arc<Storages>,
    /// Collections' judges kept a moment (shared with the Transfer API, which forgets them when
    /// it changes a collection or a rule).
    judges: Arc<Judges>,
    signed_urls: Arc<SignedUrls>,
}

impl DataServer {
    pub fn new(
        store: Store,
        introspector: Introspector,
        clock: SharedClock,
        (storages, judges): (Arc<Storages>, Arc<Judges>),
        signed_urls: SignedUrls,
    ) -> Self {
        Self {
            store,
            introspector: Arc::new(introspector),
            clock,
            storages,
            judges,
            signed_urls: Arc::new(signed_urls),
        }
    }
}

impl DataServer {
    /// Removes the temporary files of uploads and copies a crash interrupted: now, then every
    /// `every`.
    pub async fn sweep_temporary_files(self, every: std::time::Duration) {
        let server = &self;
        periodic::repeat(every, "stale temporary files removed", move || {
            temporary_files::sweep(&server.store, &server.storages, temporary_files::IDLE)
        })
        .await;
    }
}

/// Serves `server` on `listener`: over TLS when `tls` is given; in plain HTTP, with downloads of
/// local files answered on the socket before the routes see them.
pub fn serve(
    listener: std::net::TcpListener,
    workers: usize,
    tls: Option<Tls>,
    (server, metrics): (DataServer, Option<Metrics>),
) -> std::io::Result<Server> {
    let routes = server.clone();
    let configure = measured(metrics.as_ref(), move |cfg: &mut web::ServiceConfig| {
        configure(cfg, &routes)
    });
    match tls {
        Some(tls) => http::serve_with_tls(listener, workers, Some(tls), configure),
        None => http::serve_intercepted(listener, workers, configure, server),
    }
}

/// Registers `/health` and the file routes.
pub fn configure(cfg: &mut web::ServiceConfig, server: &DataServer) {
    health::configure(
        cfg,
        HealthProbe::new(ServiceName::Data, server.store.clone()),
    );
    cfg.app_data(web::Data::new(server.clone()))
        .app_data(web::JsonConfig::default().limit(16 * 1024))
        .route("/signed-urls", web::post().to(signing::sign_url))
        .route(
            "/{collection}/{path:.*}",
            web::route()
                .guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
                .to(get_file),
        )
        .route(
            "/{collection}/{path:.*}",
            web::method(actix_web::http::Method::OPTIONS).to(signing::preflight),
        );
    cfg.route("/{collection}/{path:.*}", web::put().to(put_file));
}

/// What a request asks for: the collection, the path in it as the URL has it (no leading `/`),
/// its query (a signed URL's signature) and its `Authorization` header.
#[derive(Debug, Clone, Copy)]
struct Asked<'a> {
    collection: &'a str,
    raw_path: &'a str,
    query: &'a str,
    authorization: Option<&'a [u8]>,
}

impl<'a> Asked<'a> {
    fn of(req: &'a HttpRequest) -> Self {
        Self {
            collection: req.match_info().get("collection").unwrap_or_default(),
            raw_path: req.match_info().get("path").unwrap_or_default(),
            query: req.query_string(),
            authorization: bearer::authorization(req),
        }
    }
}

/// Who asks for what: the collection's judge, the caller (`None`: anonymous), the path, and
/// whether a signed URL names the caller (rather than a bearer token).
struct Request {
    judge: Arc<Judge>,
    caller: Option<Caller>,
    path: CollectionPath,
    signed: bool,
}

/// What an authorised request may use: the storage, the path, and whether a signed URL asked.
struct Authorised {
    storage: Storage,
    path: CollectionPath,
    signed: bool,
}

impl Request {
    /// The storage and the path, when `granted` is at least `needed`.
    fn allowed(
        self,
        granted: Option<Permission>,
        needed: Permission,
    ) -> Result<Authorised, DataError> {
        if self.signed && needed > Permission::Read {
            return Err(DataError::Forbidden("a signed URL only reads".to_owned()));
        }
        match granted {
            Some(permission) if permission >= needed => {}
            _ if self.caller.is_none() => {
                return Err(DataError::Unauthenticated(
                    "this file needs a bearer token".to_owned(),
                ));
            }
            _ => return Err(DataError::Forbidden("no access to this path".to_owned())),
        }
        Ok(Authorised {
            storage: self.judge.storage().clone(),
            path: self.path,
            signed: self.signed,
        })
    }
}

impl DataServer {
    /// The collection (its judge), the caller its token names and the path asked for.
    async fn request(&self, asked: Asked<'_>) -> Result<Request, DataError> {
        let path = CollectionPath::parse(&format!("/{}", asked.raw_path))?;
        let judge = self
            .judges
            .of(&self.store, &self.storages, asked.collection)
            .await?
            .ok_or(DataError::NotFound("no such collection".to_owned()))?;
        let now = self.clock.now();
        // Signed and checked as the path reads once decoded.
        let signed = self.signed_urls.signer.verify(
            &judge.collection().id,
            &format!("/{}", path.relative()),
            asked.query,
            now,
        )?;
        if signed.is_some() {
            return Ok(Request {
                judge,
                caller: signed,
                path,
                signed: true,
            });
        }
        let scope = collection_https_scope(&judge.collection().id);
        let caller = bearer::caller(asked.authorization, &self.introspector, now, &scope).await?;
        Ok(Request {
            judge,
            caller,
            path,
            signed: false,
        })
    }

    /// Finds the collection and its files' storage, and checks the caller may do `needed` at
    /// the path (where its links lead).
    async fn authorise(
        &self,
        asked: Asked<'_>,
        needed: Permission,
    ) -> Result<Authorised, DataError> {
        let request = self.request(asked).await?;
        let (caller, at) = (request.caller.as_ref(), (&request.path, LastLink::Follow));
        let granted = request.judge.permission(caller, at, self.clock.now());
        let granted = granted.await?;
        request.allowed(granted, needed)
    }

    /// [`Self::authorise`], reading where the path leads on the calling thread.
    async fn authorise_here(
        &self,
        asked: Asked<'_>,
        needed: Permission,
    ) -> Result<Authorised, DataError> {
        let request = self.request(asked).await?;
        let (caller, at) = (request.caller.as_ref(), (&request.path, LastLink::Follow));
        let granted = request.judge.permission_now(caller, at, self.clock.now())?;
        request.allowed(granted, needed)
    }
}

/// `GET` and `HEAD`: the file, whole or the requested range.
async fn get_file(
    req: HttpRequest,
    server: web::Data<DataServer>,
) -> Result<HttpResponse, DataError> {
    let authorised = server.authorise(Asked::of(&req), Permission::Read).await?;
    let opened = authorised.storage.open(&authorised.path).await?;
    let mut response = download::respond(&req, opened);
    if authorised.signed {
        signing::mark_signed(&req, &server.signed_urls, &authorised.path, &mut response);
    }
    Ok(response)
}

/// The most of a refused or failed upload's body that is still read before answering.
const DRAIN_AT_MOST: u64 = 64 << 20;

/// `PUT`: streams the body into the file, which is replaced once the body is complete. An upload
/// that is refused or fails still has what the client goes on sending read (up to
/// `DRAIN_AT_MOST`) before the answer, which the client then gets, rather than a connection reset
/// in the middle of its upload (closing a socket with unread data resets it).
async fn put_file(
    req: HttpRequest,
    server: web::Data<DataServer>,
    mut body: web::Payload,
) -> Result<HttpResponse, DataError> {
    let stored = store_body(&req, &server, &mut body).await;
    if stored.is_err() {
        let mut drained = 0_u64;
        while let Some(Ok(chunk)) = body.next().await {
            drained += chunk.len() as u64;
            if drained > DRAIN_AT_MOST {
                break;
            }
        }
    }
    stored
}

/// Stores the body of an authorised `PUT`.
async fn store_body(
    req: &HttpRequest,
    server: &DataServer,
    body: &mut web::Payload,
) -> Result<HttpResponse, DataError> {
    let Authorised { storage, path, .. } = server
        .authorise(Asked::of(req), Permission::ReadWrite)
        .await?;
    // What broke the body, told apart from what failed in the storage.
    let broken = std::cell::RefCell::new(None::<String>);
    let body = body.by_ref().map(|chunk| {
        chunk.map_err(|error| {
            broken.replace(Some(error.to_string()));
            std::io::Error::other(error)
        })
    });
    let stored = match &storage {
        Storage::Local(local) => put_local(server, local, &path, body).await,
        Storage::Object(object) => object.write(&path, body).await.map(drop),
    };
    match (stored, broken.take()) {
        (Ok(()), _) => Ok(HttpResponse::Ok().finish()),
        (Err(_), Some(why)) => Err(DataError::UploadFailed(why)),
        (Err(error), None) => Err(error.into()),
    }
}

/// Writes the body into a hidden file, journalled before it is made and while it is written
/// (so that a crash leaves nothing the sweep does not find), and puts it in place once complete.
async fn put_local(
    server: &DataServer,
    storage: &LocalStorage,
    path: &CollectionPath,
    body: impl futures_util::Stream<Item = crate::storage::Chunk> + Unpin,
) -> Result<(), StorageError> {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let now = server.clock.now();
    let (journalled, partial) =
        match temporary_files::create(&server.store, storage, (path, &tag), now).await {
            Ok(made) => made,
            Err(JournalError::Storage(error)) => return Err(error),
            Err(JournalError::Store(error)) => {
                return Err(StorageError::from_io(path, std::io::Error::other(error)));
            }
        };
    let written = match partial.file.try_clone() {
        Ok(file) => write_chunks(body, file).await,
        Err(e) => Err(e),
    };
    let outcome = match written {
        Ok(_) => partial.commit().await,
        Err(error) => {
            partial.abort().await;
            Err(StorageError::from_io(path, error))
        }
    };
    temporary_files::forget(&server.store, &[journalled]).await;
    outcome
}
