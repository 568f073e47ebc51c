//! Configuration: defaults, then a TOML file, then `MRDP_*` environment variables (`__` separates
//! nested keys: `MRDP_LOG__FORMAT=json`), then command-line flags. Validated once at start-up;
//! errors name the key.

use crate::auth_config::AuthConfig;
use crate::data_config::DataConfig;
use crate::graph_config::GraphConfig;
use crate::idp_config::IdpConfig;
use crate::portal_config::PortalConfig;
use crate::s3_config::S3Config;
use crate::transfer_config::TransferConfig;
use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use mrdp_service::forwarded::TrustedProxies;
use mrdp_service::store::DatabaseUrl;
use mrdp_shared::ServiceName;
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};

/// Environment variables under this prefix are reserved for the test tooling, not configuration.
const TEST_TOOLING_PREFIX: &str = "TEST_";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Databases, generated secrets and collection storage.
    pub data_dir: PathBuf,
    /// The portal's port; the other services use the next four. 0: free ports.
    pub port_base: u16,
    /// The address every service listens on.
    pub bind_address: IpAddr,
    /// `postgres://…` for PostgreSQL; unset for SQLite files under `<data_dir>/db`.
    pub database_url: Option<DatabaseUrl>,
    /// The built single-page app that the portal serves (a `trunk build`'s `dist/`); unset: the
    /// one built into `mrdp`.
    pub dist_dir: Option<PathBuf>,
    /// HTTP worker threads per service.
    pub workers: usize,
    /// The reverse proxies (addresses, or networks in CIDR notation) whose `X-Forwarded-For`
    /// names the client, for the limits kept per address; nobody's by default.
    pub trusted_proxies: Vec<String>,
    pub log: LogConfig,
    /// The embedded identity provider.
    pub idp: IdpConfig,
    /// The identity provider the portal signs people in with.
    pub auth: AuthConfig,
    /// The portal's sessions and token vault.
    pub portal: PortalConfig,
    pub transfer: TransferConfig,
    /// The data server.
    pub data: DataConfig,
    /// The S3-compatible store of `s3://` collections.
    pub s3: S3Config,
    /// The graph service's jobs and results.
    pub graph: GraphConfig,
    /// Base URLs of services run elsewhere (when this process does not run them).
    pub upstreams: UpstreamsConfig,
    /// Prometheus metrics.
    pub metrics: MetricsConfig,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// `GET /metrics` on every service (off by default: it tells how the deployment is used, so
    /// turn it on where only the monitoring reaches the services' ports).
    pub enabled: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./var"),
            port_base: 8080,
            bind_address: IpAddr::V4(Ipv4Addr::LOCALHOST),
            database_url: None,
            dist_dir: None,
            workers: 2,
            trusted_proxies: Vec::new(),
            log: LogConfig::default(),
            idp: IdpConfig::default(),
            auth: AuthConfig::default(),
            portal: PortalConfig::default(),
            transfer: TransferConfig::default(),
            data: DataConfig::default(),
            s3: S3Config::default(),
            graph: GraphConfig::default(),
            upstreams: UpstreamsConfig::default(),
            metrics: MetricsConfig::default(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UpstreamsConfig {
    pub idp: Option<String>,
    pub transfer: Option<String>,
    pub data: Option<String>,
    pub graph: Option<String>,
}

impl UpstreamsConfig {
    pub fn get(&self, service: ServiceName) -> Option<&str> {
        match service {
            ServiceName::Idp => self.idp.as_deref(),
            ServiceName::Transfer => self.transfer.as_deref(),
            ServiceName::Data => self.data.as_deref(),
            ServiceName::Graph => self.graph.as_deref(),
            ServiceName::Portal => None,
        }
    }
}

/// Flags given on the command line; they override every other source.
#[derive(Debug, Default)]
pub struct CliOverrides {
    pub data_dir: Option<PathBuf>,
    pub port_base: Option<u16>,
}

impl Config {
    /// Loads and validates the configuration from every source, in order of precedence.
    pub fn load(file: Option<&Path>, overrides: CliOverrides) -> anyhow::Result<Self> {
        let mut figment = Figment::new();
        if let Some(file) = file {
            anyhow::ensure!(
                file.is_file(),
                "configuration file {} does not exist",
                file.display()
            );
            figment = figment.merge(Toml::file(file));
        }
        figment = figment.merge(
            Env::prefixed("MRDP_")
                .filter(|key| {
                    !key.as_str()
                        .to_ascii_uppercase()
                        .starts_with(TEST_TOOLING_PREFIX)
                })
                .split("__"),
        );
        if let Some(dir) = overrides.data_dir {
            figment = figment.merge(Serialized::default("data_dir", dir));
        }
        if let Some(port) = overrides.port_base {
            figment = figment.merge(Serialized::default("port_base", port));
        }
        let config: Self = figment.extract().map_err(describe)?;
        config.validate()?;
        Ok(config)
    }

    /// A configuration for tests: free ports, the given directories, no files, no environment.
    pub fn for_tests(data_dir: &Path, dist_dir: &Path, database_url: Option<DatabaseUrl>) -> Self {
        Self {
            data_dir: data_dir.to_owned(),
            port_base: 0,
            database_url,
            dist_dir: Some(dist_dir.to_owned()),
            workers: 1,
            ..Self::default()
        }
    }

    /// [`Self::trusted_proxies`], read.
    pub fn proxies(&self) -> anyhow::Result<TrustedProxies> {
        TrustedProxies::parse(&self.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("trusted_proxies: {e}"))
    }

    fn validate(&self) -> anyhow::Result<()> {
        let last_port = u32::from(self.port_base) + SERVICE_PORT_OFFSETS;
        anyhow::ensure!(
            self.port_base == 0 || last_port <= u32::from(u16::MAX),
            "port_base: {} leaves no room for the four ports after it (at most {})",
            self.port_base,
            u32::from(u16::MAX) - SERVICE_PORT_OFFSETS
        );
        anyhow::ensure!(self.workers >= 1, "workers: must be at least 1");
        self.transfer.validate()?;
        anyhow::ensure!(
            self.idp.access_token_lifetime >= 60,
            "idp.access_token_lifetime: at least 60 seconds"
        );
        anyhow::ensure!(
            self.idp.refresh_token_lifetime >= self.idp.access_token_lifetime,
            "idp.refresh_token_lifetime: at least idp.access_token_lifetime"
        );
        if let Some(issuer) = &self.idp.issuer {
            anyhow::ensure!(
                (issuer.starts_with("http://") || issuer.starts_with("https://"))
                    && !issuer.ends_with('/'),
                "idp.issuer: `{issuer}` is not an http(s) URL without a trailing slash"
            );
        }
        self.auth.validate()?;
        self.portal.validate()?;
        self.data.validate()?;
        self.s3.validate()?;
        self.graph.validate()?;
        self.proxies()?;
        mrdp_service::store::StoreLocation::from_config(self.database_url.as_ref(), &self.data_dir)
            .context("database_url")?;
        for service in ServiceName::ALL {
            if let Some(url) = self.upstreams.get(service) {
                anyhow::ensure!(
                    url.starts_with("http://") || url.starts_with("https://"),
                    "upstreams.{}: `{url}` is not an http(s) URL",
                    service_key(service)
                );
            }
        }
        Ok(())
    }

    /// The port `service` listens on (0 when `port_base` is 0: a free port).
    pub fn port(&self, service: ServiceName) -> u16 {
        if self.port_base == 0 {
            return 0;
        }
        self.port_base + port_offset(service)
    }
}

/// How many ports follow the portal's.
const SERVICE_PORT_OFFSETS: u32 = 4;

fn port_offset(service: ServiceName) -> u16 {
    match service {
        ServiceName::Portal => 0,
        ServiceName::Idp => 1,
        ServiceName::Transfer => 2,
        ServiceName::Data => 3,
        ServiceName::Graph => 4,
    }
}

/// The configuration key (and command name) of a service.
pub fn service_key(service: ServiceName) -> &'static str {
    match service {
        ServiceName::Portal => "portal",
        ServiceName::Idp => "idp",
        ServiceName::Transfer => "transfer",
        ServiceName::Data => "data",
        ServiceName::Graph => "graph",
    }
}

/// One line per error: the key as written in TOML (`log.format`), what is wrong, and where the
/// value came from.
fn describe(error: figment::Error) -> anyhow::Error {
    let lines: Vec<String> = error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".").to_ascii_lowercase();
            let source = e
                .metadata
                .as_ref()
                .map_or_else(String::new, |m| format!(" (from {})", m.name));
            if key.is_empty() {
                format!("{}{source}", e.kind)
            } else {
                format!("{key}: {}{source}", e.kind)
            }
        })
        .collect();
    anyhow::anyhow!("invalid configuration: {}", lines.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_embedded_deployment() {
        let config = Config::default();
        config.validate().unwrap();
        assert_eq!(config.port(ServiceName::Portal), 8080);
        assert_eq!(config.port(ServiceName::Graph), 8084);
        assert_eq!(config.bind_address, IpAddr::V4(Ipv4Addr::LOCALHOST));
    }

    #[test]
    fn port_base_zero_gives_free_ports() {
        let config = Config {
            port_base: 0,
            ..Config::default()
        };
        assert!(ServiceName::ALL.iter().all(|s| config.port(*s) == 0));
    }

    #[test]
    fn port_base_must_leave_room_for_every_service() {
        let error = Config {
            port_base: 65533,
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert!(error.to_string().starts_with("port_base:"), "{error}");
        Config {
            port_base: 65531,
            ..Config::default()
        }
        .validate()
        .unwrap();
    }

    #[test]
    fn token_lifetimes_and_issuer_are_checked() {
        let short = IdpConfig {
            access_token_lifetime: 10,
            ..IdpConfig::default()
        };
        let error = Config {
            idp: short,
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert!(
            error.to_string().starts_with("idp.access_token_lifetime:"),
            "{error}"
        );
        let issuer = IdpConfig {
            issuer: Some("https://auth.example.org/".into()),
            ..IdpConfig::default()
        };
        let error = Config {
            idp: issuer,
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert!(error.to_string().starts_with("idp.issuer:"), "{error}");
    }

    #[test]
    fn upstream_urls_must_be_http() {
        let upstreams = UpstreamsConfig {
            graph: Some("ftp://x".into()),
            ..Default::default()
        };
        let error = Config {
            upstreams,
            ..Config::default()
        }
        .validate()
        .unwrap_err();
        assert!(error.to_string().starts_with("upstreams.graph:"), "{error}");
    }

    #[test]
    fn unsupported_database_is_named() {
        let config = Config {
            database_url: Some(DatabaseUrl::new("mysql://h/db")),
            ..Config::default()
        };
        let error = format!("{:#}", config.validate().unwrap_err());
        assert!(error.starts_with("database_url:"), "{error}");
    }
}
