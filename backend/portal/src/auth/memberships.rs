//! The researcher's groups, learned at sign-in from the Groups API (Globus Groups, or the
//! embedded provider's) with the token the sign-in gave for it, as the Django Globus Portal
//! Framework does: they decide which group-restricted datasets the researcher sees. The data
//! server checks membership again on every file, so a stale list can hide a dataset, never open
//! one.

use crate::PortalState;
use mrdp_globus::auth::Token;
use serde::Deserialize;

/// The resource server of Globus Groups tokens.
const GROUPS_RESOURCE_SERVER: &str = "groups.api.globus.org";

#[derive(Deserialize)]
struct Membership {
    status: String,
}

#[derive(Deserialize)]
struct GroupDocument {
    id: String,
    #[serde(default)]
    my_memberships: Vec<Membership>,
}

/// The ids of the groups the researcher is an active member of; none when the sign-in gave no
/// Groups token or the Groups API does not answer (logged).
pub async fn learn(state: &PortalState, tokens: &[Token]) -> Vec<String> {
    let (Some(base), Some(token)) = (
        state.provider.settings.groups_url.as_deref(),
        tokens
            .iter()
            .find(|token| token.resource_server == GROUPS_RESOURCE_SERVER),
    ) else {
        return Vec::new();
    };
    let url = format!("{}/v2/groups/my_groups", base.trim_end_matches('/'));
    let answer = state
        .http
        .get(url)
        .query(&[("statuses", "active")])
        .bearer_auth(&token.access_token)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status);
    let groups: Result<Vec<GroupDocument>, reqwest::Error> = match answer {
        Ok(response) => response.json().await,
        Err(e) => Err(e),
    };
    match groups {
        Ok(groups) => groups
            .into_iter()
            .filter(|group| group.my_memberships.iter().any(|m| m.status == "active"))
            .map(|group| group.id)
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "the Groups API did not tell the researcher's groups");
            Vec::new()
        }
    }
}
