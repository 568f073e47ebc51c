//! Sharing a directory: `POST /v0.10/shared_endpoint` makes a guest collection on a directory of
//! a collection the caller owns, and its HTTPS scope at the identity provider (so that tokens for
//! its files can be had); `DELETE /v0.10/endpoint/{id}` removes a collection the caller owns, with
//! its access rules (the sample portal's share workflow).

use super::{Failure, TransferApi, TransferError, created, done};
use crate::collections::{self, NewCollection, Placement};
use crate::paths::CollectionPath;
use crate::storage::EntryKind;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::auth::HTTPS_SUFFIX;
use mrdp_globus::scopes::NewScope;
use mrdp_globus::transfer::SharedEndpointRequest;

/// The longest display name accepted.
const MAX_NAME: usize = 128;

/// The collection's `https` scope, as Globus Connect Server makes it for a new collection.
fn https_scope(display_name: &str) -> NewScope {
    NewScope {
        name: "HTTPS access".to_owned(),
        description: format!("Read and write the files of \"{display_name}\" over HTTPS"),
        scope_suffix: HTTPS_SUFFIX.to_owned(),
        dependent_scopes: Vec::new(),
        advertised: false,
        allows_refresh_token: true,
        required_domains: Vec::new(),
    }
}

pub async fn create(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    body: web::Json<SharedEndpointRequest>,
) -> Result<HttpResponse, Failure> {
    let made = async {
        let caller = api.signed_in(&req).await?;
        let name = body.display_name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME {
            return Err(TransferError::BadRequest(format!(
                "display_name must have 1 to {MAX_NAME} characters"
            )));
        }
        let host = api.collection(&body.host_endpoint).await?;
        if !matches!(host.placement, Placement::Mapped { .. }) {
            return Err(TransferError::BadRequest(
                "a shared endpoint is made on a mapped (host) endpoint".to_owned(),
            ));
        }
        if !caller.is(&host.owner_id) {
            return Err(TransferError::PermissionDenied(
                "only the host endpoint's owner shares its directories".to_owned(),
            ));
        }
        let host_path = CollectionPath::parse(&body.host_path)?;
        let storage = api.storages.storage_of(&api.store, &host).await?;
        if storage.stat(&host_path).await?.kind != EntryKind::Dir {
            return Err(TransferError::BadRequest(format!(
                "host_path {} is not a directory",
                host_path.as_dir()
            )));
        }
        let new = NewCollection {
            display_name: name.to_owned(),
            description: body.description.clone().unwrap_or_default(),
            owner_id: caller.identities.first().cloned().unwrap_or_default(),
            placement: Placement::Guest {
                host_collection_id: host.id,
                host_path,
            },
        };
        let made = collections::create(&api.store, new, api.clock.now())
            .await
            .map_err(|e| match e {
                collections::CollectionError::Store(e) => TransferError::Store(e),
                other => TransferError::BadRequest(other.to_string()),
            })?;
        // A collection nobody can get a token for is of no use: without its scope, it goes.
        if let Err(error) = api
            .introspector
            .create_scope(&made.id, &https_scope(name))
            .await
        {
            tracing::warn!(%error, collection = %made.id, "cannot make a shared endpoint's scope");
            collections::delete(&api.store, &made.id).await?;
            return Err(TransferError::AuthUnavailable);
        }
        Ok(made)
    }
    .await
    .map_err(|e: TransferError| e.at(&req))?;
    Ok(created(
        &req,
        "endpoint_create_result",
        "Shared endpoint created successfully",
        "id",
        made.id,
    ))
}

pub async fn delete(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
) -> Result<HttpResponse, Failure> {
    async {
        let caller = api.signed_in(&req).await?;
        let collection = api.visible_collection(&caller, &id).await?;
        if !caller.is(&collection.owner_id) {
            return Err(TransferError::PermissionDenied(
                "only the endpoint's owner deletes it".to_owned(),
            ));
        }
        collections::delete(&api.store, &collection.id).await?;
        api.judges.forget();
        Ok(())
    }
    .await
    .map_err(|e: TransferError| e.at(&req))?;
    Ok(HttpResponse::Ok().json(done(
        &req,
        "result",
        "Deleted",
        "Endpoint deleted successfully",
    )))
}
