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
fn bad_values_are_refused() {
    for (text, needle) in [
        ("[tls]\ncert = \"/a\"\n", "set together"),
        ("public_url = \"http://x\"\n", "https://"),
        ("[billing]\ncurrency = \"tenge\"\n", "ISO 4217"),
        ("[billing]\nminor_unit = 4\n", "minor_unit"),
        ("[billing]\ntime_zone = \"Mars/Base\"\n", "IANA"),
        ("[trial]\ndays = 0\n", "trial.days"),
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
