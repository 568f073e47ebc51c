//! The top of the catalog collection, as the file manager lists it. Its access rules are one per
//! dataset folder, none on `/` itself, so the transfer service refuses to list `/` (as Globus
//! does); the portal knows which datasets the researcher may read, and lists their folders.

use crate::auth::session::Session;
use crate::catalog::live::Snapshot;
use crate::catalog::routes::may_read;
use mrdp_shared::{FileEntry, FileKind};
use std::collections::BTreeSet;

/// The catalog's top folders that `session` may read, by name.
pub fn folders(snapshot: &Snapshot, session: &Session, descending: bool) -> Vec<FileEntry> {
    let folders: BTreeSet<&str> = snapshot
        .datasets
        .values()
        .filter(|dataset| may_read(dataset, session))
        .filter_map(|dataset| dataset.entry.folder.split('/').find(|s| !s.is_empty()))
        .collect();
    let entry = |name: &&str| FileEntry {
        name: (*name).to_owned(),
        kind: FileKind::Folder,
        size: 0,
        modified: String::new(),
    };
    if descending {
        folders.iter().rev().map(entry).collect()
    } else {
        folders.iter().map(entry).collect()
    }
}
