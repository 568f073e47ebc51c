//! The sign-in page: CSRF, generic errors, throttling, session cookie, sign-out.

use crate::harness::TestIdp;
use mrdp_idp::registry::clients::{self, NewClient};
use mrdp_idp::registry::users::{self, NewUser};
use mrdp_service::clock::Clock;
use mrdp_shared::StoreBackend;

const LOGIN: &str = "/v2/web/login";
pub const PASSWORD: &str = "correct horse battery";

/// A browser: its own cookie jar, no redirects followed.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn add_alice(idp: &TestIdp) {
    let new = NewUser {
        username: "alice".into(),
        name: "Alice".into(),
        email: None,
        organization: None,
        password: PASSWORD.into(),
    };
    users::create(idp.store(), idp.clock.now(), new)
        .await
        .unwrap();
}

/// The body of a GET the browser makes.
pub async fn text_of(request: reqwest::RequestBuilder) -> String {
    request.send().await.unwrap().text().await.unwrap()
}

/// The value of the form's hidden `csrf` field.
pub fn csrf_of(html: &str) -> String {
    let start =
        html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// Opens the form, then submits it; returns the response to the submission.
pub async fn sign_in(
    idp: &TestIdp,
    browser: &reqwest::Client,
    username: &str,
    password: &str,
    next: &str,
) -> reqwest::Response {
    let form = text_of(browser.get(idp.url(LOGIN)).query(&[("next", next)])).await;
    let csrf = csrf_of(&form);
    browser
        .post(idp.url(LOGIN))
        .form(&[
            ("username", username),
            ("password", password),
            ("csrf", &csrf),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn signing_in_sets_a_private_session_cookie_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        add_alice(&idp).await;
        let browser = browser();
        let response = sign_in(
            &idp,
            &browser,
            "alice",
            PASSWORD,
            "/v2/oauth2/authorize?client_id=x",
        )
        .await;
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers()["location"],
            "/v2/oauth2/authorize?client_id=x"
        );
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .find(|c| c.starts_with("mrdp_idp_session="))
            .expect("a session cookie");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let page = text_of(browser.get(idp.url(LOGIN))).await;
        assert!(
            page.contains("signed in as <strong>alice@mrdp.local</strong>"),
            "{page}"
        );
        idp.stop().await;
    }
}

#[tokio::test]
async fn wrong_password_unknown_and_disabled_accounts_look_the_same() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    users::create(
        idp.store(),
        idp.clock.now(),
        NewUser {
            username: "dan".into(),
            name: "Dan".into(),
            email: None,
            organization: None,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    users::set_disabled(idp.store(), "dan", true, idp.clock.now())
        .await
        .unwrap();
    for (username, password) in [
        ("alice", "wrong password!"),
        ("nobody", PASSWORD),
        ("dan", PASSWORD),
    ] {
        let response = sign_in(&idp, &browser(), username, password, "/").await;
        assert_eq!(response.status(), 401, "{username}");
        let page = response.text().await.unwrap();
        assert!(page.contains("Wrong username or password."), "{username}");
    }
    idp.stop().await;
}

#[tokio::test]
async fn a_form_without_its_csrf_cookie_is_refused() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let form = browser()
        .get(idp.url(LOGIN))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Another browser (no cookie) submits the token it read: a cross-site forgery.
    let forged = browser()
        .post(idp.url(LOGIN))
        .form(&[
            ("username", "alice"),
            ("password", PASSWORD),
            ("csrf", &csrf_of(&form)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400);
    assert!(
        forged
            .headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().contains("mrdp_idp_session="))
    );
    idp.stop().await;
}

#[tokio::test]
async fn repeated_failures_block_the_account_for_a_while() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    for _ in 0..5 {
        assert_eq!(
            sign_in(&idp, &browser(), "alice", "wrong password!", "/")
                .await
                .status(),
            401
        );
    }
    let blocked = sign_in(&idp, &browser(), "alice", PASSWORD, "/").await;
    assert_eq!(blocked.status(), 429);
    assert!(
        blocked
            .text()
            .await
            .unwrap()
            .contains("Too many failed sign-ins")
    );
    idp.clock.advance(15 * 60 + 1);
    assert_eq!(
        sign_in(&idp, &browser(), "alice", PASSWORD, "/")
            .await
            .status(),
        303
    );
    idp.stop().await;
}

#[tokio::test]
async fn next_never_leaves_this_server_and_input_is_escaped() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let response = sign_in(&idp, &browser(), "alice", PASSWORD, "https://evil.example/").await;
    assert_eq!(response.headers()["location"], LOGIN);
    let echoed = sign_in(&idp, &browser(), "<script>alert(1)</script>", "x", "/")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !echoed.contains("<script>alert(1)"),
        "the username is escaped"
    );
    idp.stop().await;
}

#[tokio::test]
async fn signing_out_ends_the_session_and_links_back_only_to_registered_apps() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let portal = NewClient {
        name: "portal".into(),
        public: false,
        redirect_uris: vec!["http://127.0.0.1:8080/api/auth/callback".into()],
    };
    let (portal, _) = clients::create(idp.store(), idp.clock.now(), portal)
        .await
        .unwrap();
    let browser = browser();
    sign_in(&idp, &browser, "alice", PASSWORD, "/").await;

    let url = idp.url(&format!(
        "/v2/web/logout?client={}&redirect_uri=http://127.0.0.1:8080/&redirect_name=Portal",
        portal.id
    ));
    let page = text_of(browser.get(url)).await;
    assert!(
        page.contains("You are signed out") && page.contains("href=\"http://127.0.0.1:8080/\""),
        "{page}"
    );
    let after = text_of(browser.get(idp.url(LOGIN))).await;
    assert!(
        after.contains("name=\"password\""),
        "signed out: the form again"
    );

    let foreign = idp.url(&format!(
        "/v2/web/logout?client={}&redirect_uri=https://evil.example/",
        portal.id
    ));
    let page = text_of(browser.get(foreign)).await;
    assert!(!page.contains("evil.example"));
    idp.stop().await;
}

#[tokio::test]
async fn the_native_app_page_shows_the_code_escaped() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let shown = browser()
        .get(idp.url("/v2/web/auth-code"))
        .query(&[("code", "abc<i>"), ("state", "s")])
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), 200);
    assert!(
        shown
            .text()
            .await
            .unwrap()
            .contains("<code data-testid=\"auth-code\">abc&lt;i&gt;</code>")
    );
    let denied = browser()
        .get(idp.url("/v2/web/auth-code"))
        .query(&[("error", "access_denied")])
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 400);
    assert_eq!(
        browser()
            .get(idp.url("/v2/web/auth-code"))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    idp.stop().await;
}
