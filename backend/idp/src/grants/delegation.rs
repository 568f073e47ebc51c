//! What the dependent-token grant and RFC 8693 token exchange share: a resource server, given
//! an access token by a client acting for a person, obtains tokens for the services its scope
//! depends on, for that same person, limited to what the person allowed.

use super::{group_by_resource_server, issue_token};
use crate::IdpState;
use crate::consents;
use crate::error::OAuthError;
use crate::registry::clients::ClientRow;
use crate::registry::scopes::{dependencies, find_resource_server};
use crate::scopes::ScopeRequest;
use crate::tokens::{self, TokenGrant, TokenRow};
use mrdp_globus::auth::Token;

/// The subject token, checked: active, an access token, and addressed to the caller.
pub async fn subject(
    state: &IdpState,
    caller: &ClientRow,
    token: &str,
) -> Result<TokenRow, OAuthError> {
    let row = tokens::find_active_access(&state.store, token, state.clock.now())
        .await?
        .ok_or_else(|| {
            OAuthError::InvalidGrant("the token is not an active access token".to_owned())
        })?;
    let speaker = find_resource_server(&state.store, &row.resource_server)
        .await?
        .and_then(|rs| rs.client_id);
    if speaker.as_deref() != Some(caller.id.as_str()) {
        return Err(OAuthError::InvalidGrant(
            "only the resource server the token was issued to may exchange it".to_owned(),
        ));
    }
    Ok(row)
}

/// The dependent scopes the caller may obtain for the subject: required ones must all have been
/// allowed by the person, optional ones only where they were. `requested` narrows the set.
pub async fn allowed_scopes(
    state: &IdpState,
    subject: &TokenRow,
    requested: Option<&str>,
) -> Result<Vec<String>, OAuthError> {
    // A client acting as itself needs nobody's consent; a person's consent is the one they gave
    // the client at the top of the chain (an app they signed in to, for a token it passed on).
    let consenting_client = subject.consented_to();
    let acting_for_itself = subject.identity_id == consenting_client;
    let mut allowed = Vec::new();
    for scope in subject.scopes.split(' ') {
        for (dependency, optional) in dependencies(&state.store, scope).await? {
            let consented = acting_for_itself
                || consents::missing(
                    &state.store,
                    &subject.identity_id,
                    consenting_client,
                    std::slice::from_ref(&dependency),
                )
                .await?
                .is_empty();
            match (consented, optional) {
                (true, _) if !allowed.contains(&dependency) => allowed.push(dependency),
                (true, _) | (false, true) => {}
                (false, false) => {
                    return Err(OAuthError::InvalidScope(format!(
                        "the user has not allowed {dependency}"
                    )));
                }
            }
        }
    }
    match requested {
        None => Ok(allowed),
        Some(requested) => {
            let requested: Vec<String> = requested.split_whitespace().map(str::to_owned).collect();
            match requested.iter().find(|scope| !allowed.contains(scope)) {
                Some(scope) => Err(OAuthError::InvalidScope(format!(
                    "{scope} is not a dependent scope of the token"
                ))),
                None => Ok(requested),
            }
        }
    }
}

/// Issues one token per resource server of `scopes`, to the caller, acting for the subject's
/// identity.
pub async fn issue(
    state: &IdpState,
    caller: &ClientRow,
    subject: &TokenRow,
    scopes: &[String],
    offline: bool,
) -> Result<Vec<Token>, OAuthError> {
    let requests: Vec<ScopeRequest> = scopes
        .iter()
        .map(|s| ScopeRequest::new(s.clone()))
        .collect();
    let family = uuid::Uuid::new_v4().to_string();
    let mut issued = Vec::new();
    for (resource_server, scopes) in group_by_resource_server(state, &requests).await? {
        let grant = TokenGrant {
            client_id: caller.id.clone(),
            identity_id: subject.identity_id.clone(),
            resource_server,
            scopes: scopes.join(" "),
            family: family.clone(),
            consent_client: Some(subject.consented_to().to_owned()),
        };
        issued.push(issue_token(state, &grant, offline).await?);
    }
    Ok(issued)
}
