//! Where each service is reached: where it listens when this process runs it, else where the
//! configuration says, else on this machine at its configured port.

use crate::config::Config;
use anyhow::Context;
use mrdp_portal::Upstreams;
use mrdp_shared::ServiceName;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};

/// The URL at which a service of this configuration is reached from this machine.
pub fn local_url(config: &Config, service: ServiceName) -> String {
    base_url(
        scheme_of(config, service),
        SocketAddr::new(config.bind_address, config.port(service)),
    )
}

/// `https` for the data server when it has a certificate; `http` otherwise.
fn scheme_of(config: &Config, service: ServiceName) -> &'static str {
    if service == ServiceName::Data && config.data.tls_certificate.is_some() {
        "https"
    } else {
        "http"
    }
}

pub(crate) fn base_url(scheme: &str, address: SocketAddr) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    format!("{scheme}://{}", SocketAddr::new(host, address.port()))
}

/// Services run here are reached where they listen; the others where configuration says.
pub(crate) fn resolve_urls(
    config: &Config,
    listeners: &[(ServiceName, TcpListener)],
) -> anyhow::Result<Vec<(ServiceName, String)>> {
    ServiceName::ALL
        .iter()
        .map(|&service| {
            let url = match listeners.iter().find(|(s, _)| *s == service) {
                Some((_, listener)) => base_url(
                    scheme_of(config, service),
                    listener.local_addr().context("listener address")?,
                ),
                None => match config.upstreams.get(service) {
                    Some(url) => url.trim_end_matches('/').to_owned(),
                    None => local_url(config, service),
                },
            };
            Ok((service, url))
        })
        .collect()
}

pub(crate) fn url_of(urls: &[(ServiceName, String)], service: ServiceName) -> String {
    urls.iter()
        .find(|(s, _)| *s == service)
        .map(|(_, url)| url.clone())
        .unwrap_or_default()
}

pub(crate) fn upstreams_of(urls: &[(ServiceName, String)]) -> Upstreams {
    Upstreams {
        idp: url_of(urls, ServiceName::Idp),
        transfer: url_of(urls, ServiceName::Transfer),
        data: url_of(urls, ServiceName::Data),
        graph: url_of(urls, ServiceName::Graph),
    }
}

/// The identity provider's issuer: configured, or its URL.
pub(crate) fn issuer_of(config: &Config, urls: &[(ServiceName, String)]) -> String {
    config
        .idp
        .issuer
        .clone()
        .unwrap_or_else(|| url_of(urls, ServiceName::Idp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_binds_are_reached_on_loopback() {
        let address: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(base_url("http", address), "http://127.0.0.1:8080");
        let v6: SocketAddr = "[::1]:9000".parse().unwrap();
        assert_eq!(base_url("https", v6), "https://[::1]:9000");
    }

    #[test]
    fn services_run_elsewhere_are_reached_where_configured() {
        let mut config = Config::default();
        config.upstreams.graph = Some("https://graph.example.org/".into());
        let urls = resolve_urls(&config, &[]).unwrap();
        assert_eq!(
            url_of(&urls, ServiceName::Graph),
            "https://graph.example.org"
        );
        assert_eq!(url_of(&urls, ServiceName::Idp), "http://127.0.0.1:8081");
    }
}
