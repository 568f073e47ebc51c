//! The datasets page's query: read from the page's URL, written back to it and sent to the API
//! with the same parameter names, so that Back, reload and a shared link give the same page.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but what RFC 3986 leaves unreserved is escaped in a query value.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A search of the catalog, as the datasets page and `GET /api/datasets` take it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub q: String,
    pub station: Option<String>,
    /// Every one of them must be in a result.
    pub variables: Vec<String>,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub access: Option<String>,
    /// `relevance`, `title` or `coverage`; `None` leaves it to the portal.
    pub sort: Option<String>,
    /// 1-based.
    pub page: u32,
}

/// How many results a page shows.
pub const PER_PAGE: u32 = 10;

impl SearchQuery {
    /// Reads the query's parameters; unknown ones and unreadable numbers are dropped, as a
    /// hand-edited link should still give a page.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self {
            page: 1,
            ..Self::default()
        };
        let text = |value: &str| (!value.trim().is_empty()).then(|| value.trim().to_owned());
        for (key, value) in pairs {
            match key {
                "q" => query.q = value.trim().to_owned(),
                "station" => query.station = text(value),
                "variable" => query.variables.extend(text(value)),
                "from" => query.from = value.trim().parse().ok(),
                "to" => query.to = value.trim().parse().ok(),
                "access" => query.access = text(value),
                "sort" => query.sort = text(value),
                "page" => query.page = value.trim().parse().ok().filter(|&p| p > 0).unwrap_or(1),
                _ => {}
            }
        }
        query
    }

    /// The query string (without `?`); the first page and empty values are left out.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        pairs.extend(self.station.iter().map(|s| ("station", s.clone())));
        pairs.extend(self.variables.iter().map(|v| ("variable", v.clone())));
        pairs.extend(self.from.map(|y| ("from", y.to_string())));
        pairs.extend(self.to.map(|y| ("to", y.to_string())));
        pairs.extend(self.access.iter().map(|a| ("access", a.clone())));
        pairs.extend(self.sort.iter().map(|s| ("sort", s.clone())));
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", utf8_percent_encode(value, QUERY_VALUE)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The query for the API: this one with the page size.
    pub fn api_query_string(&self) -> String {
        let query = self.to_query_string();
        let separator = if query.is_empty() { "" } else { "&" };
        format!("{query}{separator}per_page={PER_PAGE}")
    }

    /// This search with a facet's value toggled (on if off, off if on), back on the first page.
    pub fn toggled(&self, facet: Facet, value: &str) -> Self {
        let mut next = Self {
            page: 1,
            ..self.clone()
        };
        let flip = |slot: &mut Option<String>| {
            *slot = (slot.as_deref() != Some(value)).then(|| value.to_owned());
        };
        match facet {
            Facet::Station => flip(&mut next.station),
            Facet::Access => flip(&mut next.access),
            Facet::Variable => {
                if next.variables.iter().any(|v| v == value) {
                    next.variables.retain(|v| v != value);
                } else {
                    next.variables.push(value.to_owned());
                }
            }
        }
        next
    }

    /// Whether a facet's value is one of this search's filters.
    pub fn has(&self, facet: Facet, value: &str) -> bool {
        match facet {
            Facet::Station => self.station.as_deref() == Some(value),
            Facet::Access => self.access.as_deref() == Some(value),
            Facet::Variable => self.variables.iter().any(|v| v == value),
        }
    }

    /// This search on another page.
    pub fn on_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }
}

/// The facets a search can be narrowed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Station,
    Variable,
    Access,
}

impl Facet {
    /// The heading of its list.
    pub fn label(self) -> &'static str {
        match self {
            Self::Station => "Station",
            Self::Variable => "Variable",
            Self::Access => "Access",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_string_reads_back_as_the_same_query() {
        let query = SearchQuery::from_pairs([
            ("q", "daily rain & snow"),
            ("station", "SEA"),
            ("variable", "PRCP"),
            ("variable", "TMAX"),
            ("from", "2012"),
            ("to", "2014"),
            ("access", "group"),
            ("sort", "coverage"),
            ("page", "3"),
        ]);
        let text = query.to_query_string();
        assert_eq!(
            text,
            "q=daily%20rain%20%26%20snow&station=SEA&variable=PRCP&variable=TMAX&from=2012&to=2014&access=group&sort=coverage&page=3"
        );
        let pairs: Vec<(String, String)> = text
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap();
                let v = percent_encoding::percent_decode_str(v)
                    .decode_utf8()
                    .unwrap();
                (k.to_owned(), v.into_owned())
            })
            .collect();
        let back = SearchQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(back, query);
    }

    #[test]
    fn the_empty_search_is_the_bare_page_and_bad_numbers_are_dropped() {
        let query = SearchQuery::from_pairs([("page", "0"), ("from", "x"), ("q", "  ")]);
        assert_eq!(query, SearchQuery::from_pairs([]));
        assert_eq!(query.page, 1);
        assert_eq!(query.to_query_string(), "");
        assert_eq!(query.api_query_string(), "per_page=10");
    }

    #[test]
    fn toggling_a_facet_adds_or_removes_it_and_goes_back_to_the_first_page() {
        let query = SearchQuery::from_pairs([("station", "SEA"), ("page", "2")]);
        let other = query.toggled(Facet::Station, "NYC");
        assert_eq!((other.station.as_deref(), other.page), (Some("NYC"), 1));
        assert_eq!(query.toggled(Facet::Station, "SEA").station, None);
        let both = query
            .toggled(Facet::Variable, "PRCP")
            .toggled(Facet::Variable, "TMAX");
        assert_eq!(both.variables, ["PRCP", "TMAX"]);
        assert!(both.has(Facet::Variable, "TMAX"));
        assert_eq!(both.toggled(Facet::Variable, "PRCP").variables, ["TMAX"]);
    }
}
