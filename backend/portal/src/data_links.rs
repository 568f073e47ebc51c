//! Signed download links on the DATA SERVER. The portal asks the data server to sign a URL for
//! one file with the researcher's own token for the collection's HTTPS scope, so the data server
//! checks the collection's rules for that researcher (and again on every read of the URL); the
//! file's bytes never pass through the portal, and no token reaches the browser.

use crate::auth::grants;
use crate::auth::session::Session;
use crate::{PortalError, PortalState};
use mrdp_shared::DownloadLink;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct SignRequest<'a> {
    collection: &'a str,
    path: &'a str,
}

#[derive(Deserialize)]
struct DataError {
    message: String,
}

/// What to answer when a link cannot be made for a reason the caller words.
#[derive(Debug)]
pub struct Refusals {
    /// The session holds no token for the collection's HTTPS scope.
    pub no_grant: PortalError,
    /// The data server knows no such file.
    pub no_file: String,
}

/// A signed URL for `path` (absolute) of `collection`, for the signed-in researcher.
pub async fn signed_link(
    state: &PortalState,
    session: &Session,
    (collection, path): (&str, &str),
    refusals: Refusals,
) -> Result<DownloadLink, PortalError> {
    // Globus files a collection's HTTPS token under the collection's id.
    let tokens = grants::usable(state, &session.id_hash, collection)
        .await?
        .ok_or(refusals.no_grant)?;
    let url = format!("{}/signed-urls", state.upstreams.data.trim_end_matches('/'));
    let response = state
        .http
        .post(url)
        .bearer_auth(&tokens.access_token)
        .json(&SignRequest { collection, path })
        .send()
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "the data server did not answer");
            PortalError::Upstream("the data server did not answer".into())
        })?;
    let status = response.status();
    if status.is_success() {
        return response.json().await.map_err(|e| {
            PortalError::Upstream(format!("the data server's answer is not understood: {e}"))
        });
    }
    let message = response.json::<DataError>().await.map_or_else(
        |_| format!("the data server answered {status}"),
        |e| e.message,
    );
    Err(match status.as_u16() {
        404 => PortalError::NotFound(refusals.no_file),
        403 => PortalError::Forbidden(message),
        _ => PortalError::Upstream(format!("the data server answered {status}: {message}")),
    })
}
