//! Secrets generated on first run into the data directory (signing keys, client secrets).
//!
//! A secret file is created with mode 0600 and never overwritten; a later start reads it back.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// 256 random bits, URL-safe: tokens, codes, session ids, CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What a database keeps of a random token: its SHA-256, base64url. The values are 256-bit
/// random, so a fast hash is enough (no stretching needed).
pub fn digest(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("cannot read or write the secret file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot generate the secret {path}: {reason}")]
    Generate { path: String, reason: String },
}

/// Reads the secret at `path`, or creates it (and its directory) from `generate`, private to
/// the owner. Two processes racing to create it both end up with the one that was written first.
pub fn load_or_create<G, E>(path: &Path, generate: G) -> Result<Vec<u8>, SecretError>
where
    G: FnOnce() -> Result<Vec<u8>, E>,
    E: std::fmt::Display,
{
    let io = |source| SecretError::Io {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read(path) {
        Ok(secret) => {
            restrict_to_owner(path).map_err(io)?;
            return Ok(secret);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let secret = generate().map_err(|e| SecretError::Generate {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    match create_private(path) {
        Ok(mut file) => {
            file.write_all(&secret)
                .and_then(|()| file.sync_all())
                .map_err(io)?;
            Ok(secret)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => std::fs::read(path).map_err(io),
        Err(e) => Err(io(e)),
    }
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// A secret file readable by others is tightened rather than trusted as it is.
#[cfg(unix)]
fn restrict_to_owner(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!(path = %path.display(), "secret file was readable by others: mode set to 0600");
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict_to_owner(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_url_safe_and_digests_stable() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), digest(&b));
    }
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> Option<u32> {
        std::fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o777)
    }

    #[test]
    fn first_run_generates_a_private_file_and_later_runs_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets/key");
        let first = load_or_create(&path, || Ok::<_, String>(b"generated".to_vec())).unwrap();
        assert_eq!(first, b"generated");
        assert_eq!(mode(&path), Some(0o600));
        let again = load_or_create(&path, || Err::<Vec<u8>, _>("must not be called")).unwrap();
        assert_eq!(again, b"generated");
    }

    #[test]
    fn a_world_readable_secret_is_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        std::fs::write(&path, b"s").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        load_or_create(&path, || Ok::<_, String>(Vec::new())).unwrap();
        assert_eq!(mode(&path), Some(0o600));
    }

    #[test]
    fn generation_failure_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key");
        let error = load_or_create(&path, || Err::<Vec<u8>, _>("no entropy")).unwrap_err();
        assert!(error.to_string().contains("key") && error.to_string().contains("no entropy"));
        assert!(!path.exists());
    }
}
