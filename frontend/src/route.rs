//! Every client-side route, so that no component types a path by hand.

use leptos_router::{ParamSegment, StaticSegment};

/// The pages of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppRoute {
    /// The landing page: what the portal may do for a signed-in researcher, the service status
    /// for everyone else.
    Home,
    /// The health of every service.
    Status,
    /// The researcher's profile.
    Profile,
    /// Why a sign-in did not complete (`?reason=`); the portal's callback sends browsers here.
    SignInError,
    /// The catalog's search (`?q=&station=…`).
    Datasets,
    /// Two collections side by side (`?origin=&origin_path=&destination=&destination_path=`).
    FileManager,
    /// The researcher's transfers and deletes.
    Activity,
    /// Graphs of datasets: asking for them, and the researcher's jobs.
    Graphs,
    /// The researcher's apps, which call the portal's API for whoever signs in to them.
    Developer,
}

impl AppRoute {
    /// The path to link to.
    pub fn path(self) -> &'static str {
        match self {
            Self::Home => "/",
            Self::Status => "/status",
            Self::Profile => "/profile",
            Self::SignInError => "/signin-error",
            Self::Datasets => "/datasets",
            Self::FileManager => "/file-manager",
            Self::Activity => "/activity",
            Self::Graphs => "/graphs",
            Self::Developer => "/developer",
        }
    }

    /// The path as router segments, for the route table.
    pub fn segments(self) -> (StaticSegment<&'static str>,) {
        (StaticSegment(self.path().trim_start_matches('/')),)
    }
}

/// A dataset's landing page, `/datasets/{id}`.
pub fn dataset_path(id: &str) -> String {
    format!("{}/{id}", AppRoute::Datasets.path())
}

/// The landing page's route: the datasets path, then the id.
pub fn dataset_segments() -> (StaticSegment<&'static str>, ParamSegment) {
    (
        AppRoute::Datasets.segments().0,
        ParamSegment(DATASET_ID_PARAM),
    )
}

/// The name of the landing page's id parameter.
pub const DATASET_ID_PARAM: &str = "id";

/// One task's page, `/activity/{id}`.
pub fn task_path(id: &str) -> String {
    format!("{}/{id}", AppRoute::Activity.path())
}

/// The task page's route.
pub fn task_segments() -> (StaticSegment<&'static str>, ParamSegment) {
    (AppRoute::Activity.segments().0, ParamSegment(TASK_ID_PARAM))
}

/// The name of the task page's id parameter.
pub const TASK_ID_PARAM: &str = "task";

/// One graph job's page, `/graphs/{id}`.
pub fn graph_path(id: &str) -> String {
    format!("{}/{id}", AppRoute::Graphs.path())
}

/// The graph job page's route.
pub fn graph_segments() -> (StaticSegment<&'static str>, ParamSegment) {
    (AppRoute::Graphs.segments().0, ParamSegment(GRAPH_ID_PARAM))
}

/// The name of the graph job page's id parameter.
pub const GRAPH_ID_PARAM: &str = "job";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_is_the_landing_page() {
        assert_eq!(AppRoute::Home.path(), "/");
        assert_eq!(AppRoute::Home.segments().0.0, "");
        assert_eq!(AppRoute::Status.segments().0.0, "status");
        assert_eq!(dataset_path("sea"), "/datasets/sea");
        assert_eq!(dataset_segments().1.0, DATASET_ID_PARAM);
        assert_eq!(task_path("t-1"), "/activity/t-1");
        assert_eq!(task_segments().0.0, "activity");
    }
}
