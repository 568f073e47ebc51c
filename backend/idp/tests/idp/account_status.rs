//! Disabling an account, or changing its password, ends everything it was signed in to: its
//! sign-in sessions, unexchanged codes, tokens and grants. A disabled identity gets nothing more.

use crate::browser_flow::{CALLBACK, VERIFIER, authorize, exchange, location, param, request};
use crate::delegation::{self, ACCESS_TOKEN_TYPE, EXCHANGE, Setup};
use crate::sign_in::{PASSWORD, browser, sign_in};
use mrdp_idp::registry::users;
use mrdp_service::clock::Clock;
use mrdp_shared::StoreBackend;

/// What alice holds before her account changes.
struct Holdings {
    /// The portal's tokens and the graph service's token, acting for alice.
    s: Setup,
    /// A browser signed in at the identity provider.
    browser: reqwest::Client,
    /// A code the portal has not exchanged yet.
    code: String,
}

async fn holdings(backend: StoreBackend) -> Holdings {
    let s = delegation::setup(backend).await;
    let browser = browser();
    let landed = authorize(
        &s.idp,
        &browser,
        &request(&s.portal.client.id, "openid"),
        "allow",
    )
    .await;
    let code = param(&landed, "code").expect("a code");
    Holdings { s, browser, code }
}

fn token<'a>(h: &'a Holdings, pointer: &str) -> &'a str {
    h.s.tokens.pointer(pointer).unwrap().as_str().unwrap()
}

/// Every way alice's holdings could still act for her is refused; a failure names each one that
/// still works.
async fn assert_nothing_works(h: &Holdings) {
    let (s, idp) = (&h.s, &h.s.idp);
    let mut working = Vec::new();
    let again = h
        .browser
        .get(idp.url("/v2/oauth2/authorize"))
        .query(&request(&s.portal.client.id, "openid"))
        .send()
        .await
        .unwrap();
    let to_sign_in = again.status() == 303 && location(&again).starts_with("/v2/web/login?");
    if !to_sign_in {
        working.push("the sign-in session".to_owned());
    }

    let form = [
        ("grant_type", "authorization_code"),
        ("code", h.code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    let (portal, secret) = (&s.portal.client, Some(s.portal.secret.as_str()));
    if !refused(exchange(idp, portal, secret, &form).await).await {
        working.push("the unexchanged code".to_owned());
    }
    for (name, access) in [
        ("openid", token(h, "/access_token")),
        ("graph", &s.graph_token),
    ] {
        for caller in [&s.portal, &s.graph] {
            if idp.introspect(caller, access, None).await["active"] != false {
                working.push(format!(
                    "the {name} access token, to {}",
                    caller.client.name
                ));
            }
        }
    }
    for (name, refresh) in [
        ("openid", token(h, "/refresh_token")),
        ("graph", token(h, "/other_tokens/0/refresh_token")),
    ] {
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh)];
        if !refused(exchange(idp, portal, secret, &form).await).await {
            working.push(format!("the {name} refresh token"));
        }
    }
    if !refused(s.dependent(Some(&s.graph), &s.graph_token, &[]).await).await {
        working.push("dependent tokens".to_owned());
    }
    let form = [
        ("grant_type", EXCHANGE),
        ("subject_token", s.graph_token.as_str()),
        ("subject_token_type", ACCESS_TOKEN_TYPE),
    ];
    if !refused(
        idp.post_form("/v2/oauth2/token", Some(&s.graph), &form)
            .await,
    )
    .await
    {
        working.push("token exchange".to_owned());
    }
    let userinfo = idp
        .http
        .get(idp.url("/v2/oauth2/userinfo"))
        .bearer_auth(token(h, "/access_token"))
        .send()
        .await
        .unwrap();
    if userinfo.status() != 401 {
        working.push("userinfo".to_owned());
    }
    assert!(working.is_empty(), "still working: {working:?}");
}

/// Whether the token endpoint refused the grant as `invalid_grant`.
async fn refused(response: reqwest::Response) -> bool {
    response.status() == 400
        && response.json::<serde_json::Value>().await.unwrap()["error"] == "invalid_grant"
}

#[tokio::test]
async fn disabling_an_account_ends_its_sign_ins_codes_and_tokens_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let h = holdings(backend).await;
        let idp = &h.s.idp;
        users::set_disabled(idp.store(), "alice", true, idp.clock.now())
            .await
            .unwrap();
        assert_nothing_works(&h).await;
        let refused = sign_in(idp, &browser(), "alice", PASSWORD, "/").await;
        assert_eq!(refused.status(), 401);

        // Enabled again, alice signs in afresh; what was revoked stays revoked.
        users::set_disabled(idp.store(), "alice", false, idp.clock.now())
            .await
            .unwrap();
        let signed_in = sign_in(idp, &browser(), "alice", PASSWORD, "/").await;
        assert_eq!(signed_in.status(), 303);
        assert_nothing_works(&h).await;
        h.s.idp.stop().await;
    }
}

#[tokio::test]
async fn a_new_password_ends_the_sign_ins_codes_and_tokens_of_the_old_one_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let h = holdings(backend).await;
        let idp = &h.s.idp;
        users::set_password(
            idp.store(),
            "alice",
            "a brand new password",
            idp.clock.now(),
        )
        .await
        .unwrap();
        assert_nothing_works(&h).await;
        let old = sign_in(idp, &browser(), "alice", PASSWORD, "/").await;
        assert_eq!(old.status(), 401);
        let new = sign_in(idp, &browser(), "alice", "a brand new password", "/").await;
        assert_eq!(new.status(), 303);
        h.s.idp.stop().await;
    }
}

#[tokio::test]
async fn a_disabled_identity_gets_nothing_even_where_nothing_was_revoked() {
    let h = holdings(StoreBackend::Sqlite).await;
    // The flag alone, as a write straight into the database (or by an older release) sets it.
    sqlx::query("UPDATE users SET disabled = 1")
        .execute(h.s.idp.store().pool())
        .await
        .unwrap();
    assert_nothing_works(&h).await;
    h.s.idp.stop().await;
}
