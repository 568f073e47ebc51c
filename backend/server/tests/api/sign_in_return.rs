//! Where a sign-in sends the browser back: a path on the portal, whatever `next` said.
//!
//! Browsers drop tabs, CR and LF from a `Location` and read `\` as `/`, so a `next` of
//! `/<TAB>/evil.example` would send them to `//evil.example`, another site.

use crate::harness::TestApp;
use crate::sign_in::{Seen, browser, sign_in};
use mrdp_shared::StoreBackend;

#[tokio::test]
async fn after_a_real_sign_in_the_browser_is_only_ever_sent_to_a_local_path() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let browser = browser();
    // Each is sent percent-encoded in the query, so the portal reads the character itself, then
    // the escape as it is (`%09` stays `%09`).
    for hostile in [
        "/\t/evil.example",
        "/\r/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/%09/evil.example",
        "/%0d/evil.example",
        "/%0A/evil.example",
        "/%5C/evil.example",
        "/%5c%5cevil.example",
    ] {
        let (status, location, _) = sign_in(&app, &browser, hostile, &mut Seen::default()).await;
        assert_eq!((status, location.as_str()), (302, "/"), "next={hostile:?}");
    }
    let local = "/datasets?q=rain%20fall&page=2#results";
    let (status, location, _) = sign_in(&app, &browser, local, &mut Seen::default()).await;
    assert_eq!(
        (status, location.as_str()),
        (302, local),
        "a local path is kept"
    );
    app.stop().await;
}
