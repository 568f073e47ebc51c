//! A deployment for the transfer crate's tests: a mapped collection owned by `portal` over
//! `<tmp>/root` (or over a bucket of a real S3 server), a guest collection sharing its `/data/`,
//! the Transfer API and the data server over real HTTP, and a stand-in identity provider that
//! knows a few tokens.

use mrdp_globus::auth::collection_https_scope as https_scope;
use mrdp_globus::introspection::Introspector;
use mrdp_globus::testing::{StandInIdp, stand_in_idp};
use mrdp_globus::transfer::TRANSFER_SCOPE;
use mrdp_service::clock::{Clock, SharedClock, SystemClock};
use mrdp_service::store::Store;
use mrdp_service::testing::TestDatabase;
use mrdp_service::testing::s3_server::{ACCESS_KEY, S3Server, SECRET_KEY};
use mrdp_shared::StoreBackend;
use mrdp_transfer::access::{Permission, Principal};
use mrdp_transfer::access_rules;
use mrdp_transfer::api::TransferApi;
use mrdp_transfer::collections::{self, NewCollection, Placement};
use mrdp_transfer::data_server::signed::UrlSigner;
use mrdp_transfer::data_server::{DataServer, SignedUrls};
use mrdp_transfer::engine::{Engine, Gate};
use mrdp_transfer::judge::Judges;
use mrdp_transfer::locate::Storages;
use mrdp_transfer::paths::CollectionPath;
use mrdp_transfer::paths::DIRECTORY_MARKER;
use mrdp_transfer::storage::object::S3Access;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

/// The guest collection: alice may read it all, bob and the lab group (carol) write `/uploads/`,
/// anyone read `/public/`.
pub struct Fixture {
    /// The data server.
    pub url: String,
    /// The Transfer API.
    pub transfer: String,
    pub mapped: String,
    pub shared: String,
    /// The mapped collection's files (on S3: the directory the server keeps the bucket in).
    pub root: PathBuf,
    pub tmp: tempfile::TempDir,
    /// The stand-in identity provider: what it introspects, the scopes it made.
    pub idp: StandInIdp,
    /// The S3 server, kept running while the mapped collection is a bucket in it.
    _s3: Option<S3Server>,
    database: TestDatabase,
    pub store: Store,
}

/// A group whose members (carol, not dave) may write the guest collection's `/uploads/`.
pub const LAB_GROUP: &str = "6f1f5b3e-3c1a-4b7e-9d55-2f1c0a7d9e10";

/// The web origin the fixture's data server lets read signed downloads.
pub const PORTAL_ORIGIN: &str = "http://portal.example.org";

/// The bucket an S3-backed mapped collection is rooted in.
pub const BUCKET: &str = "portal";

/// Where the mapped collection keeps its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backing {
    Local,
    S3,
}

pub const CSV: usize = 100_000;

/// How to reach `s3` with its key id and `secret` (its own, or another).
pub fn access(s3: &S3Server, secret: &str) -> S3Access {
    S3Access {
        endpoint: Some(s3.endpoint.clone()),
        region: "us-east-1".into(),
        access_key_id: ACCESS_KEY.into(),
        secret_access_key: secret.into(),
    }
}

pub fn csv() -> Vec<u8> {
    (0..CSV).map(|i| b"0123456789,\n"[i % 12]).collect()
}

fn token(sub: &str, scope: &str) -> serde_json::Value {
    serde_json::json!({
        "active": true, "token_type": "Bearer", "scope": scope, "client_id": "portal",
        "username": format!("{sub}@mrdp.local"), "name": sub, "email": null,
        "exp": SystemClock.now() + 3600, "iat": 0, "nbf": 0, "sub": sub,
        "aud": ["collection"], "iss": "http://idp", "identity_set": [sub]
    })
}

impl Fixture {
    pub async fn start() -> Self {
        Self::start_with(true).await
    }

    /// `engine`: whether the task engine runs (a test that plays a crashed service starts its own).
    pub async fn start_with(engine: bool) -> Self {
        Self::start_on(Backing::Local, engine).await
    }

    /// The deployment with its task engine held before each piece of work: it goes on by one
    /// piece for each permit the test adds to the answered semaphore.
    pub async fn start_held() -> (Self, Arc<Semaphore>) {
        Self::start_held_at(Arc::new(SystemClock)).await
    }

    /// [`Self::start_held`], its services reading the time from `clock`.
    pub async fn start_held_at(clock: SharedClock) -> (Self, Arc<Semaphore>) {
        let permits = Arc::new(Semaphore::new(0));
        let gate = Some(Gate::held(Arc::clone(&permits)));
        let held = (StoreBackend::Sqlite, gate, clock);
        let fixture = Self::start_full(Backing::Local, true, held).await;
        (fixture, permits)
    }

    /// The same deployment with the mapped collection's files where `backing` says.
    pub async fn start_on(backing: Backing, engine: bool) -> Self {
        Self::start_full(
            backing,
            engine,
            (StoreBackend::Sqlite, None, Arc::new(SystemClock)),
        )
        .await
    }

    /// The deployment with its store on `store` (the default is SQLite).
    pub async fn start_with_store(store: StoreBackend, engine: bool) -> Self {
        Self::start_full(Backing::Local, engine, (store, None, Arc::new(SystemClock))).await
    }

    async fn start_full(
        backing: Backing,
        engine: bool,
        (store, gate, clock): (StoreBackend, Option<Gate>, SharedClock),
    ) -> Self {
        let database = TestDatabase::create(store).await;
        let store = Store::connect(database.location(), "transfer")
            .await
            .unwrap();
        store.migrate(&mrdp_transfer::MIGRATIONS).await.unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let (root, storage_url, s3) = match backing {
            Backing::Local => {
                let root = tmp.path().join("root");
                let url = format!("file://{}", root.display());
                (root, url, None)
            }
            Backing::S3 => {
                let s3 = S3Server::start(&tmp.path().join("s3"), &[BUCKET]).await;
                (s3.bucket_dir(BUCKET), format!("s3://{BUCKET}"), Some(s3))
            }
        };
        for dir in ["data/uploads", "data/public"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("data/2020.csv"), csv()).unwrap();
        std::fs::write(root.join("data/public/readme.txt"), "hello").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "outside").unwrap();
        if s3.is_none() {
            std::os::unix::fs::symlink("../../secret.txt", root.join("data/escape")).unwrap();
        } else {
            // Object stores have no empty directories: mark the one that starts empty.
            std::fs::write(root.join("data/uploads").join(DIRECTORY_MARKER), "").unwrap();
        }

        let now = SystemClock.now();
        let mapped = collections::create(
            &store,
            NewCollection {
                display_name: "Portal storage".into(),
                description: String::new(),
                owner_id: "portal".into(),
                placement: Placement::Mapped { storage_url },
            },
            now,
        )
        .await
        .unwrap();
        let shared = collections::create(
            &store,
            NewCollection {
                display_name: "Catalog".into(),
                description: String::new(),
                owner_id: "portal".into(),
                placement: Placement::Guest {
                    host_collection_id: mapped.id.clone(),
                    host_path: CollectionPath::parse("/data/").unwrap(),
                },
            },
            now,
        )
        .await
        .unwrap();
        for (principal, at, permission) in [
            (Principal::Identity("alice".into()), "/", Permission::Read),
            (
                Principal::Identity("bob".into()),
                "/uploads",
                Permission::ReadWrite,
            ),
            (Principal::Anonymous, "/public", Permission::Read),
            (
                Principal::Group(LAB_GROUP.into()),
                "/uploads",
                Permission::ReadWrite,
            ),
        ] {
            let path = CollectionPath::parse(at).unwrap();
            access_rules::add(&store, &shared.id, principal, path, permission, None, now)
                .await
                .unwrap();
        }

        let tokens = HashMap::from([
            ("alice".to_owned(), token("alice", &https_scope(&shared.id))),
            (
                "alice-for-another".to_owned(),
                token("alice", &https_scope(&mapped.id)),
            ),
            ("bob".to_owned(), token("bob", &https_scope(&shared.id))),
            ("carol".to_owned(), {
                let mut carol = token("carol", &https_scope(&shared.id));
                carol["group_memberships"] = serde_json::json!([LAB_GROUP]);
                carol
            }),
            ("dave".to_owned(), token("dave", &https_scope(&shared.id))),
            (
                "portal".to_owned(),
                token("portal", &https_scope(&mapped.id)),
            ),
            ("alice-transfer".to_owned(), token("alice", TRANSFER_SCOPE)),
            ("bob-transfer".to_owned(), token("bob", TRANSFER_SCOPE)),
            (
                "portal-transfer".to_owned(),
                token("portal", TRANSFER_SCOPE),
            ),
        ]);
        let idp = stand_in_idp(move |token| {
            tokens
                .get(token)
                .cloned()
                .unwrap_or_else(|| serde_json::json!({"active": false}))
        })
        .await;
        let introspector = || {
            Introspector::new(
                reqwest::Client::new(),
                &idp.url,
                "transfer".into(),
                "s".into(),
            )
        };
        let storages = Arc::new(Storages::new(s3.as_ref().map(|s3| access(s3, SECRET_KEY))));
        let held = (storages, Arc::<Judges>::default());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let signed_urls = SignedUrls {
            signer: UrlSigner::from_secret(b"the fixture's key"),
            public_url: url.clone(),
            origins: vec![PORTAL_ORIGIN.to_owned()],
        };
        let (clock_, held_) = (clock.clone(), held.clone());
        let server = DataServer::new(store.clone(), introspector(), clock_, held_, signed_urls);
        tokio::spawn(mrdp_transfer::data_server::serve(listener, 1, None, (server, None)).unwrap());
        let api = TransferApi::new(store.clone(), introspector(), clock, url.clone(), held);
        if engine {
            tokio::spawn(api.engine().with_gate(gate.unwrap_or_default()).run());
        }
        let transfer = serve(move |cfg| mrdp_transfer::api::configure(cfg, &api));
        Self {
            url,
            transfer,
            mapped: mapped.id,
            shared: shared.id,
            root,
            tmp,
            idp,
            _s3: s3,
            database,
            store,
        }
    }

    /// A mapped collection bob owns, over a local directory: its id and its directory.
    pub async fn bobs_own_collection(&self) -> (String, PathBuf) {
        let root = self.tmp.path().join("bob");
        std::fs::create_dir_all(&root).unwrap();
        let new = NewCollection {
            display_name: "bob's laptop".into(),
            description: String::new(),
            owner_id: "bob".into(),
            placement: Placement::Mapped {
                storage_url: format!("file://{}", root.display()),
            },
        };
        let made = collections::create(&self.store, new, SystemClock.now())
            .await
            .unwrap();
        (made.id, root)
    }

    /// Starts a task engine on the store, as a restarted service's: it takes up the tasks the
    /// fixture's own engine (if any) did not.
    pub fn restart_engine(&self) {
        let engine = Engine::new(
            self.store.clone(),
            Default::default(),
            Arc::new(SystemClock),
        );
        tokio::spawn(engine.run());
    }

    /// A task engine on its own connections and runtime, as another process's: the test kills it
    /// by shutting the runtime down.
    pub async fn engine_elsewhere(&self) -> tokio::runtime::Runtime {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let location = self.store_location().clone();
        runtime.spawn(async move {
            let store = Store::connect(&location, "transfer").await.unwrap();
            Engine::new(store, Default::default(), Arc::new(SystemClock))
                .run()
                .await;
        });
        runtime
    }

    /// Where the store is, for a second service on it (a restarted one).
    pub fn store_location(&self) -> &mrdp_service::store::StoreLocation {
        self.database.location()
    }

    pub fn file(&self, collection: &str, path: &str) -> String {
        format!("{}/{collection}{path}", self.url)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = reqwest::Client::new().get(self.file(&self.shared, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// Sends a request line exactly as written (no client-side path normalisation).
    pub async fn raw_status(&self, target: &str) -> u16 {
        let address = self.url.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let request = format!(
            "GET /{}{target} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer alice\r\nConnection: close\r\n\r\n",
            self.shared
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answer[9..12].parse().unwrap()
    }

    pub async fn stop(self) {
        self.store.close().await;
        self.database.remove().await;
    }
}

/// Serves `configure` on a free loopback port; returns its base URL.
fn serve<F>(configure: F) -> String
where
    F: Fn(&mut actix_web::web::ServiceConfig) + Send + Clone + 'static,
{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mrdp_service::http::serve(listener, 1, configure).unwrap());
    url
}

/// How many uploads the journal names.
pub async fn journalled(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM uploads")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// The temporary files of uploads and copies in `dir`.
pub fn partials(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".mrdp-partial-"))
        .collect()
}
