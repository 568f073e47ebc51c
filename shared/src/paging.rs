//! The one paging convention of the API: every list comes a page at a time, asked for with
//! `page` (1-based) and `per_page` (1 to 100), and answered with these fields beside its items.
//! A client that wants everything follows `next` until it is absent.

use serde::{Deserialize, Serialize};

/// Where a page of a list stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paging {
    /// This page's number, from 1.
    pub page: u32,
    /// The most items a page holds.
    pub per_page: u32,
    /// How many items there are over all pages, when the source counts them (the transfer
    /// service does not count collections found, nor the files a task copied).
    pub total: Option<u64>,
    /// The next page's address on the portal (a path and query, such as
    /// `/api/transfers?page=3&per_page=20`), null on the last page. It may carry a cursor
    /// (`after`) that makes reading on as fast as the first page.
    pub next: Option<String>,
}

impl Paging {
    /// How many pages there are (at least 1): from `total` when the source counts, otherwise
    /// this page and, when there is a `next`, one more.
    pub fn pages(&self) -> u32 {
        match self.total {
            Some(total) => {
                let pages = total.div_ceil(u64::from(self.per_page.max(1))).max(1);
                u32::try_from(pages).unwrap_or(u32::MAX)
            }
            None => self.page.saturating_add(u32::from(self.next.is_some())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_up_and_an_empty_list_has_one() {
        let page = |total, next: Option<&str>| Paging {
            page: 2,
            per_page: 20,
            total,
            next: next.map(str::to_owned),
        };
        assert_eq!(page(Some(0), None).pages(), 1);
        assert_eq!(page(Some(20), None).pages(), 1);
        assert_eq!(page(Some(21), None).pages(), 2);
        assert_eq!(page(None, None).pages(), 2);
        assert_eq!(page(None, Some("/api/collections?page=3")).pages(), 3);
    }

    #[test]
    fn the_fields_sit_beside_the_items() {
        #[derive(Serialize)]
        struct Things {
            things: Vec<u8>,
            #[serde(flatten)]
            paging: Paging,
        }
        let json = serde_json::to_value(Things {
            things: vec![1],
            paging: Paging {
                page: 2,
                per_page: 1,
                total: None,
                next: Some("/api/things?page=3&per_page=1".into()),
            },
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"things": [1], "page": 2, "per_page": 1, "total": null,
                "next": "/api/things?page=3&per_page=1"})
        );
    }
}
