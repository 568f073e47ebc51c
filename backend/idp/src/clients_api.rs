//! Globus Auth's client API, for apps people register for themselves (globus-sdk's
//! `AuthClient.get_projects`, `create_client`, `get_clients`, `get_client`, `delete_client`,
//! `create_client_credential`): the caller bears a token for
//! `urn:globus:auth:scope:auth.globus.org:manage_projects` and sees only their own project and
//! apps; anyone else's app is `404`, as an unknown one.
//!
//! - `GET /v2/api/projects`: the caller's one project (its id is derived from theirs).
//! - `POST /v2/api/clients {"client": {name, project, public_client | client_type, redirect_uris}}`:
//!   a native app (`public_client: true`, `public_installed_client`: PKCE, no secret) or a
//!   confidential one (`confidential_client`, or `client_identity` for a service acting as
//!   itself), answered `{"client": …}`.
//! - `GET /v2/api/clients`, `GET`/`DELETE /v2/api/clients/{id}`.
//! - `POST /v2/api/clients/{id}/credentials {"credential": {"name"}}`: a new secret of a
//!   confidential app, in the answer only.

use crate::IdpState;
use crate::api_error::ApiError;
use crate::caller::auth_token;
use crate::error::RegistryError;
use crate::registry::apps::{self, project_of};
use crate::registry::clients::{self, ClientRow, NewClient};
use crate::registry::identities;
use crate::registry::scopes::MANAGE_PROJECTS_SCOPE;
use actix_web::{HttpRequest, web};
use mrdp_globus::dates::iso_time;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The person whose projects the request may manage.
async fn manager(req: &HttpRequest, state: &IdpState) -> Result<String, ApiError> {
    let token = auth_token(req, state).await?;
    if !token.scopes.split(' ').any(|s| s == MANAGE_PROJECTS_SCOPE) {
        return Err(ApiError::Forbidden(format!(
            "the token does not carry {MANAGE_PROJECTS_SCOPE}"
        )));
    }
    Ok(token.identity_id)
}

fn client_document(client: &ClientRow, owner: &str) -> Value {
    json!({
        "id": client.id,
        "name": client.name,
        "public_client": client.public,
        "client_type": if client.public { "public_installed_client" } else { "confidential_client" },
        "project": project_of(owner),
        "redirect_uris": client.redirect_uris,
        "visibility": "private",
        "grant_types": if client.public {
            json!(["authorization_code", "refresh_token"])
        } else {
            json!(["authorization_code", "client_credentials", "refresh_token",
                   "urn:globus:auth:grant_type:dependent_token"])
        },
        "scopes": [],
        "fqdns": [],
        "links": {"privacy_policy": null, "terms_and_conditions": null},
        "required_idp": null,
        "preselect_idp": null,
        "parent_client": null,
        "userinfo_from_effective_identity": true,
        "prompt_for_named_grant": true,
    })
}

pub async fn get_projects(
    req: HttpRequest,
    state: web::Data<IdpState>,
) -> Result<web::Json<Value>, ApiError> {
    let owner = manager(&req, &state).await?;
    let name = match identities::find(&state.store, &owner).await? {
        Some(identity) => format!("{}'s apps", identity.name),
        None => "Apps".to_owned(),
    };
    Ok(web::Json(json!({"projects": [{
        "id": project_of(&owner),
        "display_name": name,
        "project_name": name,
        "admin_ids": [owner],
        "admin_group_ids": [],
        "contact_email": null,
    }]})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewClientDocument {
    name: String,
    project: String,
    public_client: Option<bool>,
    client_type: Option<String>,
    #[serde(default)]
    redirect_uris: Vec<String>,
    /// Apps here are always private.
    visibility: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ClientEnvelope {
    client: NewClientDocument,
}

/// Whether the new app is public, from `public_client` or `client_type` (exactly one).
fn is_public(new: &NewClientDocument) -> Result<bool, ApiError> {
    match (new.public_client, new.client_type.as_deref()) {
        (Some(public), None) => Ok(public),
        (None, Some("public_installed_client")) => Ok(true),
        (None, Some("confidential_client" | "client_identity")) => Ok(false),
        (None, Some(other)) => Err(ApiError::BadRequest(format!(
            "client_type {other} cannot be registered here: public_installed_client, confidential_client or client_identity"
        ))),
        _ => Err(ApiError::BadRequest(
            "give exactly one of public_client and client_type".to_owned(),
        )),
    }
}

pub async fn post_client(
    req: HttpRequest,
    state: web::Data<IdpState>,
    body: web::Json<ClientEnvelope>,
) -> Result<web::Json<Value>, ApiError> {
    let owner = manager(&req, &state).await?;
    let new = body.into_inner().client;
    if new.project != project_of(&owner) {
        return Err(ApiError::Forbidden(format!(
            "you are not an admin of project {}",
            new.project
        )));
    }
    if new.visibility.as_deref().is_some_and(|v| v != "private") {
        return Err(ApiError::BadRequest("apps here are private".to_owned()));
    }
    let public = is_public(&new)?;
    if public && new.redirect_uris.is_empty() {
        return Err(ApiError::BadRequest(
            "a native app needs at least one redirect URI".to_owned(),
        ));
    }
    let registered = NewClient {
        name: new.name,
        public,
        redirect_uris: new.redirect_uris,
    };
    let client = clients::create_owned(&state.store, state.clock.now(), registered, &owner)
        .await
        .map_err(|e| match e {
            RegistryError::Store(e) => ApiError::Store(e),
            other => ApiError::BadRequest(other.to_string()),
        })?;
    Ok(web::Json(
        json!({"client": client_document(&client, &owner)}),
    ))
}

pub async fn get_clients(
    req: HttpRequest,
    state: web::Data<IdpState>,
) -> Result<web::Json<Value>, ApiError> {
    let owner = manager(&req, &state).await?;
    let clients: Vec<Value> = apps::owned(&state.store, &owner)
        .await?
        .iter()
        .map(|client| client_document(client, &owner))
        .collect();
    Ok(web::Json(json!({ "clients": clients })))
}

/// The caller's app named by the path, and the caller.
async fn owned_app(
    req: &HttpRequest,
    state: &IdpState,
    id: &str,
) -> Result<(ClientRow, String), ApiError> {
    let owner = manager(req, state).await?;
    let client = apps::find_owned(&state.store, &owner, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no client {id}")))?;
    Ok((client, owner))
}

pub async fn get_client(
    req: HttpRequest,
    state: web::Data<IdpState>,
    id: web::Path<String>,
) -> Result<web::Json<Value>, ApiError> {
    let (client, owner) = owned_app(&req, &state, &id).await?;
    Ok(web::Json(
        json!({"client": client_document(&client, &owner)}),
    ))
}

pub async fn delete_client(
    req: HttpRequest,
    state: web::Data<IdpState>,
    id: web::Path<String>,
) -> Result<web::Json<Value>, ApiError> {
    let (client, owner) = owned_app(&req, &state, &id).await?;
    apps::delete(&state.store, &client.id, state.clock.now()).await?;
    Ok(web::Json(
        json!({"client": client_document(&client, &owner)}),
    ))
}

#[derive(Debug, Deserialize)]
pub struct CredentialEnvelope {
    credential: NewCredential,
}

#[derive(Debug, Deserialize)]
pub struct NewCredential {
    name: String,
}

#[derive(Debug, Serialize)]
struct CredentialDocument {
    id: String,
    name: String,
    secret: String,
    client: String,
    created: String,
}

pub async fn post_credential(
    req: HttpRequest,
    state: web::Data<IdpState>,
    id: web::Path<String>,
    body: web::Json<CredentialEnvelope>,
) -> Result<web::Json<Value>, ApiError> {
    let (client, _) = owned_app(&req, &state, &id).await?;
    if client.public {
        return Err(ApiError::BadRequest(
            "a native app has no secret: it signs in with PKCE".to_owned(),
        ));
    }
    let name = body.into_inner().credential.name;
    if name.trim().is_empty() || name.len() > 100 {
        return Err(ApiError::BadRequest(
            "a credential's name has 1 to 100 characters".to_owned(),
        ));
    }
    let (credential, secret) =
        apps::add_credential(&state.store, &client.id, &name, state.clock.now()).await?;
    let document = CredentialDocument {
        id: credential.id,
        name: credential.name,
        secret: secret.expose().to_owned(),
        client: credential.client_id,
        created: iso_time(credential.created_at),
    };
    Ok(web::Json(json!({ "credential": document })))
}
