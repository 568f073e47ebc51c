//! The checksums a copy is verified with: MD5 (Globus's default), SHA-256, and BLAKE3 (fast
//! enough to verify at the speed of the copy).

use crate::storage::Chunks;
use bytes::Bytes;
use futures_util::StreamExt;
use md5::Md5;
use sha2::{Digest, Sha256};

/// A transfer item's `checksum_algorithm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// Globus's default.
    Md5,
    Sha256,
    Blake3,
}

impl Algorithm {
    /// Reads a transfer item's `checksum_algorithm` (absent: MD5).
    pub fn parse(name: Option<&str>) -> Option<Self> {
        match name.map(str::to_ascii_uppercase).as_deref() {
            None | Some("MD5") => Some(Self::Md5),
            Some("SHA256" | "SHA-256" | "SHA2") => Some(Self::Sha256),
            Some("BLAKE3") => Some(Self::Blake3),
            _ => None,
        }
    }

    /// The name stored with a task's files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha256 => "SHA256",
            Self::Blake3 => "BLAKE3",
        }
    }

    pub fn hasher(self) -> Hasher {
        match self {
            Self::Md5 => Hasher::Md5(Md5::new()),
            Self::Sha256 => Hasher::Sha256(Sha256::new()),
            Self::Blake3 => Hasher::Blake3(Box::new(blake3::Hasher::new())),
        }
    }
}

/// A running checksum.
#[derive(Debug, Clone)]
pub enum Hasher {
    Md5(Md5),
    Sha256(Sha256),
    Blake3(Box<blake3::Hasher>),
}

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Md5(hasher) => hasher.update(bytes),
            Self::Sha256(hasher) => hasher.update(bytes),
            Self::Blake3(hasher) => {
                hasher.update(bytes);
            }
        }
    }

    pub fn finalize(self) -> Vec<u8> {
        match self {
            Self::Md5(hasher) => hasher.finalize().to_vec(),
            Self::Sha256(hasher) => hasher.finalize().to_vec(),
            Self::Blake3(hasher) => hasher.finalize().as_bytes().to_vec(),
        }
    }
}

/// The checksum of `bytes`.
pub fn digest(bytes: &[u8], algorithm: Algorithm) -> Vec<u8> {
    let mut hasher = algorithm.hasher();
    hasher.update(bytes);
    hasher.finalize()
}

/// Chunks waiting for a background hasher.
const HASH_QUEUE: usize = 4;

/// A hasher on a blocking thread, fed chunks from async code: hashing a large file (MD5 runs at
/// about 0.5 GB/s) never holds up the async workers that serve requests.
#[derive(Debug)]
pub struct BackgroundHasher {
    chunks: tokio::sync::mpsc::Sender<Bytes>,
    hashed: tokio::task::JoinHandle<Vec<u8>>,
}

impl BackgroundHasher {
    pub fn start(algorithm: Algorithm) -> Self {
        let (chunks, mut queued) = tokio::sync::mpsc::channel::<Bytes>(HASH_QUEUE);
        let hashed = tokio::task::spawn_blocking(move || {
            let mut hasher = algorithm.hasher();
            while let Some(chunk) = queued.blocking_recv() {
                hasher.update(&chunk);
            }
            hasher.finalize()
        });
        Self { chunks, hashed }
    }

    /// Hands `chunk` over (a cheap clone of a shared buffer), waiting while the queue is full.
    pub async fn update(&self, chunk: &Bytes) -> std::io::Result<()> {
        self.chunks
            .send(chunk.clone())
            .await
            .map_err(|_| std::io::Error::other("the hasher stopped"))
    }

    /// The checksum of everything handed over.
    pub async fn finalize(self) -> std::io::Result<Vec<u8>> {
        drop(self.chunks);
        self.hashed.await.map_err(std::io::Error::other)
    }
}

/// The checksum of a stream of chunks, hashed on a blocking thread.
pub async fn digest_chunks(mut chunks: Chunks, algorithm: Algorithm) -> std::io::Result<Vec<u8>> {
    let hasher = BackgroundHasher::start(algorithm);
    while let Some(chunk) = chunks.next().await {
        hasher.update(&chunk?).await?;
    }
    hasher.finalize().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// `"abc"`, in two chunks.
    fn abc() -> Chunks {
        let chunks = [Ok(Bytes::from_static(b"a")), Ok(Bytes::from_static(b"bc"))];
        futures_util::stream::iter(chunks).boxed()
    }

    #[tokio::test]
    async fn checksums_match_the_published_test_vectors() {
        let md5 = digest_chunks(abc(), Algorithm::Md5).await.unwrap();
        assert_eq!(hex(&md5), "900150983cd24fb0d6963f7d28e17f72");
        let sha256 = digest_chunks(abc(), Algorithm::Sha256).await.unwrap();
        assert_eq!(
            hex(&sha256),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(digest(b"abc", Algorithm::Md5), md5);
        let nothing = futures_util::stream::empty().boxed();
        let blake3 = digest_chunks(nothing, Algorithm::Blake3).await.unwrap();
        assert_eq!(
            hex(&blake3),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
    }

    #[test]
    fn algorithms_are_named_as_clients_write_them() {
        assert_eq!(Algorithm::parse(None), Some(Algorithm::Md5));
        assert_eq!(Algorithm::parse(Some("sha256")), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::parse(Some("SHA-256")), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::parse(Some("blake3")), Some(Algorithm::Blake3));
        assert_eq!(Algorithm::parse(Some("CRC32")), None);
        for algorithm in [Algorithm::Md5, Algorithm::Sha256, Algorithm::Blake3] {
            assert_eq!(Algorithm::parse(Some(algorithm.as_str())), Some(algorithm));
        }
    }
}
