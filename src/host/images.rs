//! Disk images: streaming copy with SHA-256, and `qemu-img` for inspecting, overlaying and
//! growing images.

use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::domain::vm::ImageFormat;

/// Why an image operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// File in question.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// `qemu-img` could not run or failed.
    #[error("qemu-img failed on {path}: {message}")]
    QemuImg {
        /// File in question.
        path: PathBuf,
        /// Its message.
        message: String,
    },
    /// The image is not one vpsbox accepts.
    #[error("{path} is not usable as an image: {reason}")]
    Unsupported {
        /// File in question.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

impl crate::error::Coded for ImageError {
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            ImageError::Io { .. } | ImageError::Unsupported { .. } => crate::error::ErrorKind::Invalid,
            ImageError::QemuImg { .. } => crate::error::ErrorKind::Invalid,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ImageError::Io { .. } => "IMG0001",
            ImageError::QemuImg { .. } => "IMG0002",
            ImageError::Unsupported { .. } => "IMG0003",
        }
    }
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImageError + '_ {
    move |source| ImageError::Io { path: path.to_path_buf(), source }
}

/// What `qemu-img info` says about an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// Format.
    pub format: ImageFormat,
    /// Size the guest sees, bytes.
    pub virtual_size: u64,
    /// Bytes on disk.
    pub file_size: u64,
}

#[derive(Deserialize)]
struct QemuImgInfo {
    format: String,
    #[serde(rename = "virtual-size")]
    virtual_size: u64,
    #[serde(rename = "backing-filename")]
    backing_filename: Option<String>,
    encrypted: Option<bool>,
    #[serde(rename = "format-specific")]
    format_specific: Option<serde_json::Value>,
}

pub(crate) fn qemu_img(path: &Path, args: &[&std::ffi::OsStr]) -> Result<String, ImageError> {
    let out = Command::new("qemu-img").args(args).output().map_err(|e| ImageError::QemuImg {
        path: path.to_path_buf(),
        message: format!("cannot run qemu-img: {e}"),
    })?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(ImageError::QemuImg { path: path.to_path_buf(), message: msg });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Inspect an image that is to become a template: qcow2 or raw, no backing file, no external
/// data file, not encrypted.
pub fn inspect_template(path: &Path) -> Result<ImageInfo, ImageError> {
    let json = qemu_img(path, &["info".as_ref(), "--output=json".as_ref(), path.as_os_str()])?;
    let info: QemuImgInfo = serde_json::from_str(&json).map_err(|e| ImageError::QemuImg {
        path: path.to_path_buf(),
        message: format!("unexpected output: {e}"),
    })?;
    let bad = |reason: String| Err(ImageError::Unsupported { path: path.to_path_buf(), reason });
    let format = match info.format.as_str() {
        "qcow2" => ImageFormat::Qcow2,
        "raw" => ImageFormat::Raw,
        other => return bad(format!("format {other}; import a qcow2 or raw image")),
    };
    if info.backing_filename.is_some() {
        return bad("it has a backing file; flatten it first with `qemu-img convert -O qcow2`".into());
    }
    if info.encrypted == Some(true) {
        return bad("it is encrypted".into());
    }
    let data_file =
        info.format_specific.as_ref().and_then(|v| v.get("data").and_then(|d| d.get("data-file"))).is_some();
    if data_file {
        return bad("it uses an external data file".into());
    }
    let file_size = std::fs::metadata(path).map_err(io(path))?.len();
    if format == ImageFormat::Raw && (file_size == 0 || file_size % 512 != 0) {
        return bad("a raw image must be a non-empty multiple of 512 bytes".into());
    }
    if info.virtual_size == 0 {
        return bad("its virtual size is 0".into());
    }
    Ok(ImageInfo { format, virtual_size: info.virtual_size, file_size })
}

/// Copy `from` to `to` (created new, mode 0644) while computing its SHA-256 (hex), then fsync.
pub fn copy_with_sha256(from: &Path, to: &Path) -> Result<String, ImageError> {
    let mut src = std::fs::File::open(from).map_err(io(from))?;
    if !src.metadata().map_err(io(from))?.is_file() {
        return Err(ImageError::Unsupported {
            path: from.to_path_buf(),
            reason: "not a regular file".into(),
        });
    }
    let mut dst =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o644).open(to).map_err(io(to))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = src.read(&mut buf).map_err(io(from))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        dst.write_all(&buf[..n]).map_err(io(to))?;
    }
    dst.sync_all().map_err(io(to))?;
    // Readable by libvirt's qemu user whatever the umask; owned like its directory (the CLI may
    // run as root for a daemon running as `vpsbox`).
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o644)).map_err(io(to))?;
    own_like_parent(to)?;
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Create `disk`, a qcow2 overlay on `backing` (of `backing_format`) with `size_gb` GiB
/// virtual size, replacing any half-made file from an interrupted attempt.
pub fn create_overlay(
    backing: &Path,
    backing_format: ImageFormat,
    disk: &Path,
    size_gb: u64,
) -> Result<(), ImageError> {
    remove_if_exists(disk)?;
    qemu_img(
        disk,
        &[
            "create".as_ref(),
            "-q".as_ref(),
            "-f".as_ref(),
            "qcow2".as_ref(),
            "-F".as_ref(),
            backing_format.as_str().as_ref(),
            "-b".as_ref(),
            backing.as_os_str(),
            disk.as_os_str(),
            format!("{size_gb}G").as_ref(),
        ],
    )?;
    std::fs::set_permissions(disk, std::fs::Permissions::from_mode(0o644)).map_err(io(disk))
}

/// Give a disk image made by vpsbox the mode and owner the VM's disks have (0644, owned like
/// its directory; libvirt hands it to QEMU when the VM starts).
pub fn prepare_disk_file(path: &Path) -> Result<(), ImageError> {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).map_err(io(path))?;
    std::fs::File::open(path).and_then(|f| f.sync_all()).map_err(io(path))?;
    own_like_parent(path)
}

/// Create an empty qcow2 `disk` of `size_gb` GiB: written under a temporary name and renamed,
/// so a crash never leaves a half-made file under the real name. An existing file is kept.
pub fn create_blank(disk: &Path, size_gb: u64) -> Result<(), ImageError> {
    if disk.exists() {
        return Ok(());
    }
    let tmp = disk.with_extension("qcow2.part");
    remove_if_exists(&tmp)?;
    qemu_img(
        disk,
        &[
            "create".as_ref(),
            "-q".as_ref(),
            "-f".as_ref(),
            "qcow2".as_ref(),
            tmp.as_os_str(),
            format!("{size_gb}G").as_ref(),
        ],
    )?;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644)).map_err(io(&tmp))?;
    own_like_parent(&tmp)?;
    std::fs::rename(&tmp, disk).map_err(io(disk))
}

/// Grow `disk` to `size_gb` GiB (never shrinks; a no-op when it is that big already).
pub fn grow(disk: &Path, size_gb: u64) -> Result<(), ImageError> {
    let json = qemu_img(disk, &["info".as_ref(), "--output=json".as_ref(), "-U".as_ref(), disk.as_os_str()])?;
    let info: QemuImgInfo = serde_json::from_str(&json).map_err(|e| ImageError::QemuImg {
        path: disk.to_path_buf(),
        message: format!("unexpected output: {e}"),
    })?;
    let want = size_gb.saturating_mul(1 << 30);
    if info.virtual_size >= want {
        return Ok(());
    }
    qemu_img(disk, &["resize".as_ref(), "-q".as_ref(), disk.as_os_str(), format!("{size_gb}G").as_ref()])
        .map(|_| ())
}

/// Virtual size of an image, bytes.
pub fn virtual_size(path: &Path) -> Result<u64, ImageError> {
    let json = qemu_img(path, &["info".as_ref(), "--output=json".as_ref(), "-U".as_ref(), path.as_os_str()])?;
    let info: QemuImgInfo = serde_json::from_str(&json).map_err(|e| ImageError::QemuImg {
        path: path.to_path_buf(),
        message: format!("unexpected output: {e}"),
    })?;
    Ok(info.virtual_size)
}

/// Remove every persistent dirty bitmap from a qcow2 file that no running domain holds open
/// (the backup checkpoints' bitmaps, which libvirt cannot delete for a domain that is off);
/// a missing file has none. Returns the names removed.
pub fn remove_bitmaps(path: &Path) -> Result<Vec<String>, ImageError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let json = qemu_img(path, &["info".as_ref(), "--output=json".as_ref(), path.as_os_str()])?;
    let info: QemuImgInfo = serde_json::from_str(&json).map_err(|e| ImageError::QemuImg {
        path: path.to_path_buf(),
        message: format!("unexpected output: {e}"),
    })?;
    let names: Vec<String> = info
        .format_specific
        .as_ref()
        .and_then(|f| f.pointer("/data/bitmaps"))
        .and_then(|b| b.as_array())
        .map(|a| a.iter().filter_map(|b| b.get("name")?.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    for name in &names {
        qemu_img(path, &["bitmap".as_ref(), "--remove".as_ref(), path.as_os_str(), name.as_ref()])?;
    }
    Ok(names)
}

/// Bytes a file takes on the host's disk (its allocated blocks); a missing file takes none.
pub fn allocated_bytes(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).map(|m| m.blocks().saturating_mul(512)).unwrap_or(0)
}

/// Remove a file; a missing file is fine.
pub fn remove_if_exists(path: &Path) -> Result<(), ImageError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(ImageError::Io { path: path.to_path_buf(), source }),
    }
}

/// Create a directory (and parents) traversable by libvirt's qemu user (0755), owned like its
/// parent.
pub fn ensure_dir(dir: &Path) -> Result<(), ImageError> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).map_err(io(dir))?;
    own_like_parent(dir)
}

/// Give `path` the owner and group of its parent directory when they differ (only root can).
pub(crate) fn own_like_parent(path: &Path) -> Result<(), ImageError> {
    use std::os::unix::fs::MetadataExt;
    let Some(parent) = path.parent() else { return Ok(()) };
    let (p, m) = (std::fs::metadata(parent).map_err(io(parent))?, std::fs::metadata(path).map_err(io(path))?);
    if (p.uid(), p.gid()) != (m.uid(), m.gid()) {
        // Not being root is fine: then the file already belongs to whoever runs us.
        let _ = std::os::unix::fs::chown(path, Some(p.uid()), Some(p.gid()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Coded;

    fn qemu_img_create(path: &Path, fmt: &str, size: &str, extra: &[&str]) {
        let st = Command::new("qemu-img")
            .args(["create", "-q", "-f", fmt])
            .args(extra)
            .arg(path)
            .arg(size)
            .status()
            .unwrap();
        assert!(st.success());
    }

    #[test]
    fn accepts_qcow2_and_raw_refuses_backing_and_junk() {
        let d = tempfile::tempdir().unwrap();
        let q = d.path().join("a.qcow2");
        qemu_img_create(&q, "qcow2", "64M", &[]);
        let i = inspect_template(&q).unwrap();
        assert_eq!((i.format, i.virtual_size), (ImageFormat::Qcow2, 64 << 20));

        let r = d.path().join("b.raw");
        qemu_img_create(&r, "raw", "1M", &[]);
        assert_eq!(inspect_template(&r).unwrap().format, ImageFormat::Raw);

        let o = d.path().join("c.qcow2");
        qemu_img_create(&o, "qcow2", "64M", &["-b", q.to_str().unwrap(), "-F", "qcow2"]);
        let e = inspect_template(&o).unwrap_err();
        assert!(e.to_string().contains("backing file"), "{e}");

        let j = d.path().join("junk");
        std::fs::write(&j, b"not an image").unwrap();
        assert_eq!(inspect_template(&j).unwrap_err().code(), "IMG0003");

        let v = d.path().join("v.vmdk");
        qemu_img_create(&v, "vmdk", "1M", &[]);
        assert!(inspect_template(&v).unwrap_err().to_string().contains("format vmdk"));
    }

    #[test]
    fn overlay_and_grow() {
        let d = tempfile::tempdir().unwrap();
        let base = d.path().join("base.qcow2");
        qemu_img_create(&base, "qcow2", "1G", &[]);
        let disk = d.path().join("vm.qcow2");
        std::fs::write(&disk, b"half-made").unwrap();
        create_overlay(&base, ImageFormat::Qcow2, &disk, 3).unwrap();
        assert_eq!(virtual_size(&disk).unwrap(), 3 << 30);
        grow(&disk, 5).unwrap();
        assert_eq!(virtual_size(&disk).unwrap(), 5 << 30);
        grow(&disk, 4).unwrap();
        assert_eq!(virtual_size(&disk).unwrap(), 5 << 30, "never shrinks");
        remove_if_exists(&disk).unwrap();
        remove_if_exists(&disk).unwrap();
        assert!(!disk.exists());
    }

    #[test]
    fn copy_hashes_what_it_copies() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a");
        std::fs::write(&a, b"abc").unwrap();
        let b = d.path().join("b");
        let h = copy_with_sha256(&a, &b).unwrap();
        assert_eq!(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(std::fs::read(&b).unwrap(), b"abc");
        assert!(copy_with_sha256(&a, &b).is_err(), "never overwrites");
        assert!(copy_with_sha256(d.path(), &d.path().join("c")).is_err(), "directories are refused");
    }

    #[test]
    fn bitmaps_are_removed_and_allocation_read() {
        let d = tempfile::tempdir().unwrap();
        let q = d.path().join("a.qcow2");
        qemu_img_create(&q, "qcow2", "64M", &[]);
        for name in ["vpsbox-b1", "vpsbox-b2"] {
            let st = Command::new("qemu-img").args(["bitmap", "--add"]).arg(&q).arg(name).status().unwrap();
            assert!(st.success());
        }
        let json = qemu_img(&q, &["info".as_ref(), "--output=json".as_ref(), q.as_os_str()]).unwrap();
        assert!(json.contains("vpsbox-b2"), "{json}");
        assert_eq!(remove_bitmaps(&q).unwrap(), vec!["vpsbox-b1".to_string(), "vpsbox-b2".to_string()]);
        let json = qemu_img(&q, &["info".as_ref(), "--output=json".as_ref(), q.as_os_str()]).unwrap();
        assert!(!json.contains("vpsbox-b"), "{json}");
        assert!(remove_bitmaps(&q).unwrap().is_empty());
        assert!(remove_bitmaps(&d.path().join("missing")).unwrap().is_empty());
        assert!(allocated_bytes(&q) > 0 && allocated_bytes(&q) < 1 << 20, "{}", allocated_bytes(&q));
        assert_eq!(allocated_bytes(&d.path().join("missing")), 0);
    }
}
