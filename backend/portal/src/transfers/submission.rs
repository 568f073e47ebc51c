//! What a researcher submits, checked and turned into the transfer service's submission: whole
//! catalog datasets (each folder into a folder of its id under the destination), or items of a
//! collection. What is wrong is said in words before anything is submitted.

use crate::PortalError;
use crate::auth::session::Session;
use crate::catalog::live::Snapshot;
use crate::catalog::routes::readable;
use mrdp_globus::dates::{iso_time, parse_time};
use mrdp_shared::{TransferItem, TransferSubmission};
use serde_json::{Value, json};

/// The most items (datasets or files and folders) one submission takes.
pub const MOST_ITEMS: usize = 1000;
const ALGORITHMS: [&str; 3] = ["MD5", "SHA256", "BLAKE3"];

/// A submission checked: where from, and each item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub source_collection: String,
    pub items: Vec<TransferItem>,
}

fn bad(message: impl Into<String>) -> PortalError {
    PortalError::BadRequest(message.into())
}

/// Checks `submission` and says what to copy; a dataset the researcher may not read is a 404, as
/// an unknown one.
pub fn plan(
    submission: &TransferSubmission,
    snapshot: &Snapshot,
    session: &Session,
    catalog_collection: &str,
) -> Result<Planned, PortalError> {
    let count = submission.datasets.len() + submission.items.len();
    if count == 0 {
        return Err(bad(
            "nothing to transfer: select at least one dataset, file or folder",
        ));
    }
    if count > MOST_ITEMS {
        return Err(bad(format!(
            "at most {MOST_ITEMS} datasets, files or folders in one transfer"
        )));
    }
    let destination = &submission.destination_path;
    if !destination.starts_with('/') || destination.split('/').any(|name| name == "..") {
        return Err(bad(
            "destination_path: an absolute folder of the destination, such as /incoming/",
        ));
    }
    check_options(submission)?;
    let folder = destination.trim_end_matches('/');
    match (
        &submission.source_collection,
        submission.datasets.is_empty(),
    ) {
        (None, false) if submission.items.is_empty() => {
            let mut items = Vec::with_capacity(submission.datasets.len());
            for id in &submission.datasets {
                let dataset = readable(snapshot, id, session)?;
                let item = TransferItem {
                    source_path: format!("/{}/", dataset.entry.folder),
                    destination_path: format!("{folder}/{id}/"),
                    recursive: true,
                };
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            Ok(Planned {
                source_collection: catalog_collection.to_owned(),
                items,
            })
        }
        (Some(source), true) => Ok(Planned {
            source_collection: source.clone(),
            items: submission.items.clone(),
        }),
        (None, true) => Err(bad("source_collection: the collection the items are in")),
        _ => Err(bad(
            "send datasets, or source_collection with items, not both",
        )),
    }
}

fn check_options(submission: &TransferSubmission) -> Result<(), PortalError> {
    if let Some(label) = &submission.label
        && (label.chars().count() > 128 || label.chars().any(char::is_control))
    {
        return Err(bad("label: at most 128 characters, no control characters"));
    }
    if submission.sync_level.is_some_and(|level| level > 3) {
        return Err(bad(
            "sync_level: 0 (exists), 1 (size), 2 (modification time) or 3 (checksum)",
        ));
    }
    if let Some(algorithm) = &submission.checksum_algorithm
        && !ALGORITHMS.contains(&algorithm.as_str())
    {
        return Err(bad("checksum_algorithm: MD5, SHA256 or BLAKE3"));
    }
    if let Some(deadline) = &submission.deadline
        && parse_time(deadline).is_none()
    {
        return Err(bad(
            "deadline: a UTC date and time, such as 2027-01-31T12:00:00Z",
        ));
    }
    Ok(())
}

/// The transfer service's submission (`DATA_TYPE` `transfer`) of `planned`.
pub fn request(planned: &Planned, submission: &TransferSubmission, submission_id: &str) -> Value {
    let items: Vec<Value> = planned
        .items
        .iter()
        .map(|item| {
            let mut document = json!({
                "DATA_TYPE": "transfer_item",
                "source_path": item.source_path,
                "destination_path": item.destination_path,
                "recursive": item.recursive,
            });
            if let Some(algorithm) = &submission.checksum_algorithm {
                document["checksum_algorithm"] = algorithm.as_str().into();
            }
            document
        })
        .collect();
    let mut document = json!({
        "DATA_TYPE": "transfer",
        "submission_id": submission_id,
        "source_endpoint": planned.source_collection,
        "destination_endpoint": submission.destination_collection,
        "verify_checksum": submission.verify_checksum.unwrap_or(true),
        "DATA": items,
    });
    if let Some(label) = &submission.label {
        document["label"] = label.as_str().into();
    }
    if let Some(level) = submission.sync_level {
        document["sync_level"] = level.into();
    }
    if let Some(preserve) = submission.preserve_timestamp {
        document["preserve_timestamp"] = preserve.into();
    }
    if let Some(at) = submission.deadline.as_deref().and_then(parse_time) {
        document["deadline"] = iso_time(at).into();
    }
    document
}
