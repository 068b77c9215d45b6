//! The command line, run as the real binary.

use crate::common::*;

#[tokio::test]
async fn user_add_then_login_works() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let data = dir.path().to_str().unwrap().to_string();
    let out = run_bin(
        &[
            "user",
            "add",
            "--config",
            cfg.to_str().unwrap(),
            "--data-dir",
            &data,
            "--email",
            "Ops@Example.com",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some(&format!("{PW}\n")),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created admin account 1 for ops@example.com"));

    let out = run_bin(&["user", "list", "--config", cfg.to_str().unwrap(), "--data-dir", &data], None);
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(list.contains("ops@example.com") && list.contains("admin"), "{list}");

    let d = start_daemon_with(test_config(dir.path()), dir).await;
    let c = client();
    let r = log_in(&c, &d, "ops@example.com", PW).await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (303, "/dashboard"));
    assert_eq!(get_text(&c, &d.url("/admin")).await.0, 200);
    d.stop().await;
}

#[tokio::test]
async fn user_commands_reach_the_running_daemon() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let (c_arg, d_arg) = (cfg.to_str().unwrap().to_string(), dir.path().to_str().unwrap().to_string());
    let out = run_bin(
        &[
            "user",
            "add",
            "--config",
            &c_arg,
            "--data-dir",
            &d_arg,
            "--email",
            "live@example.com",
            "--password-stdin",
        ],
        Some(PW),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let c = client();
    let base = p.url("");
    assert_eq!(log_in(&c, &p, "live@example.com", PW).await.status().as_u16(), 303);

    let out =
        run_bin(&["user", "reset-link", "live@example.com", "--config", &c_arg, "--data-dir", &d_arg], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let link = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let path = &link[link.find("/reset/").unwrap()..];
    assert_eq!(get_text(&client(), &format!("{base}{path}")).await.0, 200);

    let out = run_bin(
        &["user", "add", "--config", &c_arg, "--data-dir", &d_arg, "--email", "live@example.com"],
        None,
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ACC0003"));

    let out =
        run_bin(&["user", "disable", "live@example.com", "--config", &c_arg, "--data-dir", &d_arg], None);
    assert!(out.status.success());
    assert_eq!(c.get(format!("{base}/dashboard")).send().await.unwrap().status().as_u16(), 303);

    let out = run_bin(&["healthcheck", "--config", &c_arg, "--data-dir", &d_arg], None);
    assert!(!out.status.success(), "config listen differs from the test port");
    std::fs::write(&cfg, format!("listen = \"{}\"\n[libvirt]\nuri = \"test:///default\"\n", p.addr)).unwrap();
    let out = run_bin(&["healthcheck", "--config", &c_arg, "--data-dir", &d_arg], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    drop(p);
    let out = run_bin(&["healthcheck", "--config", &c_arg, "--data-dir", &d_arg], None);
    assert!(!out.status.success(), "no daemon, not healthy");
}

#[test]
fn config_check_names_the_bad_key_and_line() {
    let dir = tempdir();
    let f = dir.path().join("bad.toml");
    std::fs::write(&f, "data_dir = \"/srv/vpsbox\"\n\n[accounts]\nsignup_open = true\n").unwrap();
    let out = run_bin(&["config", "check", "--config", f.to_str().unwrap()], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 4") && err.contains("signup_open"), "{err}");

    let good = concat!(env!("CARGO_MANIFEST_DIR"), "/packaging/vpsbox.toml");
    let out = run_bin(&["config", "check", "--config", good], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("OK"));
}

#[test]
fn version_flag() {
    let out = run_bin(&["--version"], None);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("vpsbox {}", env!("CARGO_PKG_VERSION")));
}

#[tokio::test]
async fn first_start_creates_an_admin_and_logs_its_password_once() {
    let dir = tempdir();
    let cfg = empty_config(dir.path());
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    let log = p.log_text();
    let line = log.lines().find(|l| l.contains("created admin admin@localhost with password")).expect(&log);
    let password =
        line.split("with password ").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    let c = client();
    assert_eq!(log_in(&c, &p, "admin@localhost", &password).await.status().as_u16(), 303);
    assert_eq!(get_text(&c, &p.url("/admin")).await.0, 200);
    drop(p);
    // A second start finds the admin and prints no password.
    let p = DaemonProcess::spawn(dir.path(), &cfg);
    assert!(!p.log_text().contains("with password"), "{}", p.log_text());
}

/// A relative data dir means the same directory to every command: it is resolved against the
/// working directory once the config is read (the automatic copies need an absolute path, and
/// the CLI finds a running daemon's socket by it).
#[test]
fn a_relative_data_dir_is_made_absolute() {
    let cwd = tempdir();
    let cfg = empty_config(cwd.path());
    let out = std::process::Command::new(bin())
        .current_dir(cwd.path())
        .args(["db", "list", "--config"])
        .arg(&cfg)
        .args(["--data-dir", "./state"])
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    let want = format!("automatic copies in {}/state/db-backups", cwd.path().display());
    assert!(text.contains(&want), "{text}");
}
