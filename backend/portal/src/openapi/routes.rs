//! Every route of the API, as the OpenAPI document describes it: what it takes and what it
//! answers. The types are the shared crate's (their schemas derived from them); a test asks each
//! route listed here of a running portal, so a route removed or renamed without this table
//! changing shows.

use crate::paging::{MOST_PAGE, MOST_PER_PAGE};

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    Path,
    Query,
    Header,
}

/// What values a parameter takes, as the handler checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Boolean,
    /// A whole number from the first to the second, both included.
    Integer(u32, u32),
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// Text that matches this regular expression.
    Matching(&'static str),
}

/// A parameter: name, where, required, its values, what it is.
pub type Param = (&'static str, In, bool, Kind, &'static str);

/// A route: method, path, tag, summary, parameters, the request body's schema, the answer's status
/// and schema (`None`: no body; `"text/event-stream"` streams), and the refusals it may answer
/// beyond those of every route.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub params: &'static [Param],
    pub body: Option<&'static str>,
    pub answer: (u16, Option<&'static str>),
    pub refusals: &'static [u16],
}

const ID: Param = ("id", In::Path, true, Kind::Text, "its id");
const PAGE: Param = (
    "page",
    In::Query,
    false,
    Kind::Integer(1, MOST_PAGE),
    "the page, from 1",
);
const PER_PAGE: Param = (
    "per_page",
    In::Query,
    false,
    Kind::Integer(1, MOST_PER_PAGE),
    "items a page",
);
const YEARS: Kind = Kind::Integer(1, 9999);
const SSE: Option<&str> = Some("text/event-stream");

/// One route a line, as a table (rustfmt would spread each over a dozen).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route { method: "get", path: "/api/health", tag: "service", summary: "The health of the portal and of the services it calls", params: &[], body: None, answer: (200, Some("HealthReport")), refusals: &[503] },
    Route { method: "get", path: "/api/me", tag: "you", summary: "Who is calling, and their profile", params: &[], body: None, answer: (200, Some("MeResponse")), refusals: &[] },
    Route { method: "put", path: "/api/me/profile", tag: "you", summary: "Save the profile (name, email, institution) the features need", params: &[], body: Some("ProfileRequest"), answer: (200, Some("MeResponse")), refusals: &[] },
    Route { method: "get", path: "/api/me/connections", tag: "you", summary: "The services the portal may use for the caller, each grant renewed if due", params: &[], body: None, answer: (200, Some("ConnectionsResponse")), refusals: &[] },
    Route { method: "post", path: "/api/auth/logout", tag: "you", summary: "End the session (or the bearer token's), revoking what the portal holds", params: &[], body: None, answer: (200, Some("LogoutResponse")), refusals: &[] },
    Route { method: "get", path: "/api/datasets", tag: "datasets", summary: "Search the catalog, with facet counts", params: &[("q", In::Query, false, Kind::Text, "words to find"), ("station", In::Query, false, Kind::Text, "a station's code"), ("variable", In::Query, false, Kind::Text, "a variable every result has (repeatable)"), ("from", In::Query, false, YEARS, "results covering a year from this one"), ("to", In::Query, false, YEARS, "results covering a year up to this one"), ("access", In::Query, false, Kind::OneOf(&["signed-in", "group"]), "who may read them"), ("sort", In::Query, false, Kind::OneOf(&["relevance", "title", "coverage"]), "the order"), PAGE, PER_PAGE], body: None, answer: (200, Some("DatasetSearch")), refusals: &[] },
    Route { method: "get", path: "/api/datasets/{id}", tag: "datasets", summary: "A dataset's landing document (JSON-LD with `Accept: application/ld+json`), with an ETag", params: &[ID], body: None, answer: (200, Some("Dataset")), refusals: &[304] },
    Route { method: "get", path: "/api/datasets/{id}/files", tag: "datasets", summary: "A folder of a dataset, a page at a time", params: &[ID, ("path", In::Query, true, Kind::Text, "the folder, from the dataset's root"), PAGE, PER_PAGE], body: None, answer: (200, Some("DatasetFiles")), refusals: &[] },
    Route { method: "post", path: "/api/datasets/{id}/downloads", tag: "datasets", summary: "A signed data-server URL for one of a dataset's files", params: &[ID], body: Some("DownloadRequest"), answer: (200, Some("DownloadLink")), refusals: &[] },
    Route { method: "get", path: "/api/collections", tag: "files", summary: "The collections the caller may use", params: &[("filter", In::Query, false, Kind::OneOf(&["all", "my-endpoints", "shared-with-me"]), "which collections"), ("q", In::Query, false, Kind::Text, "words in their names"), PAGE, PER_PAGE], body: None, answer: (200, Some("CollectionList")), refusals: &[] },
    Route { method: "get", path: "/api/collections/{id}/ls", tag: "files", summary: "A folder of a collection, a page at a time", params: &[ID, ("path", In::Query, false, Kind::Text, "the folder (default `/`)"), PAGE, PER_PAGE, ("sort", In::Query, false, Kind::OneOf(&["name", "size", "modified"]), "the order"), ("order", In::Query, false, Kind::OneOf(&["asc", "desc"]), "ascending or descending"), ("hidden", In::Query, false, Kind::Boolean, "list hidden files too")], body: None, answer: (200, Some("FolderListing")), refusals: &[] },
    Route { method: "post", path: "/api/collections/{id}/mkdir", tag: "files", summary: "Make a folder", params: &[ID], body: Some("NewFolder"), answer: (201, Some("NewFolder")), refusals: &[409] },
    Route { method: "post", path: "/api/collections/{id}/rename", tag: "files", summary: "Rename or move a file or folder", params: &[ID], body: Some("Rename"), answer: (200, Some("Rename")), refusals: &[409] },
    Route { method: "post", path: "/api/collections/{id}/delete", tag: "files", summary: "Delete files and folders (a delete task)", params: &[ID], body: Some("Deletion"), answer: (202, Some("TransferSubmitted")), refusals: &[] },
    Route { method: "post", path: "/api/collections/{id}/downloads", tag: "files", summary: "A signed data-server URL for a file of a collection", params: &[ID], body: Some("DownloadRequest"), answer: (200, Some("DownloadLink")), refusals: &[] },
    Route { method: "post", path: "/api/collections/{id}/shares", tag: "sharing", summary: "Share a folder with a person or a group (an access rule)", params: &[ID], body: Some("ShareRequest"), answer: (201, Some("Share")), refusals: &[409] },
    Route { method: "get", path: "/api/collections/{id}/shares", tag: "sharing", summary: "The shares of a folder", params: &[ID, ("path", In::Query, true, Kind::Text, "the folder"), PAGE, PER_PAGE], body: None, answer: (200, Some("Shares")), refusals: &[] },
    Route { method: "delete", path: "/api/shares/{collection}/{id}", tag: "sharing", summary: "Take a share back", params: &[("collection", In::Path, true, Kind::Text, "the collection's id"), ("id", In::Path, true, Kind::Text, "the share's id")], body: None, answer: (204, None), refusals: &[] },
    Route { method: "post", path: "/api/transfers", tag: "transfers", summary: "Submit a transfer (datasets, or files of a collection); `Idempotency-Key` makes retries safe", params: &[("Idempotency-Key", In::Header, false, Kind::Matching("^[!-~]{1,200}$"), "the same key and request make one task")], body: Some("TransferSubmission"), answer: (202, Some("TransferSubmitted")), refusals: &[409] },
    Route { method: "get", path: "/api/transfers", tag: "transfers", summary: "The caller's tasks, newest first", params: &[PAGE, PER_PAGE, ("status", In::Query, false, Kind::OneOf(&["active", "inactive", "succeeded", "failed"]), "only tasks with this status")], body: None, answer: (200, Some("TransferTasks")), refusals: &[] },
    Route { method: "get", path: "/api/transfers/{id}", tag: "transfers", summary: "A task", params: &[ID], body: None, answer: (200, Some("TransferTask")), refusals: &[] },
    Route { method: "get", path: "/api/transfers/{id}/events", tag: "transfers", summary: "A task's events, newest first", params: &[ID, PAGE, PER_PAGE], body: None, answer: (200, Some("TransferEvents")), refusals: &[] },
    Route { method: "get", path: "/api/transfers/{id}/files", tag: "transfers", summary: "The files a task copied, in the order it copied them", params: &[ID, PAGE, PER_PAGE, ("after", In::Query, false, Kind::Text, "the cursor a `next` address carries")], body: None, answer: (200, Some("TransferredFiles")), refusals: &[] },
    Route { method: "post", path: "/api/transfers/{id}/cancel", tag: "transfers", summary: "Cancel a task", params: &[ID], body: None, answer: (200, Some("TransferTask")), refusals: &[409] },
    Route { method: "post", path: "/api/transfers/{id}/again", tag: "transfers", summary: "Submit a task's request again", params: &[ID], body: None, answer: (202, Some("TransferSubmitted")), refusals: &[] },
    Route { method: "get", path: "/api/transfers/{id}/stream", tag: "transfers", summary: "A task's progress as Server-Sent Events until it ends", params: &[ID], body: None, answer: (200, SSE), refusals: &[] },
    Route { method: "post", path: "/api/graphs", tag: "graphs", summary: "Ask for graphs of datasets (a job of the graph service)", params: &[], body: Some("GraphRequest"), answer: (202, Some("GraphJob")), refusals: &[] },
    Route { method: "get", path: "/api/graphs", tag: "graphs", summary: "The caller's graph jobs, newest first", params: &[PAGE, PER_PAGE], body: None, answer: (200, Some("GraphJobs")), refusals: &[] },
    Route { method: "get", path: "/api/graphs/{id}", tag: "graphs", summary: "A graph job, and its result once done", params: &[ID], body: None, answer: (200, Some("GraphJob")), refusals: &[] },
    Route { method: "delete", path: "/api/graphs/{id}", tag: "graphs", summary: "Delete a graph job and, when no other holds them, its files", params: &[ID], body: None, answer: (204, None), refusals: &[409] },
    Route { method: "get", path: "/api/graphs/{id}/stream", tag: "graphs", summary: "A job's progress as Server-Sent Events until it ends", params: &[ID], body: None, answer: (200, SSE), refusals: &[] },
    Route { method: "post", path: "/api/graphs/{id}/links", tag: "graphs", summary: "Signed data-server URLs of a finished job's files", params: &[ID], body: None, answer: (200, Some("GraphLinks")), refusals: &[409] },
    Route { method: "get", path: "/api/apps", tag: "apps", summary: "The caller's apps, the portal's scope and the provider's code page", params: &[PAGE, PER_PAGE], body: None, answer: (200, Some("Apps")), refusals: &[] },
    Route { method: "post", path: "/api/apps", tag: "apps", summary: "Register an app (a service's secret in this answer only)", params: &[], body: Some("NewApp"), answer: (201, Some("AppRegistered")), refusals: &[] },
    Route { method: "delete", path: "/api/apps/{id}", tag: "apps", summary: "Delete an app and every token it was given", params: &[ID], body: None, answer: (204, None), refusals: &[] },
];

/// The methods (upper case) of the routes whose path template `path` matches: none for a path
/// that is no route's.
pub fn methods_of(path: &str) -> Vec<String> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let matches = |template: &str| {
        let parts: Vec<&str> = template.split('/').collect();
        parts.len() == segments.len()
            && parts
                .iter()
                .zip(&segments)
                .all(|(part, segment)| part.starts_with('{') || part == segment)
    };
    let mut methods: Vec<String> = ROUTES
        .iter()
        .filter(|route| matches(route.path))
        .map(|route| route.method.to_uppercase())
        .collect();
    methods.dedup();
    methods
}

/// Routes anyone may call, without a session or a token.
pub const PUBLIC: &[&str] = &["/api/health"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_matched_to_its_routes_methods() {
        assert_eq!(methods_of("/api/apps"), ["GET", "POST"]);
        assert_eq!(methods_of("/api/graphs/abc"), ["GET", "DELETE"]);
        assert_eq!(methods_of("/api/graphs/abc/links"), ["POST"]);
        assert!(methods_of("/api/nothing").is_empty());
        assert!(methods_of("/api/graphs/a/b/c").is_empty());
    }
}
