//! A job's RO-Crate: every part it lists is described, with the size of its bytes and a SHA-256
//! that `sha256sum` (another implementation) agrees with; the action links the inputs, the
//! parameters, the software and the outputs.

use crate::station_year;
use mrdp_graph::charts::station_year as charts_of;
use mrdp_graph::provenance::{Input, Output, Provenance, sha256_hex};
use mrdp_shared::daily_weather::DailyWeather;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

/// What `sha256sum` says of `bytes`.
fn sha256sum(bytes: &[u8]) -> String {
    let mut child = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// The entity of `graph` with `@id` `id`.
fn entity<'a>(graph: &'a [Value], id: &str) -> &'a Value {
    graph
        .iter()
        .find(|e| e["@id"] == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["@id"].as_str().unwrap())
        .collect()
}

#[test]
fn a_jobs_crate_describes_its_input_parameters_software_and_every_output() {
    let csv = station_year("sea", 2012);
    let charts = charts_of("SEA", &DailyWeather::parse(2012, &csv)).unwrap();
    let mut outputs = Vec::new();
    for chart in &charts {
        outputs.push(Output {
            name: format!("{}.svg", chart.name),
            media_type: "image/svg+xml",
            bytes: chart.svg.as_bytes(),
        });
        outputs.push(Output {
            name: format!("{}.png", chart.name),
            media_type: "image/png",
            bytes: &chart.png,
        });
    }
    let url = "https://data.example.org/catalog/sea/2012.csv";
    let provenance = Provenance {
        job: "j-1".into(),
        description: "SEA 2012: monthly precipitation, temperature and daily highs".into(),
        parameters: vec![
            ("datasets", json!(["sea"])),
            ("from_year", json!(2012)),
            ("to_year", json!(2012)),
        ],
        inputs: vec![Input {
            url: url.into(),
            size: csv.len() as u64,
            sha256: sha256_hex(csv.as_bytes()),
        }],
        outputs,
        started: "2026-12-05T04:00:00+00:00".into(),
        ended: "2026-12-05T04:00:01+00:00".into(),
    };
    let crate_json = provenance.ro_crate();
    assert_eq!(
        crate_json["@context"],
        "https://w3id.org/ro/crate/1.1/context"
    );
    let graph = crate_json["@graph"].as_array().unwrap();
    let descriptor = entity(graph, "ro-crate-metadata.json");
    assert_eq!(
        descriptor["conformsTo"]["@id"],
        "https://w3id.org/ro/crate/1.1"
    );
    assert_eq!(descriptor["about"]["@id"], "./");

    let root = entity(graph, "./");
    let parts = ids(&root["hasPart"]);
    assert_eq!(
        parts.len(),
        6 + provenance.inputs.len(),
        "three charts, as SVG and PNG, and the inputs"
    );
    assert!(
        provenance
            .inputs
            .iter()
            .all(|input| parts.contains(&input.url.as_str())),
        "every input is a part: {parts:?}"
    );
    for (part, output) in parts.iter().zip(&provenance.outputs) {
        let file = entity(graph, part);
        assert_eq!(file["@type"], "File");
        assert_eq!(
            file["contentSize"],
            output.bytes.len().to_string(),
            "{part}"
        );
        assert_eq!(file["sha256"], sha256sum(output.bytes), "{part}");
    }
    let input = entity(graph, url);
    assert_eq!(input["sha256"], sha256sum(csv.as_bytes()));
    assert_eq!(input["contentSize"], csv.len().to_string());

    let action = entity(graph, root["mentions"]["@id"].as_str().unwrap());
    assert_eq!(action["@type"], "CreateAction");
    assert_eq!(ids(&action["result"]), parts[..6]);
    let object = ids(&action["object"]);
    assert_eq!(object[0], url);
    assert_eq!(entity(graph, object[2])["value"], 2012, "from_year");
    let software = entity(graph, action["instrument"]["@id"].as_str().unwrap());
    assert_eq!(software["@type"], "SoftwareApplication");
    assert_eq!(software["version"], env!("CARGO_PKG_VERSION"));
}
