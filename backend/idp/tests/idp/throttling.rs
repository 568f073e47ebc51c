//! Sign-in throttling under concurrency: many guesses at once get no more checks than the limit,
//! and checking passwords does not stall the identity provider.

use crate::harness::TestIdp;
use crate::sign_in::{PASSWORD, add_alice, browser, csrf_of, text_of};
use mrdp_shared::StoreBackend;

const LOGIN: &str = "/v2/web/login";
/// Failed sign-ins an account may have in the window before it is blocked.
const MAX_PER_ACCOUNT: usize = 5;

/// A browser holding the sign-in form's CSRF cookie, and the form's token.
async fn opened_form(idp: &TestIdp) -> (reqwest::Client, String) {
    let browser = browser();
    let csrf = csrf_of(&text_of(browser.get(idp.url(LOGIN))).await);
    (browser, csrf)
}

async fn submit(
    idp: &TestIdp,
    (browser, csrf): (reqwest::Client, String),
    password: &str,
) -> reqwest::Response {
    browser
        .post(idp.url(LOGIN))
        .form(&[
            ("username", "alice"),
            ("password", password),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap()
}

async fn failures_of_alice(idp: &TestIdp) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_failures WHERE subject = 'account:alice@mrdp.local'",
    )
    .fetch_one(idp.store().pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn fifty_concurrent_guesses_make_fifty_failures_and_at_most_five_checks_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = std::sync::Arc::new(TestIdp::spawn(backend).await);
        add_alice(&idp).await;
        let mut forms = Vec::new();
        for _ in 0..50 {
            forms.push(opened_form(&idp).await);
        }
        let guesses: Vec<_> = forms
            .into_iter()
            .map(|form| {
                let idp = idp.clone();
                tokio::spawn(async move { submit(&idp, form, "wrong password!").await.status() })
            })
            .collect();
        let mut statuses = Vec::new();
        for guess in guesses {
            statuses.push(guess.await.unwrap().as_u16());
        }
        let checked = statuses.iter().filter(|&&s| s == 401).count();
        let refused = statuses.iter().filter(|&&s| s == 429).count();
        assert_eq!(checked + refused, 50, "{statuses:?}");
        assert!(checked <= MAX_PER_ACCOUNT, "{checked} guesses were checked");
        assert_eq!(failures_of_alice(&idp).await, 50);
        let right = submit(&idp, opened_form(&idp).await, PASSWORD).await;
        assert_eq!(right.status(), 429, "the account stays blocked");
        std::sync::Arc::into_inner(idp).unwrap().stop().await;
    }
}

#[tokio::test]
async fn health_is_answered_while_a_password_is_checked() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    // A hash of 200 argon2 passes instead of 2: checking any password against it keeps the CPU
    // busy long after the requests below are answered.
    let slow = "$argon2id$v=19$m=19456,t=200,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    sqlx::query("UPDATE users SET password_hash = $1")
        .bind(slow)
        .execute(idp.store().pool())
        .await
        .unwrap();
    let form = opened_form(&idp).await;
    let (url, browser) = (idp.url(LOGIN), form.0.clone());
    let guess = tokio::spawn(async move {
        browser
            .post(url)
            .form(&[
                ("username", "alice"),
                ("password", "wrong password!"),
                ("csrf", &form.1),
            ])
            .send()
            .await
            .unwrap()
            .status()
    });
    // The attempt counts as a failure before its password is checked.
    while failures_of_alice(&idp).await == 0 {
        assert!(
            !guess.is_finished(),
            "the guess ended before it was counted"
        );
    }
    // Several times: the first ones may be answered before the check has started.
    for _ in 0..20 {
        let health = idp.http.get(idp.url("/health")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        assert!(!guess.is_finished(), "health waited for the password check");
    }
    assert_eq!(guess.await.unwrap(), 401);
    idp.stop().await;
}
