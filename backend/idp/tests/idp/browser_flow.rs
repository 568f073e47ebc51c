//! Walking a browser through the authorization code flow: the request, sign-in, consent.

use crate::harness::TestIdp;
use crate::sign_in::{PASSWORD, csrf_of, sign_in};
use base64::Engine;
use mrdp_idp::registry::clients::{self, ClientRow, NewClient};
use mrdp_service::clock::Clock;
use sha2::{Digest, Sha256};

pub const CALLBACK: &str = "http://127.0.0.1:9/callback";
pub const VERIFIER: &str = "a-pkce-verifier-that-is-long-enough-for-rfc-7636-0123456789";
pub const TOKEN: &str = "/v2/oauth2/token";

pub fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub async fn client(idp: &TestIdp, name: &str, public: bool) -> (ClientRow, Option<String>) {
    let new = NewClient {
        name: name.into(),
        public,
        redirect_uris: vec![CALLBACK.into()],
    };
    let (client, secret) = clients::create(idp.store(), idp.clock.now(), new)
        .await
        .unwrap();
    (client, secret.map(|s| s.expose().to_owned()))
}

/// The authorization request's query, PKCE included.
pub fn request(client_id: &str, scope: &str) -> Vec<(&'static str, String)> {
    vec![
        ("client_id", client_id.to_owned()),
        ("redirect_uri", CALLBACK.to_owned()),
        ("response_type", "code".to_owned()),
        ("scope", scope.to_owned()),
        ("state", "st-42".to_owned()),
        ("nonce", "n-7".to_owned()),
        ("access_type", "offline".to_owned()),
        ("code_challenge", challenge(VERIFIER)),
        ("code_challenge_method", "S256".to_owned()),
    ]
}

pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// A query parameter of a URL (percent-decoded).
pub fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| {
            percent_encoding::percent_decode_str(value)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// Walks the browser through sign-in and consent (as needed); returns where the flow ends.
pub async fn authorize(
    idp: &TestIdp,
    browser: &reqwest::Client,
    query: &[(&str, String)],
    consent: &str,
) -> String {
    let url = idp.url("/v2/oauth2/authorize");
    let mut response = browser.get(&url).query(query).send().await.unwrap();
    if response.status() == 303 {
        let next =
            param(&location(&response), "next").expect("the sign-in page is told where to return");
        let signed_in = sign_in(idp, browser, "alice", PASSWORD, &next).await;
        assert_eq!(signed_in.status(), 303);
        response = browser
            .get(idp.url(&location(&signed_in)))
            .send()
            .await
            .unwrap();
    }
    if response.status() == 200 {
        let page = response.text().await.unwrap();
        assert!(page.contains("asks to act for you"), "{page}");
        let start =
            page.find("name=\"request\" value=\"").unwrap() + "name=\"request\" value=\"".len();
        let request = page[start..start + page[start..].find('"').unwrap()].replace("&amp;", "&");
        let decided = browser
            .post(idp.url("/v2/web/consent"))
            .form(&[
                ("request", request.as_str()),
                ("csrf", &csrf_of(&page)),
                ("decision", consent),
            ])
            .send()
            .await
            .unwrap();
        if decided.status() != 303 {
            return location(&decided);
        }
        response = browser
            .get(idp.url(&location(&decided)))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(response.status(), 302);
    location(&response)
}

pub async fn exchange(
    idp: &TestIdp,
    client: &ClientRow,
    secret: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = idp.http.post(idp.url(TOKEN)).form(form);
    if let Some(secret) = secret {
        request = request.basic_auth(&client.id, Some(secret));
    }
    request.send().await.unwrap()
}

/// alice signs in (if needed), allows `scope`, and the client exchanges the code: the tokens.
pub async fn signed_in_tokens(
    idp: &TestIdp,
    client: &ClientRow,
    secret: Option<&str>,
    scope: &str,
) -> serde_json::Value {
    let landed = authorize(
        idp,
        &crate::sign_in::browser(),
        &request(&client.id, scope),
        "allow",
    )
    .await;
    let code = param(&landed, "code").expect("a code");
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    // A public client names itself in the form.
    if secret.is_none() {
        form.push(("client_id", &client.id));
    }
    let response = exchange(idp, client, secret, &form).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}
