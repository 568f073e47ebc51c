//! `GET /v2/api/identities?usernames=…|ids=…` and `GET /v2/api/identities/{id}`.

use crate::IdpState;
use crate::api_error::ApiError;
use crate::caller::require_caller;
use crate::registry::identities::{
    self, CLIENTS_IDENTITY_PROVIDER, IdentityKind, IdentityRow, LOCAL_IDENTITY_PROVIDER,
};
use actix_web::{HttpRequest, web};
use serde::{Deserialize, Serialize};

/// The most identities one lookup may name (Globus documents 100).
const MAX_LOOKUP: usize = 100;

#[derive(Debug, Deserialize)]
pub struct LookupQuery {
    usernames: Option<String>,
    ids: Option<String>,
}

/// An identity as the Globus Auth API describes it.
#[derive(Debug, Serialize)]
pub struct IdentityDocument {
    id: String,
    username: String,
    name: String,
    email: Option<String>,
    organization: Option<String>,
    status: &'static str,
    identity_provider: String,
    identity_type: &'static str,
}

impl IdentityDocument {
    fn new(row: IdentityRow) -> Self {
        let is_client = row.kind == IdentityKind::Client.as_str();
        let identity_provider = if is_client {
            CLIENTS_IDENTITY_PROVIDER
        } else {
            LOCAL_IDENTITY_PROVIDER
        };
        Self {
            id: row.id,
            username: row.username,
            name: row.name,
            email: row.email,
            organization: row.organization,
            status: "used",
            identity_provider: identity_provider.to_owned(),
            identity_type: if is_client { "client" } else { "login" },
        }
    }
}

#[derive(Debug, Serialize)]
pub struct IdentityList {
    identities: Vec<IdentityDocument>,
}

#[derive(Debug, Serialize)]
pub struct OneIdentity {
    identity: IdentityDocument,
}

pub async fn get_identities(
    req: HttpRequest,
    state: web::Data<IdpState>,
    query: web::Query<LookupQuery>,
) -> Result<web::Json<IdentityList>, ApiError> {
    require_caller(&req, &state).await?;
    let (by_username, values) = match (&query.usernames, &query.ids) {
        (Some(usernames), None) => (true, split(usernames)),
        (None, Some(ids)) => (false, split(ids)),
        _ => {
            return Err(ApiError::BadRequest(
                "give exactly one of usernames and ids".to_owned(),
            ));
        }
    };
    if values.is_empty() || values.len() > MAX_LOOKUP {
        return Err(ApiError::BadRequest(format!(
            "name 1 to {MAX_LOOKUP} identities"
        )));
    }
    let mut found = Vec::new();
    for value in values {
        let row = match by_username {
            true => identities::find_by_username(&state.store, &value.to_ascii_lowercase()).await?,
            false => identities::find(&state.store, value).await?,
        };
        found.extend(row.map(IdentityDocument::new));
    }
    Ok(web::Json(IdentityList { identities: found }))
}

pub async fn get_identity(
    req: HttpRequest,
    state: web::Data<IdpState>,
    id: web::Path<String>,
) -> Result<web::Json<OneIdentity>, ApiError> {
    require_caller(&req, &state).await?;
    let row = identities::find(&state.store, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no identity {id}")))?;
    Ok(web::Json(OneIdentity {
        identity: IdentityDocument::new(row),
    }))
}

/// A comma-separated list, blanks dropped, duplicates kept once.
fn split(list: &str) -> Vec<&str> {
    let mut values: Vec<&str> = Vec::new();
    for value in list.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        if !values.contains(&value) {
            values.push(value);
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn lists_are_trimmed_and_deduplicated() {
        assert_eq!(split(" a@x.org, b@x.org,,a@x.org "), ["a@x.org", "b@x.org"]);
        assert!(split(" , ").is_empty());
    }
}
