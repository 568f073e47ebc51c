//! Browser journeys against a real `mrdp all` (one test binary).

mod datasets;
mod graphs;
mod transfers;
mod trunk_serve;

use mrdp_e2e::pages::{DeveloperPage, HomePage, NavBar, SignInPages, StatusPage};
use mrdp_e2e::{Browser, Portal, check_accessibility, screenshot_dir, sign_in_with_profile};

#[tokio::test]
async fn the_status_page_shows_every_service_healthy_and_the_api_reference_draws()
-> anyhow::Result<()> {
    let portal = Portal::start().await?;
    let browser = Browser::launch().await?;

    let page = StatusPage::open(&browser, portal.url()).await?;
    let services = page.services().await?;
    let names: Vec<&str> = services.iter().map(|row| row.service.as_str()).collect();
    assert_eq!(names, ["portal", "idp", "transfer", "data", "graph"]);
    assert!(
        services.iter().all(|row| row.status == "ok"),
        "{services:?}"
    );
    assert!(page.summary().await?.contains("5 services"));
    check_accessibility(&browser, "the status page").await?;
    browser
        .screenshot(&screenshot_dir().join("status.png"))
        .await?;

    // The API reference, drawn in the browser from the portal's own files (the network is closed).
    browser.goto(&format!("{}/api/docs", portal.url())).await?;
    let title = browser.find("h1").await?.text().await?;
    assert!(title.starts_with("MRDP-rs portal API"), "{title}");
    browser.find("[id='tag/datasets']").await?;
    check_accessibility(&browser, "the API reference").await?;
    browser
        .screenshot(&screenshot_dir().join("api-docs.png"))
        .await?;

    browser.close().await
}

#[tokio::test]
async fn unknown_client_route_renders_the_apps_not_found_page() -> anyhow::Result<()> {
    let portal = Portal::start().await?;
    let browser = Browser::launch().await?;

    browser
        .goto(&format!("{}/no/such/page", portal.url()))
        .await?;
    let heading = browser.find("main h1").await?.text().await?;
    assert_eq!(heading, "Page not found");
    check_accessibility(&browser, "the not-found page").await?;

    browser.close().await
}

#[tokio::test]
async fn a_researcher_signs_in_completes_the_profile_sees_the_connections_registers_apps_and_signs_out()
-> anyhow::Result<()> {
    let portal = Portal::start().await?;
    let (username, _) = portal.demo_user()?.clone();
    let browser = Browser::launch().await?;
    let nav = NavBar::new(&browser);

    // The landing page is closed until the profile is complete: the app shows the profile.
    sign_in_with_profile(&browser, &portal, &username).await?;
    assert_eq!(nav.signed_in_name().await?, "Alice Researcher");

    nav.click_home().await?;
    let services = HomePage::new(&browser).connected_services().await?;
    assert_eq!(
        services.len(),
        6,
        "identity, transfer, groups, the catalog, graphs and their results: {services:?}"
    );
    assert!(services.contains(&"transfer.api.globus.org".to_owned()));
    check_accessibility(&browser, "the signed-in home page").await?;
    browser
        .screenshot(&screenshot_dir().join("signed-in.png"))
        .await?;

    // The Developer page: allowed to manage her apps, she registers a notebook and a service
    // (its secret shown once), and deletes the service.
    let developer = DeveloperPage::new(&browser);
    developer.open().await?;
    check_accessibility(&browser, "the Developer page asking for permission").await?;
    developer.allow_and_come_back().await?;
    assert_eq!(developer.register("Notebook", true).await?, None);
    let secret = developer.register("Nightly sync", false).await?;
    assert!(
        secret.is_some_and(|s| s.len() >= 32),
        "a service's secret is shown"
    );
    assert_eq!(developer.names().await?, ["Nightly sync", "Notebook"]);
    check_accessibility(&browser, "the Developer page").await?;
    browser
        .screenshot(&screenshot_dir().join("developer.png"))
        .await?;
    developer.delete("Nightly sync").await?;
    assert_eq!(developer.names().await?, ["Notebook"]);

    nav.click_sign_out().await?;
    let idp = SignInPages::new(&browser);
    idp.wait_signed_out().await?;
    browser.goto(portal.url()).await?;
    assert!(nav.offers_sign_in().await?, "signed out after a reload");
    nav.wait_selection_hidden().await?;
    browser.close().await
}
