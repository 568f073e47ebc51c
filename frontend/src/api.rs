//! The typed client of the portal API, over the `mrdp-shared` types.
//!
//! The browser sends its session cookie with every same-origin request; it never sees a token.

use gloo_net::http::Request;
use mrdp_shared::{
    ApiError, ConnectionsResponse, ErrorCode, HealthReport, LogoutResponse, MeResponse,
    ProfileRequest,
};
use serde::de::DeserializeOwned;

mod apps;
mod collections;
mod datasets;
mod graphs;
mod transfers;

pub use apps::{delete_app, fetch_apps, register_app};
pub use collections::{
    CollectionFilter, ListingOrder, delete_paths, fetch_collections, fetch_shares, list_folder,
    make_folder, rename, request_collection_download, revoke_share, share_folder,
};
pub use datasets::{fetch_dataset, fetch_files, read_file, request_download, search_datasets};
pub use graphs::{
    delete_graph_job, fetch_graph_job, fetch_graph_jobs, fetch_graph_links, graph_stream_url,
    submit_graphs,
};
pub use transfers::{
    cancel_transfer, fetch_transfer, fetch_transfer_events, fetch_transferred_files,
    fetch_transfers, new_idempotency_key, stream_url, submit_transfer, transfer_again,
    transferred_files_address,
};

/// The API endpoints the app calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiPath {
    Health,
    Me,
    /// A page, not a fetch: the browser goes there to sign in.
    Login,
    /// A page too: sign in, offering to create an account at the provider.
    Signup,
    Logout,
    Profile,
    Connections,
    /// The catalog; a dataset's routes are below it.
    Datasets,
    /// The researcher's tasks; a task's routes are below it.
    Transfers,
    /// The collections the researcher may use; a collection's routes are below it.
    Collections,
    /// Shares, by guest collection and rule.
    Shares,
    /// The researcher's graph jobs; a job's routes are below it.
    Graphs,
    /// The researcher's apps (the Developer page); an app's routes are below it.
    Apps,
}

impl ApiPath {
    pub fn path(self) -> &'static str {
        match self {
            Self::Health => "/api/health",
            Self::Me => "/api/me",
            Self::Login => "/api/auth/login",
            Self::Signup => "/api/auth/signup",
            Self::Logout => "/api/auth/logout",
            Self::Profile => "/api/me/profile",
            Self::Connections => "/api/me/connections",
            Self::Datasets => "/api/datasets",
            Self::Transfers => "/api/transfers",
            Self::Collections => "/api/collections",
            Self::Shares => "/api/shares",
            Self::Graphs => "/api/graphs",
            Self::Apps => "/api/apps",
        }
    }
}

/// The header the portal requires on requests that change something (its CSRF defence).
pub const CSRF_HEADER: &str = "x-mrdp-csrf";

/// Why an API call did not give the expected document.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The portal could not be reached at all.
    Network(String),
    /// The portal answered with its error envelope.
    Api { status: u16, error: ApiError },
    /// The portal answered something that is not the expected document.
    Unreadable { status: u16 },
}

impl ApiFailure {
    /// A sentence for the page.
    pub fn message(&self) -> String {
        match self {
            Self::Network(_) => {
                "The portal cannot be reached. Check your connection and retry.".to_owned()
            }
            Self::Api { error, .. } => error.message.clone(),
            Self::Unreadable { status } => {
                format!("The portal gave an unexpected answer (HTTP {status}).")
            }
        }
    }

    /// Whether the researcher must first allow the portal to use a collection for them.
    pub fn needs_consent(&self) -> bool {
        matches!(self, Self::Api { error, .. } if error.code == ErrorCode::ConsentRequired)
    }

    /// Whether the portal asks for a complete profile before this feature.
    pub fn needs_profile(&self) -> bool {
        matches!(self, Self::Api { error, .. } if error.code == ErrorCode::ProfileIncomplete)
    }
}

/// Reads a file as text through a signed data-server URL (straight from the data server, never
/// through the portal).
pub async fn read_signed(url: &str) -> Result<String, ApiFailure> {
    let network = |e: gloo_net::Error| ApiFailure::Network(e.to_string());
    let response = Request::get(url).send().await.map_err(network)?;
    if !response.ok() {
        return Err(ApiFailure::Unreadable {
            status: response.status(),
        });
    }
    response.text().await.map_err(network)
}

/// Interprets a response: the document on 2xx (`null` for a 204, which has none), the error
/// envelope otherwise.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiFailure> {
    if status == 204 {
        serde_json::from_str("null").map_err(|_| ApiFailure::Unreadable { status })
    } else if (200..300).contains(&status) {
        serde_json::from_str(body).map_err(|_| ApiFailure::Unreadable { status })
    } else {
        match serde_json::from_str::<ApiError>(body) {
            Ok(error) => Err(ApiFailure::Api { status, error }),
            Err(_) => Err(ApiFailure::Unreadable { status }),
        }
    }
}

/// Sends a request that expects JSON and decodes the answer.
async fn send<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiFailure> {
    let network = |e: gloo_net::Error| ApiFailure::Network(e.to_string());
    let response = request.map_err(network)?.send().await.map_err(network)?;
    let status = response.status();
    let body = response.text().await.map_err(network)?;
    decode(status, &body)
}

/// A `POST` of JSON, with the CSRF header.
async fn post<B: serde::Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<T, ApiFailure> {
    let request = Request::post(url)
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1");
    send(request.json(body)).await
}

/// Escapes one path segment or query value.
fn escaped(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiFailure> {
    send(
        Request::get(url)
            .header("Accept", "application/json")
            .build(),
    )
    .await
}

/// `GET /api/health`.
pub async fn fetch_health() -> Result<HealthReport, ApiFailure> {
    get(ApiPath::Health.path()).await
}

/// `GET /api/me`: the signed-in person, or `None` when nobody is.
pub async fn fetch_me() -> Result<Option<MeResponse>, ApiFailure> {
    signed_in_or_none(get(ApiPath::Me.path()).await)
}

/// Turns "unauthenticated" into `None`: not an error, just nobody signed in.
pub fn signed_in_or_none<T>(result: Result<T, ApiFailure>) -> Result<Option<T>, ApiFailure> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(ApiFailure::Api { error, .. }) if error.code == ErrorCode::Unauthenticated => Ok(None),
        Err(other) => Err(other),
    }
}

/// `GET /api/me/connections`: what the portal may do for the signed-in researcher.
pub async fn fetch_connections() -> Result<ConnectionsResponse, ApiFailure> {
    get(ApiPath::Connections.path()).await
}

/// `POST /api/auth/logout`: ends the session; the answer names the provider's logout page.
pub async fn logout() -> Result<LogoutResponse, ApiFailure> {
    let request = Request::post(ApiPath::Logout.path())
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1");
    send(request.build()).await
}

/// `PUT /api/me/profile`.
pub async fn save_profile(profile: &ProfileRequest) -> Result<MeResponse, ApiFailure> {
    let request = Request::put(ApiPath::Profile.path())
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1");
    send(request.json(profile)).await
}

/// Where the sign-in link goes: the portal starts the flow and brings the browser back to `next`.
pub fn login_href(next: &str) -> String {
    auth_href(ApiPath::Login, next)
}

/// Where a researcher goes to allow the portal to use `collection` for them (a sign-in asking
/// for its HTTPS scope too), coming back to `next`.
pub fn consent_href(collection: &str, next: &str) -> String {
    format!("{}&collection={}", login_href(next), escaped(collection))
}

/// Where a researcher goes to allow the portal to manage their apps (a sign-in asking for that
/// too), coming back to `next`.
pub fn apps_consent_href(next: &str) -> String {
    format!("{}&apps=true", login_href(next))
}

/// Where the sign-up link goes.
pub fn signup_href(next: &str) -> String {
    auth_href(ApiPath::Signup, next)
}

fn auth_href(page: ApiPath, next: &str) -> String {
    let encoded: String = next
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("{}?next={encoded}", page.path())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrdp_shared::{ErrorCode, HealthStatus};

    #[test]
    fn success_decodes_the_document() {
        let report: HealthReport = decode(200, r#"{"status":"ok","services":[]}"#).unwrap();
        assert_eq!(report.status, HealthStatus::Ok);
    }

    #[test]
    fn errors_decode_the_envelope_and_keep_its_message() {
        let failure =
            decode::<HealthReport>(404, r#"{"code":"not_found","message":"no API route"}"#)
                .unwrap_err();
        let ApiFailure::Api { status, error } = &failure else {
            panic!("{failure:?}")
        };
        assert_eq!((*status, error.code), (404, ErrorCode::NotFound));
        assert_eq!(failure.message(), "no API route");
    }

    #[test]
    fn no_content_is_nothing_and_not_a_failure() {
        assert_eq!(decode::<()>(204, ""), Ok(()));
        assert!(decode::<HealthReport>(204, "").is_err());
    }

    #[test]
    fn unauthenticated_means_nobody_signed_in() {
        let nobody = decode::<MeResponse>(
            401,
            r#"{"code":"unauthenticated","message":"sign in first"}"#,
        );
        assert_eq!(signed_in_or_none(nobody), Ok(None));
        let broken = decode::<MeResponse>(500, r#"{"code":"internal","message":"internal error"}"#);
        assert!(signed_in_or_none(broken).is_err());
    }

    #[test]
    fn an_incomplete_profile_is_told_apart() {
        let gated = decode::<ConnectionsResponse>(
            403,
            r#"{"code":"profile_incomplete","message":"complete your profile first"}"#,
        )
        .unwrap_err();
        assert!(gated.needs_profile());
        let forbidden =
            decode::<ConnectionsResponse>(403, r#"{"code":"forbidden","message":"no"}"#)
                .unwrap_err();
        assert!(!forbidden.needs_profile());
    }

    #[test]
    fn consent_names_the_collection_and_comes_back() {
        assert_eq!(
            consent_href("c-1", "/file-manager?origin=c-1"),
            "/api/auth/login?next=/file-manager%3Forigin%3Dc-1&collection=c%2D1"
        );
    }

    #[test]
    fn login_href_encodes_next() {
        assert_eq!(login_href("/"), "/api/auth/login?next=/");
        assert_eq!(signup_href("/profile"), "/api/auth/signup?next=/profile");
        assert_eq!(
            login_href("/datasets?x=1&y=2"),
            "/api/auth/login?next=/datasets%3Fx%3D1%26y%3D2"
        );
    }

    #[test]
    fn html_where_json_was_expected_is_unreadable() {
        let failure = decode::<HealthReport>(200, "<!doctype html>").unwrap_err();
        assert_eq!(failure, ApiFailure::Unreadable { status: 200 });
        let failure = decode::<HealthReport>(502, "Bad Gateway").unwrap_err();
        assert!(failure.message().contains("502"));
    }
}
