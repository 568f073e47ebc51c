//! Where the services the portal calls live.

/// Base URLs (no trailing slash) of the services the portal talks to over HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstreams {
    pub idp: String,
    pub transfer: String,
    pub data: String,
    pub graph: String,
}
