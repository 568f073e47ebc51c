//! Transfer API v0.10 wire types: the documents the embedded transfer service answers and the
//! portal reads, field for field as Globus Transfer writes them.

use serde::{Deserialize, Serialize};

/// The Transfer scope, as Globus spells it.
pub const TRANSFER_SCOPE: &str = "urn:globus:auth:scope:transfer.api.globus.org:all";

/// Every Transfer error: `{"code", "message", "request_id", "resource"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDocument {
    pub code: String,
    pub message: String,
    pub request_id: String,
    pub resource: String,
}

/// One of a collection's servers (`DATA` of an endpoint document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerDocument {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub hostname: String,
}

/// `GET /v0.10/endpoint/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointDocument {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub id: String,
    pub display_name: String,
    pub description: String,
    /// `GCSv5_mapped_collection` or `GCSv5_guest_collection`.
    pub entity_type: String,
    /// Where the collection's files are reached over HTTPS (no trailing slash).
    pub https_server: Option<String>,
    pub owner_id: String,
    pub owner_string: String,
    /// Guest collections: the collection they share a directory of, and that directory.
    pub host_endpoint_id: Option<String>,
    pub host_path: Option<String>,
    pub gcs_manager_url: Option<String>,
    pub high_assurance: bool,
    pub my_effective_roles: Vec<String>,
    #[serde(rename = "DATA")]
    pub data: Vec<ServerDocument>,
}

/// `GET /v0.10/endpoint_search`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointList {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub limit: usize,
    pub offset: usize,
    pub has_next_page: bool,
    #[serde(rename = "DATA")]
    pub data: Vec<EndpointDocument>,
}

/// One entry of a listing, or a stat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDocument {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub name: String,
    /// `dir`, `file`, `invalid_symlink`, `other`.
    #[serde(rename = "type")]
    pub kind: String,
    pub size: u64,
    /// `YYYY-MM-DD HH:MM:SS+00:00`.
    pub last_modified: String,
    /// Octal, four digits (`0755`).
    pub permissions: String,
    pub user: Option<String>,
    pub group: Option<String>,
    pub link_target: Option<String>,
}

/// `GET /v0.10/operation/endpoint/{id}/ls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileList {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub endpoint: String,
    /// The listed directory, normalised with a trailing slash.
    pub path: String,
    pub absolute_path: Option<String>,
    pub rename_supported: bool,
    pub symlink_supported: bool,
    pub length: usize,
    pub total: usize,
    #[serde(rename = "DATA")]
    pub data: Vec<FileDocument>,
}

/// `POST /v0.10/operation/endpoint/{id}/mkdir`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MkdirRequest {
    pub path: String,
}

/// `POST /v0.10/operation/endpoint/{id}/rename`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenameRequest {
    pub old_path: String,
    pub new_path: String,
}

/// The answer of an operation that succeeded (`mkdir_result`, `result`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationResult {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub code: String,
    pub message: String,
    pub request_id: String,
    pub resource: String,
}

/// Globus's date format in file documents.
pub fn file_time(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let seconds = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}+00:00",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_times_are_written_as_globus_writes_them() {
        assert_eq!(file_time(0), "1970-01-01 00:00:00+00:00");
        assert_eq!(file_time(1_600_887_192), "2020-09-23 18:53:12+00:00");
        assert_eq!(
            file_time(951_782_400),
            "2000-02-29 00:00:00+00:00",
            "a leap day"
        );
        assert_eq!(file_time(-1), "1969-12-31 23:59:59+00:00");
    }

    #[test]
    fn a_file_document_has_the_recorded_field_names() {
        let document = FileDocument {
            data_type: "file".into(),
            name: "godata".into(),
            kind: "dir".into(),
            size: 4096,
            last_modified: file_time(1_600_887_192),
            permissions: "0755".into(),
            user: None,
            group: None,
            link_target: None,
        };
        let json = serde_json::to_value(&document).unwrap();
        assert_eq!(json["DATA_TYPE"], "file");
        assert_eq!(json["type"], "dir");
        assert_eq!(json["last_modified"], "2020-09-23 18:53:12+00:00");
    }
}
