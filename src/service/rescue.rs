//! The rescue system: the image the hoster imports (`vpsbox rescue import FILE`), kept apart
//! from the OS catalogue in `DATA_DIR/rescue/`. Servers boot the newest image into rescue
//! (`service::vms::rescue`); an older one is deleted once no server in rescue runs on it.
//!
//! Import order is that of templates: the file is copied to `.incoming-<random>`, inspected,
//! renamed to `rescue-<uuid>.<format>`, and only then recorded; [`RescueImages::sweep`] removes
//! what a crash left behind.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::ReadableTable;

use super::templates::{INCOMING_PREFIX, Staged, TemplateError, is_staged_in};
use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::host::images::{self, ImageError};
use crate::store::rescue::{self, RescueImage};
use crate::store::tables::{META, META_LAST_RESCUE_IMAGE_ID, RESCUE_IMAGES, VM_RESCUE};
use crate::store::{Store, StoreError};

/// Why a rescue image could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum RescueImageError {
    /// A staged file outside the incoming area.
    #[error("The staged image must be an {INCOMING_PREFIX}* file in the rescue directory")]
    StagedPathInvalid,
    /// The image is unusable.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for RescueImageError {
    fn code(&self) -> &'static str {
        match self {
            RescueImageError::StagedPathInvalid => "RSC0001",
            RescueImageError::Image(e) => e.code(),
            RescueImageError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            RescueImageError::Store(e) => e.kind(),
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            RescueImageError::StagedPathInvalid => vec![("prefix", INCOMING_PREFIX.into())],
            RescueImageError::Image(e) => e.args(),
            RescueImageError::Store(e) => e.args(),
        }
    }
}

store_error_conversions!(RescueImageError);

impl From<TemplateError> for RescueImageError {
    fn from(e: TemplateError) -> Self {
        match e {
            TemplateError::Image(e) => RescueImageError::Image(e),
            TemplateError::Store(e) => RescueImageError::Store(e),
            _ => RescueImageError::StagedPathInvalid,
        }
    }
}

/// The rescue images.
#[derive(Clone)]
pub struct RescueImages {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    dir: PathBuf,
}

impl RescueImages {
    /// The service over `store`, keeping images in `data_dir/rescue`.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, data_dir: &Path) -> RescueImages {
        RescueImages { store, clock, dir: data_dir.join("rescue") }
    }

    /// The directory of `data_dir`'s rescue images (the CLI stages into it).
    pub fn dir_of(data_dir: &Path) -> PathBuf {
        data_dir.join("rescue")
    }

    /// Absolute path of an image.
    pub fn path_of(&self, img: &RescueImage) -> PathBuf {
        self.dir.join(&img.file)
    }

    /// Turn a staged file into the current rescue image (blocking). The staged file is
    /// consumed either way; a path that is not an incoming file of this directory is refused
    /// and left alone. Images no server in rescue runs on any more are deleted.
    pub fn register(&self, staged: &Staged) -> Result<RescueImage, RescueImageError> {
        if !is_staged_in(&self.dir, &staged.path) {
            return Err(RescueImageError::StagedPathInvalid);
        }
        let result = self.register_inner(staged);
        if result.is_err() {
            let _ = std::fs::remove_file(&staged.path);
        }
        result
    }

    fn register_inner(&self, staged: &Staged) -> Result<RescueImage, RescueImageError> {
        let info = images::inspect_template(&staged.path)?;
        let file = format!("rescue-{}.{}", uuid::Uuid::new_v4(), info.format.as_str());
        let final_path = self.dir.join(&file);
        std::fs::rename(&staged.path, &final_path)
            .map_err(|source| ImageError::Io { path: final_path.clone(), source })?;
        let tx = self.store.write()?;
        let img = {
            let mut meta = tx.open_table(META)?;
            let id = meta.get(META_LAST_RESCUE_IMAGE_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
            meta.insert(META_LAST_RESCUE_IMAGE_ID, id)?;
            RescueImage {
                id,
                file,
                format: info.format,
                virtual_size: info.virtual_size,
                file_size: info.file_size,
                sha256: staged.sha256.clone(),
                imported_at: self.clock.now(),
            }
        };
        rescue::put_image(&tx, &img)?;
        tx.commit()?;
        tracing::info!(
            id = img.id,
            format = img.format.as_str(),
            sha256 = img.sha256,
            "rescue image imported"
        );
        self.prune()?;
        Ok(img)
    }

    /// Copy `source` in and make it the current image.
    pub async fn import(&self, source: PathBuf) -> Result<RescueImage, RescueImageError> {
        let this = self.clone();
        blocking(move || {
            let staged = super::templates::stage(&this.dir, &source)?;
            this.register(&staged)
        })
        .await
    }

    /// The image servers boot into rescue now, if the hoster imported one.
    pub fn current(&self) -> Result<Option<RescueImage>, RescueImageError> {
        Ok(rescue::current(&self.store.read()?.open_table(RESCUE_IMAGES)?)?)
    }

    /// Every kept image, oldest first, with how many servers in rescue run on each.
    pub fn list(&self) -> Result<Vec<(RescueImage, usize)>, RescueImageError> {
        let tx = self.store.read()?;
        let in_use = in_use_in(&tx.open_table(VM_RESCUE)?)?;
        let all = rescue::images(&tx.open_table(RESCUE_IMAGES)?)?;
        Ok(all.into_iter().map(|i| (i.clone(), in_use.iter().filter(|&&u| u == i.id).count())).collect())
    }

    /// Forget and delete images older than the current one that no server in rescue runs on
    /// (blocking). Returns how many went.
    pub fn prune(&self) -> Result<usize, RescueImageError> {
        let tx = self.store.write()?;
        let mut gone = Vec::new();
        {
            let in_use = in_use_in(&tx.open_table(VM_RESCUE)?)?;
            let mut t = tx.open_table(RESCUE_IMAGES)?;
            let all = rescue::images(&t)?;
            let newest = all.last().map(|i| i.id);
            for img in all {
                if Some(img.id) != newest && !in_use.contains(&img.id) {
                    t.remove(img.id)?;
                    gone.push(img);
                }
            }
        }
        tx.commit()?;
        // The records are gone; a crash before this leaves files the sweep removes.
        for img in &gone {
            let _ = std::fs::remove_file(self.path_of(img));
            tracing::info!(id = img.id, "an older rescue image no server uses any more was deleted");
        }
        Ok(gone.len())
    }

    /// Remove image files no record names (a crash mid-import or mid-prune) and incoming files
    /// older than an hour. Returns the removed paths.
    pub fn sweep(&self) -> Result<Vec<PathBuf>, RescueImageError> {
        let known: Vec<String> = self.list()?.into_iter().map(|(i, _)| i.file).collect();
        Ok(super::templates::sweep_dir(&self.dir, "rescue-", &known)?)
    }
}

/// The image of every server in rescue.
fn in_use_in(t: &impl ReadableTable<u64, &'static [u8]>) -> Result<Vec<u64>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()? {
        let r: rescue::RescueRecord = crate::store::codec::decode(row?.1.value())?;
        out.push(r.image);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::domain::time::Timestamp;

    fn image(dir: &Path, name: &str) -> PathBuf {
        let p = dir.join(name);
        let ok = std::process::Command::new("qemu-img")
            .args(["create", "-q", "-f", "qcow2"])
            .arg(&p)
            .arg("64M")
            .status()
            .unwrap()
            .success();
        assert!(ok);
        p
    }

    #[tokio::test]
    async fn the_newest_image_is_current_and_unused_older_ones_go() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::in_memory().unwrap());
        let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
        let r = RescueImages::new(store.clone(), clock, dir.path());
        assert_eq!(r.current().unwrap(), None);
        let first = r.import(image(dir.path(), "a.qcow2")).await.unwrap();
        assert_eq!(r.current().unwrap().unwrap().id, first.id);
        assert!(r.path_of(&first).exists());
        // A server in rescue runs on the first: it stays when a second comes.
        {
            let tx = store.write().unwrap();
            let rec = rescue::RescueRecord {
                vm: crate::domain::vm::VmId(3),
                image: first.id,
                since: Timestamp::from_secs(1),
                password_hash: String::new(),
                instance_id: "x".into(),
            };
            rescue::put(&tx, &rec).unwrap();
            tx.commit().unwrap();
        }
        let second = r.import(image(dir.path(), "b.qcow2")).await.unwrap();
        assert_eq!(r.current().unwrap().unwrap().id, second.id);
        let listed: Vec<(u64, usize)> = r.list().unwrap().iter().map(|(i, n)| (i.id, *n)).collect();
        assert_eq!(listed, vec![(first.id, 1), (second.id, 0)]);
        {
            let tx = store.write().unwrap();
            tx.open_table(VM_RESCUE).unwrap().remove(3).unwrap();
            tx.commit().unwrap();
        }
        assert_eq!(r.prune().unwrap(), 1);
        assert!(!r.path_of(&first).exists() && r.path_of(&second).exists());
        // Not an image: refused with the image's code, nothing left behind.
        let junk = dir.path().join("junk.iso");
        std::fs::write(&junk, b"not a disk").unwrap();
        let e = r.import(junk).await.unwrap_err();
        assert!(e.code().starts_with("IMG"), "{}", e.code());
        let orphan = r.dir_of_test().join("rescue-0000.qcow2");
        std::fs::write(&orphan, b"x").unwrap();
        assert_eq!(r.sweep().unwrap(), vec![orphan]);
        assert_eq!(std::fs::read_dir(r.dir_of_test()).unwrap().count(), 1);
    }

    impl RescueImages {
        fn dir_of_test(&self) -> &Path {
            &self.dir
        }
    }
}
