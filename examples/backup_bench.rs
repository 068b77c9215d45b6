//! Backup figures for `make bench`: a tiny VM on qemu:///system (TCG) whose 1 GiB disk is
//! mostly data (its template is the test template with 400 MiB of random bytes and 520 MiB of
//! repeated text written after it, made on the host), then, in the same run:
//!   - full-backup throughput: a live full backup through vpsbox (backup job, compression,
//!     check, checksum) against `qemu-img convert -c` of the same disk, both as the disk's
//!     1 GiB over the wall time, best of two each;
//!   - an incremental backup after the guest changed 10 MiB: the bytes QEMU read from the disk
//!     for it (the QEMU process's read counter), against the disk's size.
//!
//!   backup_bench TEMPLATE

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark, not product code

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use vpsbox::app::{StartOptions, start};
use vpsbox::clock::{Stopwatch, SystemClock};
use vpsbox::config::{Config, DomainType};
use vpsbox::domain::account::Role;
use vpsbox::domain::backup::Kind;
use vpsbox::domain::catalog::PlanSpec;
use vpsbox::domain::money::Money;
use vpsbox::domain::schedule::{Frequency, When};
use vpsbox::service::Caller;
use vpsbox::service::Services;
use vpsbox::service::plans::NewPlan;
use vpsbox::service::templates::ImportRequest;
use vpsbox::service::vms::CreateVm;
use vpsbox::store::backups::{BackupRecord, BackupState};

const DISK: u64 = 1 << 30;

/// Type `cmd` into the guest's shell and wait for `marker-42` in the serial log.
async fn guest(stream: &Arc<dyn vpsbox::hv::ByteStream>, log: &Path, cmd: &str, marker: &str) {
    let line = format!("{cmd}; echo {marker}-$((40+2))\n");
    let s = stream.clone();
    tokio::task::spawn_blocking(move || s.send(line.as_bytes())).await.unwrap().unwrap();
    let want = format!("{marker}-42");
    while !std::fs::read_to_string(log).unwrap_or_default().contains(&want) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn done(svc: &Services, id: u64) -> BackupRecord {
    loop {
        let b = svc.backups.get(&Caller::system(), id).unwrap();
        match &b.state {
            BackupState::Running { .. } => tokio::time::sleep(Duration::from_millis(20)).await,
            BackupState::Done => return b,
            BackupState::Failed { reason } => panic!("backup failed: {reason}"),
        }
    }
}

/// Bytes the process has read through system calls (`rchar` of /proc/PID/io).
fn rchar(pid: &str) -> u64 {
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).unwrap();
    io.lines().find_map(|l| l.strip_prefix("rchar: ")).unwrap().trim().parse().unwrap()
}

fn mb_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

/// The test template grown to 1 GiB with 400 MiB of random bytes and 520 MiB of repeated text
/// after its own 64 MiB, as qcow2.
fn data_template(tiny: &Path, dir: &Path) -> PathBuf {
    use std::io::{Read, Seek, SeekFrom, Write};
    let raw = dir.join("bench.raw");
    let st =
        std::process::Command::new("qemu-img").args(["convert", "-O", "raw"]).arg(tiny).arg(&raw).status();
    assert!(st.unwrap().success());
    let mut f = std::fs::OpenOptions::new().write(true).open(&raw).unwrap();
    f.set_len(DISK).unwrap();
    f.seek(SeekFrom::Start(64 << 20)).unwrap();
    let mut random = std::fs::File::open("/dev/urandom").unwrap();
    let mut buf = vec![0u8; 1 << 20];
    for _ in 0..400 {
        random.read_exact(&mut buf).unwrap();
        f.write_all(&buf).unwrap();
    }
    let text: Vec<u8> =
        b"vpsbox backup bench: a line of text\n".iter().copied().cycle().take(1 << 20).collect();
    for _ in 0..520 {
        f.write_all(&text).unwrap();
    }
    drop(f);
    let qcow = dir.join("bench-1g.qcow2");
    let st =
        std::process::Command::new("qemu-img").args(["convert", "-O", "qcow2"]).arg(&raw).arg(&qcow).status();
    assert!(st.unwrap().success());
    std::fs::remove_file(&raw).unwrap();
    qcow
}

#[tokio::main]
async fn main() {
    let template = PathBuf::from(std::env::args().nth(1).expect("usage: backup_bench TEMPLATE"));
    let dir = std::env::temp_dir().join(format!("vpsbox-backupbench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cfg = Config { data_dir: dir.clone(), ..Config::default() };
    cfg.listen = "127.0.0.1:0".parse().unwrap();
    cfg.libvirt.uri = "qemu:///system".into();
    cfg.libvirt.domain_type = DomainType::Qemu;
    cfg.log.filter = "warn".into();
    let running =
        start(StartOptions { config: cfg, demo: false, clock: Arc::new(SystemClock) }).await.unwrap();
    let svc = running.svc.clone();
    let big = data_template(&template, &dir);
    let t = svc
        .templates
        .import(
            big,
            ImportRequest {
                name: "bench-1g".into(),
                os: "linux".into(),
                min_disk_gb: None,
                login_user: None,
            },
        )
        .await
        .unwrap();
    let plan = svc
        .plans
        .create(NewPlan {
            name: "bench".into(),
            spec: PlanSpec { vcpus: 1, memory_mib: 256, disk_gb: 1, ipv4: 0 },
            monthly_price: Money(1),
            hourly_price: Money(1),
        })
        .await
        .unwrap();
    let owner = svc
        .accounts
        .create_user("backup@example.com", "backup bench password", Role::Customer)
        .await
        .unwrap();
    let order = CreateVm {
        plan: plan.id,
        template: t.id,
        hostname: "backup-bench".into(),
        key_ids: vec![],
        root_password: Some("a long root password".into()),
        once_key: "backup-bench".into(),
        networks: vec![],
        restore: None,
    };
    let id = svc.vms.create(owner, order, &Caller::system()).await.unwrap();
    let vm = loop {
        let vm = svc.vms.get(&Caller::system(), id).unwrap();
        if vm.power.is_active() && svc.vms.intent(id).unwrap().is_none() {
            break vm;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let log = svc.vms.paths().serial_log(&vm.uuid);
    while !std::fs::read_to_string(&log).unwrap_or_default().contains("VPSBOX-TEST: ready") {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let serial = svc.vms.open_serial(&Caller::system(), id).await.unwrap();
    let disk = svc.vms.paths().disk(&vm.uuid);

    let owner_scope = &Caller::customer(owner, "127.0.0.1");
    let when = When { frequency: Frequency::Daily, minute: 0, hour: 3, weekday: 1, day: 1 };
    let sched = svc.backups.add_schedule(owner_scope, id, when, 7).await.unwrap().id;
    let (mut convert, mut convert_w, mut full) = (Duration::MAX, Duration::MAX, Duration::MAX);
    let mut last_full = None;
    for _ in 0..2 {
        let out = dir.join("convert.qcow2");
        let t = Stopwatch::start();
        let st = std::process::Command::new("qemu-img")
            .args(["convert", "-c", "-O", "qcow2", "-U"])
            .arg(&disk)
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
        convert = convert.min(t.elapsed());
        let _ = std::fs::remove_file(&out);
        let t = Stopwatch::start();
        let st = std::process::Command::new("qemu-img")
            .args(["convert", "-c", "-W", "-m", "8", "-O", "qcow2", "-U"])
            .arg(&disk)
            .arg(&out)
            .status()
            .unwrap();
        assert!(st.success());
        convert_w = convert_w.min(t.elapsed());
        let _ = std::fs::remove_file(&out);
        // A full backup each time: a new chain (the schedule keeps 7, so force it by a
        // "back up now" for the first and the schedule for the second).
        let t = Stopwatch::start();
        let b = svc.backups.start(owner_scope, id, Some(sched)).await.unwrap();
        let b = done(&svc, b).await;
        if b.kind == Kind::Full {
            full = full.min(t.elapsed());
            last_full = Some(b);
        } else {
            // Only the first is full; time another full one through "back up now".
            let t = Stopwatch::start();
            let n = svc.backups.start(owner_scope, id, None).await.unwrap();
            let n = done(&svc, n).await;
            assert_eq!(n.kind, Kind::Full);
            full = full.min(t.elapsed());
        }
    }
    let full_bytes = last_full.as_ref().map(|b| b.bytes()).unwrap_or(0);
    println!(
        "Backups (tiny VM under TCG, 1 GiB disk: 64 MiB boot image, 400 MiB random bytes, 520 MiB repeated text, the rest empty)"
    );
    println!(
        "full backup, live    {:>8.1} MB/s  ({:.2} s, {:.0} MiB written)  | qemu-img convert -c {:>8.1} MB/s ({:.2} s) | ratio {:.2}",
        mb_s(DISK, full),
        full.as_secs_f64(),
        full_bytes as f64 / f64::from(1u32 << 20),
        mb_s(DISK, convert),
        convert.as_secs_f64(),
        convert.as_secs_f64() / full.as_secs_f64()
    );
    println!(
        "                                                              | qemu-img convert -c -W -m 8 (parallel, as vpsbox compresses) {:>8.1} MB/s ({:.2} s)",
        mb_s(DISK, convert_w),
        convert_w.as_secs_f64()
    );

    // The chain continues from the schedule's newest backup: change 10 MiB, back up again.
    let pid = std::fs::read_to_string(format!("/run/libvirt/qemu/vpsbox-{}.pid", vm.uuid)).unwrap();
    let pid = pid.trim().to_string();
    guest(
        &serial,
        &log,
        "dd if=/dev/urandom of=/dev/vda bs=1M seek=990 count=10 conv=fsync 2>/dev/null",
        "CHANGE",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rchar(&pid);
    let t = Stopwatch::start();
    let b = svc.backups.start(owner_scope, id, Some(sched)).await.unwrap();
    let b = done(&svc, b).await;
    let took = t.elapsed();
    let read = rchar(&pid) - before;
    assert_eq!(b.kind, Kind::Incremental, "{b:?}");
    println!(
        "incremental after 10 MiB changed: QEMU read {:.1} MiB of the disk ({:.2}% of 1 GiB; target under 5%), file {:.1} MiB, {:.2} s",
        read as f64 / f64::from(1u32 << 20),
        read as f64 * 100.0 / DISK as f64,
        b.bytes() as f64 / f64::from(1u32 << 20),
        took.as_secs_f64()
    );

    serial.close();
    svc.vms.delete(&Caller::system(), id, "backup-bench").await.unwrap();
    while svc.vms.get_any(id).is_ok() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    running.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
