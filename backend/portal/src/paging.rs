//! The API's one paging convention, on the portal's side: `page` and `per_page` checked the same
//! way on every list, and the answer's [`Paging`] with the address of the next page (the request's
//! own path and query, with `page` moved on), so a client follows `next` until it is absent.

use crate::PortalError;
use actix_web::HttpRequest;
use mrdp_shared::Paging;
use serde::Deserialize;

/// The highest page number asked for.
pub const MOST_PAGE: u32 = 1_000_000;
/// The largest page.
pub const MOST_PER_PAGE: u32 = 100;

/// The query of a route that takes nothing but a page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

impl PageQuery {
    /// The page asked for, checked as [`PageRequest::checked`] does.
    pub fn checked(&self, default: u32) -> Result<PageRequest, PortalError> {
        PageRequest::checked(self.page, self.per_page, default)
    }
}

/// A page asked for, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    /// `page` (1 by default) and `per_page` (`default` when absent, at most [`MOST_PER_PAGE`]);
    /// a 400 naming the parameter otherwise.
    pub fn checked(
        page: Option<u32>,
        per_page: Option<u32>,
        default: u32,
    ) -> Result<Self, PortalError> {
        Ok(Self {
            page: within("page", page.unwrap_or(1), MOST_PAGE)?,
            per_page: within("per_page", per_page.unwrap_or(default), MOST_PER_PAGE)?,
        })
    }

    /// How many items come before this page.
    pub fn offset(self) -> usize {
        (self.page as usize - 1) * self.per_page as usize
    }

    /// This page's [`Paging`]: `next` when `more` (and there is a next page number).
    pub fn answer(self, req: &HttpRequest, total: Option<u64>, more: bool) -> Paging {
        self.answer_after(req, total, more.then_some(None))
    }

    /// This page's [`Paging`] from a source that counts: there is more when this page, of
    /// `shown` items, and those before it hold fewer than `total`.
    pub fn counted(self, req: &HttpRequest, total: u64, shown: usize) -> Paging {
        let more = (self.offset() + shown) < usize::try_from(total).unwrap_or(usize::MAX);
        self.answer(req, Some(total), more)
    }

    /// As [`PageRequest::answer`], when the next page is `Some`, with the cursor `after` it
    /// carries (if any).
    pub fn answer_after(
        self,
        req: &HttpRequest,
        total: Option<u64>,
        next: Option<Option<String>>,
    ) -> Paging {
        let next = next
            .filter(|_| self.page < MOST_PAGE)
            .map(|after| address(req, self.page + 1, after.as_deref()));
        Paging {
            page: self.page,
            per_page: self.per_page,
            total,
            next,
        }
    }

    /// This page of a list the portal holds whole.
    pub fn of<T>(self, req: &HttpRequest, all: Vec<T>) -> (Vec<T>, Paging) {
        let total = all.len();
        let items: Vec<T> = all
            .into_iter()
            .skip(self.offset())
            .take(self.per_page as usize)
            .collect();
        let paging = self.counted(req, total as u64, items.len());
        (items, paging)
    }
}

/// `n` if it is from 1 to `most`; a 400 naming `parameter` otherwise.
pub fn within(parameter: &str, n: u32, most: u32) -> Result<u32, PortalError> {
    (1..=most)
        .contains(&n)
        .then_some(n)
        .ok_or_else(|| PortalError::BadRequest(format!("{parameter}: a number from 1 to {most}")))
}

/// The request's path and query with `page` set to `page` and `after` to the cursor (or
/// removed), every other parameter kept as it came.
fn address(req: &HttpRequest, page: u32, after: Option<&str>) -> String {
    let Ok(mut url) = reqwest::Url::parse(&format!("http://portal/?{}", req.query_string())) else {
        return format!("{}?page={page}", req.path());
    };
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| name != "page" && name != "after")
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    url.set_query(None);
    url.query_pairs_mut()
        .extend_pairs(&kept)
        .append_pair("page", &page.to_string())
        .extend_pairs(after.map(|after| ("after", after)));
    format!("{}?{}", req.path(), url.query().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn request(uri: &str) -> HttpRequest {
        TestRequest::get().uri(uri).to_http_request()
    }

    #[test]
    fn next_keeps_every_parameter_and_moves_the_page_on() {
        let page = PageRequest::checked(Some(2), Some(10), 20).unwrap();
        let req =
            request("/api/datasets?q=rain%20fall&variable=PRCP&page=2&variable=TMAX&per_page=10");
        let answer = page.answer(&req, Some(35), true);
        assert_eq!(
            answer.next.as_deref(),
            Some("/api/datasets?q=rain+fall&variable=PRCP&variable=TMAX&per_page=10&page=3")
        );
        assert_eq!(
            (answer.page, answer.per_page, answer.total),
            (2, 10, Some(35))
        );
        assert_eq!(page.answer(&req, Some(20), false).next, None);
    }

    #[test]
    fn a_cursor_replaces_the_one_before() {
        let page = PageRequest::checked(None, None, 100).unwrap();
        let req = request("/api/transfers/t/files?after=0.100");
        let answer = page.answer_after(&req, None, Some(Some("7.5".into())));
        assert_eq!(
            answer.next.as_deref(),
            Some("/api/transfers/t/files?page=2&after=7.5")
        );
    }

    #[test]
    fn pages_are_checked_and_a_whole_list_is_cut() {
        assert!(PageRequest::checked(Some(0), None, 20).is_err());
        assert!(PageRequest::checked(None, Some(MOST_PER_PAGE + 1), 20).is_err());
        assert!(PageRequest::checked(Some(MOST_PAGE + 1), None, 20).is_err());
        let page = PageRequest::checked(Some(2), Some(2), 20).unwrap();
        let req = request("/api/apps?page=2&per_page=2");
        let (items, paging) = page.of(&req, vec![1, 2, 3, 4, 5]);
        assert_eq!(items, [3, 4]);
        assert_eq!(paging.next.as_deref(), Some("/api/apps?per_page=2&page=3"));
        let (items, paging) = PageRequest { page: 3, ..page }.of(&req, vec![1, 2, 3, 4, 5]);
        assert_eq!((items, paging.next), (vec![5], None));
    }
}
