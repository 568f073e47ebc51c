//! The datasets journeys: search, facets, landing pages, files, downloads, the preview and the
//! selection, as alice (a member of the group CEU is shared with) and bob (not a member).
//! Every page visited is checked with axe-core.

use mrdp_e2e::pages::{DatasetPage, DatasetsPage, NavBar, PreviewFacts};
use mrdp_e2e::{
    Browser, MORE_TEST_DATASETS, NESTED_ID, Portal, check_accessibility, journey_catalog,
    screenshot_dir, sign_in_with_profile, workspace_root,
};

#[tokio::test]
async fn alice_searches_filters_previews_downloads_browses_folders_and_keeps_a_selection()
-> anyhow::Result<()> {
    let catalog = journey_catalog()?;
    let portal = Portal::start_with_catalog(catalog.path()).await?;
    let browser = Browser::launch().await?;
    sign_in_with_profile(&browser, &portal, "alice@mrdp.local").await?;
    let nav = NavBar::new(&browser);

    // A station by the words of its name, then one of them by its facet.
    let search = DatasetsPage::open(&browser, portal.url(), "").await?;
    check_accessibility(&browser, "the datasets page").await?;
    // Every dataset alice may read, ten to a page: the next page has the rest.
    let first_page = search.result_ids().await?;
    assert_eq!(first_page.len(), 10);
    assert_eq!(search.pages().await?, "Page 1 of 2");
    search.next_page(2).await?;
    let second_page = search.result_ids().await?;
    assert_eq!(second_page.len(), 7 + 1 + MORE_TEST_DATASETS - 10);
    assert!(second_page.iter().all(|id| !first_page.contains(id)));
    search.search("New York").await?;
    let found = search.result_ids().await?;
    for id in ["nyc", "jfk", "lga"] {
        assert!(found.iter().any(|f| f == id), "{id} in {found:?}");
    }
    assert_eq!(search.facet_count("station", "JFK").await?, "1");
    search.filter("station", "JFK").await?;
    assert_eq!(search.result_ids().await?, ["jfk"]);
    check_accessibility(&browser, "a filtered search").await?;
    // Back undoes the filter: the URL holds the search.
    browser.back().await?;
    browser
        .find("[data-testid=facet-station-JFK]:not([aria-current])")
        .await?;
    assert!(search.result_ids().await?.len() >= 3);
    browser
        .screenshot(&screenshot_dir().join("datasets-search.png"))
        .await?;
    search.select("jfk").await?;
    nav.wait_selection_count(1).await?;

    // Its landing page: the preview read from the data server (one day of 2013 is missing
    // from the file), its files, and one downloaded straight from the data server.
    search.open_result("jfk").await?;
    let landing = DatasetPage::new(&browser);
    assert!(landing.title().await?.starts_with("New York JFK"));
    let expected = PreviewFacts {
        points: 364,
        missing: "1 day missing".to_owned(),
    };
    assert_eq!(landing.preview(2013).await?, expected);
    assert!(!landing.says_no_precipitation().await?);
    assert_eq!(
        landing.hover_chart_day(2).await?,
        "3 Jan: maximum 0.6 °C, minimum -3.3 °C, precipitation 0.0 mm",
        "the file's third row, from tenths"
    );
    assert_eq!(
        landing.read_chart_day_by_keyboard(1).await?,
        "2 Jan: maximum 1.7 °C, minimum -5.0 °C, precipitation 0.0 mm",
        "the file's second row"
    );
    landing.wait_listing("").await?;
    assert_eq!(landing.entries().await?, ["2013.csv"]);
    check_accessibility(&browser, "the JFK landing page").await?;
    browser
        .screenshot(&screenshot_dir().join("dataset-landing.png"))
        .await?;
    // The citation's copy buttons put what they show on the clipboard.
    browser.allow_clipboard().await?;
    for (testid, kind) in [("citation-text", "citation"), ("citation-bibtex", "BibTeX")] {
        let shown = landing.copy_citation(testid, kind).await?;
        let copied = browser.clipboard_text().await?;
        assert_eq!(copied.trim_end(), shown.trim_end(), "the {kind} copied");
    }
    landing.download("2013.csv").await?;
    let source = std::fs::read(workspace_root().join("data/climate/jfk/2013.csv"))?;
    assert!(
        browser.downloaded("2013.csv").await? == source,
        "the bytes differ from the source"
    );

    // The group's dataset, which alice may see (and the only one with years in the 1990s):
    // a year with gaps, and no precipitation.
    let search = DatasetsPage::open(&browser, portal.url(), "q=Clemson").await?;
    assert_eq!(search.result_ids().await?, ["ceu"]);
    let search = DatasetsPage::open(&browser, portal.url(), "").await?;
    search.filter_years(1990, 2000).await?;
    assert_eq!(search.result_ids().await?, ["ceu"]);
    search.select("ceu").await?;
    nav.wait_selection_count(2).await?;
    search.open_result("ceu").await?;
    landing.choose_preview_year(1962).await?;
    let gappy = PreviewFacts {
        points: 335,
        missing: "30 days missing".to_owned(),
    };
    assert_eq!(landing.preview(1962).await?, gappy);
    assert!(landing.says_no_precipitation().await?);
    check_accessibility(&browser, "the CEU landing page").await?;
    // Its 91 yearly files, fifty to a page.
    landing.wait_listing("").await?;
    assert_eq!(landing.entries().await?.len(), 50);
    assert_eq!(landing.file_pages().await?, "Page 1 of 2");
    landing.next_file_page().await?;
    let second = landing.entries().await?;
    assert_eq!(
        (second.len(), second.last().map(String::as_str)),
        (41, Some("2020.csv"))
    );

    // The selection survives a reload.
    browser.reload().await?;
    landing.title().await?;
    assert_eq!(nav.selection_count().await?, 2);

    // A dataset whose folder has folders: down two levels and back up.
    browser
        .goto(&format!("{}/datasets/{NESTED_ID}", portal.url()))
        .await?;
    landing.wait_listing("").await?;
    assert_eq!(landing.entries().await?, ["a", "top.csv"]);
    landing.open_folder("a").await?;
    assert_eq!(landing.entries().await?, ["b"]);
    landing.open_folder("a/b").await?;
    assert_eq!(landing.entries().await?, ["deep.csv"]);
    check_accessibility(&browser, "a nested folder").await?;
    landing.open_top_folder().await?;
    assert_eq!(landing.entries().await?, ["a", "top.csv"]);

    browser.close().await
}

#[tokio::test]
async fn bob_finds_no_trace_of_the_group_dataset() -> anyhow::Result<()> {
    let portal = Portal::start().await?;
    let browser = Browser::launch().await?;
    sign_in_with_profile(&browser, &portal, "bob@mrdp.local").await?;

    let search = DatasetsPage::open(&browser, portal.url(), "q=Clemson").await?;
    assert!(search.shows_empty_state().await?);
    check_accessibility(&browser, "an empty search").await?;

    browser
        .goto(&format!("{}/datasets/ceu", portal.url()))
        .await?;
    assert!(DatasetPage::new(&browser).says_not_found().await?);
    check_accessibility(&browser, "an unknown dataset").await?;
    browser
        .screenshot(&screenshot_dir().join("dataset-not-found.png"))
        .await?;

    browser.close().await
}
