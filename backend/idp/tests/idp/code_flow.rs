//! The authorization code flow through the real sign-in and consent pages.

use crate::browser_flow::{
    CALLBACK, VERIFIER, authorize, client, exchange, location, param, request,
};
use crate::harness::{TRANSFER_SCOPE, TestIdp, assert_oauth_error};
use crate::sign_in::{add_alice, browser};
use mrdp_shared::StoreBackend;
use serde_json::Value;

#[tokio::test]
async fn code_flow_gives_tokens_refresh_tokens_and_a_verifiable_id_token_on_both_backends() {
    for backend in [StoreBackend::Sqlite, StoreBackend::Postgres] {
        let idp = TestIdp::spawn(backend).await;
        add_alice(&idp).await;
        let (portal, secret) = client(&idp, "portal", false).await;
        let browser = browser();
        let landed = authorize(
            &idp,
            &browser,
            &request(
                &portal.id,
                &format!("openid profile email {TRANSFER_SCOPE}"),
            ),
            "allow",
        )
        .await;
        assert!(landed.starts_with(CALLBACK));
        assert_eq!(param(&landed, "state").as_deref(), Some("st-42"));
        let code = param(&landed, "code").unwrap();

        let form = [
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ];
        let response = exchange(&idp, &portal, secret.as_deref(), &form).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            (body["resource_server"].as_str(), body["scope"].as_str()),
            (Some("auth.globus.org"), Some("openid profile email"))
        );
        assert_eq!(body["state"], "st-42");
        assert!(
            body["refresh_token"].is_string(),
            "access_type=offline gives refresh tokens"
        );
        assert_eq!(
            body["other_tokens"][0]["resource_server"],
            "transfer.api.globus.org"
        );
        assert!(body["other_tokens"][0]["refresh_token"].is_string());

        let jwks = idp.get_json(&idp.url("/jwk.json")).await;
        let key = jsonwebtoken::DecodingKey::from_rsa_components(
            jwks["keys"][0]["n"].as_str().unwrap(),
            jwks["keys"][0]["e"].as_str().unwrap(),
        )
        .unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS512);
        validation.set_audience(&[&portal.id]);
        validation.set_issuer(&[&idp.url]);
        validation.validate_exp = false; // the manual clock is in 2027; the signature and claims are what matter
        let claims =
            jsonwebtoken::decode::<Value>(body["id_token"].as_str().unwrap(), &key, &validation)
                .unwrap()
                .claims;
        assert_eq!(
            (
                claims["nonce"].as_str(),
                claims["preferred_username"].as_str()
            ),
            (Some("n-7"), Some("alice@mrdp.local"))
        );

        let userinfo: Value = idp
            .http
            .get(idp.url("/v2/oauth2/userinfo"))
            .bearer_auth(body["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(userinfo["sub"], claims["sub"]);
        assert_eq!(userinfo["identity_set"][0]["username"], "alice@mrdp.local");

        // A replayed code fails, and revokes what the code gave.
        assert_oauth_error(
            exchange(&idp, &portal, secret.as_deref(), &form).await,
            400,
            "invalid_grant",
        )
        .await;
        let caller = crate::harness::Confidential {
            client: portal.clone(),
            secret: secret.clone().unwrap(),
        };
        assert_eq!(
            idp.introspect(
                &caller,
                body["other_tokens"][0]["access_token"].as_str().unwrap(),
                None
            )
            .await["active"],
            false
        );
        idp.stop().await;
    }
}

#[tokio::test]
async fn consent_is_asked_once_and_a_refusal_goes_back_as_access_denied() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let (portal, _) = client(&idp, "portal", false).await;
    let browser = browser();
    let denied = authorize(&idp, &browser, &request(&portal.id, "openid"), "deny").await;
    assert_eq!(
        (
            param(&denied, "error").as_deref(),
            param(&denied, "state").as_deref()
        ),
        (Some("access_denied"), Some("st-42"))
    );

    let allowed = authorize(&idp, &browser, &request(&portal.id, "openid"), "allow").await;
    assert!(param(&allowed, "code").is_some());
    // Already allowed, already signed in: straight back with a code.
    let again = browser
        .get(idp.url("/v2/oauth2/authorize"))
        .query(&request(&portal.id, "openid"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 302);
    assert!(param(&location(&again), "code").is_some());
    idp.stop().await;
}

#[tokio::test]
async fn bad_client_or_redirect_uri_is_a_page_never_a_redirect() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let (portal, _) = client(&idp, "portal", false).await;
    let mut query = request(&portal.id, "openid");
    query[1].1 = "https://evil.example/steal".into();
    let response = browser()
        .get(idp.url("/v2/oauth2/authorize"))
        .query(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.headers().get("location").is_none());
    let unknown = browser()
        .get(idp.url("/v2/oauth2/authorize"))
        .query(&request("no-such-client", "openid"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 400);
    idp.stop().await;
}

#[tokio::test]
async fn request_errors_go_back_to_the_client() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    let (portal, _) = client(&idp, "portal", false).await;
    let (native, _) = client(&idp, "native", true).await;
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (
            {
                let mut q = request(&portal.id, "openid urn:no:such");
                q.truncate(5);
                q
            },
            "invalid_scope",
        ),
        (
            {
                let mut q = request(&portal.id, "openid");
                q[2].1 = "token".into();
                q
            },
            "unsupported_response_type",
        ),
        (
            {
                let mut q = request(&portal.id, "openid");
                q[8].1 = "plain".into();
                q
            },
            "invalid_request",
        ),
        (
            {
                let mut q = request(&native.id, "openid");
                q.truncate(7);
                q
            },
            "invalid_request",
        ),
    ];
    for (query, error) in cases {
        let response = browser()
            .get(idp.url("/v2/oauth2/authorize"))
            .query(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302, "{error}");
        assert_eq!(param(&location(&response), "error").as_deref(), Some(error));
    }
    idp.stop().await;
}

#[tokio::test]
async fn the_token_request_must_match_the_authorization_request() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let (portal, secret) = client(&idp, "portal", false).await;
    let (other, other_secret) = client(&idp, "other", false).await;
    let browser = browser();
    let code = || {
        let (idp, browser, id) = (&idp, &browser, portal.id.clone());
        async move {
            param(
                &authorize(idp, browser, &request(&id, "openid"), "allow").await,
                "code",
            )
            .unwrap()
        }
    };
    let cases = [
        (
            code().await,
            CALLBACK,
            Some("a-different-verifier-that-is-long-enough-for-rfc-7636-000"),
            "code_verifier",
        ),
        (code().await, CALLBACK, None, "code_verifier"),
        (
            code().await,
            "http://127.0.0.1:9/other",
            Some(VERIFIER),
            "redirect_uri",
        ),
    ];
    for (code, redirect_uri, verifier, why) in cases {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri),
        ];
        form.extend(verifier.map(|v| ("code_verifier", v)));
        let description = assert_oauth_error(
            exchange(&idp, &portal, secret.as_deref(), &form).await,
            400,
            "invalid_grant",
        )
        .await;
        assert!(description.contains(why), "{description}");
    }
    let stolen = code().await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", stolen.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    assert_oauth_error(
        exchange(&idp, &other, other_secret.as_deref(), &form).await,
        400,
        "invalid_grant",
    )
    .await;

    let late = code().await;
    idp.clock.advance(61);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", late.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    assert!(
        assert_oauth_error(
            exchange(&idp, &portal, secret.as_deref(), &form).await,
            400,
            "invalid_grant"
        )
        .await
        .contains("expired")
    );
    idp.stop().await;
}

#[tokio::test]
async fn public_clients_exchange_with_pkce_and_no_secret() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let (native, _) = client(&idp, "native", true).await;
    let landed = authorize(&idp, &browser(), &request(&native.id, "openid"), "allow").await;
    let code = param(&landed, "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", native.id.as_str()),
        ("code", &code),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    let response = exchange(&idp, &native, None, &form).await;
    assert_eq!(response.status(), 200);
    idp.stop().await;
}
