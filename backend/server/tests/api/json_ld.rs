//! Each dataset as a schema.org `Dataset` in JSON-LD: from the API with
//! `Accept: application/ld+json`, and in the HTML of its landing page (no sign-in: search engines
//! index it), whose coordinates, years and variables are the catalog's. A group's dataset is
//! described to nobody outside it.

use crate::datasets::researcher;
use crate::harness::{TestApp, catalog_dir};
use mrdp_shared::StoreBackend;
use serde_json::Value;

/// The catalog file's entry `id`.
fn entry(id: &str) -> Value {
    let text = std::fs::read_to_string(catalog_dir().join("catalog.json")).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    file["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["id"] == id)
        .unwrap()
        .clone()
}

/// The JSON-LD of a page's `<script type="application/ld+json">`, if it has one.
fn embedded(html: &str) -> Option<Value> {
    let start = html.find("<script type=\"application/ld+json\">")?;
    let json = &html[start..];
    let json = &json[json.find('>')? + 1..json.find("</script>")?];
    Some(serde_json::from_str(json).unwrap())
}

#[tokio::test]
async fn a_dataset_is_a_schema_org_dataset_in_the_api_and_in_its_landing_page() {
    let app = TestApp::spawn(StoreBackend::Sqlite).await;
    let alice = researcher(&app, "alice").await;
    let response = alice
        .get(app.url("/api/datasets/ewr"))
        .header("accept", "application/ld+json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/ld+json");
    let described: Value = response.json().await.unwrap();
    assert_eq!(described["@context"], "https://schema.org/");
    assert_eq!(described["@type"], "Dataset");
    let ewr = entry("ewr");
    let at = &ewr["station"]["coordinates"];
    let geo = &described["spatialCoverage"]["geo"];
    for (ours, theirs) in [
        ("latitude", "latitude"),
        ("longitude", "longitude"),
        ("elevation", "elevation_m"),
    ] {
        assert_eq!(geo[ours], at[theirs], "{ours}");
    }
    assert_eq!(described["temporalCoverage"], "2013/2013");
    let measured: Vec<&Value> = described["variableMeasured"]
        .as_array()
        .unwrap()
        .iter()
        .map(|variable| &variable["name"])
        .collect();
    let catalog: Vec<&Value> = ewr["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["name"])
        .collect();
    assert_eq!(measured, catalog);

    // The landing page's HTML carries the same, to anyone (a crawler has no session).
    let page = reqwest::get(app.url("/datasets/ewr")).await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(embedded(&page.text().await.unwrap()), Some(described));

    // Nothing of the group's dataset, nor of an unknown one: the web app as on any route.
    for hidden in ["/datasets/ceu", "/datasets/nope"] {
        let html = reqwest::get(app.url(hidden))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(embedded(&html), None, "{hidden}");
        assert!(!html.contains("Clemson"), "{hidden}");
    }
    app.stop().await;
}
