//! The embedded identity provider: a Globus Auth compatible OAuth2 / OpenID Connect server.
//!
//! Served by `mrdp idp` (and `mrdp all`) at the paths Globus Auth uses, so that clients written
//! for Globus work against it unchanged (`spec/globus-compat.md` §1). Its state lives in its own
//! store, its signing keys too ([`key_ring`]), so that any number of replicas share it.

mod api_error;
mod authorize;
pub mod bootstrap;
mod caller;
mod client_auth;
mod clients_api;
mod codes;
mod consents;
mod discovery;
pub mod error;
mod grants;
mod groups_api;
mod id_token;
mod identities_api;
mod introspect;
pub mod key_ring;
pub mod keys;
pub mod metrics;
mod pages;
pub mod password;
mod pkce;
pub mod purge;
pub mod registry;
mod revoke;
pub mod scopes;
mod scopes_api;
mod secret;
pub mod settings;
mod token_endpoint;
mod tokens;
mod userinfo;

pub use secret::ClientSecret;
pub use settings::IdpSettings;

use actix_web::web;
use error::OAuthError;
use key_ring::KeyRing;
use keys::KeyError;
use mrdp_service::clock::SharedClock;
use mrdp_service::health::{self, HealthProbe};
use mrdp_service::store::{Migrations, Store};
use mrdp_shared::ServiceName;
use std::sync::Arc;

/// This service's schema, per SQL dialect.
pub static MIGRATIONS: Migrations = mrdp_service::embed_migrations!();

/// Why the identity provider could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("signing key: {0}")]
    Keys(#[from] KeyError),
    #[error("registering the built-in scopes: {0}")]
    Store(#[from] sqlx::Error),
    #[error("password hashing does not work: {0}")]
    Password(String),
}

/// Everything the identity provider's handlers share.
#[derive(Debug, Clone)]
pub struct IdpState {
    store: Store,
    settings: Arc<IdpSettings>,
    keys: Arc<KeyRing>,
    clock: SharedClock,
    passwords: password::PasswordChecker,
    /// The token endpoint's answers, for the metrics.
    pub grants: metrics::Grants,
}

impl IdpState {
    /// Reads the signing keys (making the first) and registers the built-in scopes. `store` must
    /// be migrated.
    pub async fn start(
        store: Store,
        settings: IdpSettings,
        clock: SharedClock,
    ) -> Result<Self, StartError> {
        let keys = KeyRing::open(store.clone(), &settings.secrets_dir, clock.now()).await?;
        for scope in registry::scopes::builtin() {
            registry::scopes::register(&store, &scope).await?;
        }
        // As many password checks at once as there are CPUs to run them.
        let concurrent = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let passwords = password::PasswordChecker::new(concurrent)
            .map_err(|e| StartError::Password(e.to_string()))?;
        Ok(Self {
            store,
            settings: Arc::new(settings),
            keys: Arc::new(keys),
            clock,
            passwords,
            grants: metrics::Grants::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Cookies are `Secure` when this server is reached over https.
    fn secure_cookies(&self) -> bool {
        self.settings.issuer.starts_with("https://")
    }
}

/// Registers the identity provider's routes.
pub fn configure(cfg: &mut web::ServiceConfig, state: &IdpState) {
    health::configure(cfg, HealthProbe::new(ServiceName::Idp, state.store.clone()));
    let bad_form = |e: actix_web::error::UrlencodedError, _: &actix_web::HttpRequest| {
        OAuthError::InvalidRequest(format!("malformed form body: {e}")).into()
    };
    let bad_json = |e: actix_web::error::JsonPayloadError, _: &actix_web::HttpRequest| {
        api_error::ApiError::BadRequest(format!("malformed JSON body: {e}")).into()
    };
    let bad_query = |e: actix_web::error::QueryPayloadError, _: &actix_web::HttpRequest| {
        api_error::ApiError::BadRequest(format!("malformed query: {e}")).into()
    };
    cfg.app_data(web::Data::new(state.clone()))
        .app_data(web::QueryConfig::default().error_handler(bad_query))
        .app_data(
            web::JsonConfig::default()
                .limit(64 * 1024)
                .error_handler(bad_json),
        )
        .app_data(
            web::FormConfig::default()
                .limit(64 * 1024)
                .error_handler(bad_form),
        )
        .route(
            discovery::DISCOVERY_PATH,
            web::get().to(discovery::get_discovery),
        )
        .route(discovery::JWKS_PATH, web::get().to(discovery::get_jwks))
        .route(
            discovery::TOKEN_PATH,
            web::post().to(token_endpoint::post_token),
        )
        .route(
            discovery::INTROSPECT_PATH,
            web::post().to(introspect::post_introspect),
        )
        .route(discovery::REVOKE_PATH, web::post().to(revoke::post_revoke))
        .route(
            discovery::AUTHORIZE_PATH,
            web::get().to(authorize::get_authorize),
        )
        .route(
            discovery::USERINFO_PATH,
            web::get().to(userinfo::get_userinfo),
        )
        .route(
            discovery::USERINFO_PATH,
            web::post().to(userinfo::get_userinfo),
        )
        .route(
            pages::auth_code::AUTH_CODE_PATH,
            web::get().to(pages::auth_code::get_auth_code),
        )
        .route(
            pages::consent::CONSENT_PATH,
            web::post().to(pages::consent::post_consent),
        )
        .route(
            pages::login::LOGIN_PATH,
            web::get().to(pages::login::get_login),
        )
        .route(
            pages::login::LOGIN_PATH,
            web::post().to(pages::login::post_login),
        )
        .route(
            pages::logout::LOGOUT_PATH,
            web::get().to(pages::logout::get_logout),
        )
        .route(
            "/v2/api/identities",
            web::get().to(identities_api::get_identities),
        )
        .route(
            "/v2/groups/my_groups",
            web::get().to(groups_api::get_my_groups),
        )
        .route("/v2/groups/{id}", web::get().to(groups_api::get_group))
        .route(
            "/v2/api/identities/{id}",
            web::get().to(identities_api::get_identity),
        )
        .route("/v2/api/projects", web::get().to(clients_api::get_projects))
        .route("/v2/api/clients", web::get().to(clients_api::get_clients))
        .route("/v2/api/clients", web::post().to(clients_api::post_client))
        .route(
            "/v2/api/clients/{id}",
            web::get().to(clients_api::get_client),
        )
        .route(
            "/v2/api/clients/{id}",
            web::delete().to(clients_api::delete_client),
        )
        .route(
            "/v2/api/clients/{id}/credentials",
            web::post().to(clients_api::post_credential),
        )
        .route(
            "/v2/api/clients/{client_id}/scopes",
            web::post().to(scopes_api::post_scope),
        )
        .default_service(web::to(api_error::unknown_path));
}
