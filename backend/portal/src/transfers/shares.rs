//! Sharing a folder with a colleague, as the sample notebook's `rdp()` does and the Globus web
//! app's "Share": `POST /api/collections/{id}/shares` makes the folder's guest collection (once,
//! however many colleagues it is shared with) and an access rule for the colleague on it;
//! `GET /api/collections/{id}/shares?path=` lists a folder's shares; `DELETE
//! /api/shares/{collection}/{id}` revokes one. All with the researcher's own token: only the owner
//! of a collection shares its folders, and the transfer service says so.

use super::collections::{collection_id, folder};
use super::{researchers, service_made_id};
use crate::auth::identities::{By, Identity};
use crate::auth::me::with_complete_profile;
use crate::paging::PageRequest;
use crate::transfer_client::PortalTransfer;
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::dates::{iso_time, parse_time};
use mrdp_globus::transfer::{AccessRequest, Permission, PrincipalType};
use mrdp_shared::{Colleague, Share, SharePermission, ShareRequest, Shares};
use serde::Deserialize;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/collections/{id}/shares", web::post().to(share))
        .route("/collections/{id}/shares", web::get().to(list))
        .route("/shares/{collection}/{id}", web::delete().to(revoke));
}

/// The most guest collections of one host looked through (Globus's largest page).
const GUESTS_LISTED: usize = 1000;

fn bad(message: impl Into<String>) -> PortalError {
    PortalError::BadRequest(message.into())
}

/// The guest collections already made on `path` of `host`.
async fn guests_on(
    transfer: &PortalTransfer,
    host: &str,
    path: &str,
) -> Result<Vec<String>, PortalError> {
    Ok(transfer
        .endpoint_search(("shared-by-me", "", Some(host)), 0, GUESTS_LISTED)
        .await?
        .data
        .into_iter()
        .filter(|guest| guest.host_path.as_deref() == Some(path))
        .map(|guest| guest.id)
        .collect())
}

/// The guest collection's name, as the colleague sees it under "Shared with me":
/// `results, shared by Alice Researcher` (the folder's own name; the top folder is `/`).
fn guest_name(path: &str, owner: &str) -> String {
    let folder = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty());
    format!("{}, shared by {owner}", folder.unwrap_or("/"))
}

async fn share(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    body: web::Json<ShareRequest>,
) -> Result<HttpResponse, PortalError> {
    let session = with_complete_profile(&req, &state).await?;
    let host = collection_id(&id)?;
    let path = folder(&body.path)?;
    let expires_at = match &body.expires_at {
        None => None,
        Some(text) => {
            let at = parse_time(text).ok_or_else(|| {
                bad("expires_at: a UTC date, such as 2027-01-31 or 2027-01-31T12:00:00Z")
            })?;
            if at <= state.clock.now() {
                return Err(bad("expires_at: a time still to come"));
            }
            Some(iso_time(at))
        }
    };
    let wanted = body.colleague.trim();
    if wanted.is_empty() || wanted.len() > 256 || wanted.contains(',') {
        return Err(bad("colleague: one username, such as bob@example.org"));
    }
    let colleague = state
        .identities(By::Usernames, &[wanted])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| PortalError::NotFound(format!("nobody is known as {wanted}")))?;
    if colleague.id == session.identity_id {
        return Err(bad("colleague: someone other than you"));
    }
    let transfer = state.transfer_as(&session).await?;
    let guest = match guests_on(&transfer, &host, &path).await?.into_iter().next() {
        Some(guest) => guest,
        None => transfer
            .share_folder(&host, &path, &guest_name(&path, &session.name))
            .await
            .map_err(|e| match e {
                PortalError::Forbidden(_) => PortalError::Forbidden(
                    "you may share only folders of a collection you own".into(),
                ),
                other => other,
            })?,
    };
    let rule = AccessRequest {
        principal_type: Some(PrincipalType::Identity),
        principal: Some(colleague.id.clone()),
        path: Some("/".into()),
        permissions: match body.permission {
            SharePermission::Read => Permission::Read,
            SharePermission::ReadWrite => Permission::ReadWrite,
        },
        expiration_date: expires_at.clone(),
    };
    let rule_id = transfer
        .add_rule(&guest, &rule)
        .await
        .map_err(|e| match e {
            PortalError::Conflict(_) => PortalError::Conflict(format!(
                "{path} is already shared with {}: revoke that share to change it",
                colleague.username
            )),
            other => other,
        })?;
    Ok(HttpResponse::Created().json(Share {
        id: rule_id,
        collection: guest,
        path,
        colleague: colleague_of(colleague),
        permission: body.permission,
        expires_at,
    }))
}

fn colleague_of(identity: Identity) -> Colleague {
    Colleague {
        id: identity.id,
        username: identity.username,
        name: identity.name,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    path: String,
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn list(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Shares>, PortalError> {
    let (host, path) = (collection_id(&id)?, folder(&query.path)?);
    let page = PageRequest::checked(query.page, query.per_page, 100)?;
    let transfer = researchers(&req, &state).await?;
    let mut rules = Vec::new();
    for guest in guests_on(&transfer, &host, &path).await? {
        for rule in transfer.access_rules(&guest).await? {
            if rule.principal_type == PrincipalType::Identity {
                rules.push((guest.clone(), rule));
            }
        }
    }
    let (rules, paging) = page.of(&req, rules);
    let ids: Vec<&str> = rules
        .iter()
        .map(|(_, rule)| rule.principal.as_str())
        .collect();
    let known = state.identities(By::Ids, &ids).await?;
    let shares = rules
        .iter()
        .map(|(guest, rule)| {
            let colleague = known
                .iter()
                .find(|identity| identity.id == rule.principal)
                .cloned()
                .unwrap_or_else(|| Identity {
                    id: rule.principal.clone(),
                    username: rule.principal.clone(),
                    name: String::new(),
                });
            Share {
                id: rule.id.clone(),
                collection: guest.clone(),
                path: path.clone(),
                colleague: colleague_of(colleague),
                permission: match rule.permissions {
                    Permission::Read => SharePermission::Read,
                    Permission::ReadWrite => SharePermission::ReadWrite,
                },
                expires_at: rule.expiration_date.clone(),
            }
        })
        .collect();
    Ok(web::Json(Shares { shares, paging }))
}

async fn revoke(
    req: HttpRequest,
    state: web::Data<PortalState>,
    ids: web::Path<(String, String)>,
) -> Result<HttpResponse, PortalError> {
    let (collection, rule) = ids.into_inner();
    // Both are UUIDs, checked before they go into the transfer service's URL.
    let (collection, rule) = (
        collection_id(&collection)?,
        service_made_id(&rule, "share")?,
    );
    researchers(&req, &state)
        .await?
        .delete_rule(&collection, &rule)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::guest_name;

    #[test]
    fn a_shared_folder_is_named_by_its_own_name_and_its_owner() {
        assert_eq!(
            guest_name("/a/results/", "Alice"),
            "results, shared by Alice"
        );
        assert_eq!(guest_name("/", "Alice"), "/, shared by Alice");
    }
}
