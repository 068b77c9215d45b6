//! The cloud-init NoCloud seed: a small vfat image labelled `cidata` holding `meta-data`,
//! `user-data` and `network-config`, made in Rust (fatfs), no external tool.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::images::ImageError;
use crate::domain::cloudinit::{SeedInput, meta_data, network_config, user_data};

/// Size of a seed image: 1 MiB of FAT12 is plenty for the three documents.
const SEED_BYTES: u64 = 1 << 20;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImageError + '_ {
    move |source| ImageError::Io { path: path.to_path_buf(), source }
}

/// Write the seed for `input` to `path` (via a temporary file and rename, mode 0644).
pub fn write_seed(path: &Path, input: &SeedInput) -> Result<(), ImageError> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let result = build(&tmp, input).and_then(|()| std::fs::rename(&tmp, path).map_err(io(path)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn build(path: &Path, input: &SeedInput) -> Result<(), ImageError> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o644)
        .open(path)
        .map_err(io(path))?;
    file.set_len(SEED_BYTES).map_err(io(path))?;
    let opts =
        fatfs::FormatVolumeOptions::new().volume_label(*b"cidata     ").fat_type(fatfs::FatType::Fat12);
    fatfs::format_volume(&mut file, opts).map_err(io(path))?;
    {
        let fs = fatfs::FileSystem::new(&mut file, fatfs::FsOptions::new()).map_err(io(path))?;
        {
            let root = fs.root_dir();
            for (name, body) in [
                ("meta-data", meta_data(input)),
                ("user-data", user_data(input)),
                ("network-config", network_config(input)),
            ] {
                let mut f = root.create_file(name).map_err(io(path))?;
                f.truncate().map_err(io(path))?;
                f.write_all(body.as_bytes()).map_err(io(path))?;
                f.flush().map_err(io(path))?;
            }
        }
        fs.unmount().map_err(io(path))?;
    }
    file.sync_all().map_err(io(path))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).map_err(io(path))
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
            nics: vec![],
        };
        write_seed(&p, &input).unwrap();
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
        // Rewriting replaces it atomically.
        write_seed(&p, &SeedInput { hostname: "web2".into(), ..input }).unwrap();
        assert!(!d.path().join("seed.tmp").exists());
    }
}
