//! Opened storages, by storage URL, so that a request does not reopen a collection's root.

use super::DataError;
use crate::storage::local::LocalStorage;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct StorageCache {
    opened: Mutex<HashMap<String, LocalStorage>>,
}

impl StorageCache {
    /// The storage at `url` (`file:///abs/dir`), opened on first use.
    pub fn get(&self, url: &str) -> Result<LocalStorage, DataError> {
        let mut opened = self
            .opened
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(storage) = opened.get(url) {
            return Ok(storage.clone());
        }
        let Some(dir) = url
            .strip_prefix("file://")
            .filter(|dir| dir.starts_with('/'))
        else {
            return Err(DataError::Misconfigured(format!(
                "`{url}` is not a file:///absolute/path storage URL"
            )));
        };
        let storage = LocalStorage::open(Path::new(dir))
            .map_err(|e| DataError::Misconfigured(format!("{url}: {e}")))?;
        opened.insert(url.to_owned(), storage.clone());
        Ok(storage)
    }
}
