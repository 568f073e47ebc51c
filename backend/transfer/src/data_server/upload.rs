//! Uploads (`PUT`): the body streamed into a hidden temporary file beside the destination,
//! journalled while it is written (so that a crash leaves nothing the sweep does not find), made
//! durable and renamed into place once whole. Over TLS, and for buckets, through the routes here;
//! in plain HTTP, uploads to local files are read off the socket (`receive`), into the same
//! [`LocalUpload`].

use super::{Asked, DataError, DataServer};
use crate::access::Permission;
use crate::paths::CollectionPath;
use crate::storage::local::{LocalStorage, PartialFile, write_chunks};
use crate::storage::{Storage, StorageError};
use crate::uploads;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use std::fs::File;

/// The most of a refused or failed upload's body that is still read before answering.
pub(super) const DRAIN_AT_MOST: u64 = 64 << 20;

/// `PUT`: streams the body into the file, which is replaced once the body is complete. An upload
/// that is refused or fails still has what the client goes on sending read (up to
/// `DRAIN_AT_MOST`) before the answer, which the client then gets, rather than a connection reset
/// in the middle of its upload (closing a socket with unread data resets it).
pub(super) async fn put_file(
    req: HttpRequest,
    server: web::Data<DataServer>,
    mut body: web::Payload,
) -> Result<HttpResponse, DataError> {
    let stored = store_body(&req, &server, &mut body).await;
    if stored.is_err() {
        let mut drained = 0_u64;
        while let Some(Ok(chunk)) = body.next().await {
            drained += chunk.len() as u64;
            if drained > DRAIN_AT_MOST {
                break;
            }
        }
    }
    stored
}

/// Stores the body of an authorised `PUT`.
async fn store_body(
    req: &HttpRequest,
    server: &DataServer,
    body: &mut web::Payload,
) -> Result<HttpResponse, DataError> {
    let (storage, path) = server
        .authorise(Asked::of(req), Permission::ReadWrite)
        .await?;
    // What broke the body, told apart from what failed in the storage.
    let broken = std::cell::RefCell::new(None::<String>);
    let body = body.by_ref().map(|chunk| {
        chunk.map_err(|error| {
            broken.replace(Some(error.to_string()));
            std::io::Error::other(error)
        })
    });
    let stored = match &storage {
        Storage::Local(local) => match LocalUpload::begin(server, local, &path).await {
            Ok(upload) => {
                let written = match upload.file() {
                    Ok(file) => write_chunks(body, file).await,
                    Err(error) => Err(error),
                };
                upload.finish(server, written).await
            }
            Err(error) => Err(error),
        },
        Storage::Object(object) => object.write(&path, body).await.map(drop),
    };
    match (stored, broken.take()) {
        (Ok(()), _) => Ok(HttpResponse::Ok().finish()),
        (Err(_), Some(why)) => Err(DataError::UploadFailed(why)),
        (Err(error), None) => Err(error.into()),
    }
}

/// An upload into a local storage under way: its temporary file, named in the journal.
#[derive(Debug)]
pub(super) struct LocalUpload {
    partial: PartialFile,
    journalled: uploads::Upload,
}

impl LocalUpload {
    /// Creates the temporary file for `path` and journals it.
    pub(super) async fn begin(
        server: &DataServer,
        storage: &LocalStorage,
        path: &CollectionPath,
    ) -> Result<Self, StorageError> {
        let partial = storage.create_partial(path).await?;
        match uploads::begin(&server.store, storage, &partial, server.clock.now()).await {
            Ok(journalled) => Ok(Self {
                partial,
                journalled,
            }),
            Err(error) => {
                partial.abort().await;
                Err(StorageError::from_io(path, std::io::Error::other(error)))
            }
        }
    }

    /// A handle on the temporary file, to write the body into.
    pub(super) fn file(&self) -> std::io::Result<File> {
        self.partial.file.try_clone()
    }

    /// Puts the file in place when the body was `written` whole, or removes it; the journal
    /// forgets it either way.
    pub(super) async fn finish(
        self,
        server: &DataServer,
        written: std::io::Result<u64>,
    ) -> Result<(), StorageError> {
        let Self {
            partial,
            journalled,
        } = self;
        let path = partial.path().clone();
        let outcome = match written {
            Ok(_) => partial.commit().await,
            Err(error) => {
                partial.abort().await;
                Err(StorageError::from_io(&path, error))
            }
        };
        // A journal entry left behind only makes the sweep look at a file that is already gone.
        if let Err(error) = uploads::end(&server.store, &journalled).await {
            tracing::warn!(%error, "an upload stays in the journal");
        }
        outcome
    }
}
