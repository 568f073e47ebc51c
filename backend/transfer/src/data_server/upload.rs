//! `PUT` bodies: written by a blocking thread fed through a short queue of chunks, so the network
//! and the disk work at once and memory stays flat whatever the size; the disk's write-back is
//! started as the file grows, so that the final fsync has little left to do.

use crate::storage::local::with_write_back;
use actix_web::web::Bytes;
use futures_util::StreamExt;
use std::fs::File;
use std::io::Write;

/// Chunks waiting for the writer.
const QUEUE: usize = 64;
/// Bytes gathered before a write (the network delivers small chunks).
const WRITE_BUFFER: usize = 1 << 20;
/// Bytes written between two starts of the write-back.
const WRITE_BACK_EVERY: u64 = 8 << 20;

/// Writes `body` into `file`; an error names what failed.
pub async fn receive(body: &mut actix_web::web::Payload, file: File) -> Result<(), String> {
    let (chunks, mut queue) = tokio::sync::mpsc::channel::<Bytes>(QUEUE);
    let writer = tokio::task::spawn_blocking(move || {
        with_write_back(&file, |nudge| {
            let mut buffered = std::io::BufWriter::with_capacity(WRITE_BUFFER, &file);
            let (mut written, mut flushed) = (0_u64, 0_u64);
            while let Some(chunk) = queue.blocking_recv() {
                buffered.write_all(&chunk)?;
                written += chunk.len() as u64;
                if written - flushed >= WRITE_BACK_EVERY {
                    flushed = written;
                    nudge();
                }
            }
            buffered.flush()
        })
    });
    let mut failure = None;
    while let Some(chunk) = body.next().await {
        match chunk {
            // A writer that stopped has an error, reported below.
            Ok(bytes) => {
                if chunks.send(bytes).await.is_err() {
                    break;
                }
            }
            Err(error) => {
                failure = Some(error.to_string());
                break;
            }
        }
    }
    drop(chunks);
    let written = writer.await.map_err(|e| e.to_string())?;
    match failure {
        Some(why) => Err(why),
        None => written.map_err(|e| e.to_string()),
    }
}
