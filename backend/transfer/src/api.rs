//! The Transfer API v0.10 (`/v0.10/...`), answering as Globus Transfer does, for the official
//! SDK and for the portal. Every route needs a bearer token for the Transfer scope; what its
//! identity may do in a collection comes from the collection (owner, access rules).

mod access;
mod endpoints;
mod errors;
mod listing_order;
mod operations;
mod shares;
mod submissions;
mod tasks;

pub use errors::{Failure, TransferError};

use crate::access::{Caller, Permission};
use crate::bearer;
use crate::collections::{self, Collection};
use crate::engine::Engine;
use crate::judge::{Judge, Judges};
use crate::locate::Storages;
use crate::paths::CollectionPath;
use crate::storage::{LastLink, Storage};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::introspection::Introspector;
use mrdp_globus::transfer::{OperationResult, TRANSFER_SCOPE};
use mrdp_service::clock::SharedClock;
use mrdp_service::health::{self, HealthProbe};
use mrdp_service::store::Store;
use mrdp_shared::ServiceName;
use std::sync::Arc;

/// What the Transfer API's handlers share.
#[derive(Debug, Clone)]
pub struct TransferApi {
    store: Store,
    introspector: Arc<Introspector>,
    clock: SharedClock,
    storages: Arc<Storages>,
    /// The judges the data server keeps, forgotten when a collection or a rule changes here.
    judges: Arc<Judges>,
    engine: Engine,
    /// The data server's base URL: a collection's `https_server` is `<data_url>/<id>`.
    data_url: String,
}

/// A collection a request may use (with its files' storage and its rules) and the request's
/// path in it.
struct Granted {
    judge: Judge,
    path: CollectionPath,
}

impl Granted {
    fn collection(&self) -> &Collection {
        self.judge.collection()
    }

    fn storage(&self) -> &Storage {
        self.judge.storage()
    }
}

impl TransferApi {
    pub fn new(
        store: Store,
        introspector: Introspector,
        clock: SharedClock,
        data_url: String,
        (storages, judges): (Arc<Storages>, Arc<Judges>),
    ) -> Self {
        let engine = Engine::new(
            store.clone(),
            (storages.clone(), judges.rule_book().clone()),
            clock.clone(),
        );
        Self {
            store,
            introspector: Arc::new(introspector),
            clock,
            storages,
            judges,
            engine,
            data_url: data_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The task engine; whoever starts the service runs it (`tokio::spawn(api.engine().run())`).
    pub fn engine(&self) -> Engine {
        self.engine.clone()
    }

    /// The caller; every Transfer route needs one.
    async fn signed_in(&self, req: &HttpRequest) -> Result<Caller, TransferError> {
        let authorization = bearer::authorization(req);
        bearer::caller(
            authorization,
            &self.introspector,
            self.clock.now(),
            TRANSFER_SCOPE,
        )
        .await?
        .ok_or_else(|| TransferError::Unauthenticated("a bearer token is required".to_owned()))
    }

    async fn collection(&self, id: &str) -> Result<Collection, TransferError> {
        collections::find(&self.store, id)
            .await?
            .ok_or_else(|| TransferError::NotFound(format!("no endpoint {id}")))
    }

    /// Collection `id`, if `caller` may know of it (else "not found", as if it did not exist).
    async fn visible_collection(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<Collection, TransferError> {
        let collection = self.collection(id).await?;
        let rule_book = self.judges.rule_book();
        if collections::visible(
            &self.store,
            rule_book,
            &collection,
            caller,
            self.clock.now(),
        )
        .await?
        {
            Ok(collection)
        } else {
            Err(TransferError::NotFound(format!("no endpoint {id}")))
        }
    }

    /// Checks that `caller` may do `needed` at `raw_path` of collection `id`, there or wherever
    /// its links lead.
    async fn grant(
        &self,
        caller: &Caller,
        id: &str,
        raw_path: &str,
        needed: Permission,
    ) -> Result<Granted, TransferError> {
        self.grant_at(caller, id, (raw_path, LastLink::Follow), needed)
            .await
    }

    /// [`Self::grant`], following or keeping a link in the path's last component (`Keep`: the
    /// operation is on the link itself, as a rename or a delete is).
    async fn grant_at(
        &self,
        caller: &Caller,
        id: &str,
        (raw_path, last): (&str, LastLink),
        needed: Permission,
    ) -> Result<Granted, TransferError> {
        let collection = self.visible_collection(caller, id).await?;
        let path = CollectionPath::parse(raw_path)?;
        let judge = Judge::of(
            &self.store,
            &self.storages,
            self.judges.rule_book(),
            collection,
        )
        .await?;
        let granted = judge
            .permission(Some(caller), (&path, last), self.clock.now())
            .await?;
        if granted.is_none_or(|permission| permission < needed) {
            return Err(TransferError::PermissionDenied(format!(
                "no {} permission on {} of endpoint {id}",
                match needed {
                    Permission::Read => "read",
                    Permission::ReadWrite => "write",
                },
                path.as_dir()
            )));
        }
        Ok(Granted { judge, path })
    }
}

/// The document of an operation that succeeded (`code` as Globus names the outcome).
fn done(req: &HttpRequest, data_type: &str, code: &str, message: &str) -> OperationResult {
    OperationResult {
        data_type: data_type.to_owned(),
        code: code.to_owned(),
        message: message.to_owned(),
        request_id: errors::request_id(req),
        resource: req.path().to_owned(),
        made: std::collections::BTreeMap::new(),
    }
}

/// `201 Created` with the document of what was made, its id under `key`.
fn created(
    req: &HttpRequest,
    data_type: &str,
    message: &str,
    key: &str,
    id: String,
) -> HttpResponse {
    let mut result = done(req, data_type, "Created", message);
    result.made.insert(key.to_owned(), id);
    HttpResponse::Created().json(result)
}

/// Registers `/health` and `/v0.10/...`.
pub fn configure(cfg: &mut web::ServiceConfig, api: &TransferApi) {
    health::configure(
        cfg,
        HealthProbe::new(ServiceName::Transfer, api.store.clone()),
    );
    let bad_json = |e: actix_web::error::JsonPayloadError, req: &HttpRequest| {
        TransferError::BadRequest(format!("malformed JSON body: {e}"))
            .at(req)
            .into()
    };
    let bad_query = |e: actix_web::error::QueryPayloadError, req: &HttpRequest| {
        TransferError::BadRequest(format!("bad query parameters: {e}"))
            .at(req)
            .into()
    };
    cfg.app_data(web::Data::new(api.clone()))
        .app_data(
            web::JsonConfig::default()
                .limit(1024 * 1024)
                .error_handler(bad_json),
        )
        .app_data(web::QueryConfig::default().error_handler(bad_query))
        .service(
            web::scope("/v0.10")
                .route("/endpoint/{id}", web::get().to(endpoints::get_endpoint))
                .route("/endpoint/{id}", web::delete().to(shares::delete))
                .route("/shared_endpoint", web::post().to(shares::create))
                .route("/endpoint/{id}/access", web::post().to(access::create))
                .route("/endpoint/{id}/access_list", web::get().to(access::list))
                .route("/endpoint/{id}/access/{rule}", web::get().to(access::get))
                .route(
                    "/endpoint/{id}/access/{rule}",
                    web::put().to(access::update),
                )
                .route(
                    "/endpoint/{id}/access/{rule}",
                    web::delete().to(access::delete),
                )
                .route("/endpoint_search", web::get().to(endpoints::search))
                .route("/submission_id", web::get().to(submissions::submission_id))
                .route("/transfer", web::post().to(submissions::transfer))
                .route("/delete", web::post().to(submissions::delete))
                .route("/task_list", web::get().to(tasks::list))
                .route("/task/{id}", web::get().to(tasks::get))
                .route("/task/{id}/cancel", web::post().to(tasks::cancel))
                .route("/task/{id}/event_list", web::get().to(tasks::events))
                .route(
                    "/task/{id}/successful_transfers",
                    web::get().to(tasks::successful_transfers),
                )
                .route("/operation/endpoint/{id}/ls", web::get().to(operations::ls))
                .route(
                    "/operation/endpoint/{id}/stat",
                    web::get().to(operations::stat),
                )
                .route(
                    "/operation/endpoint/{id}/mkdir",
                    web::post().to(operations::mkdir),
                )
                .route(
                    "/operation/endpoint/{id}/rename",
                    web::post().to(operations::rename),
                )
                .default_service(web::to(errors::unknown_route)),
        );
}
