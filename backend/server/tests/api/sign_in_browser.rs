//! Which callbacks complete a sign-in: one the portal started, once, in the browser that started
//! it (against login CSRF: a callback carrying another browser's state is refused, and the
//! browser's own session is left as it was).

use crate::harness::TestApp;
use crate::sign_in::{Seen, as_user, browser, me, sign_in, start, through_provider};
use mrdp_shared::StoreBackend;

/// Where the portal sends a browser that visits `callback`.
async fn visit(browser: &reqwest::Client, callback: &str) -> (String, Vec<String>) {
    let response = browser.get(callback).send().await.unwrap();
    assert_eq!(response.status(), 302);
    let cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    (
        response.headers()["location"].to_str().unwrap().to_owned(),
        cookies,
    )
}

#[tokio::test]
async fn a_callback_with_a_state_from_another_browser_is_refused_and_the_victims_session_stays_on_both_backends()
 {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let [alice, bob] = [0, 1].map(|i| app.deployment.demo_credentials().users[i].clone());
        let victim = browser();
        sign_in(&app, &victim, "/", &mut Seen::default()).await;
        assert_eq!(me(&app, &victim).await.username, alice.username);

        // The attacker signs in as himself, stops at the callback and lures the victim to it.
        let attacker = browser();
        let authorize = start(&app, &attacker, "/", &mut Seen::default()).await;
        let callback = through_provider(&app, &attacker, &authorize, &as_user(&bob)).await;
        let (location, cookies) = visit(&victim, &callback).await;
        assert_eq!(location, "/signin-error?reason=invalid_state");
        assert!(
            !cookies.iter().any(|c| c.starts_with("mrdp_session=")),
            "the victim's session cookie is left alone: {cookies:?}"
        );
        assert_eq!(
            me(&app, &victim).await.username,
            alice.username,
            "the victim is still signed in as herself"
        );

        // The refused attempt did not use the attacker's sign-in up: it completes in his browser.
        assert_eq!(visit(&attacker, &callback).await.0, "/");
        assert_eq!(me(&app, &attacker).await.username, bob.username);
        app.stop().await;
    }
}

/// Whether `cookies` tell the browser to forget its sign-in cookie.
fn removes_sign_in_cookie(cookies: &[String]) -> bool {
    cookies
        .iter()
        .any(|c| c.starts_with("mrdp_signin=;") && c.contains("Max-Age=0"))
}

#[tokio::test]
async fn the_sign_in_cookie_is_removed_by_the_callback_and_the_next_sign_in_gets_a_new_one() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let browser = browser();
    let mut seen = Seen::default();
    sign_in(&app, &browser, "/", &mut seen).await;
    sign_in(&app, &browser, "/", &mut seen).await;
    let cookies = seen.cookies("mrdp_signin");
    assert_eq!(
        cookies.len(),
        4,
        "set at each login, removed at each callback: {cookies:?}"
    );
    for set in [cookies[0], cookies[2]] {
        for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=600"] {
            assert!(set.contains(part), "{part} in {set}");
        }
    }
    for removed in [cookies[1], cookies[3]] {
        assert!(removes_sign_in_cookie(&[removed.to_owned()]), "{removed}");
    }
    let value = |cookie: &str| cookie[..cookie.find(';').unwrap()].to_owned();
    assert_ne!(
        value(cookies[0]),
        value(cookies[2]),
        "a finished sign-in's value is not used again"
    );
    app.stop().await;
}

#[tokio::test]
async fn two_tabs_of_one_browser_both_complete_their_sign_ins() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let alice = app.deployment.demo_credentials().users[0].clone();
    let browser = browser();
    let mut seen = Seen::default();
    let first = start(&app, &browser, "/datasets", &mut seen).await;
    let second = start(&app, &browser, "/profile", &mut seen).await;

    let first = through_provider(&app, &browser, &first, &as_user(&alice)).await;
    let (location, cookies) = visit(&browser, &first).await;
    assert_eq!(location, "/datasets");
    assert!(
        !removes_sign_in_cookie(&cookies),
        "the other tab still needs it: {cookies:?}"
    );
    let second = through_provider(&app, &browser, &second, &as_user(&alice)).await;
    let (location, cookies) = visit(&browser, &second).await;
    assert_eq!(location, "/profile");
    assert!(removes_sign_in_cookie(&cookies), "{cookies:?}");
    assert_eq!(me(&app, &browser).await.username, alice.username);
    app.stop().await;
}

#[tokio::test]
async fn forged_or_replayed_callbacks_and_open_redirects_are_refused() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let forged = browser()
        .get(app.url("/api/auth/callback?code=abc&state=made-up"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.headers()["location"],
        "/signin-error?reason=invalid_state"
    );
    let denied = browser()
        .get(app.url("/api/auth/callback?error=access_denied&state=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        denied.headers()["location"],
        "/signin-error?reason=access_denied"
    );

    let browser = browser();
    let login = browser
        .get(app.url("/api/auth/login"))
        .query(&[("next", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 302);
    let (status, location, callback) = sign_in(
        &app,
        &browser,
        "https://evil.example/",
        &mut Seen::default(),
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (302, "/"),
        "next stays on the portal"
    );
    let replayed = browser.get(&callback).send().await.unwrap();
    assert_eq!(
        replayed.headers()["location"],
        "/signin-error?reason=invalid_state",
        "a callback works once"
    );
    app.stop().await;
}
