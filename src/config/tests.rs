//! Parsing, defaults and refusals of the configuration file.

use super::*;

#[test]
fn empty_file_is_all_defaults() {
    let c = Config::parse("", Path::new("x.toml")).unwrap();
    assert_eq!(c, Config::default());
    assert_eq!(c.store_path(), PathBuf::from("/var/lib/vpsbox/vpsbox.redb"));
}

#[test]
fn unknown_key_is_named_with_line() {
    let text = "listen = \"127.0.0.1:9000\"\n\n[tls]\ncertificate = \"/x.pem\"\n";
    let err = Config::parse(text, Path::new("bad.toml")).unwrap_err().to_string();
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("certificate"), "{err}");
    assert!(err.contains("bad.toml"), "{err}");
}

#[test]
fn shipped_example_parses_to_defaults() {
    let text = include_str!("../../packaging/vpsbox.toml");
    let c = Config::parse(text, Path::new("packaging/vpsbox.toml")).unwrap();
    assert_eq!(c, Config::default());
}

#[test]
fn acme_names_come_from_the_public_url_without_its_port() {
    let a = crate::config::AcmeConfig { directory: "https://ca/dir".into(), ..Default::default() };
    assert_eq!(a.names("https://Panel.Example.com:8443/x"), ["panel.example.com"]);
    assert_eq!(a.names("https://panel.example.com"), ["panel.example.com"]);
    assert!(a.names("").is_empty());
    let named = crate::config::AcmeConfig { names: vec!["a.example".into()], ..a };
    assert_eq!(named.names("https://b.example"), ["a.example"]);
}

#[test]
fn bad_values_are_refused() {
    for (text, needle) in [
        ("[tls]\ncert = \"/a\"\n", "set together"),
        ("public_url = \"http://x\"\n", "https://"),
        ("[billing]\ncurrency = \"tenge\"\n", "ISO 4217"),
        ("[billing]\nminor_unit = 4\n", "minor_unit"),
        ("[billing]\ntime_zone = \"Mars/Base\"\n", "IANA"),
        ("[trial]\ndays = 0\n", "trial.days"),
        ("[tls.acme]\ndirectory = \"http://ca\"\nnames = [\"a.example\"]\n", "https:// URL"),
        ("[tls.acme]\ndirectory = \"https://ca/dir\"\n", "tls.acme needs public_url"),
        (
            "[tls.acme]\ndirectory = \"https://ca/dir\"\nnames = [\"a.example\"]\nchallenge = \"http-01\"\n",
            "needs tls.redirect_http",
        ),
        (
            "[tls.acme]\ndirectory = \"https://ca/dir\"\nnames = [\"a.example\"]\nchallenge = \"dns-01\"\n",
            "expected `tls-alpn-01` or `http-01`",
        ),
        ("[tls.acme]\ndirectory = \"https://ca/dir\"\nnames = [\"192.0.2.1\"]\n", "DNS names"),
        (
            "[tls]\ncert = \"/a\"\nkey = \"/b\"\n[tls.acme]\ndirectory = \"https://ca/dir\"\nnames = [\"a.example\"]\n",
            "exclude each other",
        ),
        ("[usage.abuse]\ncpu_percent = 40\n", "usage.abuse.cpu_percent"),
        ("[usage]\nsample_interval_secs = 1\n", "usage.sample_interval_secs"),
        ("listen = \"127.0.0.1:9000\"\n[metrics]\nlisten = \"127.0.0.1:9000\"\n", "metrics.listen"),
        ("[api]\ndeletion_grace_hours = 9999\n", "api.deletion_grace_hours"),
        ("[api]\nrate_limit_burst = 0\n", "api.rate_limit_burst"),
        ("[mail]\nsmtp_host = \"relay\"\nfrom = \"not an address\"\n", "mail.from"),
        ("[accounts]\nbootstrap_admin_email = \"nope\"\n", "bootstrap_admin_email"),
        ("listen = \"not an address\"\n", "line 1"),
        ("[network]\npublic_bridge = \"br0\"\npublic_network = \"pub\"\n", "not both"),
        ("[network]\npublic_network = \"vpsbox-net-1\"\n", "not starting with"),
        ("[network]\npublic_network = \"a b\"\n", "public_network"),
    ] {
        let err = Config::parse(text, Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.contains(needle), "{text}: {err}");
    }
}
