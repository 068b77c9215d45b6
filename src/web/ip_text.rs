//! Addresses as text, fast: lists of hundreds of servers write two addresses a row, and std's
//! formatting machinery would be a good part of such a page's time. The text is what std
//! writes (a test compares), and needs no escaping in HTML or JSON.

use std::fmt::Write as _;
use std::net::IpAddr;

/// An address as text (it needs no escaping); IPv4 without the formatting machinery, which a
/// big list would otherwise spend a good part of its time in.
pub fn write_ip(out: &mut String, a: &IpAddr) {
    match a {
        IpAddr::V4(v4) => {
            let mut b = itoa::Buffer::new();
            for (i, octet) in v4.octets().iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(b.format(*octet));
            }
        }
        // std writes IPv4-mapped addresses as `::ffff:a.b.c.d`; leave those to it.
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some() => {
            let _ = write!(out, "{v6}");
        }
        IpAddr::V6(v6) => write_v6(out, &v6.segments()),
    }
}

/// An address as a new `String`, written by [`write_ip`].
pub fn ip_string(a: &IpAddr) -> String {
    let mut text = String::with_capacity(40);
    write_ip(&mut text, a);
    text
}

/// An IPv6 address the RFC 5952 way, as std writes it: groups in lowercase hex without leading
/// zeros, the longest run of two or more zero groups (the first of equals) written `::`.
fn write_v6(out: &mut String, seg: &[u16; 8]) {
    let (mut best, mut best_len, mut run) = (0, 0, 0);
    for (i, g) in seg.iter().enumerate() {
        run = if *g == 0 { run + 1 } else { 0 };
        if run > best_len {
            (best, best_len) = (i + 1 - run, run);
        }
    }
    let groups = |out: &mut String, part: &[u16]| {
        for (i, g) in part.iter().enumerate() {
            if i > 0 {
                out.push(':');
            }
            let digits = (16 - g.leading_zeros()).div_ceil(4).max(1);
            for k in (0..digits).rev() {
                out.push(char::from(b"0123456789abcdef"[usize::from((g >> (4 * k)) as u8 & 0xf)]));
            }
        }
    };
    if best_len >= 2 {
        groups(out, &seg[..best]);
        out.push_str("::");
        groups(out, &seg[best + best_len..]);
    } else {
        groups(out, seg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_written_as_std_writes_them() {
        let mut cases: Vec<IpAddr> = [
            "198.51.100.7",
            "0.0.0.0",
            "255.255.255.255",
            "2001:db8:100:1::1",
            "::",
            "::1",
            "1::",
            "2001:db8::1:0:0:1",
            "2001:0:0:1::1",
            "2001:db8:0:1:1:1:1:1",
            "::ffff:192.0.2.1",
            "fe80::abcd:ef01:2345:6789",
        ]
        .iter()
        .map(|a| a.parse().unwrap())
        .collect();
        // Every pattern of zero and non-zero groups, with values of every hex width.
        for mask in 0u32..256 {
            let seg: [u16; 8] = std::array::from_fn(|i| {
                if mask >> i & 1 == 1 { [0x1, 0x2a, 0xdb8, 0xffff][(i + mask as usize) % 4] } else { 0 }
            });
            cases.push(IpAddr::V6(seg.into()));
        }
        for ip in cases {
            let mut out = String::new();
            write_ip(&mut out, &ip);
            assert_eq!(out, ip.to_string());
        }
    }
}
