//! The blocking part of a copy: bytes moved from the source file into the destination's partial
//! file, counted as they go, stopped between two blocks when the task is canceled, with the
//! destination's write-back started while copying (so that the final fsync has little left).
//!
//! Unverified copies stay in the kernel (`copy_file_range`, through `std::io::copy`). Verified
//! copies overlap the two checksums: one thread reads and hashes the source block by block, this
//! one writes the blocks, and a third reads the destination back right behind it and hashes that.

use super::checksum::Algorithm;
use super::watch::Attempt;
use crate::storage::local::with_write_back;
use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::FileExt;
use std::sync::mpsc;

/// Bytes per in-kernel copy step (progress and cancel are looked at between steps).
const STEP: u64 = 8 << 20;
/// Bytes per block of a verified copy (small enough to stay in cache between read, hash, write).
const BLOCK: usize = 1 << 20;
/// Blocks passed along between the threads of a verified copy.
const BLOCKS: usize = 8;

/// How a copy's streaming ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// Every byte copied; `verified` is false when the checksums differ.
    Whole {
        bytes: u64,
        verified: bool,
    },
    Canceled,
}

/// Copies without verifying.
pub fn plain(
    source: &mut impl Read,
    destination: &mut File,
    attempt: &Attempt,
) -> std::io::Result<Streamed> {
    let flushed = destination.try_clone()?;
    with_write_back(&flushed, |nudge| {
        let mut bytes = 0;
        loop {
            if attempt.canceled() {
                return Ok(Streamed::Canceled);
            }
            let step = std::io::copy(&mut Read::by_ref(source).take(STEP), destination)?;
            if step == 0 && attempt.canceled() {
                return Ok(Streamed::Canceled);
            }
            if step == 0 {
                return Ok(Streamed::Whole {
                    bytes,
                    verified: true,
                });
            }
            bytes += step;
            attempt.count(step);
            nudge();
        }
    })
}

/// Copies, hashing the source as it is read and the destination as it is read back: three
/// threads (read and hash, write, read back and hash) pass blocks along, so the two checksums and
/// the copy overlap.
pub fn verified(
    source: &mut (impl Read + Send),
    destination: &mut File,
    algorithm: Algorithm,
    attempt: &Attempt,
) -> std::io::Result<Streamed> {
    let (flushed, written) = (destination.try_clone()?, destination.try_clone()?);
    let (full, filled) = mpsc::sync_channel::<(Vec<u8>, usize)>(BLOCKS);
    let (empty, emptied) = mpsc::sync_channel::<Vec<u8>>(BLOCKS);
    for _ in 0..BLOCKS {
        // The channel has room for every block.
        let _ = empty.send(vec![0_u8; BLOCK]);
    }
    // The end of what is written so far, for the thread reading it back.
    let (wrote, to_check) = mpsc::sync_channel::<u64>(2 * BLOCKS);
    with_write_back(&flushed, |nudge| {
        std::thread::scope(|scope| {
            let checker = scope.spawn(move || read_back(&written, &to_check, algorithm));
            let reader =
                scope.spawn(move || read_and_hash(source, &emptied, &full, algorithm, attempt));
            let (mut bytes, mut nudged_at) = (0_u64, 0_u64);
            let copied = filled.iter().try_for_each(|(block, read)| {
                destination.write_all(&block[..read])?;
                bytes += read as u64;
                attempt.count(read as u64);
                // A checker that stopped has an error, reported at its join below.
                let _ = wrote.send(bytes);
                if bytes - nudged_at >= STEP {
                    nudged_at = bytes;
                    nudge();
                }
                // A reader that stopped no longer needs blocks.
                let _ = empty.send(block);
                Ok::<_, std::io::Error>(())
            });
            drop((wrote, empty, filled));
            let failed = || std::io::Error::other("a copy thread failed");
            let expected = reader.join().unwrap_or_else(|_| Err(failed()));
            let checked = checker.join().unwrap_or_else(|_| Err(failed()));
            copied?;
            match expected? {
                None => Ok(Streamed::Canceled),
                Some(_) if attempt.canceled() => Ok(Streamed::Canceled),
                Some(expected) => Ok(Streamed::Whole {
                    bytes,
                    verified: checked? == expected,
                }),
            }
        })
    })
}

/// Reads `source` into the blocks it is given and passes them on, hashing as it goes: the
/// source's checksum, or `None` when the task was canceled.
fn read_and_hash(
    source: &mut impl Read,
    emptied: &mpsc::Receiver<Vec<u8>>,
    full: &mpsc::SyncSender<(Vec<u8>, usize)>,
    algorithm: Algorithm,
    attempt: &Attempt,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut hasher = algorithm.hasher();
    while let Ok(mut block) = emptied.recv() {
        if attempt.canceled() {
            return Ok(None);
        }
        let read = source.read(&mut block)?;
        if read == 0 {
            return Ok(Some(hasher.finalize()));
        }
        hasher.update(&block[..read]);
        if full.send((block, read)).is_err() {
            break;
        }
    }
    Err(std::io::Error::other("the writer stopped"))
}

/// Hashes `file` from its start up to each end it is told, until told no more.
fn read_back(
    file: &File,
    ends: &mpsc::Receiver<u64>,
    algorithm: Algorithm,
) -> std::io::Result<Vec<u8>> {
    let mut hasher = algorithm.hasher();
    let mut block = vec![0_u8; BLOCK];
    let mut at = 0_u64;
    while let Ok(end) = ends.recv() {
        while at < end {
            let wanted = usize::try_from(end - at).unwrap_or(BLOCK).min(BLOCK);
            let read = file.read_at(&mut block[..wanted], at)?;
            if read == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            hasher.update(&block[..read]);
            at += read as u64;
        }
    }
    Ok(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::watch::TaskWatch;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    /// Waits (a deadline only guards against a hang) until `watch` counts `bytes` in flight.
    fn wait_for(watch: &TaskWatch, bytes: u64) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while watch.in_flight() < bytes {
            assert!(
                Instant::now() < deadline,
                "{} of {bytes} bytes counted",
                watch.in_flight()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Streams from a pipe the test feeds: progress is counted before the end of the file, and a
    /// cancel stops the copy before the end.
    fn progress_then_cancel(verify: Option<Algorithm>) {
        let directory = tempfile::tempdir().unwrap();
        let mut destination = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(directory.path().join("partial"))
            .unwrap();
        let (mut source, mut feed) = std::io::pipe().unwrap();
        let watch = Arc::new(TaskWatch::default());
        let attempt = Attempt::new(&watch);
        let block = vec![7_u8; STEP as usize];
        std::thread::scope(|scope| {
            let copy = scope.spawn(|| match verify {
                None => plain(&mut source, &mut destination, &attempt),
                Some(algorithm) => verified(&mut source, &mut destination, algorithm, &attempt),
            });
            feed.write_all(&block).unwrap();
            wait_for(&watch, STEP);
            watch.cancel();
            // The file ends here: a copy that did not stop would answer it whole.
            drop(feed);
            assert_eq!(copy.join().unwrap().unwrap(), Streamed::Canceled);
        });
        drop(attempt);
        assert_eq!(
            watch.in_flight(),
            0,
            "an ended attempt takes its bytes back"
        );
    }

    #[test]
    fn an_unverified_copy_counts_progress_and_stops_when_canceled() {
        progress_then_cancel(None);
    }

    #[test]
    fn a_verified_copy_counts_progress_and_stops_when_canceled() {
        progress_then_cancel(Some(Algorithm::Blake3));
    }

    #[test]
    fn a_verified_copy_is_whole_and_verified() {
        let directory = tempfile::tempdir().unwrap();
        let content: Vec<u8> = (0..3 * BLOCK + 17).map(|i| (i % 251) as u8).collect();
        std::fs::write(directory.path().join("source"), &content).unwrap();
        let mut source = File::open(directory.path().join("source")).unwrap();
        let target = directory.path().join("partial");
        let mut destination = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&target)
            .unwrap();
        let watch = Arc::new(TaskWatch::default());
        let attempt = Attempt::new(&watch);
        for algorithm in [Algorithm::Md5, Algorithm::Sha256, Algorithm::Blake3] {
            destination.set_len(0).unwrap();
            std::io::Seek::rewind(&mut destination).unwrap();
            std::io::Seek::rewind(&mut source).unwrap();
            let streamed = verified(&mut source, &mut destination, algorithm, &attempt).unwrap();
            let bytes = content.len() as u64;
            assert_eq!(
                streamed,
                Streamed::Whole {
                    bytes,
                    verified: true
                }
            );
            assert_eq!(std::fs::read(&target).unwrap(), content);
        }
    }
}
