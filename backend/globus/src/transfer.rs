//! Transfer API v0.10 wire types: the documents the embedded transfer service answers and the
//! portal reads, field for field as Globus Transfer writes them.

use serde::{Deserialize, Serialize};

/// The Transfer scope, as Globus spells it.
pub const TRANSFER_SCOPE: &str = "urn:globus:auth:scope:transfer.api.globus.org:all";
/// The resource server Globus Auth files Transfer tokens under.
pub const TRANSFER_RESOURCE_SERVER: &str = "transfer.api.globus.org";

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

crate::vocabulary! {
    /// Whom an access rule is for.
    pub enum PrincipalType {
        Identity = "identity",
        Group = "group",
        AllAuthenticatedUsers = "all_authenticated_users",
        Anonymous = "anonymous",
    }
}

crate::vocabulary! {
    /// What an access rule grants: `ReadWrite` includes `Read` (so it orders after it).
    #[derive(PartialOrd, Ord)]
    pub enum Permission {
        Read = "r",
        ReadWrite = "rw",
    }
}

/// An access rule (`GET /v0.10/endpoint/{id}/access/{rule_id}`, and each of `access_list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessDocument {
    #[serde(rename = "DATA_TYPE")]
    pub data_type: String,
    pub id: String,
    pub path: String,
    pub permissions: Permission,
    pub principal: String,
    pub principal_type: PrincipalType,
    pub role_id: Option<String>,
    pub role_type: Option<String>,
    pub create_time: String,
    pub expiration_date: Option<String>,
}

/// `POST /v0.10/endpoint/{id}/access` and `PUT …/access/{rule_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccessRequest {
    #[serde(default)]
    pub principal_type: Option<PrincipalType>,
    #[serde(default)]
    pub principal: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    pub permissions: Permission,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_document_has_the_recorded_field_names() {
        let document = FileDocument {
            data_type: "file".into(),
            name: "godata".into(),
            kind: "dir".into(),
            size: 4096,
            last_modified: crate::dates::file_time(1_600_887_192),
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
