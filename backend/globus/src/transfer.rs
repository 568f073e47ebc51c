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

/// An access rule (`GET /v0.10/endpoint/{id}/access/{rule_id}`, and each of `access_list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessDocument {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub id: String,
    pub path: String,
    pub permissions: String,
    pub principal: String,
    pub principal_type: String,
    pub role_id: Option<String>,
    pub role_type: Option<String>,
    pub create_time: String,
    pub expiration_date: Option<String>,
}

/// `POST /v0.10/endpoint/{id}/access` and `PUT …/access/{rule_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequest {
    #[serde(default)]
    pub principal_type: Option<String>,
    #[serde(default)]
    pub principal: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    pub permissions: String,
    #[serde(default)]
    pub expiration_date: Option<String>,
}

/// `GET /v0.10/endpoint/{id}/access_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessList {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub endpoint: String,
    pub length: usize,
    #[serde(rename = "DATA")]
    pub data: Vec<AccessDocument>,
}

/// `POST /v0.10/shared_endpoint`: a guest collection on a directory of a host collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedEndpointRequest {
    pub host_endpoint: String,
    pub host_path: String,
    pub display_name: String,
    #[serde(default)]
    pub description: Option<String>,
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
    /// What the operation made (`access_id` of a rule, `id` of a shared endpoint).
    #[serde(flatten)]
    pub made: std::collections::BTreeMap<String, String>,
}

/// Globus's date format in file documents (`2020-09-23 18:53:12+00:00`).
pub fn file_time(unix_seconds: i64) -> String {
    format_time(unix_seconds, ' ')
}

/// Globus's date format in task and access documents (`2021-01-15T18:11:31+00:00`).
pub fn iso_time(unix_seconds: i64) -> String {
    format_time(unix_seconds, 'T')
}

fn format_time(unix_seconds: i64, separator: char) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let seconds = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}{separator}{:02}:{:02}:{:02}+00:00",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// Reads a UTC date as clients write it: `2024-05-01`, `2024-05-01T12:00:00`, with an optional
/// `Z` or `+00:00`, a space for the `T`. `None` for anything else (other offsets included).
pub fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text
        .strip_suffix("+00:00")
        .or_else(|| text.strip_suffix('Z'))
        .unwrap_or(text);
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-').map(str::parse::<i64>);
    let (year, month, day) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let seconds = match time {
        None => 0,
        Some(time) => {
            let mut parts = time.splitn(3, ':').map(str::parse::<i64>);
            let (h, m) = (parts.next()?.ok()?, parts.next()?.ok()?);
            let s = parts.next().map_or(Some(0), |s| s.ok())?;
            if h > 23 || m > 59 || s > 59 || h < 0 || m < 0 || s < 0 {
                return None;
            }
            h * 3600 + m * 60 + s
        }
    };
    let days = days_from_civil(year, month, day);
    (civil_from_days(days) == (year, month, day)).then_some(days * 86_400 + seconds)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of [`civil_from_days`]).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
    fn times_read_back_as_written() {
        for t in [0, 1_600_887_192, 951_782_400, -1, 4_102_444_800] {
            assert_eq!(parse_time(&iso_time(t)), Some(t), "{}", iso_time(t));
            assert_eq!(parse_time(&file_time(t)), Some(t));
        }
        assert_eq!(parse_time("2024-05-01"), Some(1_714_521_600));
        assert_eq!(parse_time("2024-05-01T12:00:00Z"), Some(1_714_564_800));
        for bad in [
            "2024-02-30",
            "2024-13-01",
            "yesterday",
            "2024-05-01T25:00:00",
            "2024-05-01T12:00:00+02:00",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
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
