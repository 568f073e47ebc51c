//! The top of the catalog collection, as the file manager lists it. Its access rules are one per
//! dataset folder, none on `/` itself, so the transfer service refuses to list `/` (as Globus
//! does); the portal knows which datasets the researcher may read, and lists their folders.

use crate::auth::session::Session;
use crate::catalog::live::Snapshot;
use crate::catalog::routes::may_read;
use mrdp_shared::{FileEntry, FileKind, FolderListing};
use std::collections::BTreeSet;

/// One page of the catalog's top folders that `session` may read, by name.
pub fn listing(
    snapshot: &Snapshot,
    session: &Session,
    (page, per_page, offset): (u32, u32, usize),
    descending: bool,
) -> FolderListing {
    let folders: BTreeSet<&str> = snapshot
        .datasets
        .values()
        .filter(|dataset| may_read(dataset, session))
        .filter_map(|dataset| dataset.entry.folder.split('/').find(|s| !s.is_empty()))
        .collect();
    let total = folders.len() as u64;
    let ordered: Box<dyn Iterator<Item = &&str>> = if descending {
        Box::new(folders.iter().rev())
    } else {
        Box::new(folders.iter())
    };
    FolderListing {
        path: "/".to_owned(),
        entries: ordered
            .skip(offset)
            .take(per_page as usize)
            .map(|name| FileEntry {
                name: (*name).to_owned(),
                kind: FileKind::Folder,
                size: 0,
                modified: String::new(),
            })
            .collect(),
        page,
        per_page,
        total,
    }
}
