//! Backup image files: the compressed qcow2 per disk that a backup leaves in the backup
//! directory, how it is made from what the backup job wrote, checked, and read back.
//!
//! A live backup job writes an uncompressed qcow2 (`<name>.job`); for an incremental backup that
//! file is made first with the parent backup as its backing file, so it holds only the changed
//! clusters. `qemu-img convert -c` then writes the compressed result (`<name>.partial`; for an
//! incremental one with `-B parent`, which reads only the job file's own clusters, so the work
//! stays proportional to the change), which is checked (`qemu-img check`) and checksummed before
//! it is renamed to its final name. Backing file names are relative, so the backup directory can
//! move (or be a mounted remote file system).

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::images::{ImageError, io, own_like_parent, qemu_img, remove_if_exists};

/// The names one backup file goes through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// What the backup job writes.
    pub job: PathBuf,
    /// The compressed copy while it is written and checked.
    pub partial: PathBuf,
    /// The finished backup file.
    pub done: PathBuf,
}

impl Names {
    /// The names for `done` (a `.qcow2` file).
    pub fn of(done: &Path) -> Names {
        let with = |ext: &str| {
            let mut s = done.as_os_str().to_os_string();
            s.push(ext);
            PathBuf::from(s)
        };
        Names { job: with(".job"), partial: with(".partial"), done: done.to_path_buf() }
    }

    /// Remove whatever an interrupted attempt left (never the finished file).
    pub fn clear_leftovers(&self) -> Result<(), ImageError> {
        remove_if_exists(&self.job)?;
        remove_if_exists(&self.partial)
    }
}

/// Make the job file of an incremental backup: an empty qcow2 of `size` bytes whose backing
/// file is `parent` (named relative to the directory both live in).
pub fn create_job_overlay(names: &Names, parent: &Path, size: u64) -> Result<(), ImageError> {
    remove_if_exists(&names.job)?;
    let rel = parent.file_name().map(PathBuf::from).unwrap_or_else(|| parent.to_path_buf());
    qemu_img(
        &names.job,
        &[
            "create".as_ref(),
            "-q".as_ref(),
            "-f".as_ref(),
            "qcow2".as_ref(),
            "-F".as_ref(),
            "qcow2".as_ref(),
            "-b".as_ref(),
            rel.as_os_str(),
            names.job.as_os_str(),
            size.to_string().as_ref(),
        ],
    )?;
    // QEMU (as libvirt's qemu user) writes into it.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&names.job, std::fs::Permissions::from_mode(0o666)).map_err(io(&names.job))
}

/// What a finished backup file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    /// Size of the file.
    pub bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}

/// Compress `source` (a disk image, or a backup job's file) into `names.partial` — against
/// `parent` for an incremental backup — then check it, checksum it and rename it to
/// `names.done`. The job file is removed afterwards.
pub fn finish(names: &Names, source: &Path, parent: Option<&Path>) -> Result<Finished, ImageError> {
    remove_if_exists(&names.partial)?;
    // `-W -m 8`: clusters are compressed in parallel and written as they are ready (the
    // output is a new file, so write order does not matter); about 1.6× faster on two cores.
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "convert".as_ref(),
        "-c".as_ref(),
        "-W".as_ref(),
        "-m".as_ref(),
        "8".as_ref(),
        "-O".as_ref(),
        "qcow2".as_ref(),
        "-U".as_ref(),
    ];
    let rel;
    if let Some(p) = parent {
        rel = p.file_name().map(PathBuf::from).unwrap_or_else(|| p.to_path_buf());
        args.extend(["-B".as_ref(), rel.as_os_str(), "-F".as_ref(), "qcow2".as_ref()]);
    }
    args.extend([source.as_os_str(), names.partial.as_os_str()]);
    // A relative `-B` is resolved from the output's directory, where the parent lives.
    qemu_img(&names.partial, &args)?;
    let checked = verify(&names.partial)?;
    std::fs::File::open(&names.partial).and_then(|f| f.sync_all()).map_err(io(&names.partial))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&names.partial, std::fs::Permissions::from_mode(0o640))
        .map_err(io(&names.partial))?;
    own_like_parent(&names.partial)?;
    std::fs::rename(&names.partial, &names.done).map_err(io(&names.done))?;
    if let Some(dir) = names.done.parent() {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))?;
    }
    remove_if_exists(&names.job)?;
    Ok(checked)
}

/// `qemu-img check` the file (its chain must open too) and compute its SHA-256.
pub fn verify(file: &Path) -> Result<Finished, ImageError> {
    qemu_img(file, &["check".as_ref(), "-q".as_ref(), "-U".as_ref(), file.as_os_str()])?;
    Ok(Finished { bytes: std::fs::metadata(file).map_err(io(file))?.len(), sha256: sha256_of(file)? })
}

/// SHA-256 of a file, hex.
pub fn sha256_of(file: &Path) -> Result<String, ImageError> {
    let mut f = std::fs::File::open(file).map_err(io(file))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(io(file))?;
        if n == 0 {
            break;
        }
        h.update(buf.get(..n).unwrap_or_default());
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Write the whole disk a backup stands for (its chain flattened) to `dest` as a standalone
/// qcow2, for a restore.
pub fn flatten(backup: &Path, dest: &Path) -> Result<(), ImageError> {
    remove_if_exists(dest)?;
    qemu_img(
        dest,
        &["convert".as_ref(), "-O".as_ref(), "qcow2".as_ref(), backup.as_os_str(), dest.as_os_str()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn qemu_io(file: &Path, cmd: &str) {
        let st = Command::new("qemu-io").args(["-f", "qcow2", "-c", cmd]).arg(file).output().unwrap();
        assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    }

    fn identical(a: &Path, b: &Path) -> bool {
        Command::new("qemu-img").arg("compare").arg(a).arg(b).status().unwrap().success()
    }

    #[test]
    fn a_full_and_an_incremental_backup_restore_to_their_sources() {
        let dir = tempfile::tempdir().unwrap();
        let disk = dir.path().join("disk.qcow2");
        let st =
            Command::new("qemu-img").args(["create", "-q", "-f", "qcow2"]).arg(&disk).arg("64M").status();
        assert!(st.unwrap().success());
        qemu_io(&disk, "write -P 0x55 0 8M");
        // Full: straight from the (stopped) disk.
        let full = Names::of(&dir.path().join("b1-vda.qcow2"));
        let f = finish(&full, &disk, None).unwrap();
        assert_eq!(f.sha256, sha256_of(&full.done).unwrap());
        assert!(f.bytes < 1 << 20, "8 MiB of one byte compress well: {}", f.bytes);
        assert!(!full.partial.exists());
        // The disk changes: 1 MiB new data, 1 MiB zeroed over old data.
        qemu_io(&disk, "write -P 0x66 16M 1M");
        qemu_io(&disk, "write -z 1M 1M");
        // An incremental: a job file on the parent holding only the changes (written here the
        // way the backup job would), then compressed against the parent.
        let inc = Names::of(&dir.path().join("b2-vda.qcow2"));
        create_job_overlay(&inc, &full.done, 64 << 20).unwrap();
        qemu_io(&inc.job, "write -P 0x66 16M 1M");
        qemu_io(&inc.job, "write -z 1M 1M");
        finish(&inc, &inc.job, Some(&full.done)).unwrap();
        assert!(!inc.job.exists(), "the job file is removed");
        let out = Command::new("qemu-img").args(["info", "-U"]).arg(&inc.done).output().unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("backing file: b1-vda.qcow2"));
        // Both restore to the disk as it was at their time.
        let restored = dir.path().join("restored.qcow2");
        flatten(&inc.done, &restored).unwrap();
        assert!(identical(&restored, &disk));
        flatten(&full.done, &restored).unwrap();
        assert!(!identical(&restored, &disk));
        // A damaged file fails its check.
        let bad = dir.path().join("bad.qcow2");
        std::fs::write(&bad, b"QFI\xfbnot really").unwrap();
        assert!(verify(&bad).is_err());
    }
}
