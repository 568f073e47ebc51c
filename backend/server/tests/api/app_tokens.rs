//! Apps that call the portal's API: a native app (a public client, as a script or a notebook
//! is) registered at the embedded provider, and the tokens a researcher's sign-in to it gives,
//! through the provider's real pages with PKCE.

use crate::datasets::demo_user;
use crate::harness::TestApp;
use crate::sign_in::{as_user, browser, through_provider_to};
use base64::Engine;
use mrdp_idp::bootstrap::{PORTAL_CLIENT, service_scope};
use mrdp_idp::registry::clients::{self, NewClient};
use mrdp_service::clock::{Clock, SystemClock};
use mrdp_shared::ServiceName;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Where the provider sends the app's browser back (a page of the portal's host, so that the
/// walk through the provider stops there).
fn callback(app: &TestApp) -> String {
    app.url("/app-callback")
}

/// Registers a native app; answers its client id.
pub async fn native_app(app: &TestApp, name: &str) -> String {
    native_app_returning_to(app, name, &callback(app)).await
}

/// Registers a native app whose redirect URI is `redirect_uri`; answers its client id.
pub async fn native_app_returning_to(app: &TestApp, name: &str, redirect_uri: &str) -> String {
    let store = app.store("idp").await;
    let new = NewClient {
        name: name.into(),
        public: true,
        redirect_uris: vec![redirect_uri.to_owned()],
    };
    let (client, _) = clients::create(&store, SystemClock.now(), new)
        .await
        .unwrap();
    store.close().await;
    client.id
}

/// The portal's scope, which apps ask for.
pub fn portal_scope(app: &TestApp) -> String {
    service_scope(&app.client_credentials(PORTAL_CLIENT).client_id)
}

/// The code the provider gives the app `client_id` (sending the browser to `redirect_uri`) once
/// `login` signs in and allows `scope`, for the PKCE `verifier`.
pub async fn app_code(
    app: &TestApp,
    (client_id, redirect_uri): (&str, &str),
    login: &str,
    scope: &str,
    verifier: &str,
) -> String {
    let idp = app.deployment.url(ServiceName::Idp).to_owned();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    let authorize = reqwest::Url::parse_with_params(
        &format!("{idp}/v2/oauth2/authorize"),
        [
            ("client_id", client_id),
            ("redirect_uri", redirect_uri),
            ("response_type", "code"),
            ("scope", scope),
            ("state", "app-state"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .unwrap();
    let user = demo_user(app, login);
    let landed = through_provider_to(
        &browser(),
        authorize.as_str(),
        &as_user(&user),
        redirect_uri,
    )
    .await;
    let landed = reqwest::Url::parse(&landed).unwrap();
    landed
        .query_pairs()
        .find(|(name, _)| name == "code")
        .unwrap_or_else(|| panic!("no code in {landed}"))
        .1
        .into_owned()
}

/// The token response of `login`'s sign-in to the app `client_id`, asking for `scope`.
pub async fn sign_in_to_app(app: &TestApp, client_id: &str, login: &str, scope: &str) -> Value {
    let idp = app.deployment.url(ServiceName::Idp).to_owned();
    let verifier = format!("verifier-of-{login}-for-a-native-app-0123456789abcdef");
    let code = app_code(app, (client_id, &callback(app)), login, scope, &verifier).await;
    let answer = app
        .client
        .post(format!("{idp}/v2/oauth2/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &callback(app)),
            ("code_verifier", &verifier),
            ("client_id", client_id),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

/// `login`'s access token for the portal's scope, through the app `client_id`.
pub async fn portal_token(app: &TestApp, client_id: &str, login: &str) -> String {
    let tokens = sign_in_to_app(app, client_id, login, &portal_scope(app)).await;
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// An HTTP client that sends `token` as its bearer token with every request, and no cookie.
pub fn app_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}
