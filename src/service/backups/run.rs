//! The run of one backup: live through libvirt's backup job (full or incremental against the
//! previous backup's checkpoint) or a direct copy of a stopped VM's disks, the files finished
//! under temporary names, cleanup after a failure, and recovery of runs a daemon stop
//! interrupted.

use crate::service::Caller;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{BackupError, Backups, POLL, checkpoint_name};
use crate::domain::backup::{self, Kind};
use crate::domain::disk::DiskId;
use crate::domain::vm::VmId;
use crate::host::backup_files::{self, Names};
use crate::host::images;
use crate::hv::{BackupJob, BackupTarget, HvError, Hypervisor, JobState};
use crate::service::blocking;
use crate::store::backups::{self as rec, BackupFile, BackupRecord, BackupState};
use crate::store::tables::BACKUPS;

/// A disk of a run: target, extra disk id, its image, and the backup file's names.
type RunDisk = (String, Option<DiskId>, PathBuf, Names);

impl Backups {
    /// Do the work of backup `b`: returns the record as made (kind, parent, checkpoint) and
    /// its files. Nothing is listed until the caller records them.
    pub(super) async fn make(
        &self,
        b: &BackupRecord,
    ) -> Result<(BackupRecord, Vec<BackupFile>), BackupError> {
        let vm = self.vms.get(&Caller::system(), b.vm)?;
        let hv = self.vms.hv()?;
        let (disks, running) = {
            let (vms, vm2, hv2) = (self.vms.clone(), vm.clone(), hv.clone());
            blocking(move || {
                let disks = vms.backup_disks(&vm2)?;
                let running = hv2.state(&vm2.uuid)?.is_some_and(|s| s.is_active());
                Ok::<_, BackupError>((disks, running))
            })
            .await?
        };
        let dir = self.vm_dir(b.vm);
        images::ensure_dir(&self.dir)?;
        images::ensure_dir(&dir)?;
        let mut made = b.clone();
        made.live = running;
        let parent = if running { self.parent_for(b, &hv).await? } else { None };
        made.kind = if parent.is_some() { Kind::Incremental } else { Kind::Full };
        made.parent = parent.as_ref().map(|p| p.id);
        let names: Vec<RunDisk> = disks
            .iter()
            .map(|(target, disk, path)| {
                let done = dir.join(format!("b{}-{target}.qcow2", b.id));
                (target.clone(), *disk, path.clone(), Names::of(&done))
            })
            .collect();
        for (_, _, _, n) in &names {
            n.clear_leftovers()?;
        }
        let parent_file = |target: &str| -> Option<PathBuf> {
            let p = parent.as_ref()?;
            p.files.iter().find(|f| f.target == target).map(|f| dir.join(&f.name))
        };
        if running {
            // Job files: for an incremental backup, overlays on the parent's files.
            let mut targets = Vec::new();
            for (target, _, src, n) in &names {
                if let Some(pf) = parent_file(target) {
                    let size = images::virtual_size(src)?;
                    backup_files::create_job_overlay(n, &pf, size)?;
                }
                targets.push(BackupTarget { target: target.clone(), file: n.job.clone() });
            }
            let checkpoint = (b.schedule.is_some()).then(|| checkpoint_name(b.id));
            let job = BackupJob {
                disks: targets,
                incremental: parent.as_ref().and_then(|p| p.checkpoint.clone()),
                checkpoint: checkpoint.clone(),
                reuse_files: parent.is_some(),
            };
            made.checkpoint = checkpoint;
            let (h, uuid) = (hv.clone(), vm.uuid);
            blocking(move || h.backup_begin(&uuid, &job).map_err(BackupError::from)).await?;
            if let Err(e) = self.wait_job(&made, &hv, vm.uuid).await {
                self.discard(&made, &names, &hv, vm.uuid).await;
                return Err(e);
            }
        }
        let mut files = Vec::new();
        for (target, disk, src, n) in &names {
            let source = if running { n.job.clone() } else { src.clone() };
            let pf = parent_file(target);
            let n2 = n.clone();
            let done = blocking(move || {
                backup_files::finish(&n2, &source, pf.as_deref()).map_err(BackupError::from)
            })
            .await;
            let done = match done {
                Ok(d) => d,
                Err(e) => {
                    self.discard(&made, &names, &hv, vm.uuid).await;
                    return Err(e);
                }
            };
            let name = n.done.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            files.push(BackupFile {
                target: target.clone(),
                disk: *disk,
                name,
                bytes: done.bytes,
                sha256: done.sha256,
            });
        }
        // The chain continues from this backup's checkpoint: older ones of the schedule go.
        if let (Some(sched), Some(_)) = (b.schedule, &made.checkpoint) {
            self.drop_checkpoints_before(b.vm, sched, b.id, &hv, vm.uuid).await;
        }
        Ok((made, files))
    }

    /// The backup the next one of `b`'s schedule can be incremental against: the schedule's
    /// newest done backup, when its checkpoint still exists and its chain is shorter than the
    /// schedule keeps.
    pub(super) async fn parent_for(
        &self,
        b: &BackupRecord,
        hv: &Arc<dyn Hypervisor>,
    ) -> Result<Option<BackupRecord>, BackupError> {
        let Some(sched) = b.schedule else { return Ok(None) };
        let Some(keep) = self.keep_of(sched) else { return Ok(None) };
        let list = self.list(&Caller::system(), b.vm)?;
        let Some(last) = list.into_iter().find(|x| x.schedule == Some(sched) && x.state == BackupState::Done)
        else {
            return Ok(None);
        };
        let Some(cp) = last.checkpoint.clone() else { return Ok(None) };
        let all = self.stored_of(b.vm)?;
        let chain = backup::chain_of(&all, last.id).map_or(0, |c| c.len());
        if backup::next_kind(chain, keep) == Kind::Full {
            return Ok(None);
        }
        let (h, uuid) = (hv.clone(), self.vms.get(&Caller::system(), b.vm)?.uuid);
        let have = blocking(move || h.checkpoints(&uuid).map_err(BackupError::from)).await?;
        Ok(have.contains(&cp).then_some(last))
    }

    /// What retention needs of a VM's done backups.
    pub(super) fn stored_of(&self, vm: VmId) -> Result<Vec<backup::Stored>, BackupError> {
        Ok(self
            .list(&Caller::system(), vm)?
            .iter()
            .filter(|b| b.state == BackupState::Done)
            .map(|b| backup::Stored {
                id: b.id,
                schedule: b.schedule,
                parent: b.parent,
                taken_at: b.started_at,
            })
            .collect())
    }

    /// Follow a live backup job to its end, recording progress.
    pub(super) async fn wait_job(
        &self,
        b: &BackupRecord,
        hv: &Arc<dyn Hypervisor>,
        uuid: uuid::Uuid,
    ) -> Result<(), BackupError> {
        let mut last_saved = 0u64;
        loop {
            tokio::time::sleep(POLL).await;
            let h = hv.clone();
            let state = blocking(move || h.backup_state(&uuid).map_err(BackupError::from)).await?;
            match state {
                JobState::Running { processed, total } => {
                    // Progress is shown, not needed for recovery: save it now and then.
                    if processed.saturating_sub(last_saved) > total / 20 {
                        last_saved = processed;
                        self.save_progress(b.id, processed, total).await?;
                    }
                }
                JobState::Completed => return Ok(()),
                JobState::Failed(why) => {
                    return Err(HvError::Call(format!("the backup job failed: {why}")).into());
                }
                JobState::Idle => {
                    return Err(HvError::Call("the backup job ended without a result".into()).into());
                }
            }
        }
    }

    pub(super) async fn save_progress(&self, id: u64, processed: u64, total: u64) -> Result<(), BackupError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            {
                let mut t = tx.open_table(BACKUPS)?;
                if let Some(mut b) = rec::get(&t, id)?
                    && matches!(b.state, BackupState::Running { .. })
                {
                    b.state = BackupState::Running { processed, total };
                    rec::put(&mut t, &b)?;
                }
            }
            tx.commit()?;
            Ok::<_, BackupError>(())
        })
        .await
    }

    /// After a failure: stop the job if it still runs, drop the checkpoint it made, remove its
    /// files.
    pub(super) async fn discard(
        &self,
        b: &BackupRecord,
        names: &[RunDisk],
        hv: &Arc<dyn Hypervisor>,
        uuid: uuid::Uuid,
    ) {
        let (h, cp) = (hv.clone(), b.checkpoint.clone());
        let files: Vec<Names> = names.iter().map(|n| n.3.clone()).collect();
        let _ = blocking(move || {
            if matches!(h.backup_state(&uuid), Ok(JobState::Running { .. })) {
                let _ = h.backup_abort(&uuid);
            }
            if let Some(cp) = cp {
                let _ = h.delete_checkpoint(&uuid, &cp, false);
            }
            for n in &files {
                let _ = n.clear_leftovers();
                let _ = images::remove_if_exists(&n.done);
            }
            Ok::<_, BackupError>(())
        })
        .await;
    }

    /// Delete the checkpoints of schedule `sched`'s backups older than `keep_from`: the next
    /// incremental backup starts from the newest.
    pub(super) async fn drop_checkpoints_before(
        &self,
        vm: VmId,
        sched: u64,
        keep_from: u64,
        hv: &Arc<dyn Hypervisor>,
        uuid: uuid::Uuid,
    ) {
        let Ok(list) = self.list(&Caller::system(), vm) else { return };
        let old: Vec<String> = list
            .iter()
            .filter(|b| b.schedule == Some(sched) && b.id < keep_from)
            .filter_map(|b| b.checkpoint.clone())
            .collect();
        let h = hv.clone();
        let _ = blocking(move || {
            let have = h.checkpoints(&uuid)?;
            for cp in old.iter().filter(|c| have.contains(c)) {
                if let Err(e) = h.delete_checkpoint(&uuid, cp, false) {
                    tracing::warn!(checkpoint = cp, "cannot delete an old checkpoint: {e}");
                }
            }
            Ok::<_, BackupError>(())
        })
        .await;
    }

    /// At start-up: backups a stopped daemon left running are failed (their job stopped, their
    /// checkpoint and files removed). Returns how many.
    pub async fn recover(&self) -> Result<usize, BackupError> {
        let stale: Vec<BackupRecord> = {
            let tx = self.store.read()?;
            rec::all(&tx.open_table(BACKUPS)?)?
                .into_iter()
                .filter(|b| matches!(b.state, BackupState::Running { .. }))
                .collect()
        };
        for b in &stale {
            if let (Ok(vm), Ok(hv)) = (self.vms.get_any(b.vm), self.vms.hv()) {
                let names: Vec<RunDisk> = std::fs::read_dir(self.vm_dir(b.vm))
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with(&format!("b{}-", b.id)))
                    .map(|e| {
                        let p = e.path();
                        let base = strip_suffixes(&p);
                        (String::new(), None, base.clone(), Names::of(&base))
                    })
                    .collect();
                let mut cp = b.clone();
                cp.checkpoint = Some(checkpoint_name(b.id));
                self.discard(&cp, &names, &hv, vm.uuid).await;
            }
            let mut failed = b.clone();
            failed.state = BackupState::Failed { reason: super::INTERRUPTED.into() };
            let detail = crate::service::audit::told(
                crate::i18n::Msg::AuditBackupInterrupted,
                vec![("backup", b.id.into())],
            );
            self.finish_record(failed, Vec::new(), detail).await?;
        }
        Ok(stale.len())
    }
}

/// `x.qcow2` for `x.qcow2`, `x.qcow2.job` and `x.qcow2.partial`.
fn strip_suffixes(p: &Path) -> PathBuf {
    let s = p.to_string_lossy();
    let s = s.strip_suffix(".job").or_else(|| s.strip_suffix(".partial")).unwrap_or(&s);
    PathBuf::from(s)
}
