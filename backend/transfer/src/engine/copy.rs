//! Copying one file between storages: read in large blocks, written to a hidden file at the
//! destination, the source hashed (MD5, as Globus verifies by default) while it is read and the
//! destination read back and hashed before the file is renamed into place.

use crate::paths::CollectionPath;
use crate::storage::StorageError;
use crate::storage::local::LocalStorage;
use md5::{Digest, Md5};
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

/// The MD5 of everything `reader` gives.
pub fn digest_of(reader: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut hasher = Md5::new();
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
    verify: bool,
) -> std::io::Result<(u64, Option<Vec<u8>>)> {
    let mut hasher = verify.then(Md5::new);
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
    pub verify: bool,
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
        Ok((bytes, digest_of(&mut writer)? == expected))
    })
    .await
    .unwrap_or_else(|e| Err(std::io::Error::other(e)));
    match outcome {
        Ok((bytes, true)) => {
            partial.commit().await?;
            Ok(Copied {
                bytes,
                checksummed: if verify { bytes } else { 0 },
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
