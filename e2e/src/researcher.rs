//! A demo researcher signed in, their profile complete: where every datasets journey starts.

use crate::pages::{NavBar, ProfilePage, SignInPages};
use crate::{Browser, Portal, check_accessibility};

/// Signs `username` (`alice@mrdp.local`) in through the navigation bar's button, allows the portal,
/// and completes the profile the app then asks for.
pub async fn sign_in_with_profile(
    browser: &Browser,
    portal: &Portal,
    username: &str,
) -> anyhow::Result<()> {
    sign_in_with_profile_at(browser, portal.url(), portal, username).await
}

/// As [`sign_in_with_profile`], starting from the web app at `url` (`trunk serve`'s, say).
pub async fn sign_in_with_profile_at(
    browser: &Browser,
    url: &str,
    portal: &Portal,
    username: &str,
) -> anyhow::Result<()> {
    let nav = NavBar::new(browser);
    browser.goto(url).await?;
    nav.click_sign_in().await?;
    let idp = SignInPages::new(browser);
    idp.sign_in(username, portal.demo_password(username)?)
        .await?;
    idp.allow().await?;
    nav.signed_in_name().await?;
    let profile = ProfilePage::new(browser);
    profile.wait_shown().await?;
    check_accessibility(browser, "the profile page").await?;
    profile.save_institution("NOAA NCEI").await?;
    nav.wait_profile_accepted().await
}
