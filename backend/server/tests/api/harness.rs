//! `TestApp`: every service started in-process exactly as `mrdp all` starts them, on free ports,
//! with a throwaway data directory, database and web-app build.

use mrdp_idp::bootstrap::{ClientCredentials, GRAPH_CLIENT, PORTAL_CLIENT, read_credentials};
use mrdp_server::config::Config;
use mrdp_server::deployment::{Deployment, Role};
use mrdp_service::clock::{SharedClock, SystemClock};
use mrdp_service::store::{Store, StoreLocation};
use mrdp_service::testing::TestDatabase;
use mrdp_service::vault::{self, StoredTokens, VaultKey};
use mrdp_shared::{ServiceName, StoreBackend};
use std::path::Path;
use std::sync::Arc;

pub const INDEX_HTML: &str = "<!doctype html><title>test app</title>";
pub const APP_JS: &str = "console.log('app');";
pub const STYLE_CSS: &str = "body { margin: 0 }";
/// Stand-ins for the forms a release build leaves beside its files (`scripts/compress-web-app`):
/// the portal sends their bytes as they are, so any bytes tell which form it chose. The build
/// made no brotli form of the style sheet.
pub const INDEX_HTML_BR: &str = "index.html in brotli";
pub const INDEX_HTML_GZ: &str = "index.html in gzip";
pub const APP_JS_BR: &str = "app.js in brotli";
pub const APP_JS_GZ: &str = "app.js in gzip";
pub const STYLE_CSS_GZ: &str = "style.css in gzip";

pub struct TestApp {
    pub deployment: Deployment,
    pub config: Config,
    pub client: reqwest::Client,
    database: TestDatabase,
    _data_dir: tempfile::TempDir,
    _dist_dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn(backend: StoreBackend) -> Self {
        Self::spawn_with_dist(backend, true).await
    }

    /// `with_app`: whether `dist/` holds a built web app.
    pub async fn spawn_with_dist(backend: StoreBackend, with_app: bool) -> Self {
        Self::spawn_full(backend, with_app, Arc::new(SystemClock), |_| ()).await
    }

    /// Every service reading time from `clock`.
    pub async fn spawn_with_clock(backend: StoreBackend, clock: SharedClock) -> Self {
        Self::spawn_full(backend, true, clock, |_| ()).await
    }

    /// Every service reading time from `clock`, with the configuration changed by `tweak`.
    pub async fn spawn_configured(
        backend: StoreBackend,
        clock: SharedClock,
        tweak: impl FnOnce(&mut Config),
    ) -> Self {
        Self::spawn_full(backend, true, clock, tweak).await
    }

    async fn spawn_full(
        backend: StoreBackend,
        with_app: bool,
        clock: SharedClock,
        tweak: impl FnOnce(&mut Config),
    ) -> Self {
        let database = TestDatabase::create(backend).await;
        let data_dir = tempfile::tempdir().unwrap();
        let dist_dir = tempfile::tempdir().unwrap();
        if with_app {
            write_web_app(dist_dir.path());
        }
        let database_url = match database.location() {
            StoreLocation::Postgres(url) => Some(url.clone()),
            StoreLocation::Sqlite { .. } => None,
        };
        let mut config = Config::for_tests(data_dir.path(), dist_dir.path(), database_url);
        config.transfer.catalog_dir = Some(catalog_dir());
        tweak(&mut config);
        let deployment = Deployment::start_with_clock(&config, Role::All, clock)
            .await
            .expect("start every service");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            deployment,
            config,
            client,
            database,
            _data_dir: data_dir,
            _dist_dir: dist_dir,
        }
    }

    /// Stops every service and starts them again on the same data directory and database, with
    /// the configuration changed by `tweak` (a restart).
    pub async fn restart(mut self, clock: SharedClock, tweak: impl FnOnce(&mut Config)) -> Self {
        self.deployment.stop().await;
        tweak(&mut self.config);
        self.deployment = Deployment::start_with_clock(&self.config, Role::All, clock)
            .await
            .expect("start every service again");
        self
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.deployment.url(ServiceName::Portal))
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("the portal answers")
    }

    /// The portal's store, opened beside the running portal (close it after use).
    pub async fn portal_store(&self) -> Store {
        self.store("portal").await
    }

    /// A service's store (`portal`, `idp`, `transfer`), opened beside the running services.
    pub async fn store(&self, schema: &str) -> Store {
        let location =
            StoreLocation::from_config(self.config.database_url.as_ref(), &self.config.data_dir)
                .unwrap();
        Store::connect(&location, schema).await.unwrap()
    }

    /// How many rows the portal's `table` holds.
    pub async fn portal_rows(&self, table: &str) -> i64 {
        let store = self.portal_store().await;
        let count = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(store.pool())
            .await
            .unwrap();
        store.close().await;
        count
    }

    /// What the portal's vault holds, opened with the deployment's key: (resource server, tokens).
    pub async fn vault(&self) -> Vec<(String, StoredTokens)> {
        let data = &self.config.data_dir;
        let key =
            VaultKey::from_bytes(&std::fs::read(data.join("secrets/portal-vault.key")).unwrap())
                .unwrap();
        let store = self.portal_store().await;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT session_hash, resource_server, sealed FROM vault_tokens ORDER BY resource_server",
        )
        .fetch_all(store.pool())
        .await
        .unwrap();
        store.close().await;
        rows.into_iter()
            .map(|(session, resource_server, sealed)| {
                assert!(!sealed.contains('.'), "sealed, not a JWT or plain token");
                let opened = vault::open(&key, &session, &resource_server, &sealed).unwrap();
                (resource_server, opened)
            })
            .collect()
    }

    /// The tokens the vault holds for `resource_server` (the first session's).
    pub async fn grant(&self, resource_server: &str) -> StoredTokens {
        self.vault()
            .await
            .into_iter()
            .find(|(held, _)| held == resource_server)
            .unwrap_or_else(|| panic!("no token for {resource_server} in the vault"))
            .1
    }

    /// The credentials the embedded provider's first start wrote for `client`.
    pub fn client_credentials(&self, client: &str) -> ClientCredentials {
        read_credentials(
            &self
                .config
                .data_dir
                .join(format!("secrets/clients/{client}.toml")),
        )
        .unwrap()
    }

    /// The provider's introspection of `token`, asked by the graph service (a resource server).
    pub async fn introspect(&self, token: &str) -> serde_json::Value {
        let graph = self.client_credentials(GRAPH_CLIENT);
        self.client
            .post(format!(
                "{}/v2/oauth2/token/introspect",
                self.deployment.url(ServiceName::Idp)
            ))
            .basic_auth(&graph.client_id, Some(&graph.client_secret))
            .form(&[("token", token)])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The status of using `refresh_token` at the provider as the portal's client.
    pub async fn refresh_status(&self, refresh_token: &str) -> u16 {
        let portal = self.client_credentials(PORTAL_CLIENT);
        self.client
            .post(format!(
                "{}/v2/oauth2/token",
                self.deployment.url(ServiceName::Idp)
            ))
            .basic_auth(&portal.client_id, Some(&portal.client_secret))
            .form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ])
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    pub async fn stop(self) {
        self.deployment.stop().await;
        self.database.remove().await;
    }
}

/// The root of the checkout the tests run from: cargo and nextest name this crate's directory
/// when they run a test; the directory it was compiled in is only the fallback (a shared target
/// directory may hold a build made in another checkout).
pub fn workspace() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(
            || env!("CARGO_MANIFEST_DIR").into(),
            std::path::PathBuf::from,
        )
        .join("../..")
}

/// The demo datasets in the repository.
pub fn catalog_dir() -> std::path::PathBuf {
    workspace().join("data/climate")
}

fn write_web_app(dir: &Path) {
    for (name, content) in [
        ("index.html", INDEX_HTML),
        ("index.html.br", INDEX_HTML_BR),
        ("index.html.gz", INDEX_HTML_GZ),
        ("app.js", APP_JS),
        ("app.js.br", APP_JS_BR),
        ("app.js.gz", APP_JS_GZ),
        ("style.css", STYLE_CSS),
        ("style.css.gz", STYLE_CSS_GZ),
    ] {
        std::fs::write(dir.join(name), content).unwrap();
    }
}
