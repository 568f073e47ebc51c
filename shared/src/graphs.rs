//! Graph jobs: what a researcher asks the graph service for (through the portal or directly with
//! a token for its scope) and what a job reports while it runs and once it is done.

use serde::{Deserialize, Serialize};

/// The most station-years one job may graph.
pub const MAX_STATION_YEARS: usize = 20;

/// A kind of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    /// Per station and year: total precipitation per month.
    Precipitation,
    /// Per station and year: mean daily high and low per month.
    Temperature,
    /// Per station and year: the distribution of daily highs per month (box plot).
    HighDistribution,
    /// Per station, over the years asked for: the annual means side by side.
    Trend,
    /// Over the stations asked for: one chart per variable, year by year.
    Comparison,
}

impl ChartKind {
    pub const ALL: [Self; 5] = [
        Self::Precipitation,
        Self::Temperature,
        Self::HighDistribution,
        Self::Trend,
        Self::Comparison,
    ];
    /// What a request without `charts` gets: the three charts of each station-year.
    pub const STATION_YEAR: [Self; 3] = [
        Self::Precipitation,
        Self::Temperature,
        Self::HighDistribution,
    ];

    /// Its name on the wire (`high-distribution`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Precipitation => "precipitation",
            Self::Temperature => "temperature",
            Self::HighDistribution => "high-distribution",
            Self::Trend => "trend",
            Self::Comparison => "comparison",
        }
    }

    /// Its name for a person.
    pub fn label(self) -> &'static str {
        match self {
            Self::Precipitation => "Monthly precipitation",
            Self::Temperature => "Average high and low",
            Self::HighDistribution => "Distribution of daily highs",
            Self::Trend => "Trend over the years",
            Self::Comparison => "Stations compared",
        }
    }
}

/// `POST /api/graphs`: graphs of `datasets` for the years `from_year..=to_year`. Nothing in it
/// names a person: the job is the token's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GraphRequest {
    /// Dataset ids, each once.
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub datasets: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 9999))]
    pub from_year: i32,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 9999))]
    pub to_year: i32,
    /// The charts to draw; the three of each station-year when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charts: Option<Vec<ChartKind>>,
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GraphStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
}

impl GraphStatus {
    /// Whether the job is over.
    pub fn finished(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed)
    }
}

/// How far a running job is: steps done of steps to do (reading each input, drawing each chart,
/// writing each file, sharing the folder).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphProgress {
    pub done: u32,
    pub total: u32,
    /// The part of the work it is in.
    #[serde(default)]
    pub stage: GraphStage,
}

/// The part of the work a job is in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GraphStage {
    #[default]
    Waiting,
    Reading,
    Drawing,
    Writing,
    Sharing,
    Done,
}

/// A file of a job's result, by its name in the job's folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphFile {
    pub name: String,
    /// `image/svg+xml`, `image/png`, `application/ld+json`.
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
}

/// A chart of a job's result: its title and its two files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphChart {
    /// The name of its files without their extension (`SEA-2012-precipitation`).
    pub name: String,
    pub kind: ChartKind,
    pub title: String,
    pub svg: String,
    pub png: String,
}

/// What a finished job made: the collection and folder its files are in (readable by the
/// researcher, and nobody else unless they asked for the same), the charts, the provenance
/// record, and what the data lacked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphResult {
    pub collection: String,
    /// Absolute, ending with `/`.
    pub folder: String,
    pub charts: Vec<GraphChart>,
    /// `ro-crate-metadata.json`.
    pub provenance: String,
    /// Every file of the folder.
    pub files: Vec<GraphFile>,
    /// What the inputs lacked, in words, one line per station-year that lacked anything
    /// (`LNK 2014: no precipitation recorded`).
    pub notes: Vec<String>,
    /// Whether the charts were made for an identical earlier request (same inputs, parameters and
    /// software) rather than drawn again.
    pub from_cache: bool,
}

/// `GET /api/graphs/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphJob {
    pub id: String,
    pub status: GraphStatus,
    pub request: GraphRequest,
    pub progress: GraphProgress,
    /// RFC 3339.
    pub created: String,
    pub updated: String,
    /// When the results are removed (RFC 3339).
    pub expires: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<GraphResult>,
    /// Why it failed, for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `POST /api/graphs` answers `202` with the job (and a `Location`).
pub type GraphSubmitted = GraphJob;

/// `GET /api/graphs`: the caller's jobs, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphJobs {
    pub jobs: Vec<GraphJob>,
    #[serde(flatten)]
    pub paging: crate::Paging,
}

/// A signed data-server URL for one file of a job's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphFileLink {
    pub name: String,
    pub url: String,
    /// Unix seconds; at most five minutes away.
    pub expires_at: i64,
}

/// `POST /api/graphs/{id}/links`: every file of the job's result, signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GraphLinks {
    pub links: Vec<GraphFileLink>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_kinds_are_named_on_the_wire_as_in_words() {
        for kind in ChartKind::ALL {
            let wire = serde_json::to_value(kind).unwrap();
            assert_eq!(wire, kind.as_str());
        }
        let request: GraphRequest = serde_json::from_str(
            r#"{"datasets":["sea"],"from_year":2012,"to_year":2013,"charts":["high-distribution","trend"]}"#,
        )
        .unwrap();
        assert_eq!(
            request.charts,
            Some(vec![ChartKind::HighDistribution, ChartKind::Trend])
        );
    }

    #[test]
    fn a_request_naming_anyone_is_refused() {
        let error = serde_json::from_str::<GraphRequest>(
            r#"{"datasets":["sea"],"from_year":2012,"to_year":2012,"identity":"bob"}"#,
        )
        .unwrap_err();
        assert!(error.to_string().contains("unknown field"), "{error}");
    }
}
