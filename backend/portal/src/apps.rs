//! The researcher's apps (the Developer page): `GET /api/apps`, `POST /api/apps` (201; a
//! service's secret in that answer only), `DELETE /api/apps/{id}` (204). The portal calls the
//! identity provider's client API (Globus Auth's `/v2/api/clients`) as the researcher, with their
//! token for `manage_projects`, which a sign-in asks for only when the researcher chooses to
//! manage apps (`/api/auth/login?apps=true`); without it the answer is `consent_required`.

use crate::auth::bearer::portal_scope;
use crate::auth::grants;
use crate::auth::me::with_complete_profile;
use crate::paging::PageQuery;
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, HttpResponse, web};
use mrdp_shared::{App, AppKind, AppRegistered, Apps, NewApp};
use serde::Deserialize;
use serde_json::{Value, json};

/// Globus Auth's scope for managing one's projects and the apps in them.
pub const MANAGE_PROJECTS_SCOPE: &str = "urn:globus:auth:scope:auth.globus.org:manage_projects";
/// The resource server of the provider's own scopes.
const AUTH_RESOURCE_SERVER: &str = "auth.globus.org";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/apps", web::get().to(list))
        .route("/apps", web::post().to(register))
        .route("/apps/{id}", web::delete().to(delete));
}

/// The identity provider's client API, called as one researcher.
struct ClientApi {
    state: PortalState,
    token: String,
}

impl ClientApi {
    async fn of(req: &HttpRequest, state: &PortalState) -> Result<Self, PortalError> {
        let session = with_complete_profile(req, state).await?;
        let tokens = grants::usable(state, &session.id_hash, AUTH_RESOURCE_SERVER).await?;
        let token = tokens
            .filter(|tokens| {
                tokens
                    .scope
                    .split_whitespace()
                    .any(|s| s == MANAGE_PROJECTS_SCOPE)
            })
            .ok_or(PortalError::AppsConsentRequired)?;
        Ok(Self {
            state: state.clone(),
            token: token.access_token,
        })
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, PortalError> {
        let issuer = self.state.provider.settings.issuer.trim_end_matches('/');
        let mut request = self
            .state
            .http
            .request(method, format!("{issuer}{path}"))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| {
            tracing::warn!(error = %e, "the identity provider's client API did not answer");
            PortalError::Upstream("the identity provider did not answer".into())
        })?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            return Ok(body);
        }
        // Globus's error envelope: `errors[0].detail`.
        let detail = body["errors"][0]["detail"].as_str().map_or_else(
            || format!("the identity provider answered {status}"),
            str::to_owned,
        );
        Err(match status.as_u16() {
            400 => PortalError::BadRequest(detail),
            401 => PortalError::GrantEnded(AUTH_RESOURCE_SERVER.to_owned()),
            403 => PortalError::Forbidden(detail),
            404 => PortalError::NotFound(detail),
            _ => {
                PortalError::Upstream(format!("the identity provider answered {status}: {detail}"))
            }
        })
    }
}

/// An app from the provider's client document.
fn app_of(client: &Value) -> Result<App, PortalError> {
    #[derive(Deserialize)]
    struct Client {
        id: String,
        name: String,
        public_client: bool,
        #[serde(default)]
        redirect_uris: Vec<String>,
    }
    let client = Client::deserialize(client).map_err(|e| {
        PortalError::Upstream(format!(
            "the identity provider's client is not understood: {e}"
        ))
    })?;
    Ok(App {
        id: client.id,
        name: client.name,
        kind: if client.public_client {
            AppKind::Native
        } else {
            AppKind::Service
        },
        redirect_uris: client.redirect_uris,
    })
}

async fn list(
    req: HttpRequest,
    state: web::Data<PortalState>,
    query: web::Query<PageQuery>,
) -> Result<web::Json<Apps>, PortalError> {
    let page = query.checked(100)?;
    let api = ClientApi::of(&req, &state).await?;
    let answer = api
        .call(reqwest::Method::GET, "/v2/api/clients", None)
        .await?;
    let apps = answer["clients"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(app_of)
        .collect::<Result<Vec<_>, _>>()?;
    let (apps, paging) = page.of(&req, apps);
    let issuer = state.provider.settings.issuer.trim_end_matches('/');
    Ok(web::Json(Apps {
        apps,
        paging,
        portal_scope: portal_scope(&state).await?,
        code_page: format!("{issuer}/v2/web/auth-code"),
    }))
}

async fn register(
    req: HttpRequest,
    state: web::Data<PortalState>,
    body: web::Json<NewApp>,
) -> Result<HttpResponse, PortalError> {
    let new = body.into_inner();
    if let Some(problem) = new.validate().first() {
        return Err(PortalError::BadRequest(format!(
            "{}: {}",
            problem.field, problem.message
        )));
    }
    let api = ClientApi::of(&req, &state).await?;
    let projects = api
        .call(reqwest::Method::GET, "/v2/api/projects", None)
        .await?;
    let project = projects["projects"][0]["id"].as_str().ok_or_else(|| {
        PortalError::Upstream("the identity provider names no project of yours".into())
    })?;
    let mut client = json!({"name": new.name.trim(), "project": project});
    match new.kind {
        AppKind::Native => {
            client["public_client"] = json!(true);
            client["redirect_uris"] = json!(new.redirect_uris);
        }
        AppKind::Service => client["client_type"] = json!("client_identity"),
    }
    let made = api
        .call(
            reqwest::Method::POST,
            "/v2/api/clients",
            Some(json!({ "client": client })),
        )
        .await?;
    let app = app_of(&made["client"])?;
    let client_secret = match app.kind {
        AppKind::Native => None,
        AppKind::Service => {
            let path = format!("/v2/api/clients/{}/credentials", app.id);
            let credential = json!({"credential": {"name": "made on the portal"}});
            let made = api
                .call(reqwest::Method::POST, &path, Some(credential))
                .await?;
            made["credential"]["secret"].as_str().map(str::to_owned)
        }
    };
    Ok(HttpResponse::Created().json(AppRegistered { app, client_secret }))
}

async fn delete(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
) -> Result<HttpResponse, PortalError> {
    let id = crate::transfers::service_made_id(&id, "app")?;
    let api = ClientApi::of(&req, &state).await?;
    let path = format!("/v2/api/clients/{id}");
    api.call(reqwest::Method::DELETE, &path, None).await?;
    Ok(HttpResponse::NoContent().finish())
}
