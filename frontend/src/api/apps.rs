//! The researcher's apps: listing them, registering one, deleting one.

use super::{ApiFailure, ApiPath, CSRF_HEADER, escaped, get, post, send};
use gloo_net::http::Request;
use mrdp_shared::{AppRegistered, Apps, NewApp};

/// `GET /api/apps`: the first hundred.
pub async fn fetch_apps() -> Result<Apps, ApiFailure> {
    get(&format!("{}?per_page=100", ApiPath::Apps.path())).await
}

/// `POST /api/apps`: the app, and a service's secret (shown once).
pub async fn register_app(new: &NewApp) -> Result<AppRegistered, ApiFailure> {
    post(ApiPath::Apps.path(), new).await
}

/// `DELETE /api/apps/{id}`: the app, and every token it was given.
pub async fn delete_app(id: &str) -> Result<(), ApiFailure> {
    let url = format!("{}/{}", ApiPath::Apps.path(), escaped(id));
    let request = Request::delete(&url)
        .header("Accept", "application/json")
        .header(CSRF_HEADER, "1");
    send(request.build()).await
}
