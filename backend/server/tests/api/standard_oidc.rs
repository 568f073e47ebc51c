//! Signing in against a certified OpenID Connect provider nobody here wrote: npm `oidc-provider`
//! (installed into .tools by `make setup`), run by `compat/oidc-provider/server.mjs` with the
//! portal as its one confidential client.

use crate::connections::{complete_profile, connected};
use crate::harness::TestApp;
use crate::harness::workspace;
use crate::sign_in::{
    Form, Seen, attribute_after, browser, me, me_status, sign_out, vault_tokens, walk,
};
use mrdp_portal::auth::settings::ProviderKind;
use mrdp_server::auth_config::ClientSecret;
use mrdp_service::clock::{Clock, SharedClock, SystemClock};
use mrdp_service::testing::ManualClock;
use mrdp_shared::StoreBackend;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::ChildStdout;

const CLIENT_ID: &str = "mrdp-portal";
const CLIENT_SECRET: &str = "a-secret-only-these-tests-know";
/// The provider's access token lifetime, in seconds: short, as at many real providers.
const ACCESS_TOKEN_TTL: i64 = 300;

/// The node process serving `oidc-provider`; killed when dropped.
struct OidcProvider {
    issuer: String,
    node: tokio::process::Child,
}

impl OidcProvider {
    /// Where `make setup` installed oidc-provider; fails the test when it did not.
    fn tools() -> PathBuf {
        let tools = workspace().join(".tools");
        let installed = tools.join("node_modules/oidc-provider/package.json");
        assert!(
            installed.is_file(),
            "{} is missing: run `make setup` (it installs oidc-provider from npm)",
            installed.display()
        );
        tools
    }

    /// Starts the provider on a port the system chooses (its issuer is known from then on);
    /// [`Self::serve`] then gives it the portal's client.
    async fn listen() -> (Self, Lines<BufReader<ChildStdout>>) {
        // From .tools, where `server.mjs` finds the package; stderr is the test's output.
        let mut node = tokio::process::Command::new("node")
            .arg(workspace().join("compat/oidc-provider/server.mjs"))
            .current_dir(Self::tools())
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_ACCESS_TOKEN_TTL", ACCESS_TOKEN_TTL.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("`node` (Node.js 20 or later) is on PATH");
        let mut stdout = BufReader::new(node.stdout.take().unwrap()).lines();
        let issuer = Self::said(&mut stdout, "listening ").await;
        let provider = Self { issuer, node };
        (provider, stdout)
    }

    /// The rest of the next line the provider prints, which starts with `prefix`.
    async fn said(stdout: &mut Lines<BufReader<ChildStdout>>, prefix: &str) -> String {
        let line = tokio::time::timeout(Duration::from_secs(30), stdout.next_line())
            .await
            .expect("oidc-provider answers within 30 s")
            .unwrap()
            .unwrap_or_default();
        line.strip_prefix(prefix)
            .unwrap_or_else(|| {
                panic!(
                    "compat/oidc-provider/server.mjs did not start (its stderr is above): {line:?}"
                )
            })
            .to_owned()
    }

    /// Gives the provider the client of `app`'s portal and waits until it answers.
    async fn serve(&mut self, mut stdout: Lines<BufReader<ChildStdout>>, app: &TestApp) {
        let client = serde_json::json!({
            "redirect_uri": app.url("/api/auth/callback"),
            "post_logout_redirect_uri": app.url(""),
        });
        let stdin = self.node.stdin.as_mut().unwrap();
        stdin
            .write_all(format!("{client}\n").as_bytes())
            .await
            .unwrap();
        stdin.flush().await.unwrap();
        assert_eq!(Self::said(&mut stdout, "ready ").await, self.issuer);
        // Whatever else it prints goes to the test's output (a closed pipe would end it).
        tokio::spawn(async move {
            while let Ok(Some(line)) = stdout.next_line().await {
                println!("oidc-provider: {line}");
            }
        });
    }

    /// Its discovery document.
    async fn discovery(&self, app: &TestApp) -> serde_json::Value {
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        app.client
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// `127.0.0.1:<port>`: where the vault files the tokens of a standard provider.
    fn host(&self) -> &str {
        self.issuer.trim_start_matches("http://")
    }
}

/// A deployment whose portal signs in at `oidc-provider`, and the provider.
///
/// The provider must know the portal's redirect URI, known once the deployment runs, and the
/// portal the provider's issuer, when it is configured: the provider listens first (on a port of
/// its own choosing), the deployment starts with its issuer, and the provider is then given the
/// portal's client (the portal's discovery waits for the first sign-in).
async fn start(backend: StoreBackend, clock: SharedClock) -> (TestApp, OidcProvider) {
    let (mut provider, stdout) = OidcProvider::listen().await;
    let issuer = provider.issuer.clone();
    let app = TestApp::spawn_configured(backend, clock, |config| {
        config.auth.provider = ProviderKind::Oidc;
        config.auth.issuer = Some(issuer);
        config.auth.client_id = Some(CLIENT_ID.to_owned());
        config.auth.client_secret = Some(ClientSecret::new(CLIENT_SECRET));
    })
    .await;
    provider.serve(stdout, &app).await;
    (app, provider)
}

/// Ada at oidc-provider's development pages: any login name signs in, then "Continue" consents.
fn ada(page: &str) -> Form {
    let action = attribute_after(page, "<form", "action");
    let prompt = attribute_after(page, "name=\"prompt\"", "value");
    let mut form = vec![("prompt", prompt.clone())];
    if prompt == "login" {
        form.extend([("login", "ada".to_owned()), ("password", "any".to_owned())]);
    }
    (action, form)
}

#[tokio::test]
async fn a_researcher_signs_in_and_out_at_a_certified_provider() {
    let (app, provider) = start(StoreBackend::Sqlite, Arc::new(SystemClock)).await;
    let browser = browser();
    let mut seen = Seen::default();
    let (status, location, _) = walk(&app, &browser, "/datasets", &mut seen, ada).await;
    assert_eq!((status, location.as_str()), (302, "/datasets"));

    let me = me(&app, &browser).await;
    assert_eq!(
        (
            me.identity_id.as_str(),
            me.username.as_str(),
            me.name.as_str()
        ),
        ("ada", "ada", "Ada")
    );
    assert_eq!(me.email.as_deref(), Some("ada@example.org"));
    let vault = app.vault().await;
    assert_eq!(vault.len(), 1, "one grant, filed under the issuer's host");
    let (resource_server, tokens) = &vault[0];
    assert_eq!(resource_server, provider.host());
    let refresh = tokens
        .refresh_token
        .clone()
        .expect("offline_access was granted");
    for token in vault_tokens(&app).await {
        assert!(!seen.contains(&token), "a token reached the browser");
    }

    let logout = sign_out(&app, &browser).await.logout_url;
    let discovery = provider.discovery(&app).await;
    let end_session = discovery["end_session_endpoint"].as_str().unwrap();
    assert!(logout.starts_with(&format!("{end_session}?")), "{logout}");
    let params: Vec<(String, String)> = reqwest::Url::parse(&logout)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    assert!(params.contains(&("client_id".into(), CLIENT_ID.into())));
    assert!(params.contains(&("post_logout_redirect_uri".into(), app.url(""))));
    assert_eq!(me_status(&app, &browser).await, 401);

    // The provider agrees: the refresh token was revoked, and its logout page accepts the URL.
    let refreshed = app
        .client
        .post(discovery["token_endpoint"].as_str().unwrap())
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 400);
    let ending = browser.get(&logout).send().await.unwrap();
    assert_eq!(ending.status(), 200, "{}", ending.text().await.unwrap());
    app.stop().await;
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_at_the_certified_provider_on_use() {
    let clock = ManualClock::starting_at(SystemClock.now());
    let (app, provider) = start(StoreBackend::Postgres, Arc::new(clock.clone())).await;
    let browser = browser();
    walk(&app, &browser, "/", &mut Seen::default(), ada).await;
    complete_profile(&app, &browser).await;
    let before = app.vault().await;
    connected(&app, &browser).await;
    assert_eq!(app.vault().await, before, "a fresh token is used as it is");

    // The portal's clock passes the access token's lifetime (the provider's does not need to).
    clock.advance(ACCESS_TOKEN_TTL + 1);
    let answer = connected(&app, &browser).await;
    assert!(answer.ended.is_empty(), "{answer:?}");
    let listed: Vec<&str> = answer
        .connections
        .iter()
        .map(|c| c.resource_server.as_str())
        .collect();
    assert_eq!(listed, [provider.host()]);
    let after = app.vault().await;
    let ((_, old), (_, new)) = (&before[0], &after[0]);
    assert_ne!(old.access_token, new.access_token, "refreshed");
    assert!(new.expires_at > old.expires_at);
    // oidc-provider keeps a confidential client's refresh token until 70 % of its lifetime has
    // passed and answers none: the portal keeps the one it has.
    assert_eq!(new.refresh_token, old.refresh_token);
    app.stop().await;
}
