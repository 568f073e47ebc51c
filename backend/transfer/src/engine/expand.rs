//! A transfer task's items expanded into its files, once: a file item is one file; a directory
//! item (with `recursive`) is walked, each directory made at the destination. Each item and each
//! directory is walked only while the task's submitter may still read it at the source and write
//! it at the destination (an item or a directory no longer allowed is recorded as a failed entry,
//! with its event, and not looked into). Symbolic links met in a walk are not followed (Globus's
//! `recursive_symlinks: ignore`).

use super::checksum::Algorithm;
use super::transfer::{parse, storage_fatal};
use super::{Engine, Fatal, fatal};
use crate::paths::CollectionPath;
use crate::storage::EntryKind;
use crate::task_files::{self, Failure, Found};
use crate::tasks::Task;
use mrdp_globus::tasks::TransferRequest;

/// What an expansion found so far.
#[derive(Default)]
struct Expansion {
    files: Vec<Found>,
    directories: i64,
}

impl Engine {
    /// Lists every file the items name, once.
    pub(super) async fn expand(&self, task: &Task, request: &TransferRequest) -> Result<(), Fatal> {
        let mut found = Expansion::default();
        for item in &request.data {
            let (from, to) = (parse(&item.source_path)?, parse(&item.destination_path)?);
            let algorithm = Algorithm::parse(item.checksum_algorithm.as_deref())
                .ok_or_else(|| fatal("INVALID_CHECKSUM_ALGORITHM", "MD5, SHA256 or BLAKE3"))?
                .as_str();
            let file = |from: &CollectionPath, to: &CollectionPath, size: u64, failure| Found {
                source_path: from.to_string(),
                destination_path: to.to_string(),
                size: i64::try_from(size).unwrap_or(i64::MAX),
                checksum_algorithm: algorithm,
                failure,
            };
            let denied = Some(Failure::PermissionDenied);
            let rights = self.rights(task).await?;
            if !self.allowed(task, &rights, &from, &to).await? {
                found.files.push(file(&from, &to, 0, denied));
                continue;
            }
            let entry = rights
                .source()
                .stat(&from)
                .await
                .map_err(|e| storage_fatal(&from, &e))?;
            if entry.kind != EntryKind::Dir {
                // The folders the file goes into are made, as Globus makes them.
                if let Some(folder) = to.parent() {
                    rights
                        .destination()
                        .mkdir_all(&folder)
                        .await
                        .map_err(|e| storage_fatal(&folder, &e))?;
                }
                found.files.push(file(&from, &to, entry.size, None));
                continue;
            }
            if !item.recursive {
                return Err(fatal(
                    "NOT_A_FILE",
                    format!("{from} is a directory: submit it with recursive"),
                ));
            }
            let mut walk = vec![(from, to)];
            while let Some((from, to)) = walk.pop() {
                let rights = self.rights(task).await?;
                if !self.allowed(task, &rights, &from, &to).await? {
                    found.files.push(file(&from, &to, 0, denied));
                    continue;
                }
                rights
                    .destination()
                    .mkdir_all(&to)
                    .await
                    .map_err(|e| storage_fatal(&to, &e))?;
                found.directories += 1;
                let entries = rights
                    .source()
                    .list(&from, true)
                    .await
                    .map_err(|e| storage_fatal(&from, &e))?;
                for entry in entries {
                    if !entry.name_is_utf8 {
                        let about = format!("{from}: `{}` is not a UTF-8 name", entry.name);
                        self.failed(task, Failure::InvalidName, &about).await?;
                        let (lossy, target) = (from.join(&entry.name), to.join(&entry.name));
                        if let (Ok(lossy), Ok(target)) = (lossy, target) {
                            let invalid = Some(Failure::InvalidName);
                            found.files.push(file(&lossy, &target, 0, invalid));
                        }
                        continue;
                    }
                    let (child, target) = (
                        from.join(&entry.name)
                            .map_err(|e| fatal("INVALID_PATH", e.to_string()))?,
                        to.join(&entry.name)
                            .map_err(|e| fatal("INVALID_PATH", e.to_string()))?,
                    );
                    match entry.kind {
                        _ if entry.symlink => {}
                        EntryKind::Dir => walk.push((child, target)),
                        EntryKind::File => {
                            found.files.push(file(&child, &target, entry.size, None));
                        }
                        EntryKind::InvalidSymlink | EntryKind::Other => {}
                    }
                }
            }
        }
        task_files::expand(&self.store, &task.id, &found.files, found.directories).await?;
        Ok(())
    }
}
