//! Files on disk as the tests look at them: every file under a folder, and a folder's files copied
//! into another (a backup, or an upload into a bucket that `s3s-fs` keeps as files).

use std::path::Path;

/// Every file under `dir`, relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// Copies every file under `from` to the same place under `to`, making the folders it needs.
pub fn copy_tree(from: &Path, to: &Path) {
    for name in files_under(from) {
        let target = to.join(&name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&name), target).unwrap();
    }
}
