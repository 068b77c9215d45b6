//! The seed against cloud-init itself (Debian 12's package, 22.4.2, unpacked by
//! `scripts/cloud-init-cli.sh` and run only as a command): `cloud-init schema` accepts every
//! user-data vpsbox writes, and `cloud-init devel net-convert` renders its network document for
//! ifupdown (ENI), systemd-networkd, netplan, sysconfig and NetworkManager with the default
//! routes, addresses, resolvers and DHCP fallback the guest needs.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use vpsbox::domain::cloudinit::{GuestNic, SeedInput, network_config, user_data};
use vpsbox::domain::ssh::SshKey;

/// The cloud-init wrapper (made here when `make test` has not made it yet).
fn cloud_init() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/cloud-init");
    let bin = dir.join("cloud-init");
    if !bin.exists() {
        let st = Command::new(root.join("scripts/cloud-init-cli.sh")).arg(&dir).status().unwrap();
        assert!(st.success(), "unpacking cloud-init");
    }
    bin
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

const MAC0: &str = "02:76:00:00:00:07";
const MAC1: &str = "02:76:00:00:01:07";

fn public(addresses: &[(&str, u8)], gateways: &[&str], dns: &[&str]) -> GuestNic {
    GuestNic {
        name: "eth0".into(),
        mac: MAC0.into(),
        addresses: addresses.iter().map(|(a, l)| (ip(a), *l)).collect(),
        gateways: gateways.iter().map(|g| ip(g)).collect(),
        dns: dns.iter().map(|d| ip(d)).collect(),
    }
}

fn seed(nics: Vec<GuestNic>, password: bool) -> SeedInput {
    SeedInput {
        instance_id: "6f1c1f0e-8d1a-4c55-9a4e-0d6d0c1e2b3a".into(),
        hostname: "web1.example.com".into(),
        root_password_hash: password.then(|| "$6$rounds=4096$salt$hash".into()),
        ssh_keys: vec![
            SshKey::parse(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop",
            )
            .unwrap(),
        ],
        login_user: Some("debian".into()),
        nics,
    }
}

/// The five shapes a VM's network takes.
fn cases() -> Vec<(&'static str, SeedInput)> {
    let v4 = public(&[("192.0.2.10", 24)], &["192.0.2.1"], &["192.0.2.53"]);
    let dual = public(
        &[("192.0.2.10", 24), ("2001:db8:100::1", 64)],
        &["192.0.2.1", "fe80::1"],
        &["192.0.2.53", "2001:db8::53"],
    );
    let extra = public(
        &[("192.0.2.10", 24), ("192.0.2.11", 24), ("198.51.100.7", 24)],
        &["192.0.2.1"],
        &["192.0.2.53"],
    );
    let private = GuestNic {
        name: "eth1".into(),
        mac: MAC1.into(),
        addresses: vec![(ip("10.77.0.2"), 24)],
        gateways: vec![],
        dns: vec![],
    };
    vec![
        ("ipv4", seed(vec![v4.clone()], true)),
        ("dual", seed(vec![dual], false)),
        ("extra", seed(vec![extra], true)),
        ("private", seed(vec![v4, private], true)),
        ("none", seed(vec![public(&[], &[], &[])], false)),
    ]
}

/// Every file `net-convert` wrote, by path below the output directory.
fn render(doc: &str, kind: &str, distro: &str) -> BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("network-config");
    std::fs::write(&input, doc).unwrap();
    let out = dir.path().join("out");
    let o = Command::new(cloud_init())
        .args(["devel", "net-convert", "--kind", "yaml", "--distro", distro, "--output-kind", kind])
        .arg("--network-data")
        .arg(&input)
        .arg("-d")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "net-convert {kind} failed:\n{stderr}\n{doc}");
    assert!(
        !stderr.contains("WARNING") && !stderr.contains("ERROR"),
        "net-convert {kind} complained:\n{stderr}"
    );
    let mut files = BTreeMap::new();
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(&out).unwrap().to_string_lossy().to_string();
                files.insert(rel, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    files
}

fn file<'a>(files: &'a BTreeMap<String, String>, path: &str) -> &'a str {
    files.get(path).unwrap_or_else(|| panic!("no {path} among {:?}", files.keys().collect::<Vec<_>>()))
}

/// The lines of one ENI stanza group (`iface NAME ...` blocks of one interface), joined.
fn eni_iface(eni: &str, name: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in eni.lines() {
        if line.starts_with("iface ") || line.starts_with("auto ") || line.starts_with("# control-") {
            inside = line.split_whitespace().nth(1) == Some(name);
        }
        if inside {
            out.push_str(line.trim());
            out.push('\n');
        }
    }
    out
}

#[test]
fn cloud_init_accepts_every_user_data() {
    for (name, s) in cases() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("user-data");
        let ud = user_data(&s);
        std::fs::write(&f, &ud).unwrap();
        let o = Command::new(cloud_init()).args(["schema", "--config-file"]).arg(&f).output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success() && text.contains("Valid cloud-config"), "{name}: {text}\n{ud}");
        assert!(!text.to_lowercase().contains("deprecat"), "{name}: {text}");
    }
}

#[test]
fn ifupdown_gets_native_gateways_and_no_route_commands() {
    for (name, s) in cases() {
        let files = render(&network_config(&s), "eni", "debian");
        let eni = file(&files, "etc/network/interfaces.d/50-cloud-init");
        assert!(
            !eni.contains("route "),
            "{name}: net-tools route commands are missing on current images:\n{eni}"
        );
        let eth0 = eni_iface(eni, "eth0");
        match name {
            "none" => assert!(eth0.contains("iface eth0 inet dhcp"), "{name}: DHCP fallback:\n{eni}"),
            _ => {
                assert!(eth0.contains("iface eth0 inet static\naddress 192.0.2.10/24\n"), "{name}:\n{eni}");
                assert_eq!(eth0.matches("gateway 192.0.2.1").count(), 1, "{name}:\n{eni}");
            }
        }
        if name == "dual" {
            assert!(
                eth0.contains("iface eth0 inet6 static\naddress 2001:db8:100::1/64\ngateway fe80::1\n"),
                "{eni}"
            );
            assert!(eth0.contains("dns-nameservers 192.0.2.53 2001:db8::53"), "{eni}");
        }
        if name == "extra" {
            assert!(
                eth0.contains("address 192.0.2.11/24") && eth0.contains("address 198.51.100.7/24"),
                "{eni}"
            );
        }
        if name == "private" {
            let eth1 = eni_iface(eni, "eth1");
            assert!(eth1.contains("address 10.77.0.2/24") && !eth1.contains("gateway"), "{eni}");
        }
        // Interfaces are named by MAC.
        let rules = file(&files, "etc/udev/rules.d/70-persistent-net.rules");
        assert!(rules.contains(&format!("ATTR{{address}}==\"{MAC0}\", NAME=\"eth0\"")), "{rules}");
    }
}

#[test]
fn networkd_gets_gateways_for_both_families() {
    for (name, s) in cases() {
        let files = render(&network_config(&s), "networkd", "debian");
        let eth0 = file(&files, "etc/systemd/network/10-cloud-init-eth0.network");
        assert!(eth0.contains(&format!("MACAddress={MAC0}")), "{eth0}");
        if name == "none" {
            assert!(eth0.contains("DHCP=ipv4"), "{name}: DHCP fallback:\n{eth0}");
            continue;
        }
        assert!(
            eth0.contains("Address=192.0.2.10/24") && eth0.contains("Gateway=192.0.2.1"),
            "{name}:\n{eth0}"
        );
        assert!(
            !eth0.contains("Destination=::/64"),
            "{name}: the IPv6 default route must stay ::/0:\n{eth0}"
        );
        if name == "dual" {
            assert!(
                eth0.contains("Address=2001:db8:100::1/64") && eth0.contains("Gateway=fe80::1"),
                "{eth0}"
            );
            assert!(eth0.contains("DNS=192.0.2.53 2001:db8::53"), "{eth0}");
        }
        if name == "private" {
            let eth1 = file(&files, "etc/systemd/network/10-cloud-init-eth1.network");
            assert!(eth1.contains("Address=10.77.0.2/24") && !eth1.contains("Gateway"), "{eth1}");
        }
    }
}

#[test]
fn netplan_gets_the_document_with_router_advertisements_off() {
    for (name, s) in cases() {
        let files = render(&network_config(&s), "netplan", "ubuntu");
        let plan = file(&files, "etc/netplan/50-cloud-init.yaml");
        assert!(plan.contains("accept-ra: false"), "{name}:\n{plan}");
        assert!(plan.contains(&format!("macaddress: {MAC0}")) && plan.contains("set-name: eth0"), "{plan}");
        match name {
            "none" => assert!(plan.contains("dhcp4: true"), "{plan}"),
            "dual" => assert!(
                plan.contains("gateway4: 192.0.2.1")
                    && plan.contains("gateway6: fe80::1")
                    && plan.contains("- 2001:db8::53"),
                "{plan}"
            ),
            _ => assert!(
                plan.contains("gateway4: 192.0.2.1") && plan.contains("- 192.0.2.10/24"),
                "{name}:\n{plan}"
            ),
        }
        if name == "private" {
            assert_eq!(plan.matches("gateway4").count(), 1, "only the public interface routes:\n{plan}");
        }
    }
}

#[test]
fn rhel_family_renderers_get_gateways_resolvers_and_no_autoconf() {
    for (name, s) in cases() {
        let doc = network_config(&s);
        let files = render(&doc, "sysconfig", "rhel");
        let eth0 = file(&files, "etc/sysconfig/network-scripts/ifcfg-eth0");
        if name == "none" {
            assert!(eth0.contains("BOOTPROTO=dhcp"), "{name}: DHCP fallback:\n{eth0}");
        } else {
            assert!(
                eth0.contains("GATEWAY=192.0.2.1") && eth0.contains("IPADDR=192.0.2.10"),
                "{name}:\n{eth0}"
            );
            assert!(eth0.contains("DNS1=192.0.2.53"), "{name}:\n{eth0}");
            assert!(file(&files, "etc/resolv.conf").contains("nameserver 192.0.2.53"), "{name}");
            assert!(
                !files.get("etc/sysconfig/network-scripts/route6-eth0").is_some_and(|r| r.contains("::/64")),
                "{name}"
            );
        }
        if name == "dual" {
            assert!(
                eth0.contains("IPV6ADDR=2001:db8:100::1/64") && eth0.contains("IPV6_DEFAULTGW=fe80::1"),
                "{eth0}"
            );
            assert!(eth0.contains("IPV6_AUTOCONF=no") && eth0.contains("IPV6_FORCE_ACCEPT_RA=no"), "{eth0}");
        }
        if name == "extra" {
            assert!(eth0.contains("IPADDR1=192.0.2.11") && eth0.contains("IPADDR2=198.51.100.7"), "{eth0}");
        }
        if name == "private" {
            let eth1 = file(&files, "etc/sysconfig/network-scripts/ifcfg-eth1");
            assert!(
                eth1.contains("IPADDR=10.77.0.2")
                    && !eth1.contains("GATEWAY")
                    && !eth1.contains("DEFROUTE=yes"),
                "{eth1}"
            );
        }

        let files = render(&doc, "network-manager", "rhel");
        let nm = file(&files, "etc/NetworkManager/system-connections/cloud-init-eth0.nmconnection");
        if name == "none" {
            assert!(nm.contains("method=auto"), "{name}: DHCP fallback:\n{nm}");
            continue;
        }
        assert!(nm.contains("address1=192.0.2.10/24\ngateway=192.0.2.1\ndns=192.0.2.53;"), "{name}:\n{nm}");
        if name == "dual" {
            let v6 = nm.split("[ipv6]").nth(1).unwrap();
            assert!(
                v6.contains("method=manual")
                    && v6.contains("gateway=fe80::1")
                    && v6.contains("dns=2001:db8::53;"),
                "{nm}"
            );
        }
    }
}
