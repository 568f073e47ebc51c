//! Test support: a stand-in identity provider over real HTTP, for resource-server tests that need
//! chosen answers rather than the embedded provider's. It answers token introspection as told,
//! and creates scopes (recording each one), or refuses them once told to.

use crate::scopes::{NewScope, ScopeDocument, ScopeEnvelope, scope_string};
use actix_web::{App, HttpResponse, HttpServer, web};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A running stand-in provider.
#[derive(Debug, Clone)]
pub struct StandInIdp {
    /// Its base URL.
    pub url: String,
    /// How many introspections it answered.
    pub introspections: Arc<AtomicUsize>,
    /// The scope strings it created, in order.
    pub scopes: Arc<Mutex<Vec<String>>>,
    /// While set, scope creation is refused (503).
    pub refuse_scopes: Arc<AtomicBool>,
}

impl StandInIdp {
    /// The scopes created so far.
    pub fn created_scopes(&self) -> Vec<String> {
        self.scopes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// `POST /v2/api/clients/{client}/scopes`: the scope as created, or a refusal.
fn create_scope(idp: &StandInIdp, client: &str, scope: NewScope) -> HttpResponse {
    if idp.refuse_scopes.load(Ordering::SeqCst) {
        return HttpResponse::ServiceUnavailable().finish();
    }
    let string = scope_string(client, &scope.scope_suffix);
    idp.scopes
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(string.clone());
    HttpResponse::Ok().json(ScopeEnvelope {
        scope: ScopeDocument {
            id: format!("scope-{}", idp.created_scopes().len()),
            scope_string: string,
            name: scope.name,
            description: scope.description,
            client: client.to_owned(),
            dependent_scopes: scope.dependent_scopes,
            advertised: scope.advertised,
            allows_refresh_token: scope.allows_refresh_token,
            required_domains: scope.required_domains,
        },
    })
}

/// Serves a stand-in provider answering introspections with `answer(token)` on a free loopback
/// port.
///
/// # Panics
/// When no loopback port can be had (a test cannot go on without one).
pub async fn stand_in_idp<F>(answer: F) -> StandInIdp
where
    F: Fn(&str) -> serde_json::Value + Send + Sync + 'static,
{
    let answer = Arc::new(answer);
    let mut idp = StandInIdp {
        url: String::new(),
        introspections: Arc::default(),
        scopes: Arc::default(),
        refuse_scopes: Arc::default(),
    };
    let shared = idp.clone();
    let server = HttpServer::new(move || {
        let (answer, introspected, scoped) = (answer.clone(), shared.clone(), shared.clone());
        App::new()
            .route(
                "/v2/oauth2/token/introspect",
                web::post().to(move |form: web::Form<HashMap<String, String>>| {
                    introspected.introspections.fetch_add(1, Ordering::SeqCst);
                    let token = form.get("token").map_or("", String::as_str);
                    let body = answer(token);
                    async move { HttpResponse::Ok().json(body) }
                }),
            )
            .route(
                "/v2/api/clients/{client}/scopes",
                web::post().to(
                    move |client: web::Path<String>, body: web::Json<ScopeEnvelope<NewScope>>| {
                        let response = create_scope(&scoped, &client, body.into_inner().scope);
                        async move { response }
                    },
                ),
            )
    })
    .workers(1)
    .disable_signals()
    .bind("127.0.0.1:0")
    .unwrap_or_else(|e| panic!("a loopback port for the stand-in provider: {e}"));
    idp.url = format!("http://{}", server.addrs()[0]);
    tokio::spawn(server.run());
    idp
}
