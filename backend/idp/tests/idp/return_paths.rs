//! Where sign-in sends the browser afterwards (`next`): a path on this server, never anything a
//! browser could read as another origin, whatever characters or escapes it is given.

use crate::harness::TestIdp;
use crate::sign_in::{PASSWORD, add_alice, browser, sign_in, text_of};
use mrdp_shared::StoreBackend;

const LOGIN: &str = "/v2/web/login";

/// Tab, CR, LF and backslash, bare and percent-encoded: browsers drop the first three from a URL
/// and read a backslash as a slash, so each of these could become `//evil.example`.
const HOSTILE: [&str; 14] = [
    "/\t/evil.example",
    "/%09/evil.example",
    "/\r/evil.example",
    "/%0d/evil.example",
    "/%0D/evil.example",
    "/\n/evil.example",
    "/%0a/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "/%5cevil.example",
    "/%5C/evil.example",
    "\\\\evil.example",
    "/\t\\evil.example",
    "//evil.example",
];

fn location(response: &reqwest::Response) -> String {
    let location = response.headers().get("location").map(|v| v.as_bytes());
    String::from_utf8_lossy(location.unwrap_or_default()).into_owned()
}

#[tokio::test]
async fn next_sends_a_signed_in_browser_to_a_local_path_only() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let signed_in = browser();
    assert_eq!(
        sign_in(&idp, &signed_in, "alice", PASSWORD, "/")
            .await
            .status(),
        303
    );
    let local = "/v2/oauth2/authorize?client_id=x";
    let mut answers = Vec::new();
    for next in HOSTILE.into_iter().chain([local]) {
        let response = signed_in
            .get(idp.url(LOGIN))
            .query(&[("next", next)])
            .send()
            .await
            .unwrap();
        answers.push((next, response.status().as_u16(), location(&response)));
    }
    let mut expected: Vec<_> = HOSTILE
        .iter()
        .map(|&next| (next, 303, LOGIN.to_owned()))
        .collect();
    expected.push((local, 303, local.to_owned()));
    assert_eq!(answers, expected);
    idp.stop().await;
}

#[tokio::test]
async fn next_sends_the_browser_that_signs_in_to_a_local_path_only() {
    let idp = TestIdp::spawn(StoreBackend::Sqlite).await;
    add_alice(&idp).await;
    let mut answers = Vec::new();
    let field = format!("name=\"next\" value=\"{LOGIN}\"");
    for next in HOSTILE {
        let page = text_of(browser().get(idp.url(LOGIN)).query(&[("next", next)])).await;
        let response = sign_in(&idp, &browser(), "alice", PASSWORD, next).await;
        let status = response.status().as_u16();
        answers.push((next, page.contains(&field), status, location(&response)));
    }
    let expected: Vec<_> = HOSTILE
        .iter()
        .map(|&next| (next, true, 303, LOGIN.to_owned()))
        .collect();
    assert_eq!(answers, expected);
    idp.stop().await;
}
