//! The researcher's profile at the portal: prefilled from the identity provider, validated.

use crate::harness::TestApp;
use crate::sign_in::{Seen, browser, me, sign_in};
use mrdp_shared::{ApiError, ErrorCode, MeResponse, ProfileRequest, StoreBackend};

fn profile(name: &str, email: &str, institution: &str) -> ProfileRequest {
    ProfileRequest {
        name: name.into(),
        email: email.into(),
        institution: institution.into(),
    }
}

async fn put(app: &TestApp, browser: &reqwest::Client, body: &ProfileRequest) -> reqwest::Response {
    browser
        .put(app.url("/api/me/profile"))
        .header("x-mrdp-csrf", "1")
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_profile_starts_from_the_idp_and_completes_when_saved_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let app = TestApp::spawn(backend).await;
        let browser = browser();
        sign_in(&app, &browser, "/", &mut Seen::default()).await;

        let before = me(&app, &browser).await;
        assert_eq!(
            (before.profile.name.as_str(), before.profile.email.as_str()),
            ("Alice Researcher", "alice@example.org")
        );
        assert_eq!(before.organization.as_deref(), Some("MRDP demo"));
        assert_eq!(
            before.profile.institution, "MRDP demo",
            "the institution starts from the provider's organization claim"
        );
        assert!(
            !before.profile_complete,
            "complete once the researcher has confirmed it"
        );

        let saved = put(
            &app,
            &browser,
            &profile(" Alice R. ", "alice@noaa.gov", "NOAA NCEI"),
        )
        .await;
        assert_eq!(saved.status(), 200);
        let saved: MeResponse = saved.json().await.unwrap();
        assert!(saved.profile_complete);
        assert_eq!(saved.profile.name, "Alice R.", "trimmed");
        let again = me(&app, &browser).await;
        assert_eq!(again.profile, saved.profile);
        app.stop().await;
    }
}

#[tokio::test]
async fn bad_profiles_are_400_and_change_nothing() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let browser = browser();
    sign_in(&app, &browser, "/", &mut Seen::default()).await;
    put(&app, &browser, &profile("Alice", "alice@noaa.gov", "NOAA")).await;

    let bad_email = put(&app, &browser, &profile("Alice", "not an email", "NOAA")).await;
    assert_eq!(bad_email.status(), 400);
    let error: ApiError = bad_email.json().await.unwrap();
    assert_eq!(error.code, ErrorCode::BadRequest);
    assert!(error.message.starts_with("email:"), "{}", error.message);

    let malformed = browser
        .put(app.url("/api/me/profile"))
        .header("x-mrdp-csrf", "1")
        .header("content-type", "application/json")
        .body(r#"{"name": "A", "email": 7}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(
        malformed.json::<ApiError>().await.unwrap().code,
        ErrorCode::BadRequest
    );

    let forged = browser
        .put(app.url("/api/me/profile"))
        .json(&profile("Mallory", "m@evil.org", "Evil"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);

    let me = me(&app, &browser).await;
    assert_eq!(me.profile.email, "alice@noaa.gov", "nothing was lost");

    let anonymous = put(
        &app,
        &super::sign_in::browser(),
        &profile("A", "a@b.org", "C"),
    )
    .await;
    assert_eq!(anonymous.status(), 401);
    app.stop().await;
}
