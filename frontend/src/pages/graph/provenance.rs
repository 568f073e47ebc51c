//! A job's provenance, readable: its RO-Crate (`ro-crate-metadata.json`, read through its signed
//! URL) as the software that made the charts, when, with which parameters, from which files
//! (each with its size and SHA-256); and the record itself to download.

use crate::api;
use crate::components::ErrorPanel;
use crate::size::size_text;
use leptos::prelude::*;
use mrdp_shared::GraphFileLink;
use serde_json::Value;

/// What the crate says, as the page shows it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Record {
    software: String,
    started: String,
    ended: String,
    /// (name, value as written).
    parameters: Vec<(String, String)>,
    /// (URL, size in bytes, SHA-256).
    inputs: Vec<(String, u64, String)>,
}

/// Reads the crate's graph (what it cannot read is left out rather than failing the page).
fn record(text: &str) -> Record {
    let crate_json: Value = serde_json::from_str(text).unwrap_or_default();
    let graph = crate_json["@graph"].as_array().cloned().unwrap_or_default();
    let of_type = |kind: &'static str| graph.iter().filter(move |e| e["@type"] == kind);
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    let mut record = Record::default();
    if let Some(software) = of_type("SoftwareApplication").next() {
        record.software = format!("{} {}", text(&software["name"]), text(&software["version"]));
    }
    if let Some(action) = of_type("CreateAction").next() {
        record.started = text(&action["startTime"]).replace('T', " ");
        record.ended = text(&action["endTime"]).replace('T', " ");
    }
    record.parameters = of_type("PropertyValue")
        .map(|p| (text(&p["name"]), text(&p["value"])))
        .collect();
    record.inputs = of_type("File")
        .filter(|f| f["@id"].as_str().is_some_and(|id| id.starts_with("http")))
        .map(|f| {
            let size = text(&f["contentSize"]).parse().unwrap_or(0);
            (text(&f["@id"]), size, text(&f["sha256"]))
        })
        .collect();
    record
}

/// The last part of a URL's path (`2013.csv`), with its folder (`sea/2013.csv`).
fn short_name(url: &str) -> String {
    let mut parts = url.rsplit('/');
    match (parts.next(), parts.next()) {
        (Some(file), Some(folder)) => format!("{folder}/{file}"),
        _ => url.to_owned(),
    }
}

#[component]
pub fn ProvenanceRecord(name: String, links: Vec<GraphFileLink>) -> impl IntoView {
    let url = links.into_iter().find(|l| l.name == name).map(|l| l.url);
    let crate_text = LocalResource::new({
        let url = url.clone();
        move || {
            let url = url.clone();
            async move {
                match url {
                    Some(url) => api::read_signed(&url).await.map(|text| record(&text)),
                    None => Ok(Record::default()),
                }
            }
        }
    });
    view! {
        <section class="card provenance" data-testid="graph-provenance">
            <h2>"Provenance"</h2>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Reading the provenance record…"</p> }>
                {move || Suspend::new(async move {
                    match crate_text.await {
                        Ok(record) => view! {
                            <p>{format!("Drawn by {} from {} to {}.", record.software, record.started, record.ended)}</p>
                            <dl class="facts">
                                {record.parameters.into_iter().map(|(name, value)| view! { <dt>{name}</dt><dd>{value}</dd> }).collect_view()}
                            </dl>
                            <table class="files" data-testid="provenance-inputs">
                                <caption>"Files read, as you"</caption>
                                <thead><tr><th scope="col">"File"</th><th scope="col">"Size"</th><th scope="col">"SHA-256"</th></tr></thead>
                                <tbody>
                                    {record.inputs.into_iter().map(|(url, size, sha256)| view! {
                                        <tr><td title=url.clone()>{short_name(&url)}</td><td>{size_text(size)}</td><td class="checksum" title=sha256.clone()>{sha256.get(..16).unwrap_or(&sha256).to_owned()}"…"</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(failure) => view! { <ErrorPanel failure /> }.into_any(),
                    }
                })}
            </Suspense>
            {url.map(|url| view! { <p><a href=url download="ro-crate-metadata.json" data-testid="download-provenance">"Download the record (RO-Crate 1.1, JSON-LD)"</a></p> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_reads_as_software_times_parameters_and_inputs() {
        let text = r##"{"@graph": [
            {"@id": "#mrdp-graph", "@type": "SoftwareApplication", "name": "MRDP graph service", "version": "0.1.0"},
            {"@id": "#job-1", "@type": "CreateAction", "startTime": "2026-12-05T06:00:00+00:00", "endTime": "2026-12-05T06:00:02+00:00"},
            {"@id": "#parameter-from_year", "@type": "PropertyValue", "name": "from_year", "value": 2013},
            {"@id": "https://data/c/sea/2013.csv", "@type": "File", "contentSize": "9000", "sha256": "ab"},
            {"@id": "SEA-2013-precipitation.svg", "@type": "File", "contentSize": "1", "sha256": "cd"}
        ]}"##;
        let record = record(text);
        assert_eq!(record.software, "MRDP graph service 0.1.0");
        assert_eq!(record.started, "2026-12-05 06:00:00+00:00");
        assert_eq!(
            record.parameters,
            [("from_year".to_owned(), "2013".to_owned())]
        );
        assert_eq!(
            record.inputs,
            [(
                "https://data/c/sea/2013.csv".to_owned(),
                9000,
                "ab".to_owned()
            )]
        );
        assert_eq!(short_name(&record.inputs[0].0), "sea/2013.csv");
        assert_eq!(super::record("not json"), Record::default());
    }
}
