//! The data directory: created on first run, readable by its owner only.

use anyhow::Context;
use std::path::Path;

/// Creates `dir` (and its parents) if missing, and makes it private to its owner (0700):
/// it holds databases and generated secrets.
pub fn prepare(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("create the data directory {}", dir.display()))?;
    restrict_to_owner(dir).with_context(|| format!("restrict the data directory {}", dir.display()))
}

#[cfg(unix)]
fn restrict_to_owner(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn restrict_to_owner(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn creates_a_private_directory_and_is_idempotent() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("nested/var");
        prepare(&dir).unwrap();
        prepare(&dir).unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    #[test]
    fn a_file_in_the_way_is_an_error_naming_the_path() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("var");
        std::fs::write(&file, b"not a directory").unwrap();
        let error = format!("{:#}", prepare(&file).unwrap_err());
        assert!(error.contains("var"), "{error}");
    }
}
