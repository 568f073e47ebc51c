//! The Globus Groups API v2, for the groups of this identity provider: `GET /v2/groups/my_groups`
//! (a JSON array of the caller's groups, each with `my_memberships`) and `GET /v2/groups/{id}`,
//! with a token for `urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships`.
//! A portal learns a researcher's groups from it as it would from Globus; a group the caller is
//! not a member of is not found.

use crate::IdpState;
use crate::api_error::ApiError;
use crate::caller::bearer_for;
use crate::registry::groups::{self, GroupRow};
use crate::registry::identities;
use crate::registry::scopes::{GROUPS_RESOURCE_SERVER, VIEW_MY_GROUPS_SCOPE};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One membership of the caller, as Globus Groups shows it.
#[derive(Debug, Serialize)]
struct Membership {
    group_id: String,
    identity_id: String,
    username: String,
    role: &'static str,
    status: &'static str,
}

#[derive(Debug, Serialize)]
struct Policies {
    group_visibility: &'static str,
    group_members_visibility: &'static str,
}

/// A group document (the fields globus-sdk's fixtures carry).
#[derive(Debug, Serialize)]
struct GroupDocument {
    id: String,
    name: String,
    description: String,
    parent_id: Option<String>,
    group_type: &'static str,
    enforce_session: bool,
    session_limit: u32,
    /// Always empty here: no group asks for a recent sign-in.
    session_timeouts: BTreeMap<String, u32>,
    my_memberships: Vec<Membership>,
    policies: Policies,
    subscription_id: Option<String>,
    /// Always `null`: no group here is a subscription's.
    subscription_info: Option<()>,
}

/// Who calls: the identity of an active Groups token with the view scope.
struct Caller {
    identity_id: String,
    username: String,
}

async fn caller(req: &HttpRequest, state: &IdpState) -> Result<Caller, ApiError> {
    let token = bearer_for(req, state, GROUPS_RESOURCE_SERVER).await?;
    if !token
        .scopes
        .split_whitespace()
        .any(|s| s == VIEW_MY_GROUPS_SCOPE)
    {
        return Err(ApiError::Forbidden(format!(
            "the token does not grant {VIEW_MY_GROUPS_SCOPE}"
        )));
    }
    let identity = identities::find(&state.store, &token.identity_id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("Call must be authenticated".to_owned()))?;
    Ok(Caller {
        identity_id: identity.id,
        username: identity.username,
    })
}

fn document(group: GroupRow, caller: &Caller) -> GroupDocument {
    GroupDocument {
        my_memberships: vec![Membership {
            group_id: group.id.clone(),
            identity_id: caller.identity_id.clone(),
            username: caller.username.clone(),
            role: "member",
            status: "active",
        }],
        id: group.id,
        name: group.name,
        description: group.description,
        parent_id: None,
        group_type: "regular",
        enforce_session: false,
        session_limit: 28_800,
        session_timeouts: BTreeMap::new(),
        policies: Policies {
            group_visibility: "private",
            group_members_visibility: "managers",
        },
        subscription_id: None,
        subscription_info: None,
    }
}

#[derive(Debug, Deserialize)]
pub struct MyGroupsQuery {
    /// Comma-separated membership statuses (`active,invited`); unset: all.
    statuses: Option<String>,
}

/// `GET /v2/groups/my_groups`: every group the caller is an active member of. Members here are
/// only ever active, so a `statuses` filter without `active` answers an empty array.
pub async fn get_my_groups(
    req: HttpRequest,
    state: web::Data<IdpState>,
    query: web::Query<MyGroupsQuery>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller(&req, &state).await?;
    let wants_active = query
        .statuses
        .as_deref()
        .filter(|statuses| !statuses.is_empty())
        .is_none_or(|statuses| statuses.split(',').any(|s| s.trim() == "active"));
    let mine = match wants_active {
        true => groups::of_identity(&state.store, &caller.identity_id).await?,
        false => Vec::new(),
    };
    let documents: Vec<GroupDocument> = mine
        .into_iter()
        .map(|group| document(group, &caller))
        .collect();
    Ok(HttpResponse::Ok().json(documents))
}

/// `GET /v2/groups/{id}`: one of the caller's groups; any other id is not found.
pub async fn get_group(
    req: HttpRequest,
    state: web::Data<IdpState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let caller = caller(&req, &state).await?;
    let group = groups::of_identity(&state.store, &caller.identity_id)
        .await?
        .into_iter()
        .find(|group| group.id == *id)
        .ok_or_else(|| ApiError::NotFound(format!("no group {id} of yours")))?;
    Ok(HttpResponse::Ok().json(document(group, &caller)))
}
