//! cloud-init NoCloud documents (meta-data, user-data, network-config), built as text from
//! validated inputs; every scalar is a double-quoted YAML string.
//!
//! The documents are written for what real images run, checked against cloud-init's own
//! renderers (`tests/it/cloudinit.rs`):
//! - `network-config` is version 2 with `gateway4`/`gateway6`, not `routes:`. Debian 12's
//!   cloud-init (22.4) renders `routes:` for ifupdown as net-tools `route` commands (absent on
//!   current images, failing silently behind `|| true`) and turns `::/0` into `::/64` for ENI,
//!   networkd and sysconfig; it refuses `to: default`. The gateway keys render natively in every
//!   renderer (ENI `gateway`, networkd `[Route] Gateway=`, sysconfig `GATEWAY`/`IPV6_DEFAULTGW`)
//!   and pass to netplan as they are; a link-local IPv6 gateway (`fe80::1`) works with each.
//! - Interfaces are matched by MAC and named (`eth0` public, `eth<slot>` private networks), so
//!   the sysctl and resolver steps below can name them on any image.
//! - The rest of what the customer ordered is made to hold on images that lack helpers:
//!   resolvers go into a plain `/etc/resolv.conf` when neither resolvconf nor systemd-resolved
//!   manages it, sshd gets a drop-in that lets root in with the password only when one was
//!   chosen, `/etc/hosts` gets the FQDN line, and router advertisements are refused on every
//!   interface vpsbox configures (ENI and networkd drop `accept-ra` for static addresses).
//! - `updates: network: when: [boot]` makes cloud-init read the seed's network again at every
//!   boot, so an address added or removed in the cabinet arrives with the next boot; everything
//!   else in user-data runs once per instance, as cloud-init does by default.

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
    /// Hostname (validated RFC 1123), possibly a fully qualified name.
    pub hostname: String,
    /// SHA-512 crypt hash of the root password, when one was set.
    pub root_password_hash: Option<String>,
    /// Public keys for root (and the template's login user).
    pub ssh_keys: Vec<SshKey>,
    /// The template's default login user (`debian`, `ubuntu`, ...), who also gets the keys.
    pub login_user: Option<String>,
    /// The guest's interfaces: the public one first, then private networks.
    pub nics: Vec<GuestNic>,
}

/// A guest interface. With no addresses it asks DHCP (IPv4), as the image would by default.
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

impl SeedInput {
    /// How root may log in over SSH with this seed.
    pub fn root_password_login(&self) -> bool {
        self.root_password_hash.is_some()
    }

    /// Every resolver of every interface, in order, once each.
    fn resolvers(&self) -> Vec<IpAddr> {
        let mut out: Vec<IpAddr> = Vec::new();
        for d in self.nics.iter().flat_map(|n| n.dns.iter()) {
            if !out.contains(d) {
                out.push(*d);
            }
        }
        out
    }
}

/// `meta-data`.
pub fn meta_data(s: &SeedInput) -> String {
    format!("instance-id: {}\nlocal-hostname: {}\n", yaml_str(&s.instance_id), yaml_str(&s.hostname))
}

/// The sshd drop-in: sshd takes the first value it reads, and Debian's and Ubuntu's main files
/// include `sshd_config.d/*.conf` before their own settings, so `10-` wins over the image's
/// `60-cloudimg-settings.conf` and cloud-init's `50-cloud-init.conf`.
pub const SSHD_DROP_IN: &str = "/etc/ssh/sshd_config.d/10-vpsbox.conf";

/// The sysctl file that keeps router advertisements off vpsbox's interfaces at every boot.
pub const SYSCTL_FILE: &str = "/etc/sysctl.d/60-vpsbox.conf";

/// `key=value` sysctl settings that keep router advertisements off every vpsbox interface: in
/// [`SYSCTL_FILE`] (applied as each interface appears at later boots) and set by `bootcmd` at
/// every boot (the interfaces of this boot, the first included).
fn ra_settings(s: &SeedInput) -> Vec<String> {
    s.nics
        .iter()
        .flat_map(|n| {
            [format!("net.ipv6.conf.{}.accept_ra=0", n.name), format!("net.ipv6.conf.{}.autoconf=0", n.name)]
        })
        .collect()
}

/// `user-data` (`#cloud-config`).
pub fn user_data(s: &SeedInput) -> String {
    let mut y = String::from("#cloud-config\n");
    let short = s.hostname.split('.').next().unwrap_or(&s.hostname);
    y.push_str(&format!("hostname: {}\n", yaml_str(short)));
    y.push_str(&format!("fqdn: {}\n", yaml_str(&s.hostname)));
    y.push_str("preserve_hostname: false\n");
    // Only the `127.0.1.1 fqdn host` line, so the customer's own /etc/hosts entries stay.
    y.push_str("manage_etc_hosts: \"localhost\"\n");
    y.push_str("disable_root: false\n");
    y.push_str(&format!("ssh_pwauth: {}\n", s.root_password_login()));
    y.push_str("chpasswd:\n  expire: false\n");
    y.push_str("users:\n  - name: \"root\"\n");
    match &s.root_password_hash {
        Some(h) => y.push_str(&format!("    lock_passwd: false\n    hashed_passwd: {}\n", yaml_str(h))),
        None => y.push_str("    lock_passwd: true\n"),
    }
    let keys = |y: &mut String| {
        if !s.ssh_keys.is_empty() {
            y.push_str("    ssh_authorized_keys:\n");
            for k in &s.ssh_keys {
                y.push_str(&format!("      - {}\n", yaml_str(&k.line())));
            }
        }
    };
    keys(&mut y);
    if let Some(user) = s.login_user.as_ref().filter(|u| u.as_str() != "root" && !s.ssh_keys.is_empty()) {
        y.push_str(&format!("  - name: {}\n", yaml_str(user)));
        y.push_str("    shell: \"/bin/bash\"\n    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n    lock_passwd: true\n");
        keys(&mut y);
    }
    let (root_login, password_auth) =
        if s.root_password_login() { ("yes", "yes") } else { ("prohibit-password", "no") };
    y.push_str("write_files:\n");
    y.push_str(&format!("  - path: {}\n    permissions: \"0644\"\n    content: {}\n", yaml_str(SSHD_DROP_IN), yaml_str(&format!(
        "# Written by vpsbox at the first boot: root logs in as ordered ({}).\nPermitRootLogin {root_login}\nPasswordAuthentication {password_auth}\n",
        if s.root_password_login() { "password or key" } else { "keys only" }
    ))));
    y.push_str(&format!(
        "  - path: {}\n    permissions: \"0644\"\n    content: {}\n",
        yaml_str(SYSCTL_FILE),
        yaml_str(&format!(
            "# Written by vpsbox: addresses are static, router advertisements are not taken.\n{}\n",
            ra_settings(s).join("\n")
        ))
    ));
    // bootcmd runs at every boot, before sshd and the rest of the first boot's steps.
    y.push_str("bootcmd:\n");
    let settings = ra_settings(s);
    if !settings.is_empty() {
        y.push_str(&format!("  - {}\n", yaml_str(&format!("sysctl -q -w {} || true", settings.join(" ")))));
    }
    let dns = s.resolvers();
    if !dns.is_empty() {
        // A plain file is nobody's (no resolvconf, no systemd-resolved): write it once per
        // instance. A symlink belongs to a resolver manager that gets the servers from the
        // rendered network configuration.
        let lines: Vec<String> = dns.iter().map(|d| d.to_string()).collect();
        y.push_str(&format!(
            "  - {}\n",
            yaml_str(&format!(
                "cloud-init-per instance vpsbox-resolv-conf sh -c '[ -L /etc/resolv.conf ] || printf \"nameserver %s\\n\" {} > /etc/resolv.conf'",
                lines.join(" ")
            ))
        ));
    }
    if settings.is_empty() && dns.is_empty() {
        y.push_str("  - \"true\"\n");
    }
    y.push_str("updates:\n  network:\n    when: [\"boot-new-instance\", \"boot\"]\n");
    y
}

/// `network-config` (version 2, see the module notes): each interface matched by MAC and
/// named; static addresses with `gateway4`/`gateway6` and resolvers, or DHCP (IPv4) for an
/// interface without addresses; router advertisements off.
pub fn network_config(s: &SeedInput) -> String {
    if s.nics.is_empty() {
        return "version: 2\nethernets: {}\n".to_string();
    }
    let mut y = String::from("version: 2\nethernets:\n");
    for n in &s.nics {
        y.push_str(&format!("  {}:\n", yaml_str(&n.name)));
        y.push_str(&format!("    match:\n      macaddress: {}\n", yaml_str(&n.mac)));
        y.push_str(&format!("    set-name: {}\n", yaml_str(&n.name)));
        if n.addresses.is_empty() {
            y.push_str("    dhcp4: true\n    dhcp6: false\n    accept-ra: false\n");
            continue;
        }
        y.push_str("    dhcp4: false\n    dhcp6: false\n    accept-ra: false\n");
        y.push_str("    addresses:\n");
        for (a, len) in &n.addresses {
            y.push_str(&format!("      - {}\n", yaml_str(&format!("{a}/{len}"))));
        }
        for g in &n.gateways {
            let key = if g.is_ipv4() { "gateway4" } else { "gateway6" };
            y.push_str(&format!("    {key}: {}\n", yaml_str(&g.to_string())));
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

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn key() -> SshKey {
        SshKey {
            kind: "ssh-ed25519".into(),
            blob: "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl".into(),
            comment: "a \"quoted\": comment".into(),
        }
    }

    fn public(addresses: Vec<(IpAddr, u8)>) -> GuestNic {
        GuestNic {
            name: "eth0".into(),
            mac: "02:76:00:00:00:07".into(),
            addresses,
            gateways: vec![ip("192.0.2.1"), ip("fe80::1")],
            dns: vec![ip("192.0.2.53"), ip("2001:db8::53")],
        }
    }

    fn input() -> SeedInput {
        SeedInput {
            instance_id: "6f1c1f0e-8d1a-4c55-9a4e-0d6d0c1e2b3a".into(),
            hostname: "web1.example.com".into(),
            root_password_hash: Some("$6$salt$hash".into()),
            ssh_keys: vec![key()],
            login_user: None,
            nics: vec![public(vec![(ip("192.0.2.10"), 24)])],
        }
    }

    #[test]
    fn meta_and_user_data() {
        let s = input();
        assert_eq!(
            meta_data(&s),
            "instance-id: \"6f1c1f0e-8d1a-4c55-9a4e-0d6d0c1e2b3a\"\nlocal-hostname: \"web1.example.com\"\n"
        );
        let u = user_data(&s);
        assert!(u.starts_with("#cloud-config\nhostname: \"web1\"\nfqdn: \"web1.example.com\"\n"), "{u}");
        assert!(u.contains("hashed_passwd: \"$6$salt$hash\""));
        assert!(u.contains("ssh_pwauth: true"));
        assert!(u.contains("PermitRootLogin yes\\nPasswordAuthentication yes"), "{u}");
        assert!(u.contains(r#"- "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl a \"quoted\": comment""#), "{u}");
        assert!(
            u.contains("printf \\\"nameserver %s\\\\n\\\" 192.0.2.53 2001:db8::53 > /etc/resolv.conf"),
            "{u}"
        );
        assert!(u.contains("net.ipv6.conf.eth0.accept_ra=0"), "{u}");
        let no_pw = user_data(&SeedInput { root_password_hash: None, ..s.clone() });
        assert!(no_pw.contains("lock_passwd: true") && no_pw.contains("ssh_pwauth: false"));
        assert!(no_pw.contains("PermitRootLogin prohibit-password\\nPasswordAuthentication no"), "{no_pw}");
        // The template's login user gets the keys too, and only when there are keys.
        let with_user = user_data(&SeedInput { login_user: Some("debian".into()), ..s.clone() });
        assert!(with_user.contains("  - name: \"debian\"\n    shell: \"/bin/bash\""), "{with_user}");
        assert_eq!(with_user.matches("ssh_authorized_keys:").count(), 2);
        let no_keys = user_data(&SeedInput { login_user: Some("debian".into()), ssh_keys: vec![], ..s });
        assert!(!no_keys.contains("\"debian\"") && !no_keys.contains("ssh_authorized_keys"));
    }

    #[test]
    fn network_config_v2_with_static_addresses() {
        let s = SeedInput {
            nics: vec![public(vec![(ip("192.0.2.10"), 24), (ip("2001:db8:100::1"), 64)])],
            ..input()
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
    gateway4: "192.0.2.1"
    gateway6: "fe80::1"
    nameservers:
      addresses: ["192.0.2.53", "2001:db8::53"]
"#
        );
    }

    #[test]
    fn an_interface_without_addresses_asks_dhcp() {
        let s =
            SeedInput { nics: vec![GuestNic { gateways: vec![], dns: vec![], ..public(vec![]) }], ..input() };
        let n = network_config(&s);
        assert!(n.contains("dhcp4: true") && !n.contains("addresses"), "{n}");
        assert!(!user_data(&s).contains("resolv.conf"));
    }

    #[test]
    fn yaml_escaping() {
        assert_eq!(yaml_str("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
