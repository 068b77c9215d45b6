//! cloud-init NoCloud documents (meta-data, user-data, network-config), built as text from
//! validated inputs; every scalar is a double-quoted YAML string.

use std::net::IpAddr;

use super::ssh::SshKey;

/// A double-quoted YAML scalar.
pub fn yaml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What goes into a VM's seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedInput {
    /// Instance id (the VM's UUID): a new id makes cloud-init run its first-boot steps again.
    pub instance_id: String,
    /// Hostname (validated RFC 1123).
    pub hostname: String,
    /// SHA-512 crypt hash of the root password, when one was set.
    pub root_password_hash: Option<String>,
    /// Public keys for root.
    pub ssh_keys: Vec<SshKey>,
    /// Interfaces with static addresses; none: the image's own defaults (DHCP).
    pub nics: Vec<GuestNic>,
}

/// A guest interface with static configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestNic {
    /// Name inside the guest (`eth0`).
    pub name: String,
    /// MAC address it is matched by.
    pub mac: String,
    /// Addresses with prefix lengths.
    pub addresses: Vec<(IpAddr, u8)>,
    /// Default gateways (at most one per family).
    pub gateways: Vec<IpAddr>,
    /// Resolvers.
    pub dns: Vec<IpAddr>,
}

/// `meta-data`.
pub fn meta_data(s: &SeedInput) -> String {
    format!("instance-id: {}\nlocal-hostname: {}\n", yaml_str(&s.instance_id), yaml_str(&s.hostname))
}

/// `user-data` (`#cloud-config`).
pub fn user_data(s: &SeedInput) -> String {
    let mut y = String::from("#cloud-config\n");
    y.push_str(&format!("hostname: {}\n", yaml_str(s.hostname.split('.').next().unwrap_or(&s.hostname))));
    y.push_str(&format!("fqdn: {}\n", yaml_str(&s.hostname)));
    y.push_str("preserve_hostname: false\n");
    y.push_str("disable_root: false\n");
    y.push_str(&format!("ssh_pwauth: {}\n", s.root_password_hash.is_some()));
    y.push_str("users:\n  - name: \"root\"\n");
    match &s.root_password_hash {
        Some(h) => y.push_str(&format!("    lock_passwd: false\n    hashed_passwd: {}\n", yaml_str(h))),
        None => y.push_str("    lock_passwd: true\n"),
    }
    if !s.ssh_keys.is_empty() {
        y.push_str("    ssh_authorized_keys:\n");
        for k in &s.ssh_keys {
            y.push_str(&format!("      - {}\n", yaml_str(&k.line())));
        }
    }
    y
}

/// `network-config` (v2): each interface matched by MAC and renamed, static addresses, default
/// routes (on-link, so a gateway outside the prefix such as `fe80::1` works) and resolvers. No
/// interfaces: an empty document, so the image keeps its defaults.
pub fn network_config(s: &SeedInput) -> String {
    if s.nics.is_empty() {
        return "version: 2\nethernets: {}\n".to_string();
    }
    let mut y = String::from("version: 2\nethernets:\n");
    for n in &s.nics {
        y.push_str(&format!("  {}:\n", yaml_str(&n.name)));
        y.push_str(&format!("    match:\n      macaddress: {}\n", yaml_str(&n.mac)));
        y.push_str(&format!("    set-name: {}\n", yaml_str(&n.name)));
        y.push_str("    dhcp4: false\n    dhcp6: false\n    accept-ra: false\n");
        y.push_str("    addresses:\n");
        for (a, len) in &n.addresses {
            y.push_str(&format!("      - {}\n", yaml_str(&format!("{a}/{len}"))));
        }
        if !n.gateways.is_empty() {
            y.push_str("    routes:\n");
            for g in &n.gateways {
                let to = if g.is_ipv4() { "0.0.0.0/0" } else { "::/0" };
                y.push_str(&format!(
                    "      - to: {}\n        via: {}\n        on-link: true\n",
                    yaml_str(to),
                    yaml_str(&g.to_string())
                ));
            }
        }
        if !n.dns.is_empty() {
            let list: Vec<String> = n.dns.iter().map(|d| yaml_str(&d.to_string())).collect();
            y.push_str(&format!("    nameservers:\n      addresses: [{}]\n", list.join(", ")));
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents() {
        let key = SshKey {
            kind: "ssh-ed25519".into(),
            blob: "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl".into(),
            comment: "a \"quoted\": comment".into(),
        };
        let s = SeedInput {
            instance_id: "6f1c1f0e-8d1a-4c55-9a4e-0d6d0c1e2b3a".into(),
            hostname: "web1.example.com".into(),
            root_password_hash: Some("$6$salt$hash".into()),
            ssh_keys: vec![key],
            nics: vec![],
        };
        assert_eq!(
            meta_data(&s),
            "instance-id: \"6f1c1f0e-8d1a-4c55-9a4e-0d6d0c1e2b3a\"\nlocal-hostname: \"web1.example.com\"\n"
        );
        let u = user_data(&s);
        assert!(u.starts_with("#cloud-config\nhostname: \"web1\"\nfqdn: \"web1.example.com\"\n"), "{u}");
        assert!(u.contains("hashed_passwd: \"$6$salt$hash\""));
        assert!(u.contains("ssh_pwauth: true"));
        assert!(u.contains(r#"- "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl a \"quoted\": comment""#), "{u}");
        assert_eq!(network_config(&s), "version: 2\nethernets: {}\n");
        let no_pw = user_data(&SeedInput { root_password_hash: None, ssh_keys: vec![], ..s });
        assert!(no_pw.contains("lock_passwd: true") && no_pw.contains("ssh_pwauth: false"));
    }

    #[test]
    fn network_config_v2_with_static_addresses() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let s = SeedInput {
            instance_id: "i".into(),
            hostname: "h".into(),
            root_password_hash: None,
            ssh_keys: vec![],
            nics: vec![GuestNic {
                name: "eth0".into(),
                mac: "02:76:00:00:00:07".into(),
                addresses: vec![(ip("192.0.2.10"), 24), (ip("2001:db8:100::1"), 64)],
                gateways: vec![ip("192.0.2.1"), ip("fe80::1")],
                dns: vec![ip("192.0.2.53"), ip("2001:db8::53")],
            }],
        };
        assert_eq!(
            network_config(&s),
            r#"version: 2
ethernets:
  "eth0":
    match:
      macaddress: "02:76:00:00:00:07"
    set-name: "eth0"
    dhcp4: false
    dhcp6: false
    accept-ra: false
    addresses:
      - "192.0.2.10/24"
      - "2001:db8:100::1/64"
    routes:
      - to: "0.0.0.0/0"
        via: "192.0.2.1"
        on-link: true
      - to: "::/0"
        via: "fe80::1"
        on-link: true
    nameservers:
      addresses: ["192.0.2.53", "2001:db8::53"]
"#
        );
    }

    #[test]
    fn yaml_escaping() {
        assert_eq!(yaml_str("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
