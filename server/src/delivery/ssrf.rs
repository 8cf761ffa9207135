//! Where webhooks may go. A delivery resolves its URL's host itself and
//! connects to the address it checked (no second lookup a DNS rebinding could
//! change): loopback, private, link-local, shared (CGNAT), unique-local,
//! multicast and unspecified addresses are refused unless the operator
//! allows private targets (`--webhook-allow-private`, for a receiver on the
//! same network or in tests).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Why an address is not a public one, if it is not.
pub fn forbidden(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => forbidden_v4(v4),
            None => forbidden_v6(v6),
        },
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, ..] = ip.octets();
    if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_private() {
        Some("a private address")
    } else if ip.is_link_local() {
        Some("a link-local address")
    } else if a == 100 && (64..128).contains(&b) {
        Some("a shared (carrier-grade NAT) address")
    } else if ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast() || a == 0 || a >= 240 {
        Some("not a unicast address")
    } else {
        None
    }
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_unspecified() || ip.is_multicast() {
        Some("not a unicast address")
    } else if first & 0xfe00 == 0xfc00 {
        Some("a unique-local (private) address")
    } else if first & 0xffc0 == 0xfe80 {
        Some("a link-local address")
    } else {
        None
    }
}

/// The URL's host and port, checked: `http` or `https`, a host, no credentials.
pub fn target(url: &reqwest::Url) -> Result<(String, u16), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("only http and https URLs, not {}", url.scheme()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("no credentials in the URL; the signature authenticates the call".into());
    }
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or("a URL with a host")?;
    let port = url.port_or_known_default().ok_or("a URL with a port")?;
    Ok((host.trim_start_matches('[').trim_end_matches(']').to_owned(), port))
}

/// Resolves `host` and checks every address; the first allowed one.
pub async fn resolve(host: &str, port: u16, allow_private: bool) -> Result<SocketAddr, String> {
    let addrs: Vec<SocketAddr> =
        tokio::net::lookup_host((host, port)).await.map_err(|e| format!("cannot resolve {host}: {e}"))?.collect();
    let first = addrs.first().copied().ok_or_else(|| format!("{host} has no address"))?;
    if !allow_private {
        for a in &addrs {
            if let Some(why) = forbidden(a.ip()) {
                return Err(format!("refused: {host} resolves to {}, {why}", a.ip()));
            }
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_refused_public_ones_pass() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::",
        ] {
            assert!(forbidden(bad.parse().unwrap()).is_some(), "{bad}");
        }
        for good in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert_eq!(forbidden(good.parse().unwrap()), None, "{good}");
        }
    }

    #[test]
    fn urls_need_a_web_scheme_a_host_and_no_credentials() {
        let t = |s: &str| target(&reqwest::Url::parse(s).unwrap());
        assert_eq!(t("https://hooks.example.com/x").unwrap(), ("hooks.example.com".into(), 443));
        assert_eq!(t("http://[::1]:8080/").unwrap(), ("::1".into(), 8080));
        assert!(t("ftp://example.com/").is_err());
        assert!(t("https://user:pw@example.com/").is_err());
    }

    #[tokio::test]
    async fn loopback_is_refused_unless_allowed() {
        let e = resolve("127.0.0.1", 80, false).await.unwrap_err();
        assert!(e.contains("loopback"), "{e}");
        assert_eq!(resolve("127.0.0.1", 80, true).await.unwrap(), "127.0.0.1:80".parse().unwrap());
    }
}
