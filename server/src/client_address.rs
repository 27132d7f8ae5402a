//! Who a request comes from: the TCP peer, or, when that peer is a reverse
//! proxy named in `--trusted-proxies`, the client it names in
//! `X-Forwarded-For`.
//!
//! Anyone can send `X-Forwarded-For`, so it is read only from a trusted
//! peer, and only as far as trusted proxies wrote it: each proxy appends the
//! address it got the request from, so the list is walked from the right,
//! past the trusted proxies, to the first address none of them is; what is
//! left of that is the client's own say and is ignored. Without the flag the
//! header is ignored altogether.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::http::{AppState, HttpError};

/// One address or a CIDR range of them, as `--trusted-proxies` names it:
/// `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpRange {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let refuse = || {
            format!(
                "`{text}` is not an IP address or a CIDR range (such as 10.0.0.5, 10.0.0.0/8, ::1 or fd00::/8)"
            )
        };
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address.parse().map_err(|_| refuse())?;
        let network = network.to_canonical();
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(refuse)?,
        };
        Ok(Self { network, prefix })
    }
}

/// The reverse proxies whose `X-Forwarded-For` the server believes.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpRange>);

impl TrustedProxies {
    pub fn new(ranges: Vec<IpRange>) -> Self {
        Self(ranges)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(ip))
    }

    /// The client behind `peer`: `peer` itself unless it is a trusted
    /// proxy, else the right-most address in `X-Forwarded-For` that is not
    /// a trusted proxy (or the left-most, when all are). An entry that is
    /// not an address ends the walk at the last address read: no trusted
    /// proxy writes one.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for entry in forwarded.iter().rev() {
            let Some(hop) = parse_hop(entry) else {
                return client;
            };
            client = hop;
            if !self.contains(hop) {
                return hop;
            }
        }
        client
    }
}

/// An address as proxies write it: `203.0.113.7`, `2001:db8::1`, and
/// sometimes with a port, `203.0.113.7:41234` or `[2001:db8::1]:41234`.
fn parse_hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    let ip = entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()?;
    Some(ip.to_canonical())
}

/// Whether a request carries any header by which a proxy says whom it
/// forwards for: such a request from a peer that is not a trusted proxy
/// came through a proxy the server does not know, so its peer address says
/// nothing about the client.
pub fn is_forwarded(headers: &HeaderMap) -> bool {
    [
        "forwarded",
        "x-forwarded-for",
        "x-real-ip",
        "x-forwarded-host",
    ]
    .iter()
    .any(|name| headers.contains_key(*name))
}

/// The key by which limits count a client: an IPv4 address, or the /64
/// network of an IPv6 address (one client usually holds a whole /64, so
/// counting single addresses would count nothing).
pub fn network(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & (u128::MAX << 64)).into()),
        v4 => v4,
    }
}

/// The client address of a request, for handlers (sign-in limits).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let ConnectInfo(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .copied()
            .ok_or_else(|| {
                HttpError::internal(anyhow::anyhow!("no peer address on the request"))
            })?;
        Ok(Self(
            state.trusted_proxies().client(peer.ip(), &parts.headers),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(list.iter().map(|r| r.parse().expect("a range")).collect())
    }

    fn forwarded_for(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(v).expect("ascii"));
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn ranges_parse_and_match() {
        let r: IpRange = "10.0.0.0/8".parse().expect("a range");
        assert!(r.contains(ip("10.200.3.4")));
        assert!(!r.contains(ip("11.0.0.1")));
        assert!(
            r.contains(ip("::ffff:10.1.2.3")),
            "IPv4-mapped counts as IPv4"
        );
        let single: IpRange = " 127.0.0.1 ".parse().expect("an address");
        assert!(single.contains(ip("127.0.0.1")) && !single.contains(ip("127.0.0.2")));
        let v6: IpRange = "fd00::/8".parse().expect("a v6 range");
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        let all: IpRange = "0.0.0.0/0".parse().expect("everything");
        assert!(all.contains(ip("192.0.2.1")) && !all.contains(ip("::1")));
        for bad in [
            "",
            "10.0.0.0/33",
            "::/129",
            "proxy.local",
            "10.0.0.0/",
            "10.0.0/8",
        ] {
            assert!(bad.parse::<IpRange>().is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy() {
        let trusted = proxies(&["10.0.0.1"]);
        let headers = forwarded_for(&["198.51.100.1"]);
        assert_eq!(
            trusted.client(ip("203.0.113.9"), &headers),
            ip("203.0.113.9")
        );
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.1"), &headers),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn the_client_is_the_right_most_address_no_trusted_proxy_is() {
        let trusted = proxies(&["10.0.0.0/8", "192.0.2.7"]);
        // The client said it was 1.1.1.1; the outer proxy saw 198.51.100.4;
        // the inner proxy saw the outer one.
        let headers = forwarded_for(&["1.1.1.1, 198.51.100.4", "192.0.2.7"]);
        assert_eq!(trusted.client(ip("10.1.1.1"), &headers), ip("198.51.100.4"));
        // All trusted: the left-most is as far as anyone can tell.
        let headers = forwarded_for(&["10.9.9.9, 192.0.2.7"]);
        assert_eq!(trusted.client(ip("10.1.1.1"), &headers), ip("10.9.9.9"));
        // No header: the proxy itself.
        assert_eq!(
            trusted.client(ip("10.1.1.1"), &HeaderMap::new()),
            ip("10.1.1.1")
        );
        // Ports and brackets, as some proxies write them.
        let headers = forwarded_for(&["[2001:db8::5]:4711"]);
        assert_eq!(trusted.client(ip("10.1.1.1"), &headers), ip("2001:db8::5"));
        // Garbage stops the walk at the last address a trusted proxy wrote.
        let headers = forwarded_for(&["198.51.100.4, unknown, 10.2.2.2"]);
        assert_eq!(trusted.client(ip("10.1.1.1"), &headers), ip("10.2.2.2"));
    }

    #[test]
    fn ipv6_clients_count_by_their_slash_64() {
        assert_eq!(network(ip("2001:db8:1:2:3:4:5:6")), ip("2001:db8:1:2::"));
        assert_eq!(network(ip("192.0.2.1")), ip("192.0.2.1"));
        assert_eq!(network(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
