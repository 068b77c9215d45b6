//! The cloud-init NoCloud seed: a small vfat image labelled `cidata` holding `meta-data`,
//! `user-data` and `network-config`, made in Rust (fatfs), no external tool.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::images::ImageError;
use crate::domain::cloudinit::{SeedInput, meta_data, network_config, user_data};
use crate::domain::time::{Timestamp, date_of_day, day_of};

/// Size of a seed image: 1 MiB of FAT12 is plenty for the three documents.
const SEED_BYTES: u64 = 1 << 20;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImageError + '_ {
    move |source| ImageError::Io { path: path.to_path_buf(), source }
}

/// `now` as a FAT time stamp (UTC; FAT has no zone), clamped to the years FAT can hold.
fn fat_time(now: Timestamp) -> fatfs::DateTime {
    let (y, m, d) = date_of_day(day_of(now));
    let secs = now.as_secs().rem_euclid(86_400);
    let clamp = |v: i64, lo: i64, hi: i64| u16::try_from(v.clamp(lo, hi)).unwrap_or(0);
    let (year, month, day) = if y < 1980 {
        (1980, 1, 1)
    } else if y > 2107 {
        (2107, 12, 31)
    } else {
        (y, m, d)
    };
    fatfs::DateTime {
        date: fatfs::Date {
            year: clamp(year, 1980, 2107),
            month: clamp(month.into(), 1, 12),
            day: clamp(day.into(), 1, 31),
        },
        time: fatfs::Time {
            hour: clamp(secs / 3600, 0, 23),
            min: clamp(secs % 3600 / 60, 0, 59),
            sec: clamp(secs % 60, 0, 59),
            millis: 0,
        },
    }
}

/// Write the seed for `input` to `path` (mode 0644), its files dated `now`.
///
/// The image is made in memory first. A new seed is written under a temporary name and renamed
/// into place. An existing one is overwritten in place, in one write at offset 0: a running
/// guest's QEMU holds the file open, so a rename would leave it reading the old file at the
/// guest's next boot, and a change made in the cabinet (an address, a private network) would
/// only arrive with the next power cycle. Every start writes the seed again from the records,
/// so even a write cut short by a crash is repaired before the guest reads it at a boot.
pub fn write_seed(path: &Path, input: &SeedInput, now: Timestamp) -> Result<(), ImageError> {
    let image = build(input, fat_time(now)).map_err(io(path))?;
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(file) => {
            use std::os::unix::fs::FileExt;
            file.write_all_at(&image, 0).map_err(io(path))?;
            file.set_len(image.len() as u64).map_err(io(path))?;
            file.sync_all().map_err(io(path))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => write_new(path, &image),
        Err(e) => Err(io(path)(e)),
    }
}

/// Write `image` to a new file at `path` through a temporary file and a rename.
fn write_new(path: &Path, image: &[u8]) -> Result<(), ImageError> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o644)
            .open(&tmp)
            .map_err(io(&tmp))?;
        file.write_all(image).map_err(io(&tmp))?;
        file.sync_all().map_err(io(&tmp))?;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644)).map_err(io(&tmp))?;
        std::fs::rename(&tmp, path).map_err(io(path))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The seed image for `input`, in memory.
// fatfs 0.3 deprecates the per-file time setters in favour of a `&'static` time provider, which
// cannot carry the injected clock's `now` without global state; the setters still work.
#[allow(deprecated)]
fn build(input: &SeedInput, stamp: fatfs::DateTime) -> std::io::Result<Vec<u8>> {
    let mut disk = std::io::Cursor::new(vec![0u8; SEED_BYTES as usize]);
    let opts =
        fatfs::FormatVolumeOptions::new().volume_label(*b"cidata     ").fat_type(fatfs::FatType::Fat12);
    fatfs::format_volume(&mut disk, opts)?;
    {
        let fs = fatfs::FileSystem::new(&mut disk, fatfs::FsOptions::new())?;
        {
            let root = fs.root_dir();
            for (name, body) in [
                ("meta-data", meta_data(input)),
                ("user-data", user_data(input)),
                ("network-config", network_config(input)),
            ] {
                let mut f = root.create_file(name)?;
                f.truncate()?;
                f.write_all(body.as_bytes())?;
                f.set_created(stamp);
                f.set_accessed(stamp.date);
                f.set_modified(stamp);
                f.flush()?;
            }
        }
        fs.unmount()?;
    }
    Ok(disk.into_inner())
}

/// Read one document back from a seed image (for checks and diagnostics).
pub fn read_document(path: &Path, name: &str) -> Result<String, ImageError> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(io(path))?;
    let fs = fatfs::FileSystem::new(&mut f, fatfs::FsOptions::new()).map_err(io(path))?;
    let mut out = String::new();
    fs.root_dir().open_file(name).map_err(io(path))?.read_to_string(&mut out).map_err(io(path))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn seed_is_a_cidata_vfat_with_the_documents() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("seed.img");
        let input = SeedInput {
            instance_id: "iid-1".into(),
            hostname: "web1".into(),
            root_password_hash: None,
            ssh_keys: vec![],
            login_user: None,
            nics: vec![],
        };
        // 2026-12-04 18:31:20 UTC
        let now = Timestamp::from_secs(1_796_409_080);
        write_seed(&p, &input, now).unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().len(), SEED_BYTES);
        let mut f = std::fs::File::open(&p).unwrap();
        let fs = fatfs::FileSystem::new(&mut f, fatfs::FsOptions::new()).unwrap();
        assert_eq!(fs.volume_label().trim(), "cidata");
        let mut md = String::new();
        fs.root_dir().open_file("meta-data").unwrap().read_to_string(&mut md).unwrap();
        assert_eq!(md, meta_data(&input));
        let mut ud = String::new();
        fs.root_dir().open_file("user-data").unwrap().read_to_string(&mut ud).unwrap();
        assert!(ud.starts_with("#cloud-config"));
        assert!(fs.root_dir().open_file("network-config").is_ok());
        let entry = fs.root_dir().iter().map(|e| e.unwrap()).find(|e| e.file_name() == "meta-data").unwrap();
        let m = entry.modified();
        assert_eq!((m.date.year, m.date.month, m.date.day, m.time.hour, m.time.min), (2026, 12, 4, 18, 31));
        // mtools, which knows nothing of our code, reads the same date.
        let out = std::process::Command::new("mdir").arg("-i").arg(&p).arg("::").output().unwrap();
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("2026-12-04"),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        // Linux's own probe sees the label cloud-init looks for.
        let out = std::process::Command::new("blkid")
            .args(["-o", "value", "-s", "LABEL"])
            .arg(&p)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "cidata");
        let out =
            std::process::Command::new("blkid").args(["-o", "value", "-s", "TYPE"]).arg(&p).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "vfat");
        // Rewriting changes the file in place: a QEMU holding it open reads the new documents.
        use std::os::unix::fs::MetadataExt;
        let held = std::fs::File::open(&p).unwrap();
        write_seed(&p, &SeedInput { hostname: "web2".into(), ..input }, now).unwrap();
        assert!(!d.path().join("seed.tmp").exists());
        assert_eq!(std::fs::metadata(&p).unwrap().ino(), held.metadata().unwrap().ino());
        let mut f = held;
        let fs = fatfs::FileSystem::new(&mut f, fatfs::FsOptions::new()).unwrap();
        let mut md = String::new();
        fs.root_dir().open_file("meta-data").unwrap().read_to_string(&mut md).unwrap();
        assert!(md.contains("web2"), "{md}");
    }
}
