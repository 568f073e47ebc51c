//! Copying one file between storages: read in large blocks, written to a hidden file at the
//! destination, the source hashed (MD5, as Globus verifies by default) while it is read and the
//! destination read back and hashed before the file is renamed into place.

use crate::paths::CollectionPath;
use crate::storage::StorageError;
use crate::storage::local::LocalStorage;
use md5::Md5;
use sha2::digest::DynDigest;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom, Write};

/// Bytes per read and write.
const BLOCK: usize = 4 << 20;

/// What one copy did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Copied {
    pub bytes: u64,
    /// Bytes whose checksum was verified (all of them when verifying).
    pub checksummed: u64,
}

/// Why a copy failed.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the destination's checksum differs from the source's")]
    ChecksumMismatch,
}

/// The checksums a copy can be verified with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// Globus's default.
    Md5,
    Sha256,
}

impl Algorithm {
    /// Reads a transfer item's `checksum_algorithm` (absent: MD5).
    pub fn parse(name: Option<&str>) -> Option<Self> {
        match name.map(str::to_ascii_uppercase).as_deref() {
            None | Some("MD5") => Some(Self::Md5),
            Some("SHA256" | "SHA-256" | "SHA2") => Some(Self::Sha256),
            _ => None,
        }
    }

    /// The name stored with a task's files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha256 => "SHA256",
        }
    }

    fn hasher(self) -> Box<dyn DynDigest + Send> {
        match self {
            Self::Md5 => Box::new(Md5::new()),
            Self::Sha256 => Box::new(Sha256::new()),
        }
    }
}

/// The checksum of everything `reader` gives.
pub fn digest_of(reader: &mut impl Read, algorithm: Algorithm) -> std::io::Result<Vec<u8>> {
    let mut hasher = algorithm.hasher();
    let mut block = vec![0_u8; BLOCK];
    loop {
        let read = reader.read(&mut block)?;
        if read == 0 {
            return Ok(hasher.finalize().to_vec());
        }
        hasher.update(&block[..read]);
    }
}

/// Streams `source` into `destination` (block by block, hashing when `verify`); answers the
/// bytes copied and the source's digest.
fn stream(
    source: &mut std::fs::File,
    destination: &mut std::fs::File,
    verify: Option<Algorithm>,
) -> std::io::Result<(u64, Option<Vec<u8>>)> {
    let mut hasher = verify.map(Algorithm::hasher);
    let mut block = vec![0_u8; BLOCK];
    let mut copied = 0_u64;
    loop {
        let read = source.read(&mut block)?;
        if read == 0 {
            break;
        }
        if let Some(hasher) = hasher.as_mut() {
            hasher.update(&block[..read]);
        }
        destination.write_all(&block[..read])?;
        copied += read as u64;
    }
    Ok((copied, hasher.map(|h| h.finalize().to_vec())))
}

/// One file to copy: from where to where, under which temporary name.
#[derive(Debug)]
pub struct Job<'a> {
    pub source: &'a LocalStorage,
    pub from: &'a CollectionPath,
    pub destination: &'a LocalStorage,
    pub to: &'a CollectionPath,
    /// Names the temporary file, the same for every attempt at this copy.
    pub tag: &'a str,
    /// The checksum to verify the copy with; `None`: not verified.
    pub verify: Option<Algorithm>,
}

/// Copies a file; the destination file appears whole and verified, or not at all.
pub async fn copy(job: &Job<'_>) -> Result<Copied, CopyError> {
    let (to, verify) = (job.to, job.verify);
    let (mut reader, _) = job.source.open_read(job.from).await?;
    let partial = job.destination.create_partial_tagged(to, job.tag).await?;
    let io = |e: std::io::Error| CopyError::Storage(StorageError::from_io(to, e));
    let writer = match partial.file.try_clone().await {
        Ok(handle) => handle.into_std().await,
        Err(e) => {
            partial.abort().await;
            return Err(io(e));
        }
    };
    let outcome = tokio::task::spawn_blocking(move || -> std::io::Result<(u64, bool)> {
        let mut writer = writer;
        let (bytes, digest) = stream(&mut reader, &mut writer, verify)?;
        let Some(expected) = digest else {
            return Ok((bytes, true));
        };
        // Read back what was written (the same file, not a cache of the source).
        writer.seek(SeekFrom::Start(0))?;
        let algorithm = verify.unwrap_or(Algorithm::Md5);
        Ok((bytes, digest_of(&mut writer, algorithm)? == expected))
    })
    .await
    .unwrap_or_else(|e| Err(std::io::Error::other(e)));
    match outcome {
        Ok((bytes, true)) => {
            partial.commit().await?;
            Ok(Copied {
                bytes,
                checksummed: if verify.is_some() { bytes } else { 0 },
            })
        }
        Ok((_, false)) => {
            partial.abort().await;
            Err(CopyError::ChecksumMismatch)
        }
        Err(e) => {
            partial.abort().await;
            Err(io(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn checksums_match_the_published_test_vectors() {
        let md5 = digest_of(&mut &b"abc"[..], Algorithm::Md5).unwrap();
        assert_eq!(hex(&md5), "900150983cd24fb0d6963f7d28e17f72");
        let sha256 = digest_of(&mut &b"abc"[..], Algorithm::Sha256).unwrap();
        assert_eq!(
            hex(&sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn algorithms_are_named_as_clients_write_them() {
        assert_eq!(Algorithm::parse(None), Some(Algorithm::Md5));
        assert_eq!(Algorithm::parse(Some("sha256")), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::parse(Some("SHA-256")), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::parse(Some("CRC32")), None);
        assert_eq!(
            Algorithm::parse(Some(Algorithm::Sha256.as_str())),
            Some(Algorithm::Sha256)
        );
    }
}
