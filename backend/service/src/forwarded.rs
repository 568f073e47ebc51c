//! Who a request comes from behind a reverse proxy. A service behind a load balancer sees the
//! proxy as its peer; the proxy names the client in `X-Forwarded-For`. That header is anyone's to
//! write, so it is believed only from the proxies the configuration trusts (`trusted_proxies`),
//! and only back to the first address that is not one of them: a client that sends its own
//! `X-Forwarded-For` through a trusted proxy cannot choose the address it is limited by.
//!
//! The URLs services give out (redirects, the issuer, cookies' `Secure`) come from their
//! configured public URLs (`portal.public_url`, `idp.issuer`), never from request headers.

use actix_web::HttpRequest;
use actix_web::web;
use std::net::IpAddr;

/// The networks whose peers may name the client (`127.0.0.1`, `10.0.0.0/8`, `::1/128`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Reads addresses and networks in CIDR notation; an address alone is itself.
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        entries
            .iter()
            .map(|entry| {
                let (address, bits) = entry.split_once('/').unwrap_or((entry, ""));
                let address: IpAddr = address
                    .trim()
                    .parse()
                    .map_err(|_| format!("{entry}: not an IP address or network"))?;
                let most = if address.is_ipv4() { 32 } else { 128 };
                let bits = match bits {
                    "" => most,
                    bits => bits
                        .parse::<u8>()
                        .ok()
                        .filter(|bits| *bits <= most)
                        .ok_or_else(|| format!("{entry}: the prefix is 0 to {most} bits"))?,
                };
                Ok((address, bits))
            })
            .collect::<Result<_, String>>()
            .map(Self)
    }

    /// Whether `address` is one of the trusted proxies.
    pub fn trusts(&self, address: IpAddr) -> bool {
        self.0
            .iter()
            .any(|(network, bits)| within(address, *network, *bits))
    }

    /// The client's address: the peer's, or when the peer is a trusted proxy, the nearest address
    /// in `X-Forwarded-For` (read from the right) that is not a trusted proxy.
    pub fn client_of(&self, peer: Option<IpAddr>, forwarded_for: &[&str]) -> Option<IpAddr> {
        let mut client = peer?;
        let mut chain = forwarded_for
            .iter()
            .flat_map(|header| header.split(','))
            .rev();
        while self.trusts(client) {
            match chain.next().map(|hop| hop.trim().parse::<IpAddr>()) {
                Some(Ok(hop)) => client = hop,
                // Nothing more said, or something that is no address: the last one known.
                Some(Err(_)) | None => break,
            }
        }
        Some(client)
    }
}

/// The client of `req`, as the service's [`TrustedProxies`] (in its app data, when configured)
/// allow it to be known.
pub fn client_address(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|peer| peer.ip());
    let Some(proxies) = req.app_data::<web::Data<TrustedProxies>>() else {
        return peer;
    };
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .collect();
    proxies.client_of(peer, &forwarded)
}

/// `configure`, with `proxies` in the app data that [`client_address`] reads.
pub fn trusting<F>(
    proxies: TrustedProxies,
    configure: F,
) -> impl Fn(&mut web::ServiceConfig) + Clone
where
    F: Fn(&mut web::ServiceConfig) + Clone,
{
    let proxies = web::Data::new(proxies);
    move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(proxies.clone());
        configure(cfg);
    }
}

fn within(address: IpAddr, network: IpAddr, bits: u8) -> bool {
    let (address, network, width) = match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => (u128::from(a.to_bits()), u128::from(n.to_bits()), 32),
        (IpAddr::V6(a), IpAddr::V6(n)) => (a.to_bits(), n.to_bits(), 128),
        (IpAddr::V6(a), IpAddr::V4(_)) => match a.to_ipv4_mapped() {
            Some(mapped) => return within(IpAddr::V4(mapped), network, bits),
            None => return false,
        },
        (IpAddr::V4(_), IpAddr::V6(_)) => return false,
    };
    let shift = width - u32::from(bits);
    shift >= width || (address >> shift) == (network >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(entries: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&entries.iter().map(|e| (*e).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn networks_are_read_in_cidr_notation_and_nonsense_is_refused() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8", "fd00::/8"]);
        assert!(trusted.trusts(ip("127.0.0.1")) && !trusted.trusts(ip("127.0.0.2")));
        assert!(trusted.trusts(ip("10.200.3.4")) && !trusted.trusts(ip("11.0.0.1")));
        assert!(trusted.trusts(ip("fd12::1")) && !trusted.trusts(ip("fe80::1")));
        assert!(
            trusted.trusts(ip("::ffff:10.1.1.1")),
            "IPv4 mapped into IPv6"
        );
        assert!(proxies(&["0.0.0.0/0"]).trusts(ip("203.0.113.9")));
        for bad in ["localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/x"] {
            assert!(TrustedProxies::parse(&[bad.to_owned()]).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_client_is_the_nearest_untrusted_hop_and_only_a_trusted_peer_names_it() {
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let (proxy, client) = (Some(ip("127.0.0.1")), ip("203.0.113.7"));
        assert_eq!(trusted.client_of(proxy, &["203.0.113.7"]), Some(client));
        assert_eq!(
            trusted.client_of(proxy, &["198.51.100.1, 203.0.113.7, 10.0.0.2"]),
            Some(client),
            "what the client itself wrote before its address is not believed"
        );
        assert_eq!(
            trusted.client_of(proxy, &["198.51.100.1", "203.0.113.7"]),
            Some(client),
            "several headers read as one list"
        );
        assert_eq!(
            trusted.client_of(Some(client), &["198.51.100.1"]),
            Some(client),
            "a peer that is no proxy names nobody"
        );
        assert_eq!(trusted.client_of(proxy, &[]), proxy, "no header: the proxy");
        assert_eq!(trusted.client_of(proxy, &["junk"]), proxy);
        assert_eq!(
            TrustedProxies::default().client_of(proxy, &["203.0.113.7"]),
            proxy
        );
    }
}
