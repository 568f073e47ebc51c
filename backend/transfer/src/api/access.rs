//! Access rules of guest collections: `POST /v0.10/endpoint/{id}/access`,
//! `GET …/access_list`, `GET`/`PUT`/`DELETE …/access/{rule_id}`. Only the collection's owner
//! manages them, and only guest collections have them (as at Globus).

use super::{Failure, TransferApi, TransferError, created, done};
use crate::access::{AccessRule, Caller, Principal};
use crate::access_rules::{self, RuleError};
use crate::collections::{Collection, Placement};
use crate::paths::CollectionPath;
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::dates::{iso_time, parse_time};
use mrdp_globus::transfer::{AccessDocument, AccessList, AccessRequest};

fn document(rule: &AccessRule) -> AccessDocument {
    let (principal_type, principal) = rule.principal.wire();
    AccessDocument {
        data_type: "access".to_owned(),
        id: rule.id.clone(),
        path: rule.path.as_dir(),
        permissions: rule.permission,
        principal: principal.to_owned(),
        principal_type,
        role_id: None,
        role_type: None,
        create_time: iso_time(rule.created_at),
        expiration_date: rule.expires_at.map(iso_time),
    }
}

impl TransferApi {
    /// The guest collection `id`, if the caller owns it.
    async fn managed(
        &self,
        req: &HttpRequest,
        id: &str,
    ) -> Result<(Collection, Caller), TransferError> {
        let caller = self.signed_in(req).await?;
        let collection = self.collection(id).await?;
        if !caller.is(&collection.owner_id) {
            return Err(TransferError::PermissionDenied(
                "only the endpoint's owner manages its access rules".to_owned(),
            ));
        }
        if !matches!(collection.placement, Placement::Guest { .. }) {
            return Err(TransferError::BadRequest(
                "access rules are set on shared (guest) endpoints only".to_owned(),
            ));
        }
        Ok((collection, caller))
    }
}

pub async fn create(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
    body: web::Json<AccessRequest>,
) -> Result<HttpResponse, Failure> {
    let rule = async {
        let (collection, _) = api.managed(&req, &id).await?;
        let missing = |field: &str| TransferError::BadRequest(format!("{field} is required"));
        let principal_type = body
            .principal_type
            .ok_or_else(|| missing("principal_type"))?;
        let principal =
            Principal::from_wire(principal_type, body.principal.as_deref().unwrap_or(""))
                .ok_or_else(|| {
                    TransferError::BadRequest(format!(
                        "no principal of type `{principal_type}` given"
                    ))
                })?;
        let path = CollectionPath::parse(body.path.as_deref().ok_or_else(|| missing("path"))?)?;
        let expires_at = body
            .expiration_date
            .as_deref()
            .map(|date| {
                parse_time(date).ok_or_else(|| {
                    TransferError::BadRequest(format!("expiration_date `{date}` is not a UTC date"))
                })
            })
            .transpose()?;
        let now = api.clock.now();
        let added = access_rules::add(
            &api.store,
            &collection.id,
            principal,
            path,
            body.permissions,
            expires_at,
            now,
        )
        .await;
        api.judges.forget();
        match added {
            Ok(rule) => Ok(rule),
            Err(RuleError::Exists) => Err(TransferError::Conflict(
                "an access rule for this principal and path already exists".to_owned(),
            )),
            Err(RuleError::Store(e)) => Err(e.into()),
        }
    }
    .await
    .map_err(|e: TransferError| e.at(&req))?;
    Ok(created(
        &req,
        "access_create_result",
        "Access rule created successfully.",
        "access_id",
        rule.id,
    ))
}

pub async fn list(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    id: web::Path<String>,
) -> Result<web::Json<AccessList>, Failure> {
    async {
        let (collection, _) = api.managed(&req, &id).await?;
        let rules = access_rules::list(&api.store, &collection.id).await?;
        Ok(web::Json(AccessList {
            data_type: "access_list".to_owned(),
            endpoint: collection.id,
            length: rules.len(),
            data: rules.iter().map(document).collect(),
        }))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}

fn no_rule(rule_id: &str) -> TransferError {
    TransferError::NotFound(format!("no access rule {rule_id}"))
}

pub async fn get(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    ids: web::Path<(String, String)>,
) -> Result<web::Json<AccessDocument>, Failure> {
    async {
        let (id, rule_id) = ids.into_inner();
        let (collection, _) = api.managed(&req, &id).await?;
        let rule = access_rules::find(&api.store, &collection.id, &rule_id)
            .await?
            .ok_or_else(|| no_rule(&rule_id))?;
        Ok(web::Json(document(&rule)))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))
}

pub async fn update(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    ids: web::Path<(String, String)>,
    body: web::Json<AccessRequest>,
) -> Result<HttpResponse, Failure> {
    async {
        let (id, rule_id) = ids.into_inner();
        let (collection, _) = api.managed(&req, &id).await?;
        let updated =
            access_rules::update(&api.store, &collection.id, &rule_id, body.permissions).await?;
        api.judges.forget();
        updated.then_some(()).ok_or_else(|| no_rule(&rule_id))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))?;
    Ok(HttpResponse::Ok().json(done(
        &req,
        "result",
        "Updated",
        "Access rule updated successfully",
    )))
}

pub async fn delete(
    req: HttpRequest,
    api: web::Data<TransferApi>,
    ids: web::Path<(String, String)>,
) -> Result<HttpResponse, Failure> {
    async {
        let (id, rule_id) = ids.into_inner();
        let (collection, _) = api.managed(&req, &id).await?;
        let deleted = access_rules::delete(&api.store, &collection.id, &rule_id).await?;
        api.judges.forget();
        deleted.then_some(()).ok_or_else(|| no_rule(&rule_id))
    }
    .await
    .map_err(|e: TransferError| e.at(&req))?;
    Ok(HttpResponse::Ok().json(done(
        &req,
        "result",
        "Deleted",
        "Access rule deleted successfully",
    )))
}
