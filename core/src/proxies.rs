//! Which address a request came from when Ward sits behind reverse proxies
//! (`WARD_TRUSTED_PROXIES`).
//!
//! A proxy appends the address of its peer to `X-Forwarded-For`, so the entries a client
//! cannot forge are the rightmost ones, written by the proxies Ward trusts. The client is
//! therefore found by walking from the socket's peer leftwards through the header while
//! each hop is a trusted proxy; the first hop that is not is the client. Entries that are
//! not IP addresses end the walk (what lies left of them is the client's own writing), so
//! only a valid address is ever recorded: at worst the last trusted proxy's.

use std::net::IpAddr;
use std::str::FromStr;

/// An address range: an address and a prefix length (`10.0.0.0/8`, `fd00::/8`; a bare
/// address is its own range).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// The loopback ranges (`127.0.0.0/8`, `::1/128`).
    pub fn loopback() -> Vec<IpRange> {
        vec![
            IpRange {
                network: IpAddr::from([127, 0, 0, 0]),
                prefix: 8,
            },
            IpRange {
                network: IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
                prefix: 128,
            },
        ]
    }

    /// Whether `ip` lies in the range (an IPv4-mapped IPv6 address counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// `::ffff:1.2.3.4` as `1.2.3.4`; every other address unchanged.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

impl FromStr for IpRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network = canonical(
            addr.parse::<IpAddr>()
                .map_err(|_| format!("{s:?} is not an IP address or CIDR range"))?,
        );
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?} has a prefix length that is not 0–{max}"))?,
        };
        Ok(IpRange { network, prefix })
    }
}

/// Parses a comma- or space-separated list of addresses and CIDR ranges.
pub fn parse_ranges(list: &str) -> Result<Vec<IpRange>, String> {
    list.split([',', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(IpRange::from_str)
        .collect()
}

/// One `X-Forwarded-For` entry as an address: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`
/// or `[2001:db8::1]:5678`; anything else is `None`.
fn hop(entry: &str) -> Option<IpAddr> {
    let e = entry.trim();
    if e.len() > 64 {
        return None;
    }
    e.parse::<IpAddr>()
        .ok()
        .or_else(|| e.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .map(canonical)
}

/// The client's address: the socket's peer if it is not a trusted proxy, else the
/// rightmost `X-Forwarded-For` hop that is not one (the header values in the order they
/// arrived). When every hop is trusted, the leftmost of them; when a hop is not an
/// address, the last trusted hop before it.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[IpRange],
) -> IpAddr {
    let peer = canonical(peer);
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|v| v.split(','))
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Some(ip) = hop(entry) else {
            break;
        };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn ranges_parse_and_match() {
        let r = parse_ranges("10.0.0.0/8, 192.168.1.7 fd00::/8").unwrap();
        assert_eq!(r.len(), 3);
        assert!(r[0].contains(ip("10.200.3.4")) && !r[0].contains(ip("11.0.0.1")));
        assert!(r[1].contains(ip("192.168.1.7")) && !r[1].contains(ip("192.168.1.8")));
        assert!(r[2].contains(ip("fd12::1")) && !r[2].contains(ip("fe80::1")));
        assert!(r[0].contains(ip("::ffff:10.1.2.3")), "IPv4-mapped");
        assert!("0.0.0.0/0"
            .parse::<IpRange>()
            .unwrap()
            .contains(ip("8.8.8.8")));
        for bad in ["not-an-ip", "10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0"] {
            assert!(bad.parse::<IpRange>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop() {
        let trusted = parse_ranges("10.0.0.0/8").unwrap();
        // Behind one proxy: a forged leftmost entry changes nothing.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["6.6.6.6, 203.0.113.9"], &trusted),
            ip("203.0.113.9")
        );
        // Two proxies, headers split over two lines.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                ["not-an-ip, 203.0.113.9", "10.1.1.1"],
                &trusted
            ),
            ip("203.0.113.9")
        );
        // A peer that is not a trusted proxy is the client, whatever it claims.
        assert_eq!(
            client_address(ip("198.51.100.4"), ["1.2.3.4"], &trusted),
            ip("198.51.100.4")
        );
        // Garbage right of the proxy: the proxy is all that is known.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["not-an-ip"], &trusted),
            ip("10.0.0.2")
        );
        // No header at all.
        assert_eq!(
            client_address(ip("10.0.0.2"), [] as [&str; 0], &trusted),
            ip("10.0.0.2")
        );
        // Ports and brackets are read; nothing trusted means the peer.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["[2001:db8::5]:443"], &trusted),
            ip("2001:db8::5")
        );
        assert_eq!(
            client_address(ip("10.0.0.2"), ["203.0.113.9"], &[]),
            ip("10.0.0.2")
        );
    }
}
