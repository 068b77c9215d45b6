//! The .deb built by `make deb` (path in VPSBOX_DEB; `make test` builds it first).

use std::process::Command;

/// The package `make test` built (VPSBOX_DEB), or the one `make deb` left in target/debian.
fn deb() -> String {
    std::env::var("VPSBOX_DEB").unwrap_or_else(|_| {
        let p = format!(
            "{}/target/debian/vpsbox_{}_amd64.deb",
            env!("CARGO_MANIFEST_DIR"),
            env!("CARGO_PKG_VERSION")
        );
        assert!(
            std::path::Path::new(&p).exists(),
            "no .deb: run `make deb` (or `make test`, which builds it)"
        );
        p
    })
}

fn dpkg_deb(args: &[&str]) -> String {
    let out = Command::new("dpkg-deb").args(args).output().expect("dpkg-deb");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn deb_contents_and_metadata() {
    let deb = deb();
    assert!(
        deb.ends_with(&format!("vpsbox_{}-1_amd64.deb", env!("CARGO_PKG_VERSION")))
            || deb.ends_with(&format!("vpsbox_{}_amd64.deb", env!("CARGO_PKG_VERSION"))),
        "{deb}"
    );
    let files = dpkg_deb(&["-c", &deb]);
    for f in [
        "./usr/bin/vpsbox",
        "./etc/vpsbox/vpsbox.toml",
        "vpsbox.service",
        "./usr/share/doc/vpsbox/",
        "./usr/share/doc/vpsbox/locales/kk/cabinet.ftl",
        "./usr/share/doc/vpsbox/locales/ru/errors.ftl",
        "./usr/share/vpsbox/integrations/whmcs/modules/servers/vpsbox/vpsbox.php",
        "./usr/share/vpsbox/integrations/whmcs/modules/servers/vpsbox/lib/ApiClient.php",
        "./usr/share/vpsbox/integrations/whmcs/modules/servers/vpsbox/templates/overview.tpl",
        "./usr/share/vpsbox/scripts/build-rescue-image.sh",
        "./usr/share/vpsbox/scripts/debian-image.sh",
    ] {
        assert!(files.contains(f), "{f} missing from package:\n{files}");
    }
    let info = dpkg_deb(&["-I", &deb]);
    for dep in ["libvirt-daemon-system", "qemu-system-x86", "qemu-utils"] {
        assert!(
            info.lines().any(|l| l.trim_start().starts_with("Depends:") && l.contains(dep)),
            "{dep}:\n{info}"
        );
    }
    assert!(info.contains("postinst") && info.contains("conffiles"), "{info}");
    assert!(
        info.lines().any(|l| l.trim_start().starts_with("Suggests:") && l.contains("mmdebstrap")),
        "{info}"
    );
    // The image scripts run from where the package puts them (they find each other there).
    assert!(
        files
            .lines()
            .any(|l| l.starts_with("-rwxr-xr-x")
                && l.ends_with("/usr/share/vpsbox/scripts/build-rescue-image.sh")),
        "{files}"
    );
    let postinst = dpkg_deb(&["-I", &deb, "postinst"]);
    assert!(postinst.contains("adduser") || postinst.contains("useradd"), "{postinst}");
    assert!(postinst.contains("/etc/vpsbox/locales"), "the wording directory: {postinst}");
}

#[test]
fn unit_file_passes_systemd_analyze_verify() {
    let unit = concat!(env!("CARGO_MANIFEST_DIR"), "/systemd/vpsbox.service");
    let out = Command::new("systemd-analyze").args(["verify", unit]).output().expect("systemd-analyze");
    let err = String::from_utf8_lossy(&out.stderr);
    // The binary path is not installed here; everything else must be clean.
    let problems: Vec<_> =
        err.lines().filter(|l| !l.contains("/usr/bin/vpsbox") && !l.trim().is_empty()).collect();
    assert!(problems.is_empty(), "systemd-analyze verify:\n{err}");
}
