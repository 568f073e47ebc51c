//! The data server over real HTTP: downloads (whole, ranged, HEAD), streamed uploads, and every
//! refusal — no token, a dead token, the wrong scope, no access rule, path attacks, symbolic links
//! out of the collection. Tokens are introspected at a stand-in identity provider served here.

#![expect(clippy::unwrap_used, reason = "a failed step fails the test")]

use mrdp_globus::auth::collection_https_scope as https_scope;
use mrdp_globus::introspection::Introspector;
use mrdp_globus::testing::introspection_stand_in;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_service::store::Store;
use mrdp_service::testing::TestDatabase;
use mrdp_shared::StoreBackend;
use mrdp_transfer::access::{Permission, Principal};
use mrdp_transfer::access_rules;
use mrdp_transfer::collections::{self, NewCollection, Placement};
use mrdp_transfer::data_server::DataServer;
use mrdp_transfer::paths::CollectionPath;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A deployment: a mapped collection owned by `portal` over `<tmp>/root`, and a guest collection
/// sharing its `/data/` (alice may read it all, bob write `/uploads/`, anyone read `/public/`).
struct Fixture {
    url: String,
    mapped: String,
    shared: String,
    tmp: tempfile::TempDir,
    database: TestDatabase,
    store: Store,
}

const CSV: usize = 100_000;

fn csv() -> Vec<u8> {
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
    async fn start() -> Self {
        let database = TestDatabase::create(StoreBackend::Sqlite).await;
        let store = Store::connect(database.location(), "transfer")
            .await
            .unwrap();
        store.migrate(&mrdp_transfer::MIGRATIONS).await.unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        for dir in ["data/uploads", "data/public"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("data/2020.csv"), csv()).unwrap();
        std::fs::write(root.join("data/public/readme.txt"), "hello").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "outside").unwrap();
        std::os::unix::fs::symlink("../../secret.txt", root.join("data/escape")).unwrap();

        let now = SystemClock.now();
        let mapped = collections::create(
            &store,
            NewCollection {
                display_name: "Portal storage".into(),
                description: String::new(),
                owner_id: "portal".into(),
                placement: Placement::Mapped {
                    storage_url: format!("file://{}", root.display()),
                },
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
            (
                "portal".to_owned(),
                token("portal", &https_scope(&mapped.id)),
            ),
        ]);
        let (idp, _) = introspection_stand_in(move |token| {
            tokens
                .get(token)
                .cloned()
                .unwrap_or_else(|| serde_json::json!({"active": false}))
        })
        .await;
        let introspector =
            Introspector::new(reqwest::Client::new(), &idp, "transfer".into(), "s".into());
        let server = DataServer::new(store.clone(), introspector, Arc::new(SystemClock));
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let running = mrdp_service::http::serve(listener, 1, move |cfg| {
            mrdp_transfer::data_server::configure(cfg, &server);
        })
        .unwrap();
        tokio::spawn(running);
        Self {
            url,
            mapped: mapped.id,
            shared: shared.id,
            tmp,
            database,
            store,
        }
    }

    fn file(&self, collection: &str, path: &str) -> String {
        format!("{}/{collection}{path}", self.url)
    }

    async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = reqwest::Client::new().get(self.file(&self.shared, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// Sends a request line exactly as written (no client-side path normalisation).
    async fn raw_status(&self, target: &str) -> u16 {
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

    async fn stop(self) {
        self.store.close().await;
        self.database.remove().await;
    }
}

#[tokio::test]
async fn files_download_whole_ranged_and_as_head() {
    let fixture = Fixture::start().await;
    let whole = fixture.get("/2020.csv", Some("alice")).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.bytes().await.unwrap().as_ref(), csv().as_slice());

    let range = reqwest::Client::new()
        .get(fixture.file(&fixture.shared, "/2020.csv"))
        .bearer_auth("alice")
        .header("range", "bytes=10-19")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), 206);
    assert_eq!(
        range.headers()["content-range"],
        format!("bytes 10-19/{CSV}").as_str()
    );
    assert_eq!(range.bytes().await.unwrap().as_ref(), &csv()[10..20]);

    let beyond = reqwest::Client::new()
        .get(fixture.file(&fixture.shared, "/2020.csv"))
        .bearer_auth("alice")
        .header("range", format!("bytes={}-", CSV + 10))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);

    let head = reqwest::Client::new()
        .head(fixture.file(&fixture.shared, "/2020.csv"))
        .bearer_auth("alice")
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], CSV.to_string().as_str());

    // The owner reaches the same file through the mapped collection.
    let owner = reqwest::Client::new()
        .get(fixture.file(&fixture.mapped, "/data/2020.csv"))
        .bearer_auth("portal")
        .send()
        .await
        .unwrap();
    assert_eq!(owner.status(), 200);
    fixture.stop().await;
}

#[tokio::test]
async fn every_request_without_the_right_token_or_rule_is_refused() {
    let fixture = Fixture::start().await;
    let status = |response: reqwest::Response| response.status().as_u16();
    let anonymous = fixture.get("/2020.csv", None).await;
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    assert_eq!(status(anonymous), 401);
    assert_eq!(status(fixture.get("/2020.csv", Some("made-up")).await), 401);
    assert_eq!(
        status(fixture.get("/2020.csv", Some("alice-for-another")).await),
        403,
        "wrong scope"
    );
    assert_eq!(
        status(fixture.get("/2020.csv", Some("bob")).await),
        403,
        "no rule for bob here"
    );
    assert_eq!(
        status(fixture.get("/public/readme.txt", None).await),
        200,
        "open to anyone"
    );
    assert_eq!(
        status(fixture.get("/missing.csv", Some("alice")).await),
        404
    );
    let nowhere = reqwest::Client::new()
        .get(fixture.file("no-such-collection", "/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(status(nowhere), 404);
    fixture.stop().await;
}

#[tokio::test]
async fn path_attacks_are_client_errors_and_nothing_outside_is_read() {
    let fixture = Fixture::start().await;
    assert_eq!(fixture.raw_status("/../../secret.txt").await, 400);
    assert_eq!(fixture.raw_status("/%2e%2e/%2e%2e/secret.txt").await, 400);
    assert_eq!(fixture.raw_status("/a%00b").await, 400);
    assert_eq!(
        fixture.raw_status(&format!("/{}", "n".repeat(300))).await,
        400
    );
    assert_eq!(fixture.raw_status("/.mrdp-partial-x").await, 400);
    let escape = fixture.get("/escape", Some("alice")).await;
    assert!(
        matches!(escape.status().as_u16(), 403 | 404),
        "a symbolic link out of the collection: {}",
        escape.status()
    );
    assert!(!escape.text().await.unwrap().contains("outside"));
    fixture.stop().await;
}

#[tokio::test]
async fn uploads_stream_in_and_appear_whole() {
    let fixture = Fixture::start().await;
    let body: Vec<u8> = (0..3_000_000_u32).map(|i| (i % 251) as u8).collect();
    let put = |path: &str, token: &str, body: Vec<u8>| {
        reqwest::Client::new()
            .put(fixture.file(&fixture.shared, path))
            .bearer_auth(token)
            .body(body)
            .send()
    };
    assert_eq!(
        put("/uploads/graph.bin", "bob", body.clone())
            .await
            .unwrap()
            .status(),
        200
    );
    let back = fixture.get("/uploads/graph.bin", Some("bob")).await;
    assert_eq!(back.bytes().await.unwrap().as_ref(), body.as_slice());
    let on_disk = fixture.tmp.path().join("root/data/uploads");
    let names: Vec<String> = std::fs::read_dir(&on_disk)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["graph.bin"], "no partial file left behind");

    assert_eq!(
        put("/uploads/x", "alice", vec![1]).await.unwrap().status(),
        403,
        "alice may only read"
    );
    assert_eq!(
        put("/2020.csv", "bob", vec![1]).await.unwrap().status(),
        403
    );
    assert_eq!(
        put("/uploads/no/such/dir/x", "bob", vec![1])
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        put("/uploads", "bob", vec![1]).await.unwrap().status(),
        409,
        "a directory"
    );
    assert_eq!(
        std::fs::read(fixture.tmp.path().join("root/data/2020.csv")).unwrap(),
        csv()
    );
    fixture.stop().await;
}
