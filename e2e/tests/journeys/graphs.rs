//! The graphs journey: alice picks two stations in the catalog (and finds, then removes, a third
//! that shares no year with them), asks for their graphs over two years with a trend and a
//! comparison, watches the job to its end, sees the gallery's images (through signed data-server
//! URLs) and the provenance, opens a chart large and closes it with the keyboard, finds the
//! results ticked in the file manager ("Transfer results"), and deletes the job. Every page is
//! checked with axe-core.

use mrdp_e2e::pages::{DatasetsPage, FileManagerPage, GraphPages, NavBar};
use mrdp_e2e::{Browser, Portal, check_accessibility, screenshot_dir, sign_in_with_profile};

#[tokio::test]
async fn alice_graphs_two_stations_over_two_years_and_deletes_the_job() -> anyhow::Result<()> {
    let portal = Portal::start().await?;
    let browser = Browser::launch().await?;
    sign_in_with_profile(&browser, &portal, "alice@mrdp.local").await?;

    let search = DatasetsPage::open(&browser, portal.url(), "").await?;
    for id in ["sea", "nyc"] {
        search.select(id).await?;
    }
    NavBar::new(&browser).wait_selection_count(2).await?;
    browser
        .find("[data-testid=nav-graphs]")
        .await?
        .click()
        .await?;
    let graphs = GraphPages::new(&browser);
    let mut chosen = graphs.chosen(2).await?;
    chosen.sort();
    assert_eq!(chosen, ["nyc", "sea"], "the selection basket's datasets");
    // Lincoln, found by a search, covers no year with them; removed again.
    graphs.find_and_choose("Lincoln", "lnk").await?;
    assert_eq!(graphs.chosen(3).await?.len(), 3);
    assert_eq!(
        graphs.coverage().await?,
        "The chosen datasets cover no year in common."
    );
    graphs.remove("lnk").await?;
    assert_eq!(
        graphs.coverage().await?,
        "The chosen datasets all cover 2012–2015."
    );
    graphs.set_from(2014).await?;
    for kind in ["trend", "comparison"] {
        graphs.toggle_chart(kind).await?;
    }
    assert_eq!(graphs.count().await?, "4 station-years");
    check_accessibility(&browser, "the graphs page").await?;
    browser
        .screenshot(&screenshot_dir().join("graphs-form.png"))
        .await?;

    let job = graphs.make().await?;
    let charts = graphs.wait_gallery().await?;
    assert_eq!(charts.len(), 4 * 3 + 2 + 3, "{charts:?}");
    assert!(
        charts.contains(&"SEA-2014-precipitation".to_owned()),
        "{charts:?}"
    );
    assert!(graphs.wait_images().await?, "every chart's image loaded");
    assert_eq!(graphs.provenance_inputs().await?, 4);
    check_accessibility(&browser, "a graph job's page").await?;
    browser
        .screenshot(&screenshot_dir().join("graphs-gallery.png"))
        .await?;

    let label = graphs.open_chart("SEA-2014-temperature").await?;
    assert!(label.starts_with("SEA 2014"), "{label}");
    check_accessibility(&browser, "a chart opened large").await?;
    browser
        .screenshot(&screenshot_dir().join("graph-chart.png"))
        .await?;
    graphs.close_chart_with_escape().await?;

    // "Transfer results": the file manager on the job's folder, every file ticked.
    browser
        .find("[data-testid=transfer-graphs]")
        .await?
        .click()
        .await?;
    let manager = FileManagerPage::new(&browser);
    manager.wait_listing("origin", &format!("/{job}/")).await?;
    let ticked = manager.ticked("origin").await?;
    assert_eq!(ticked.len(), 2 * charts.len() + 1, "{ticked:?}");
    assert!(ticked.contains(&"ro-crate-metadata.json".to_owned()));
    browser.back().await?;

    graphs.delete().await?;
    assert!(!graphs.listed_jobs().await?.contains(&job));
    browser.close().await
}
