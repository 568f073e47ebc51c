//! `TestApp`: every service started in-process exactly as `mrdp all` starts them, on free ports,
//! with a throwaway data directory, database and web-app build.

use mrdp_server::config::Config;
use mrdp_server::deployment::{Deployment, Role};
use mrdp_service::clock::{SharedClock, SystemClock};
use mrdp_service::store::StoreLocation;
use mrdp_service::testing::TestDatabase;
use mrdp_shared::{ServiceName, StoreBackend};
use std::path::Path;
use std::sync::Arc;

pub const INDEX_HTML: &str = "<!doctype html><title>test app</title>";
pub const APP_JS: &str = "console.log('app');";

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
        Self::spawn_full(backend, with_app, Arc::new(SystemClock)).await
    }

    /// Every service reading time from `clock`.
    pub async fn spawn_with_clock(backend: StoreBackend, clock: SharedClock) -> Self {
        Self::spawn_full(backend, true, clock).await
    }

    async fn spawn_full(backend: StoreBackend, with_app: bool, clock: SharedClock) -> Self {
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
        let config = Config::for_tests(data_dir.path(), dist_dir.path(), database_url);
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

    pub async fn stop(self) {
        self.deployment.stop().await;
        self.database.remove().await;
    }
}

fn write_web_app(dir: &Path) {
    std::fs::write(dir.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(dir.join("app.js"), APP_JS).unwrap();
}
