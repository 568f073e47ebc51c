//! `TestIdp`: the identity provider on a free port, over a fresh store, with a manual clock.

use actix_web::dev::ServerHandle;
use mrdp_idp::registry::clients::{self, ClientRow, NewClient};
use mrdp_idp::{IdpSettings, IdpState, MIGRATIONS};
use mrdp_service::clock::Clock;
use mrdp_service::store::Store;
use mrdp_service::testing::{ManualClock, TestDatabase};
use mrdp_shared::StoreBackend;
use serde_json::Value;
use std::sync::Arc;

pub const TRANSFER_SCOPE: &str = "urn:globus:auth:scope:transfer.api.globus.org:all";

pub struct TestIdp {
    pub url: String,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    store: Store,
    handle: ServerHandle,
    database: TestDatabase,
    _secrets: tempfile::TempDir,
}

/// A registered confidential client and its secret.
pub struct Confidential {
    pub client: ClientRow,
    pub secret: String,
}

impl TestIdp {
    pub async fn spawn(backend: StoreBackend) -> Self {
        let database = TestDatabase::create(backend).await;
        let store = Store::connect(database.location(), "idp").await.unwrap();
        store.migrate(&MIGRATIONS).await.unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let secrets = tempfile::tempdir().unwrap();
        let clock = ManualClock::starting_at(1_800_000_000);
        let settings = IdpSettings::new(&url, secrets.path().to_owned());
        let state = IdpState::start(store.clone(), settings, Arc::new(clock.clone()))
            .await
            .unwrap();
        let server =
            mrdp_service::http::serve(listener, 1, move |cfg| mrdp_idp::configure(cfg, &state))
                .unwrap();
        let handle = server.handle();
        tokio::spawn(server);
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            url,
            clock,
            http,
            store,
            handle,
            database,
            _secrets: secrets,
        }
    }

    pub async fn confidential_client(&self, name: &str) -> Confidential {
        let new = NewClient {
            name: name.to_owned(),
            public: false,
            redirect_uris: vec![],
        };
        let (client, secret) = clients::create(&self.store, self.clock.now(), new)
            .await
            .unwrap();
        let secret = secret.expect("confidential clients get a secret");
        Confidential {
            client,
            secret: secret.expose().to_owned(),
        }
    }

    pub async fn public_client(&self, name: &str) -> ClientRow {
        let new = NewClient {
            name: name.to_owned(),
            public: true,
            redirect_uris: vec![],
        };
        clients::create(&self.store, self.clock.now(), new)
            .await
            .unwrap()
            .0
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub async fn get_json(&self, url: &str) -> Value {
        let response = self.http.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        response.json().await.unwrap()
    }

    /// `POST path` with a form body, authenticated with HTTP Basic as `client` if given.
    pub async fn post_form(
        &self,
        path: &str,
        client: Option<&Confidential>,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self.http.post(self.url(path)).form(form);
        if let Some(client) = client {
            request = request.basic_auth(&client.client.id, Some(client.secret.as_str()));
        }
        request.send().await.unwrap()
    }

    /// Client credentials for `scope`; panics unless granted.
    pub async fn client_token(&self, client: &Confidential, scope: &str) -> Value {
        let response = self
            .post_form(
                "/v2/oauth2/token",
                Some(client),
                &[("grant_type", "client_credentials"), ("scope", scope)],
            )
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Introspects `token` as `caller`.
    pub async fn introspect(
        &self,
        caller: &Confidential,
        token: &str,
        include: Option<&str>,
    ) -> Value {
        let mut form = vec![("token", token)];
        if let Some(include) = include {
            form.push(("include", include));
        }
        let response = self
            .post_form("/v2/oauth2/token/introspect", Some(caller), &form)
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn stop(self) {
        self.handle.stop(true).await;
        self.store.close().await;
        self.database.remove().await;
    }
}

/// Asserts an RFC 6749 error response and returns its description.
pub async fn assert_oauth_error(response: reqwest::Response, status: u16, error: &str) -> String {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], error, "{body}");
    body["error_description"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
