//! The parameters of `GET /api/datasets`, read and checked: anything unknown or out of range is a
//! 400 that names the parameter.

use crate::PortalError;
use crate::paging::{MOST_PAGE, MOST_PER_PAGE, PageRequest, within};

const DEFAULT_PER_PAGE: u32 = 20;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (the default when there is a query; otherwise by title).
    Relevance,
    /// A to Z.
    Title,
    /// The most years first.
    Coverage,
}

/// Who may read a dataset, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessFilter {
    SignedIn,
    Group,
}

impl AccessFilter {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignedIn => "signed-in",
            Self::Group => "group",
        }
    }
}

/// A search of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub text: String,
    /// One station's code.
    pub station: Option<String>,
    /// Variables every result has.
    pub variables: Vec<String>,
    /// Results whose years overlap `from..=to`.
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub access: Option<AccessFilter>,
    pub sort: Sort,
    pub page: PageRequest,
}

fn bad(parameter: &str, problem: &str) -> PortalError {
    PortalError::BadRequest(format!("{parameter}: {problem}"))
}

fn year(parameter: &str, value: &str) -> Result<i32, PortalError> {
    value
        .parse()
        .ok()
        .filter(|year| (1..=9999).contains(year))
        .ok_or_else(|| bad(parameter, "a year from 1 to 9999"))
}

fn count(parameter: &str, value: &str, most: u32) -> Result<u32, PortalError> {
    within(parameter, value.parse().unwrap_or(0), most)
}

fn word(parameter: &str, value: &str) -> Result<String, PortalError> {
    let fine = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    fine.then(|| value.to_owned())
        .ok_or_else(|| bad(parameter, "1 to 64 letters, digits, '-' or '_'"))
}

impl SearchQuery {
    /// Reads the query string's pairs (a parameter may repeat: `variable=PRCP&variable=TMAX`).
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, PortalError> {
        let mut query = Self {
            text: String::new(),
            station: None,
            variables: Vec::new(),
            from: None,
            to: None,
            access: None,
            sort: Sort::Relevance,
            page: PageRequest {
                page: 1,
                per_page: DEFAULT_PER_PAGE,
            },
        };
        let mut sorted = false;
        for (name, value) in pairs {
            match name.as_str() {
                "q" if value.chars().count() <= 500 => query.text = value.trim().to_owned(),
                "q" => return Err(bad("q", "at most 500 characters")),
                "station" => query.station = Some(word("station", value)?),
                "variable" => query.variables.push(word("variable", value)?),
                "from" => query.from = Some(year("from", value)?),
                "to" => query.to = Some(year("to", value)?),
                "access" => {
                    query.access = Some(match value.as_str() {
                        "signed-in" => AccessFilter::SignedIn,
                        "group" => AccessFilter::Group,
                        _ => return Err(bad("access", "signed-in or group")),
                    });
                }
                "sort" => {
                    sorted = true;
                    query.sort = match value.as_str() {
                        "relevance" => Sort::Relevance,
                        "title" => Sort::Title,
                        "coverage" => Sort::Coverage,
                        _ => return Err(bad("sort", "relevance, title or coverage")),
                    };
                }
                "page" => query.page.page = count("page", value, MOST_PAGE)?,
                "per_page" => query.page.per_page = count("per_page", value, MOST_PER_PAGE)?,
                other => return Err(bad(other, "not a parameter of this route")),
            }
        }
        if let (Some(from), Some(to)) = (query.from, query.to)
            && from > to
        {
            return Err(bad("to", "before from"));
        }
        // Without words to rank by, relevance means nothing: A to Z.
        if !sorted && query.text.is_empty() {
            query.sort = Sort::Title;
        }
        Ok(query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<SearchQuery, PortalError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        SearchQuery::from_pairs(&pairs)
    }

    fn refusal(pairs: &[(&str, &str)]) -> String {
        match parse(pairs) {
            Err(PortalError::BadRequest(message)) => message,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parameters_are_read_and_repeated_variables_kept() {
        let query = parse(&[
            ("q", " seattle rain "),
            ("station", "SEA"),
            ("variable", "PRCP"),
            ("variable", "TMAX"),
            ("from", "2013"),
            ("to", "2014"),
            ("page", "2"),
            ("per_page", "100"),
        ])
        .unwrap();
        assert_eq!(query.text, "seattle rain");
        assert_eq!(query.variables, ["PRCP", "TMAX"]);
        assert_eq!((query.sort, query.page.offset()), (Sort::Relevance, 100));
        assert_eq!(parse(&[]).unwrap().sort, Sort::Title);
    }

    #[test]
    fn what_is_out_of_range_or_unknown_is_refused_by_name() {
        assert!(refusal(&[("per_page", "101")]).starts_with("per_page:"));
        assert!(refusal(&[("per_page", "0")]).starts_with("per_page:"));
        assert!(refusal(&[("page", "-1")]).starts_with("page:"));
        assert!(refusal(&[("from", "2015"), ("to", "2012")]).starts_with("to:"));
        assert!(refusal(&[("from", "10000")]).starts_with("from:"));
        assert!(refusal(&[("sort", "random")]).starts_with("sort:"));
        assert!(refusal(&[("station", "../x")]).starts_with("station:"));
        assert!(refusal(&[("colour", "blue")]).starts_with("colour:"));
    }
}
