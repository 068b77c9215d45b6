//! cloud-init NoCloud documents (meta-data, user-data, network-config), built as text from
//! validated inputs; every scalar is a double-quoted YAML string.

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
    /// network-config v2 document, when the networking layer provides one.
    pub network_config: Option<String>,
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

/// `network-config` (v2); an empty v2 document lets the image use its defaults.
pub fn network_config(s: &SeedInput) -> String {
    s.network_config.clone().unwrap_or_else(|| "version: 2\nethernets: {}\n".to_string())
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
            network_config: None,
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
    fn yaml_escaping() {
        assert_eq!(yaml_str("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
