//! A job's provenance as an RO-Crate 1.1 (`ro-crate-metadata.json`, written beside its charts):
//! the inputs (their URLs, sizes and SHA-256), the parameters, the software and its version, the
//! outputs and when it ran, as one `CreateAction` whose `object` is the inputs and whose `result`
//! is the outputs.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The RO-Crate 1.1 JSON-LD context and profile.
const CONTEXT: &str = "https://w3id.org/ro/crate/1.1/context";
const PROFILE: &str = "https://w3id.org/ro/crate/1.1";
/// The software's entity id.
const SOFTWARE: &str = "#mrdp-graph";

/// A file the job read: where from, how large, and its SHA-256 (hex) as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub url: String,
    pub size: u64,
    pub sha256: String,
}

/// A file the job wrote, by its name in the job's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output<'a> {
    pub name: String,
    /// `image/svg+xml`, `image/png`.
    pub media_type: &'static str,
    pub bytes: &'a [u8],
}

/// What the crate describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance<'a> {
    pub job: String,
    /// What the job's folder holds, in words.
    pub description: String,
    /// The request's parameters, by name (`datasets`, `from_year`…), as given.
    pub parameters: Vec<(&'static str, Value)>,
    pub inputs: Vec<Input>,
    pub outputs: Vec<Output<'a>>,
    /// RFC 3339.
    pub started: String,
    pub ended: String,
}

/// The hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Provenance<'_> {
    /// `ro-crate-metadata.json`.
    pub fn ro_crate(&self) -> Value {
        let ids = |ids: Vec<String>| -> Vec<Value> {
            ids.into_iter().map(|id| json!({ "@id": id })).collect()
        };
        let outputs: Vec<String> = self.outputs.iter().map(|o| o.name.clone()).collect();
        let inputs: Vec<String> = self.inputs.iter().map(|i| i.url.clone()).collect();
        let parameters: Vec<String> = self
            .parameters
            .iter()
            .map(|(name, _)| format!("#parameter-{name}"))
            .collect();
        let mut graph = vec![
            json!({
                "@id": "ro-crate-metadata.json",
                "@type": "CreativeWork",
                "conformsTo": { "@id": PROFILE },
                "about": { "@id": "./" },
            }),
            json!({
                "@id": "./",
                "@type": "Dataset",
                "name": format!("Graphs of job {}", self.job),
                "description": self.description,
                "datePublished": self.ended,
                // Every data entity, the remote inputs too (RO-Crate 1.1: reachable from the
                // root through `hasPart`).
                "hasPart": ids(outputs.iter().chain(&inputs).cloned().collect()),
                "mentions": { "@id": format!("#job-{}", self.job) },
            }),
            json!({
                "@id": SOFTWARE,
                "@type": "SoftwareApplication",
                "name": "MRDP graph service",
                "version": env!("CARGO_PKG_VERSION"),
            }),
            json!({
                "@id": format!("#job-{}", self.job),
                "@type": "CreateAction",
                "name": format!("Job {}", self.job),
                "instrument": { "@id": SOFTWARE },
                "object": ids(inputs.into_iter().chain(parameters).collect()),
                "result": ids(outputs),
                "startTime": self.started,
                "endTime": self.ended,
            }),
        ];
        graph.extend(self.parameters.iter().map(|(name, value)| {
            json!({
                "@id": format!("#parameter-{name}"),
                "@type": "PropertyValue",
                "name": name,
                "value": value,
            })
        }));
        graph.extend(self.inputs.iter().map(|input| {
            json!({
                "@id": input.url,
                "@type": "File",
                "encodingFormat": "text/csv",
                "contentSize": input.size.to_string(),
                "sha256": input.sha256,
            })
        }));
        graph.extend(self.outputs.iter().map(|output| {
            json!({
                "@id": output.name,
                "@type": "File",
                "encodingFormat": output.media_type,
                "contentSize": output.bytes.len().to_string(),
                "sha256": sha256_hex(output.bytes),
            })
        }));
        json!({ "@context": CONTEXT, "@graph": graph })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_of_nothing_is_the_known_one() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
