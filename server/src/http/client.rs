//! Where a request comes from: the connecting address, or, behind reverse proxies this
//! server was told to trust, the address they forwarded. Only trusted hops are believed: a
//! client can write any `X-Forwarded-For` it likes, so the list is read from the right and the
//! first address not of a trusted proxy is the client.

use std::net::IpAddr;

use ipnet::IpNet;

#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Addresses (`10.0.0.2`) or networks (`10.0.0.0/8`, `2001:db8::/32`).
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        entries
            .iter()
            .map(|entry| entry.trim())
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "--trusted-proxies: {entry:?} is not an address or network (like 10.0.0.2 or 10.0.0.0/8)"
                        )
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client's address, given the connecting `peer` and the `X-Forwarded-For` header
    /// values in the order received.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops = forwarded_for
            .iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|hop| !hop.is_empty());
        let mut client = peer;
        for hop in hops.rev() {
            match hop.parse::<IpAddr>() {
                // A trusted proxy added it: believe it and look one hop further.
                Ok(address) if self.trusts(address) => client = address,
                Ok(address) => return address,
                // Not an address: nothing further left can be believed.
                Err(_) => return client,
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(
            &list
                .iter()
                .map(|entry| entry.to_string())
                .collect::<Vec<_>>(),
        )
        .unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_connecting_address_is_the_client() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("192.0.2.9"), &["203.0.113.5"]),
            ip("192.0.2.9")
        );
    }

    #[test]
    fn the_first_untrusted_hop_from_the_right_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8"]);
        // The client forged the leftmost entry; the proxy appended the real address.
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &["198.51.100.1, 203.0.113.5"]),
            ip("203.0.113.5")
        );
        // Two trusted proxies in a row, over two header lines.
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &["203.0.113.5", "10.1.1.1"]),
            ip("203.0.113.5")
        );
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &["203.0.113.5, not-an-ip"]),
            ip("10.0.0.2")
        );
        // A proxy that is not trusted cannot speak for anyone.
        assert_eq!(
            trusted.client(ip("192.0.2.9"), &["203.0.113.5"]),
            ip("192.0.2.9")
        );
    }

    #[test]
    fn entries_that_are_not_addresses_are_refused_by_name() {
        let error =
            TrustedProxies::parse(&["10.0.0.0/8".into(), "proxy.local".into()]).unwrap_err();
        assert!(error.contains("proxy.local"), "{error}");
        assert!(TrustedProxies::parse(&["2001:db8::1".into()]).is_ok());
    }
}
