//! Two portals and two identity providers behind Debian's nginx, which terminates TLS (with a
//! certificate the test makes) and balances requests round-robin, on one PostgreSQL database: the
//! deployment's own portal and identity provider, and a `mrdp portal` and a `mrdp idp` process
//! beside them. A researcher signs in through nginx, the provider's pages answered by both
//! replicas; every following request goes to the other portal and still works (the session, the
//! vault's grants, the CSRF check, signing out), and uses of expired grants at once on both
//! portals refresh them in turn; cookies are `Secure` and URLs are nginx's. A key
//! rotated through one provider is listed first by both, and a sign-in after it succeeds.

use crate::beside::{beside, kill, url_of};
use crate::harness::TestApp;
use crate::sign_in::{as_user, through_provider_to};
use mrdp_service::clock::SystemClock;
use mrdp_service::testing::nginx::{Nginx, Site};
use mrdp_shared::{ProfileRequest, ServiceName, StoreBackend};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;

/// A port free now, for nginx to listen on (the services' public URLs must name it first).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A browser that trusts nginx's certificate only, keeps cookies and follows no redirect.
fn browser(certificate: &reqwest::Certificate) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .tls_built_in_root_certs(false)
        .add_root_certificate(certificate.clone())
        .build()
        .unwrap()
}

/// Which replica nginx sent a request to.
fn replica(response: &reqwest::Response) -> String {
    response.headers()["x-replica"].to_str().unwrap().to_owned()
}

/// Signs in as alice through nginx; the replicas of the provider that answered and the portal's
/// session cookie as it was set.
async fn sign_in(app: &TestApp, browser: &reqwest::Client, (portal, idp): (&str, &str)) -> String {
    let login = browser
        .get(format!("{portal}/api/auth/login?next=/datasets"))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 302);
    let authorize = login.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        authorize.starts_with(&format!("{idp}/v2/oauth2/authorize?")),
        "{authorize}"
    );
    let alice = &app.deployment.demo_credentials().users[0];
    let callback = through_provider_to(browser, &authorize, &as_user(alice), portal).await;
    assert!(
        callback.starts_with(&format!("{portal}/api/auth/callback?")),
        "{callback}"
    );
    let signed_in = browser.get(&callback).send().await.unwrap();
    assert_eq!(signed_in.status(), 302, "{:?}", signed_in.text().await);
    assert_eq!(signed_in.headers()["location"], "/datasets");
    signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .find(|cookie| cookie.starts_with("mrdp_session="))
        .unwrap_or_default()
}

/// The key ids `/jwk.json` lists, as one provider replica answers.
async fn published(browser: &reqwest::Client, idp: &str) -> (Vec<String>, String) {
    let answer = browser.get(format!("{idp}/jwk.json")).send().await.unwrap();
    let replica = replica(&answer);
    (key_ids(answer).await, replica)
}

/// The key ids of a `/jwk.json` answer, in its order.
pub async fn key_ids(answer: reqwest::Response) -> Vec<String> {
    let jwks: Value = answer.json().await.unwrap();
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["kid"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn behind_nginx_with_tls_requests_alternate_between_replicas_and_everything_still_works() {
    let ports = (free_port(), free_port());
    let portal = format!("https://127.0.0.1:{}", ports.0);
    let idp = format!("https://127.0.0.1:{}", ports.1);
    let app = TestApp::spawn_configured(StoreBackend::Postgres, Arc::new(SystemClock), |config| {
        config.portal.public_url = Some(portal.clone());
        config.idp.issuer = Some(idp.clone());
        config.trusted_proxies = vec!["127.0.0.1".to_owned()];
        // Access tokens within the portal's refresh margin from the start: every use of a grant
        // refreshes it, so concurrent uses on both portals would refresh one grant twice (and
        // the provider end it as theft) unless the portals take turns.
        config.idp.access_token_lifetime = 60;
    })
    .await;
    let settings = [
        ("MRDP_PORTAL__PUBLIC_URL", portal.as_str()),
        ("MRDP_IDP__ISSUER", idp.as_str()),
        ("MRDP_TRUSTED_PROXIES", "[\"127.0.0.1\"]"),
        ("MRDP_IDP__ACCESS_TOKEN_LIFETIME", "60"),
    ];
    let dist = app.config.dist_dir.clone().unwrap();
    let dist = dist.to_str().unwrap();
    let portal_settings = [settings.as_slice(), &[("MRDP_DIST_DIR", dist)]].concat();
    let (mut second_portal, urls) = beside(&app, &["portal"], &portal_settings);
    let second_portal_url = url_of(&urls, "portal");
    let (mut second_idp, urls) = beside(&app, &["idp"], &settings);
    let second_idp_url = url_of(&urls, "idp");
    let portals = [
        app.deployment.url(ServiceName::Portal).to_owned(),
        second_portal_url,
    ];
    let idps = [
        app.deployment.url(ServiceName::Idp).to_owned(),
        second_idp_url,
    ];
    let sites =
        [(ports.0, &portals), (ports.1, &idps)].map(|(port, servers)| Site { port, servers });
    let (nginx, certificate) = Nginx::balancer(&sites).unwrap();
    let certificate = reqwest::Certificate::from_pem(certificate.as_bytes()).unwrap();
    let browser = browser(&certificate);

    let session_cookie = sign_in(&app, &browser, (&portal, &idp)).await;
    assert!(session_cookie.contains("Secure"), "{session_cookie}");

    // Every request goes to the other portal: the session, its grants, the CSRF check hold.
    let mut served_by = Vec::new();
    let profile = ProfileRequest {
        name: "Alice Researcher".into(),
        email: "alice@example.org".into(),
        institution: "NOAA NCEI".into(),
    };
    let requests = [
        browser.get(format!("{portal}/api/me")),
        browser
            .put(format!("{portal}/api/me/profile"))
            .header("x-mrdp-csrf", "1")
            .json(&profile),
        browser.get(format!("{portal}/api/me/connections")),
        browser.get(format!("{portal}/api/me")),
        browser.get(format!("{portal}/api/collections")),
        browser.get(format!("{portal}/api/me/connections")),
    ];
    for request in requests {
        let response = request.send().await.unwrap();
        served_by.push(replica(&response));
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
        if body.get("connections").is_some() {
            assert_eq!(body["connections"].as_array().unwrap().len(), 6, "{body}");
        }
    }
    let refused = browser
        .post(format!("{portal}/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403, "no CSRF header, on either replica");
    served_by.push(replica(&refused));
    assert!(
        served_by.windows(2).all(|pair| pair[0] != pair[1]),
        "one replica, then the other: {served_by:?}"
    );
    assert_eq!(served_by.iter().collect::<HashSet<_>>().len(), 2);

    // Uses of the same grants at once, on both portals: each refreshes them in its turn.
    let at_once = (0..6).map(|_| browser.get(format!("{portal}/api/me/connections")).send());
    let mut replicas = HashSet::new();
    for answer in futures_util::future::join_all(at_once).await {
        let answer = answer.unwrap();
        replicas.insert(replica(&answer));
        let body: Value = answer.json().await.unwrap();
        assert_eq!(
            body["connections"].as_array().map(Vec::len),
            Some(6),
            "{body}"
        );
        assert_eq!(
            body["ended"],
            serde_json::json!([]),
            "a refresh looked like theft: {body}"
        );
    }
    assert_eq!(replicas.len(), 2);

    // A key rotated through one provider replica: both publish it first, and it signs the next
    // sign-in, whose ID token the portal verifies.
    let rotated = std::process::Command::new(env!("CARGO_BIN_EXE_mrdp"))
        .env_clear()
        .env(
            "MRDP_DATABASE_URL",
            app.config.database_url.as_ref().unwrap().expose(),
        )
        .arg("--data-dir")
        .arg(&app.config.data_dir)
        .args(["idp", "rotate-key"])
        .output()
        .unwrap();
    assert!(rotated.status.success(), "{rotated:?}");
    let said = String::from_utf8_lossy(&rotated.stdout);
    let kid = said["new signing key ".len()..].split(':').next().unwrap();
    let (first, one) = published(&browser, &idp).await;
    let (second, other) = published(&browser, &idp).await;
    assert_ne!(one, other, "both replicas answered");
    assert_eq!((first[0].as_str(), second[0].as_str()), (kid, kid));
    let again = crate::load_balancer::browser(&certificate);
    sign_in(&app, &again, (&portal, &idp)).await;

    let signed_out = browser
        .post(format!("{portal}/api/auth/logout"))
        .header("x-mrdp-csrf", "1")
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 200);
    for _ in 0..2 {
        let me = browser
            .get(format!("{portal}/api/me"))
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 401, "signed out on both replicas");
    }
    drop(nginx);
    kill(&mut second_portal);
    kill(&mut second_idp);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_data_server_run_alone_serves_the_collections_files() {
    let app =
        TestApp::spawn_configured(StoreBackend::Postgres, Arc::new(SystemClock), |_| {}).await;
    crate::datasets::researcher(&app, "alice").await;
    let catalog = mrdp_server::seed::catalog_id();
    let (_, tokens) = app
        .vault()
        .await
        .into_iter()
        .find(|(resource_server, _)| *resource_server == catalog)
        .unwrap();
    let (mut data, urls) = beside(&app, &["data"], &[]);
    assert_eq!(
        urls.iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>(),
        ["data"]
    );
    let url = format!("{}/{catalog}/sea/2012.csv", url_of(&urls, "data"));
    let answer = app
        .client
        .get(url)
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let expected = std::fs::read(crate::harness::catalog_dir().join("sea/2012.csv")).unwrap();
    assert!(
        answer.bytes().await.unwrap() == expected,
        "the file, byte for byte"
    );
    kill(&mut data);
    app.stop().await;
}
