//! `POST /v2/api/clients/{client_id}/scopes`: a confidential client (HTTP Basic) creates a scope
//! of a resource server it speaks for — itself, a resource server it already speaks for, or a new
//! one named by a fresh UUID, as Globus Connect Server makes each collection's scopes. The scope's
//! dependent scopes are named by their ids, as Globus names them.

use crate::IdpState;
use crate::api_error::ApiError;
use crate::client_auth::{authenticate_confidential, presented};
use crate::registry::clients::{self, ClientRow};
use crate::registry::scopes::{self, ScopeDefinition};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_globus::scopes::{DependentScope, NewScope, ScopeDocument, ScopeEnvelope, scope_string};
use mrdp_service::store::Store;

/// The longest name or description accepted.
const MAX_TEXT: usize = 1000;
/// The longest scope suffix accepted.
const MAX_SUFFIX: usize = 100;

/// A scope's id: stable, derived from its string (the registry keys scopes by their strings).
pub fn scope_id(scope: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, scope.as_bytes()).to_string()
}

async fn confidential_caller(req: &HttpRequest, state: &IdpState) -> Result<ClientRow, ApiError> {
    let unauthenticated = || {
        ApiError::Unauthorized(
            "a confidential client's credentials (HTTP Basic) are required".into(),
        )
    };
    let presented = presented(req, None).map_err(|_| unauthenticated())?;
    authenticate_confidential(&state.store, presented)
        .await
        .map_err(|_| unauthenticated())
}

/// Refuses unless `caller` may make scopes of resource server `owner`.
async fn may_speak_for(store: &Store, caller: &str, owner: &str) -> Result<(), ApiError> {
    if owner == caller {
        return Ok(());
    }
    let refused = || ApiError::Forbidden(format!("this client does not speak for {owner}"));
    match scopes::find_resource_server(store, owner).await? {
        Some(server) if server.client_id.as_deref() == Some(caller) => Ok(()),
        Some(_) => Err(refused()),
        None if clients::find(store, owner).await?.is_some() => Err(refused()),
        None if uuid::Uuid::parse_str(owner).is_err() => Err(ApiError::BadRequest(format!(
            "a new resource server is named by a UUID, not `{owner}`"
        ))),
        None => Ok(()),
    }
}

fn check(scope: &NewScope) -> Result<(), ApiError> {
    let bad = |why: &str| Err(ApiError::BadRequest(why.to_owned()));
    let suffix = &scope.scope_suffix;
    let suffix_ok = !suffix.is_empty()
        && suffix.len() <= MAX_SUFFIX
        && suffix
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !suffix_ok {
        return bad("scope_suffix: 1 to 100 lowercase letters, digits and underscores");
    }
    for (field, text) in [("name", &scope.name), ("description", &scope.description)] {
        if text.trim().is_empty() || text.chars().count() > MAX_TEXT {
            return Err(ApiError::BadRequest(format!(
                "{field}: 1 to {MAX_TEXT} characters"
            )));
        }
    }
    if !scope.required_domains.is_empty() || !scope.allows_refresh_token {
        return bad("required_domains and allows_refresh_token=false are not supported here");
    }
    Ok(())
}

/// The scope strings of the dependent scopes, found by their ids.
async fn dependencies(
    store: &Store,
    wanted: &[DependentScope],
) -> Result<Vec<(String, bool)>, ApiError> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let known = scopes::all(store).await?;
    wanted
        .iter()
        .map(|dependency| {
            known
                .iter()
                .find(|scope| scope_id(scope) == dependency.scope)
                .map(|scope| (scope.clone(), dependency.optional))
                .ok_or_else(|| {
                    ApiError::BadRequest(format!("no scope with id {}", dependency.scope))
                })
        })
        .collect()
}

pub async fn post_scope(
    req: HttpRequest,
    state: web::Data<IdpState>,
    owner: web::Path<String>,
    body: web::Json<ScopeEnvelope<NewScope>>,
) -> Result<HttpResponse, ApiError> {
    let caller = confidential_caller(&req, &state).await?;
    let (owner, scope) = (owner.into_inner(), body.into_inner().scope);
    may_speak_for(&state.store, &caller.id, &owner).await?;
    check(&scope)?;
    let string = scope_string(&owner, &scope.scope_suffix);
    if scopes::resource_server_of(&state.store, &string)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(format!("the scope {string} exists")));
    }
    let dependencies = dependencies(&state.store, &scope.dependent_scopes).await?;
    scopes::register_resource_server(&state.store, &owner, Some(&caller.id)).await?;
    scopes::register(
        &state.store,
        &ScopeDefinition {
            scope: string.clone(),
            resource_server: owner.clone(),
            description: scope.description.clone(),
            dependencies,
        },
    )
    .await?;
    Ok(HttpResponse::Ok().json(ScopeEnvelope {
        scope: ScopeDocument {
            id: scope_id(&string),
            scope_string: string,
            name: scope.name,
            description: scope.description,
            client: owner,
            dependent_scopes: scope.dependent_scopes,
            advertised: scope.advertised,
            allows_refresh_token: true,
            required_domains: Vec::new(),
        },
    }))
}
