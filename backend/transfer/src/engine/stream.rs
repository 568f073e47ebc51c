//! The blocking part of a copy: bytes moved from the source file into the destination's partial
//! file, counted as they go, stopped between two steps when the task is canceled, with the
//! destination's write-back started while copying (so that the final fsync has little left).
//!
//! The bytes stay in the kernel (`copy_file_range`, through `std::io::copy`), verified or not.
//! A verified copy has two threads hash alongside it: one reads the source on its own, the other
//! reads the destination back right behind the copy; the checksums match only if what was read
//! of the source is what the destination holds.

use super::checksum::Algorithm;
use super::watch::Attempt;
use crate::storage::local::with_write_back;
use std::fs::File;
use std::io::{Read, Seek};
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// Bytes per in-kernel copy step (progress and cancel are looked at between steps).
const STEP: u64 = 8 << 20;
/// Bytes hashed per read (small enough to stay in cache between the read and the hash).
const BLOCK: usize = 1 << 20;
/// Copy steps the destination's hasher may fall behind before the copy waits for it.
const STEPS_AHEAD: usize = 16;

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
    copy_in_steps(source, destination, attempt, |_| {})
}

/// Copies in the kernel, `STEP` bytes at a time, telling `copied` how many bytes are copied so
/// far after each step.
fn copy_in_steps(
    source: &mut impl Read,
    destination: &mut File,
    attempt: &Attempt,
    mut copied: impl FnMut(u64),
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
            copied(bytes);
            nudge();
        }
    })
}

/// Copies as [`plain`] does while the source is hashed from where it is read on, and the
/// destination is read back and hashed right behind the copy: three threads, so the two
/// checksums and the copy overlap.
pub fn verified(
    source: &mut File,
    destination: &mut File,
    algorithm: Algorithm,
    attempt: &Attempt,
) -> std::io::Result<Streamed> {
    let (read, written) = (source.try_clone()?, destination.try_clone()?);
    let start = source.stream_position()?;
    // The end of what is copied so far, for the thread reading it back.
    let (wrote, to_check) = mpsc::sync_channel::<u64>(STEPS_AHEAD);
    // Set once the copy stopped short: the source's hasher then stops too.
    let stopped = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let checker = scope.spawn(move || read_back(&written, &to_check, algorithm));
        let stopped = &stopped;
        let expected = scope.spawn(move || hash_source(&read, start, algorithm, attempt, stopped));
        let copied = copy_in_steps(source, destination, attempt, move |bytes| {
            // A checker that stopped has an error, reported at its join below.
            let _ = wrote.send(bytes);
        });
        if !matches!(copied, Ok(Streamed::Whole { .. })) {
            stopped.store(true, Ordering::Relaxed);
        }
        let failed = || std::io::Error::other("a checksum thread failed");
        let expected = expected.join().unwrap_or_else(|_| Err(failed()));
        let checked = checker.join().unwrap_or_else(|_| Err(failed()));
        match (copied?, expected?) {
            (Streamed::Whole { bytes, .. }, Some(expected)) if !attempt.canceled() => {
                Ok(Streamed::Whole {
                    bytes,
                    verified: checked? == expected,
                })
            }
            _ => Ok(Streamed::Canceled),
        }
    })
}

/// Hashes `file` from `start` to its end: its checksum, or `None` when the task was canceled or
/// the copy `stopped` short.
fn hash_source(
    file: &File,
    start: u64,
    algorithm: Algorithm,
    attempt: &Attempt,
    stopped: &AtomicBool,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut hasher = algorithm.hasher();
    let mut block = vec![0_u8; BLOCK];
    let mut at = start;
    loop {
        if attempt.canceled() || stopped.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let read = file.read_at(&mut block, at)?;
        if read == 0 {
            return Ok(Some(hasher.finalize()));
        }
        hasher.update(&block[..read]);
        at += read as u64;
    }
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

    /// A new, empty partial file at `path`, open for writing and reading back.
    fn partial(path: &std::path::Path) -> File {
        File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
            .unwrap()
    }

    /// A source file of `length` bytes that are not all alike, open at its start; and its bytes.
    fn source(directory: &std::path::Path, length: usize) -> (File, Vec<u8>) {
        let content: Vec<u8> = (0..length).map(|i| (i % 251) as u8).collect();
        std::fs::write(directory.join("source"), &content).unwrap();
        (File::open(directory.join("source")).unwrap(), content)
    }

    /// Copies a sparse file far too large to copy in the test's time: progress is counted before
    /// its end, and a cancel stops the copy (which would otherwise answer it whole).
    fn progress_then_cancel(verify: Option<Algorithm>) {
        let directory = tempfile::tempdir().unwrap();
        let source = File::create_new(directory.path().join("source")).unwrap();
        source.set_len(64 << 30).unwrap();
        let mut source = File::open(directory.path().join("source")).unwrap();
        let mut destination = partial(&directory.path().join("partial"));
        let watch = Arc::new(TaskWatch::default());
        let attempt = Attempt::new(&watch);
        std::thread::scope(|scope| {
            let copy = scope.spawn(|| match verify {
                None => plain(&mut source, &mut destination, &attempt),
                Some(algorithm) => verified(&mut source, &mut destination, algorithm, &attempt),
            });
            wait_for(&watch, STEP);
            watch.cancel();
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
        let (mut source, content) = source(directory.path(), 3 * BLOCK + 17);
        let target = directory.path().join("partial");
        let mut destination = partial(&target);
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

    #[test]
    fn a_destination_that_does_not_hold_the_source_does_not_verify() {
        let directory = tempfile::tempdir().unwrap();
        let (mut source, content) = source(directory.path(), BLOCK + 17);
        // Five stray bytes before where the copy writes: what is read back is not the source.
        let target = directory.path().join("partial");
        std::fs::write(&target, b"stray").unwrap();
        let mut destination = File::options()
            .read(true)
            .append(true)
            .open(&target)
            .unwrap();
        let watch = Arc::new(TaskWatch::default());
        let attempt = Attempt::new(&watch);
        let streamed = verified(&mut source, &mut destination, Algorithm::Blake3, &attempt);
        let bytes = content.len() as u64;
        assert_eq!(
            streamed.unwrap(),
            Streamed::Whole {
                bytes,
                verified: false
            }
        );
    }
}
