//! The host's storage as vpsbox needs it: the state store's health (writes failing, the store
//! reopened, the admins told) and the free space of the data and backup directories (below a
//! floor, new servers, disks and backups are refused; the admins are warned before that).

use std::path::{Path, PathBuf};

use crate::domain::time::Timestamp;
use crate::i18n::Msg;
use crate::service::notices::{notify_in, told};
use crate::store::notices::Audience;
use crate::store::{Health, Store};

/// Too little free space for a new resource.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "The host is short of disk space ({free_mib} MiB free in {dir}, {floor_mib} MiB kept free): \
     new servers, disks and backups wait until the provider makes room"
)]
pub struct LowSpace {
    /// The directory.
    pub dir: String,
    /// Free there, MiB.
    pub free_mib: u64,
    /// The floor, MiB.
    pub floor_mib: u64,
}

impl crate::service::Coded for LowSpace {
    fn kind(&self) -> crate::service::ErrorKind {
        crate::service::ErrorKind::Unavailable
    }

    fn code(&self) -> &'static str {
        "SPC0001"
    }

    fn args(&self) -> crate::error::Args {
        vec![
            ("free", self.free_mib.into()),
            ("floor", self.floor_mib.into()),
            ("dir", self.dir.as_str().into()),
        ]
    }
}

/// Bytes free for unprivileged use in the file system of `dir` (its nearest existing parent).
pub fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    let mut p = dir;
    while !p.exists() {
        p = p.parent().unwrap_or(Path::new("/"));
    }
    let s = rustix::fs::statvfs(p)?;
    Ok(s.f_bavail.saturating_mul(s.f_frsize))
}

/// The free-space floor of the directories vpsbox fills.
#[derive(Debug, Clone)]
pub struct SpaceFloor {
    /// The data dir and the backup dir.
    pub dirs: Vec<PathBuf>,
    /// Below this many MiB free, new resources are refused.
    pub min_free_mib: u64,
    /// Below this many MiB free, the admins are warned.
    pub warn_free_mib: u64,
}

impl SpaceFloor {
    /// Refuse when any directory has less than the floor free (a directory that cannot be
    /// measured does not refuse: the write itself will say what is wrong).
    pub fn check(&self) -> Result<(), LowSpace> {
        for dir in &self.dirs {
            if let Ok(free) = free_bytes(dir) {
                let free_mib = free >> 20;
                if free_mib < self.min_free_mib {
                    return Err(LowSpace {
                        dir: dir.display().to_string(),
                        free_mib,
                        floor_mib: self.min_free_mib,
                    });
                }
            }
        }
        Ok(())
    }

    /// The directories with less than the warning level free: (dir, MiB free).
    pub fn short(&self) -> Vec<(PathBuf, u64)> {
        self.dirs
            .iter()
            .filter_map(|d| free_bytes(d).ok().map(|f| (d.clone(), f >> 20)))
            .filter(|(_, mib)| *mib < self.warn_free_mib)
            .collect()
    }
}

/// Probe the store (see [`Store::probe`]); log a failure once, and tell the admins when writes
/// work again. Blocking.
pub fn check_store(store: &Store, now: Timestamp) -> Health {
    let h = store.probe(now.as_millis());
    match &h {
        Health::Failing { error, new: true, .. } => {
            tracing::error!(
                code = "STO0008",
                "the state store refuses changes: {error}; /healthz answers 503 until it works again"
            );
        }
        Health::Recovered { since_ms, error } => {
            let since = Timestamp::from_millis(*since_ms);
            tracing::warn!(since = %since.display_utc(), "the state store takes changes again");
            let n = told(
                "store.recovered",
                Msg::NoticeStoreRecovered,
                Some(Msg::NoticeStoreRecoveredBody),
                vec![("since", since.into()), ("until", now.into()), ("error", error.clone().into())],
                Some("/admin".into()),
            );
            let written = store.write().and_then(|tx| {
                notify_in(&tx, now, Audience::Admins, n)?;
                tx.commit()?;
                Ok(())
            });
            if let Err(e) = written {
                tracing::warn!("cannot tell the admins the store recovered: {e}");
            }
        }
        _ => {}
    }
    h
}

/// Warn the admins (once a day at most per directory) when free space runs low. Blocking.
pub fn warn_low_space(
    store: &Store,
    floor: &SpaceFloor,
    now: Timestamp,
) -> Result<usize, crate::store::StoreError> {
    use redb::ReadableTable;
    let short = floor.short();
    if short.is_empty() {
        return Ok(0);
    }
    let tx = store.write()?;
    let now_s = u64::try_from(now.as_secs()).unwrap_or(0);
    let mut due = Vec::new();
    {
        let mut meta = tx.open_table(crate::store::tables::META)?;
        for (dir, mib) in short {
            let key = format!("space_warned:{}", dir.display());
            let last = meta.get(key.as_str())?.map(|v| v.value()).unwrap_or(0);
            if now_s.saturating_sub(last) >= 86_400 {
                meta.insert(key.as_str(), now_s)?;
                due.push((dir, mib));
            }
        }
    }
    let n = due.len();
    for (dir, mib) in due {
        let below = mib < floor.min_free_mib;
        let body = if below { Msg::NoticeLowSpaceBelow } else { Msg::NoticeLowSpaceBody };
        let note = told(
            "host.low_space",
            Msg::NoticeLowSpace,
            Some(body),
            vec![
                ("free", mib.into()),
                ("dir", dir.display().to_string().into()),
                ("floor", floor.min_free_mib.into()),
            ],
            Some("/admin".into()),
        );
        notify_in(&tx, now, Audience::Admins, note)?;
    }
    tx.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_refuses_below_it_and_measures_the_nearest_existing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let free = free_bytes(dir.path()).unwrap() >> 20;
        assert!(free > 0);
        let missing = dir.path().join("not/yet");
        assert!(free_bytes(&missing).unwrap() >> 20 > 0, "measured where it will be");
        let ok = SpaceFloor { dirs: vec![missing.clone()], min_free_mib: 1, warn_free_mib: 2 };
        assert!(ok.check().is_ok() && ok.short().is_empty());
        let high =
            SpaceFloor { dirs: vec![missing], min_free_mib: u64::MAX >> 21, warn_free_mib: u64::MAX >> 20 };
        let e = high.check().unwrap_err();
        assert_eq!(crate::service::Coded::code(&e), "SPC0001");
        assert!(e.to_string().contains("MiB free"), "{e}");
        assert_eq!(high.short().len(), 1);
    }
}
