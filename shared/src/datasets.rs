//! Datasets of the catalog: what search results, landing pages and the catalog file describe.

use serde::{Deserialize, Serialize};

/// Where a station is, when its source says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coordinates {
    /// Decimal degrees, north positive.
    pub latitude: f64,
    /// Decimal degrees, east positive.
    pub longitude: f64,
    /// Metres above sea level.
    pub elevation_m: f64,
    /// Where the coordinates come from (a file of a registry package, a station registry).
    pub source: String,
}

/// The weather station a dataset records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Station {
    /// Its code (`SEA`).
    pub id: String,
    pub name: String,
    /// `None` when no source at hand gives them: nothing is invented.
    pub coordinates: Option<Coordinates>,
}

/// A column of the dataset's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Variable {
    /// The column's name (`TMAX`).
    pub name: String,
    /// What it measures (`Maximum temperature`).
    pub description: String,
    /// Its unit as written in the files (`tenths of °C`).
    pub unit: String,
}

/// Who may find and read a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Access {
    /// Everyone signed in.
    SignedIn,
    /// The members of one group of the identity provider.
    Group { id: String, name: String },
}

/// How to cite a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Citation {
    pub text: String,
    pub bibtex: String,
}

/// A dataset's landing document: `GET /api/datasets/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dataset {
    /// A slug; the shipped datasets use their station folder's name (`sea`).
    pub id: String,
    pub title: String,
    pub description: String,
    pub station: Station,
    pub variables: Vec<Variable>,
    /// Columns present in the files but empty throughout (`PRCP` for LNK and CEU).
    pub variables_missing: Vec<String>,
    pub first_year: i32,
    pub last_year: i32,
    /// The years that have a file, as the transfer service lists them.
    pub years_present: Vec<i32>,
    /// Counted by the transfer service, never typed by hand.
    pub file_count: u64,
    pub bytes: u64,
    pub licence: String,
    pub source: String,
    pub provenance: String,
    /// Who made the observations (schema.org `creator`).
    pub creator: String,
    pub citation: Citation,
    pub access: Access,
}

/// A dataset as a search result shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetSummary {
    pub id: String,
    pub title: String,
    pub station: Station,
    /// The names of its variables (`PRCP`, `TMAX`, `TMIN`).
    pub variables: Vec<String>,
    pub variables_missing: Vec<String>,
    pub first_year: i32,
    pub last_year: i32,
    pub file_count: u64,
    pub bytes: u64,
    pub access: Access,
}

/// How many of the results have one value of a facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// What to filter by (`SEA`, `PRCP`, `group`).
    pub value: String,
    /// What to show (`Seattle, WA`).
    pub label: String,
    pub count: u64,
}

/// The facets of a search, counted over its filtered results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetFacets {
    pub station: Vec<FacetCount>,
    pub variable: Vec<FacetCount>,
    pub access: Vec<FacetCount>,
}

/// `GET /api/datasets?q=&station=&variable=&from=&to=&access=&sort=&page=&per_page=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetSearch {
    pub results: Vec<DatasetSummary>,
    pub facets: DatasetFacets,
    /// `total`: how many datasets match, over all pages.
    #[serde(flatten)]
    pub paging: crate::Paging,
}

/// What an entry of a dataset's folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Folder,
    File,
}

/// One entry of a dataset's folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileEntry {
    pub name: String,
    pub kind: FileKind,
    /// Bytes (0 for a folder).
    pub size: u64,
    /// As the transfer service says: `YYYY-MM-DD HH:MM:SS+00:00`.
    pub modified: String,
}

/// `GET /api/datasets/{id}/files?path=&page=&per_page=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetFiles {
    /// The folder listed, relative to the dataset's (`""` is its top).
    pub path: String,
    pub entries: Vec<FileEntry>,
    #[serde(flatten)]
    pub paging: crate::Paging,
}

/// `POST /api/datasets/{id}/downloads`: a file of the dataset, relative to its folder;
/// `POST /api/collections/{id}/downloads`: a file of the collection, absolute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DownloadRequest {
    /// `2012.csv`, `nested/deeper/file.csv`.
    pub path: String,
}

/// A short-lived URL on the data server that reads one file without a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DownloadLink {
    pub url: String,
    /// Unix seconds; at most five minutes away.
    pub expires_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_is_tagged_by_kind() {
        let group = Access::Group {
            id: "g1".into(),
            name: "Climate history".into(),
        };
        assert_eq!(
            serde_json::to_value(&group).unwrap(),
            serde_json::json!({"kind": "group", "id": "g1", "name": "Climate history"})
        );
        assert_eq!(
            serde_json::to_value(Access::SignedIn).unwrap(),
            serde_json::json!({"kind": "signed_in"})
        );
        assert!(serde_json::from_str::<Access>(r#"{"kind":"everyone"}"#).is_err());
    }
}
