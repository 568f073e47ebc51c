//! `GET /api/transfers/{id}/files?page=&per_page=&after=`: the files a task copied, in the API's
//! paging. The transfer service hands them out in its own pages, from a `marker` to the
//! `next_marker` (1000 at a time from the embedded one); the portal cuts those into pages of
//! `per_page`, and its `next` carries a cursor, `after=<marker>.<skip>` (the upstream page and how
//! many of its files are behind us), so that following `next` costs one upstream page per page.
//! Without a cursor, page `n` is found by reading from the start.

use super::researchers;
use super::routes::task_id;
use crate::paging::PageRequest;
use crate::{PortalError, PortalState};
use actix_web::{HttpRequest, web};
use mrdp_globus::tasks::SuccessfulTransfers;
use mrdp_shared::{TransferredFile, TransferredFiles};
use serde::Deserialize;

const DEFAULT_PER_PAGE: u32 = 100;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesQuery {
    page: Option<u32>,
    per_page: Option<u32>,
    after: Option<String>,
}

/// Where a page starts: an upstream page's marker, and how many of its files to pass over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    marker: i64,
    skip: usize,
}

impl Cursor {
    fn parse(text: &str) -> Result<Self, PortalError> {
        text.split_once('.')
            .and_then(|(marker, skip)| {
                Some(Self {
                    marker: marker.parse().ok().filter(|m: &i64| *m >= 0)?,
                    skip: skip.parse().ok()?,
                })
            })
            .ok_or_else(|| PortalError::BadRequest("after: a cursor from a next address".into()))
    }

    fn text(self) -> String {
        format!("{}.{}", self.marker, self.skip)
    }
}

pub async fn files(
    req: HttpRequest,
    state: web::Data<PortalState>,
    id: web::Path<String>,
    query: web::Query<FilesQuery>,
) -> Result<web::Json<TransferredFiles>, PortalError> {
    let page = PageRequest::checked(query.page, query.per_page, DEFAULT_PER_PAGE)?;
    let start = match &query.after {
        Some(after) => Cursor::parse(after)?,
        None => Cursor {
            marker: 0,
            skip: page.offset(),
        },
    };
    let (transfer, task) = (researchers(&req, &state).await?, task_id(&id)?);
    let upstream = async |marker| transfer.successful_transfers(&task, marker).await;
    let (files, next) = read(upstream, start, page.per_page as usize).await?;
    Ok(web::Json(TransferredFiles {
        files,
        paging: page.answer_after(&req, None, next.map(|cursor| Some(cursor.text()))),
    }))
}

/// Up to `wanted` files from `at`, read from the `upstream` pages, and where the next page
/// starts if the task has more.
async fn read(
    upstream: impl AsyncFn(i64) -> Result<SuccessfulTransfers, PortalError>,
    mut at: Cursor,
    wanted: usize,
) -> Result<(Vec<TransferredFile>, Option<Cursor>), PortalError> {
    let mut files = Vec::with_capacity(wanted);
    loop {
        let upstream = upstream(at.marker).await?;
        let held = upstream.data.len();
        let from = at.skip.min(held);
        let taken = (held - from).min(wanted - files.len());
        files.extend(
            upstream
                .data
                .into_iter()
                .skip(from)
                .take(taken)
                .map(|file| TransferredFile {
                    source_path: file.source_path,
                    destination_path: file.destination_path,
                }),
        );
        let stopped = from + taken;
        if files.len() == wanted && stopped < held {
            let rest_here = Cursor {
                marker: at.marker,
                skip: stopped,
            };
            return Ok((files, Some(rest_here)));
        }
        let Some(marker) = upstream.next_marker else {
            return Ok((files, None));
        };
        let next = Cursor {
            marker,
            skip: at.skip - from,
        };
        if files.len() == wanted {
            return Ok((files, Some(next)));
        }
        at = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use mrdp_globus::tasks::SuccessfulTransfer;

    /// Seven files in upstream pages of three, markers 0, 3 and 6.
    async fn upstream(marker: i64) -> Result<SuccessfulTransfers, PortalError> {
        let file = |n: i64| SuccessfulTransfer {
            data_type: "successful_transfer".into(),
            source_path: format!("/f{n}"),
            destination_path: format!("/d/f{n}"),
        };
        Ok(SuccessfulTransfers {
            data_type: "successful_transfers".into(),
            marker,
            next_marker: (marker + 3 < 7).then_some(marker + 3),
            data: (marker..(marker + 3).min(7)).map(file).collect(),
        })
    }

    fn names(files: &[TransferredFile]) -> Vec<&str> {
        files.iter().map(|f| f.source_path.as_str()).collect()
    }

    #[tokio::test]
    async fn pages_cut_across_the_upstream_pages_and_a_cursor_reads_on() {
        let start = Cursor { marker: 0, skip: 0 };
        let (first, next) = read(upstream, start, 4).await.unwrap();
        assert_eq!(names(&first), ["/f0", "/f1", "/f2", "/f3"]);
        assert_eq!(next, Some(Cursor { marker: 3, skip: 1 }));
        let (rest, end) = read(upstream, next.unwrap(), 4).await.unwrap();
        assert_eq!((names(&rest), end), (vec!["/f4", "/f5", "/f6"], None));
        // Page 3 of two, by number: four files passed over from the start.
        let (third, next) = read(upstream, Cursor { marker: 0, skip: 4 }, 2)
            .await
            .unwrap();
        assert_eq!(names(&third), ["/f4", "/f5"]);
        assert_eq!(next, Some(Cursor { marker: 6, skip: 0 }));
        // A page that ends with an upstream page, and one past the end.
        let (whole, next) = read(upstream, start, 3).await.unwrap();
        assert_eq!(
            (whole.len(), next),
            (3, Some(Cursor { marker: 3, skip: 0 }))
        );
        let (none, end) = read(upstream, Cursor { marker: 0, skip: 9 }, 2)
            .await
            .unwrap();
        assert_eq!((none.len(), end), (0, None));
    }

    #[test]
    fn a_cursor_reads_back_what_it_wrote_and_nothing_else() {
        let cursor = Cursor {
            marker: 93979,
            skip: 100,
        };
        assert_eq!(Cursor::parse(&cursor.text()).unwrap(), cursor);
        for bad in ["", "93979", "-1.0", "1.-2", "a.b", "1.2.3"] {
            assert!(Cursor::parse(bad).is_err(), "{bad}");
        }
    }
}
