//! A local file's content as a stream of chunks, both ways. Reads go in large blocks on a blocking
//! thread through a small bounded queue; writes are done by a blocking thread fed through a short
//! queue of chunks, with the disk's write-back started as the file grows (so that the final fsync
//! has little left). Either way the network and the disk work at once and memory stays at a few
//! blocks whatever the file's size.

use super::with_write_back;
use crate::storage::{Chunk, Chunks};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

/// Bytes read per block.
const READ_BLOCK: usize = 4 << 20;
/// Blocks read ahead of the reader.
const READ_AHEAD: usize = 4;
/// Chunks waiting for the writer.
const WRITE_QUEUE: usize = 64;
/// Bytes gathered before a write (the network delivers small chunks).
const WRITE_BUFFER: usize = 1 << 20;
/// Bytes written between two starts of the write-back.
const WRITE_BACK_EVERY: u64 = 8 << 20;

/// `length` bytes of `file` from `start`, read on a blocking thread.
pub fn file_chunks(mut file: File, start: u64, length: u64) -> Chunks {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Chunk>(READ_AHEAD);
    tokio::task::spawn_blocking(move || {
        if let Err(e) = file.seek(SeekFrom::Start(start)) {
            let _ = sender.blocking_send(Err(e));
            return;
        }
        let mut left = length;
        while left > 0 {
            let wanted = left.min(READ_BLOCK as u64);
            // Read into fresh capacity: no pass over the block to zero it first.
            let mut block = Vec::with_capacity(READ_BLOCK);
            let read = match Read::by_ref(&mut file).take(wanted).read_to_end(&mut block) {
                Ok(0) => Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)),
                other => other,
            };
            let item = read.map(|read| {
                left -= read as u64;
                Bytes::from(block)
            });
            let failed = item.is_err();
            // The reader went away: stop reading.
            if sender.blocking_send(item).is_err() || failed {
                return;
            }
        }
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|block| (block, receiver))
    })
    .boxed()
}

/// Writes every chunk into `file`; answers the bytes written, or the first error (of the chunks
/// or of the disk).
pub async fn write_chunks(
    mut chunks: impl Stream<Item = Chunk> + Unpin,
    file: File,
) -> std::io::Result<u64> {
    let (queue, mut queued) = tokio::sync::mpsc::channel::<Bytes>(WRITE_QUEUE);
    let writer = tokio::task::spawn_blocking(move || {
        with_write_back(&file, |nudge| {
            let mut buffered = std::io::BufWriter::with_capacity(WRITE_BUFFER, &file);
            let (mut written, mut flushed) = (0_u64, 0_u64);
            while let Some(chunk) = queued.blocking_recv() {
                buffered.write_all(&chunk)?;
                written += chunk.len() as u64;
                if written - flushed >= WRITE_BACK_EVERY {
                    flushed = written;
                    nudge();
                }
            }
            buffered.flush().map(|()| written)
        })
    });
    let mut failure = None;
    while let Some(chunk) = chunks.next().await {
        match chunk {
            // A writer that stopped has an error, reported below.
            Ok(bytes) => {
                if queue.send(bytes).await.is_err() {
                    break;
                }
            }
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    drop(queue);
    let written = writer.await.map_err(std::io::Error::other)?;
    match failure {
        Some(error) => Err(error),
        None => written,
    }
}
