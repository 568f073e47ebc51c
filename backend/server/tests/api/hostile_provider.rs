//! A provider that lies: the portal, configured as for any standard OpenID Connect provider,
//! signs in against a provider served here over real HTTP whose token endpoint answers with an
//! ID token chosen by each test — honest once (so that the fake is known to work), then forged
//! in every way the portal must notice.

use crate::harness::TestApp;
use crate::sign_in::browser;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use mrdp_idp::keys::{Jwks, SigningKey};
use mrdp_portal::auth::settings::ProviderKind;
use mrdp_server::auth_config::ClientSecret;
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_shared::StoreBackend;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

const CLIENT_ID: &str = "portal-at-a-stranger";

/// The fake provider: discovery, keys, and a token endpoint answering `id_token`.
struct Hostile {
    issuer: String,
    keys: SigningKey,
    id_token: Arc<Mutex<Option<String>>>,
}

impl Hostile {
    fn start() -> Self {
        let keys = SigningKey::generate().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let id_token = Arc::new(Mutex::new(None::<String>));
        let (document, jwks, answer) = (
            json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{issuer}/authorize"),
                "token_endpoint": format!("{issuer}/token"),
                "jwks_uri": format!("{issuer}/jwks"),
            }),
            serde_json::to_value(Jwks {
                keys: vec![keys.public().clone()],
            })
            .unwrap(),
            id_token.clone(),
        );
        let server = mrdp_service::http::serve(listener, 1, move |cfg| {
            let (document, jwks, answer) = (document.clone(), jwks.clone(), answer.clone());
            cfg.route(
                "/.well-known/openid-configuration",
                actix_web::web::get().to(move || {
                    let document = document.clone();
                    async move { actix_web::HttpResponse::Ok().json(document) }
                }),
            )
            .route(
                "/jwks",
                actix_web::web::get().to(move || {
                    let jwks = jwks.clone();
                    async move { actix_web::HttpResponse::Ok().json(jwks) }
                }),
            )
            .route(
                "/token",
                actix_web::web::post().to(move || {
                    let id_token = answer.lock().unwrap().clone();
                    async move {
                        actix_web::HttpResponse::Ok().json(json!({
                            "access_token": "stranger-access-token",
                            "token_type": "Bearer",
                            "expires_in": 3600,
                            "id_token": id_token,
                        }))
                    }
                }),
            );
        })
        .unwrap();
        tokio::spawn(server);
        Self {
            issuer,
            keys,
            id_token,
        }
    }

    /// The claims an honest provider would sign for this sign-in.
    fn honest_claims(&self, nonce: &str) -> Value {
        let now = SystemClock.now();
        json!({
            "iss": self.issuer, "aud": CLIENT_ID, "sub": "stranger-1", "name": "Mallory",
            "nonce": nonce, "iat": now, "exp": now + 600,
        })
    }

    fn sign(&self, claims: &Value) -> String {
        sign_with(self.keys.encoding_key(), self.keys.kid(), claims)
    }

    fn answer(&self, id_token: Option<String>) {
        *self.id_token.lock().unwrap() = id_token;
    }
}

fn sign_with(key: &EncodingKey, kid: &str, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS512);
    header.kid = Some(kid.to_owned());
    encode(&header, claims, key).unwrap()
}

async fn portal_at(provider: &Hostile) -> TestApp {
    let issuer = provider.issuer.clone();
    TestApp::spawn_configured(StoreBackend::Sqlite, Arc::new(SystemClock), |config| {
        config.auth.provider = ProviderKind::Oidc;
        config.auth.issuer = Some(issuer);
        config.auth.client_id = Some(CLIENT_ID.to_owned());
        config.auth.client_secret = Some(ClientSecret::new("stranger-secret"));
    })
    .await
}

/// Starts a sign-in in `browser`; returns the state and nonce the portal sent the provider.
async fn start_sign_in(app: &TestApp, browser: &reqwest::Client) -> (String, String) {
    let response = browser
        .get(app.url("/api/auth/login?next=/datasets"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = reqwest::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
    let param = |name: &str| {
        location
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    (param("state"), param("nonce"))
}

/// Comes back from the provider with a code; returns where the portal sends the browser.
async fn come_back(app: &TestApp, browser: &reqwest::Client, state: &str) -> String {
    come_back_with(app, browser, &[("code", "any-code"), ("state", state)]).await
}

async fn come_back_with(
    app: &TestApp,
    browser: &reqwest::Client,
    query: &[(&str, &str)],
) -> String {
    let response = browser
        .get(app.url("/api/auth/callback"))
        .query(query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let sets_session = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|cookie| cookie.as_bytes().starts_with(b"mrdp_session="));
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        sets_session,
        !location.starts_with("/signin-error"),
        "{location}"
    );
    location
}

#[tokio::test]
async fn every_forged_id_token_is_refused_and_an_honest_one_accepted() {
    let provider = Hostile::start();
    let app = portal_at(&provider).await;
    let attacker = SigningKey::generate().unwrap();

    type Forgery = Box<dyn Fn(&Hostile, Value) -> Option<String>>;
    let with = |field: &'static str, value: Value| -> Forgery {
        Box::new(move |provider, mut claims| {
            claims[field] = value.clone();
            Some(provider.sign(&claims))
        })
    };
    let cases: Vec<(&str, Forgery, &str)> = vec![
        (
            "nonce of another sign-in",
            with("nonce", json!("replayed-nonce")),
            "unverified",
        ),
        (
            "for another client",
            with("aud", json!("someone-else")),
            "unverified",
        ),
        (
            "from another issuer",
            with("iss", json!("https://evil.example")),
            "unverified",
        ),
        (
            "expired",
            with("exp", json!(SystemClock.now() - 3600)),
            "unverified",
        ),
        (
            "payload changed after signing",
            Box::new(|provider, claims| {
                let signed = provider.sign(&claims);
                let parts: Vec<&str> = signed.split('.').collect();
                let mut tampered = claims.clone();
                tampered["sub"] = json!("alice-the-admin");
                let payload = URL_SAFE_NO_PAD.encode(tampered.to_string());
                Some(format!("{}.{payload}.{}", parts[0], parts[2]))
            }),
            "unverified",
        ),
        (
            "signed by a key the provider never published",
            Box::new(move |provider, claims| {
                Some(sign_with(
                    attacker.encoding_key(),
                    provider.keys.kid(),
                    &claims,
                ))
            }),
            "unverified",
        ),
        (
            "unsigned (alg none)",
            Box::new(|_, claims| {
                let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
                Some(format!(
                    "{header}.{}.",
                    URL_SAFE_NO_PAD.encode(claims.to_string())
                ))
            }),
            "unverified",
        ),
        ("no ID token at all", Box::new(|_, _| None), "no_identity"),
    ];
    let browser = browser();
    for (case, forge, reason) in &cases {
        let (state, nonce) = start_sign_in(&app, &browser).await;
        provider.answer(forge(&provider, provider.honest_claims(&nonce)));
        let location = come_back(&app, &browser, &state).await;
        assert_eq!(location, format!("/signin-error?reason={reason}"), "{case}");
    }

    // The same provider, honest: the sign-in completes (the forgeries failed for their flaw).
    let (state, nonce) = start_sign_in(&app, &browser).await;
    provider.answer(Some(provider.sign(&provider.honest_claims(&nonce))));
    assert_eq!(come_back(&app, &browser, &state).await, "/datasets");
    app.stop().await;
}

#[tokio::test]
async fn a_callback_naming_another_issuer_is_refused_before_the_code_is_used() {
    let provider = Hostile::start();
    let app = portal_at(&provider).await;
    let browser = browser();
    let (state, nonce) = start_sign_in(&app, &browser).await;
    provider.answer(Some(provider.sign(&provider.honest_claims(&nonce))));
    // A mix-up attack (RFC 9207): the code comes back with another provider's name.
    let query = [
        ("code", "any-code"),
        ("state", state.as_str()),
        ("iss", "https://evil.example"),
    ];
    assert_eq!(
        come_back_with(&app, &browser, &query).await,
        "/signin-error?reason=wrong_issuer"
    );
    // Naming the right issuer is fine.
    let (state, nonce) = start_sign_in(&app, &browser).await;
    provider.answer(Some(provider.sign(&provider.honest_claims(&nonce))));
    let query = [
        ("code", "any-code"),
        ("state", state.as_str()),
        ("iss", provider.issuer.as_str()),
    ];
    assert_eq!(come_back_with(&app, &browser, &query).await, "/datasets");
    app.stop().await;
}
