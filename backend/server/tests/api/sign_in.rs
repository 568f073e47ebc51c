//! Signing in to the portal through the embedded identity provider's real pages.

use crate::harness::TestApp;
use mrdp_idp::bootstrap::DemoUser;
use mrdp_shared::{ApiError, ErrorCode, MeResponse, ServiceName, StoreBackend};

/// A browser: its own cookies, redirects not followed (the test walks them).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of the first `attribute="…"` after `marker` in an HTML page.
pub fn attribute_after(page: &str, marker: &str, attribute: &str) -> String {
    let after = &page[page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {page}"))..];
    let opening = format!("{attribute}=\"");
    let start = after.find(&opening).unwrap() + opening.len();
    after[start..start + after[start..].find('"').unwrap()].replace("&amp;", "&")
}

fn hidden(page: &str, name: &str) -> String {
    attribute_after(page, &format!("name=\"{name}\""), "value")
}

/// Everything the portal sent the browser during a sign-in, to search for leaked tokens.
#[derive(Default)]
pub struct Seen(String);

impl Seen {
    async fn record(&mut self, response: reqwest::Response) -> (u16, String, String) {
        let status = response.status().as_u16();
        let location = location(&response);
        for (name, value) in response.headers() {
            self.0
                .push_str(&format!("{name}: {}\n", value.to_str().unwrap_or_default()));
        }
        let body = response.text().await.unwrap();
        self.0.push_str(&body);
        (status, location, body)
    }

    /// Whether the portal sent `secret` anywhere (a header or a body).
    pub fn contains(&self, secret: &str) -> bool {
        self.0.contains(secret)
    }

    /// Every `Set-Cookie` of the cookie `name` the portal sent, in order.
    pub fn cookies(&self, name: &str) -> Vec<&str> {
        let prefix = format!("set-cookie: {name}=");
        self.0
            .lines()
            .filter(|line| line.starts_with(&prefix))
            .map(|line| &line["set-cookie: ".len()..])
            .collect()
    }
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// What the person at the browser posts on a provider's page: the form's action (relative to
/// the page) and its fields.
pub type Form = (String, Vec<(&'static str, String)>);

/// Starts at the portal's login and walks the provider's pages, posting what `fill` answers for
/// each (sign-in, consent), until the provider sends the browser back to the portal; returns the
/// callback's answer: status, location, and the callback URL.
pub async fn walk(
    app: &TestApp,
    browser: &reqwest::Client,
    next: &str,
    seen: &mut Seen,
    fill: impl Fn(&str) -> Form,
) -> (u16, String, String) {
    let authorize = start(app, browser, next, seen).await;
    let callback = through_provider(app, browser, &authorize, &fill).await;
    let (status, location, _) = seen
        .record(browser.get(&callback).send().await.unwrap())
        .await;
    (status, location, callback)
}

/// `GET /api/auth/login?next=` as this browser; returns where the portal sends it (the
/// provider's authorization URL).
pub async fn start(
    app: &TestApp,
    browser: &reqwest::Client,
    next: &str,
    seen: &mut Seen,
) -> String {
    let login = browser
        .get(app.url("/api/auth/login"))
        .query(&[("next", next)])
        .send()
        .await
        .unwrap();
    let (status, authorize, _) = seen.record(login).await;
    assert_eq!(status, 302, "the sign-in starts");
    authorize
}

/// Walks the provider's pages from `url`, posting what `fill` answers for each (sign-in,
/// consent), until the provider sends the browser back to the portal; returns that callback URL,
/// not yet visited.
pub async fn through_provider(
    app: &TestApp,
    browser: &reqwest::Client,
    url: &str,
    fill: &impl Fn(&str) -> Form,
) -> String {
    through_provider_to(browser, url, fill, &app.url("")).await
}

/// As [`through_provider`], until the provider sends the browser to a URL starting with `stop`
/// (an app's redirect URI); returns that URL, not visited.
pub async fn through_provider_to(
    browser: &reqwest::Client,
    url: &str,
    fill: &impl Fn(&str) -> Form,
    stop: &str,
) -> String {
    let mut url = url.to_owned();
    while !url.starts_with(stop) {
        let page_url = reqwest::Url::parse(&url).unwrap();
        let response = browser.get(page_url.clone()).send().await.unwrap();
        let status = response.status().as_u16();
        let next_location = location(&response);
        let page = response.text().await.unwrap();
        let next_location = match status {
            302 | 303 => next_location,
            200 => {
                let (action, form) = fill(&page);
                let posted = browser
                    .post(page_url.join(&action).unwrap())
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                location(&posted)
            }
            other => panic!("unexpected {other} at {url}: {page}"),
        };
        url = page_url.join(&next_location).unwrap().into();
    }
    url
}

/// What `user` answers on the embedded provider's pages: their password, then "allow".
pub fn as_user(user: &DemoUser) -> impl Fn(&str) -> Form + use<> {
    let (username, password) = (user.username.clone(), user.password.clone());
    move |page| {
        if page.contains("name=\"password\"") {
            let form = vec![
                ("username", username.clone()),
                ("password", password.clone()),
                ("csrf", hidden(page, "csrf")),
                ("next", hidden(page, "next")),
            ];
            ("/v2/web/login".to_owned(), form)
        } else {
            let form = vec![
                ("request", hidden(page, "request")),
                ("csrf", hidden(page, "csrf")),
                ("decision", "allow".to_owned()),
            ];
            ("/v2/web/consent".to_owned(), form)
        }
    }
}

/// Signs in at the embedded provider as its first demo user, consenting to everything.
pub async fn sign_in(
    app: &TestApp,
    browser: &reqwest::Client,
    next: &str,
    seen: &mut Seen,
) -> (u16, String, String) {
    let alice = &app.deployment.demo_credentials().users[0];
    walk(app, browser, next, seen, as_user(alice)).await
}

/// `POST /api/auth/logout` as this browser (with the CSRF header); panics unless it succeeds.
pub async fn sign_out(app: &TestApp, browser: &reqwest::Client) -> mrdp_shared::LogoutResponse {
    let response = browser
        .post(app.url("/api/auth/logout"))
        .header("x-mrdp-csrf", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// `GET /api/me` as this browser; panics unless signed in.
pub async fn me(app: &TestApp, browser: &reqwest::Client) -> MeResponse {
    let response = browser.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The status of `GET /api/me` as this browser (200 signed in, 401 not).
pub async fn me_status(app: &TestApp, browser: &reqwest::Client) -> u16 {
    browser
        .get(app.url("/api/me"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Every token the vault holds (access and refresh).
pub async fn vault_tokens(app: &TestApp) -> Vec<String> {
    app.vault()
        .await
        .into_iter()
        .flat_map(|(_, tokens)| std::iter::once(tokens.access_token).chain(tokens.refresh_token))
        .collect()
}

#[tokio::test]
async fn a_researcher_signs_in_and_no_token_reaches_the_browser_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let browser = browser();
        let mut seen = Seen::default();
        let (status, location, _) = sign_in(&app, &browser, "/datasets", &mut seen).await;
        assert_eq!((status, location.as_str()), (302, "/datasets"));
        let cookie = seen.cookies("mrdp_session")[0];
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );

        let me = me(&app, &browser).await;
        assert_eq!(me.username, "alice@mrdp.local");

        let tokens = vault_tokens(&app).await;
        assert_eq!(
            tokens.len(),
            12,
            "access and refresh tokens for auth.globus.org, transfer.api.globus.org, groups.api.globus.org, the catalog, the graph service and its results"
        );
        for token in &tokens {
            assert!(!seen.contains(token), "a token reached the browser");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn every_sign_in_gets_a_new_session_id_and_the_old_one_dies() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let browser = browser();
    let session_cookie = |seen: &Seen| {
        let cookie = seen.cookies("mrdp_session")[0];
        cookie[..cookie.find(';').unwrap()].to_owned()
    };
    let mut first = Seen::default();
    sign_in(&app, &browser, "/", &mut first).await;
    let mut second = Seen::default();
    sign_in(&app, &browser, "/", &mut second).await;
    let (old, new) = (session_cookie(&first), session_cookie(&second));
    assert_ne!(old, new, "no session fixation: a sign-in never keeps an id");
    let with_old = app
        .client
        .get(app.url("/api/me"))
        .header("cookie", old)
        .send()
        .await
        .unwrap();
    assert_eq!(with_old.status(), 401, "the replaced session ended");
    assert_eq!(me_status(&app, &browser).await, 200);
    app.stop().await;
}

#[tokio::test]
async fn me_without_a_session_is_401_unauthenticated() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let response = browser().get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.json::<ApiError>().await.unwrap().code,
        ErrorCode::Unauthenticated
    );
    app.stop().await;
}

#[tokio::test]
async fn logout_needs_the_csrf_header_then_revokes_every_token() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let browser = browser();
    sign_in(&app, &browser, "/", &mut Seen::default()).await;
    let revoked = app.vault().await;
    assert_eq!(revoked.len(), 6);

    let forged = browser
        .post(app.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(
        forged.json::<ApiError>().await.unwrap().code,
        ErrorCode::Forbidden
    );
    let cross_site = browser
        .post(app.url("/api/auth/logout"))
        .header("x-mrdp-csrf", "1")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);

    let logout = sign_out(&app, &browser).await;
    assert!(logout.logout_url.starts_with(&format!(
        "{}/v2/web/logout?client=",
        app.deployment.url(ServiceName::Idp)
    )));
    assert_eq!(me_status(&app, &browser).await, 401);

    // The provider says every access token is gone, and no refresh token works any more.
    for (_, tokens) in revoked {
        let info = app.introspect(&tokens.access_token).await;
        assert_eq!(info["active"], false, "{info}");
        let refresh = tokens.refresh_token.expect("offline access was granted");
        assert_eq!(app.refresh_status(&refresh).await, 400);
    }
    app.stop().await;
}

#[tokio::test]
async fn signup_asks_the_provider_to_offer_account_creation() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let location =
        |response: reqwest::Response| response.headers()["location"].to_str().unwrap().to_owned();
    let signup = location(
        browser()
            .get(app.url("/api/auth/signup?next=/profile"))
            .send()
            .await
            .unwrap(),
    );
    let login = location(
        browser()
            .get(app.url("/api/auth/login?next=/"))
            .send()
            .await
            .unwrap(),
    );
    for url in [&signup, &login] {
        assert!(
            url.starts_with(&format!(
                "{}/v2/oauth2/authorize?",
                app.deployment.url(ServiceName::Idp)
            )),
            "{url}"
        );
        for param in [
            "state=",
            "nonce=",
            "code_challenge=",
            "code_challenge_method=S256",
            "response_type=code",
        ] {
            assert!(url.contains(param), "{param} in {url}");
        }
    }
    assert!(signup.contains("signup=1") && !login.contains("signup="));
    app.stop().await;
}
