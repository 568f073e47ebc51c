//! The frontend developer's set-up, as the README gives it: `mrdp all` on its default ports with
//! `portal.public_url` on trunk's address, and `trunk serve` on 8090 proxying `/api`. Alice signs
//! in from trunk's address (the provider sends her back there, not to the portal's own port),
//! completes her profile and browses the catalog; every page she sees comes from 8090.

use mrdp_e2e::pages::{DatasetsPage, NavBar};
use mrdp_e2e::{
    Browser, Portal, TRUNK_SERVE_URL, TrunkServe, check_accessibility, ports_are_free,
    screenshot_dir, sign_in_with_profile_at,
};

#[tokio::test]
async fn a_researcher_signs_in_and_browses_through_trunk_serve() -> anyhow::Result<()> {
    ports_are_free()?;
    let portal = Portal::start_for_trunk_serve(TRUNK_SERVE_URL).await?;
    let _trunk = TrunkServe::start().await?;
    let browser = Browser::launch().await?;

    sign_in_with_profile_at(&browser, TRUNK_SERVE_URL, &portal, "alice@mrdp.local").await?;
    assert_eq!(
        NavBar::new(&browser).signed_in_name().await?,
        "Alice Researcher"
    );
    let search = DatasetsPage::open(&browser, TRUNK_SERVE_URL, "q=seattle").await?;
    assert_eq!(
        search.result_ids().await?.first().map(String::as_str),
        Some("sea")
    );
    browser
        .wait_for_url(&format!("{TRUNK_SERVE_URL}/datasets"))
        .await?;
    check_accessibility(&browser, "the datasets page through trunk serve").await?;
    browser
        .screenshot(&screenshot_dir().join("trunk-serve.png"))
        .await?;
    browser.close().await
}
