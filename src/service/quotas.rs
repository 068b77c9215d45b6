//! Quotas: each account's limits (set from the configured default at sign-up, changed by
//! admins), its usage (summed from its VMs inside the caller's transaction), and quota increase
//! requests that admins approve or decline.

use std::sync::Arc;

use redb::ReadableTable;

use super::audit;
use super::caller::Caller;
use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::domain::account::UserId;
use crate::domain::catalog::PlanSpec;
use crate::domain::quota::{Amounts, Resource};
use crate::store::codec::{decode, encode};
use crate::store::holdings::{self, Kind};
use crate::store::records::{QuotaRecord, QuotaRequestRecord, RequestStatus, VmPhase};
use crate::store::tables::{
    META, META_LAST_QUOTA_REQUEST_ID, OWNER_HOLDINGS, OWNER_VMS, QUOTA_REQUESTS, QUOTAS,
};
use crate::store::{Store, StoreError, vms};

/// Why a quota operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum QuotaError {
    /// Nothing asked for.
    #[error("Ask for more of at least one resource than you have now")]
    NothingAsked,
    /// Reason missing or too long.
    #[error("Say in 1 to 1000 characters what you need the resources for")]
    Reason,
    /// A request is already waiting.
    #[error("You have a request waiting for an answer already")]
    AlreadyPending,
    /// Unknown request.
    #[error("No such request")]
    NotFound,
    /// Already decided.
    #[error("This request was answered already")]
    Decided,
    /// Store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for QuotaError {
    fn code(&self) -> &'static str {
        match self {
            QuotaError::NothingAsked => "QTA0002",
            QuotaError::Reason => "QTA0003",
            QuotaError::AlreadyPending => "QTA0004",
            QuotaError::NotFound => "QTA0005",
            QuotaError::Decided => "QTA0006",
            QuotaError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            QuotaError::Store(e) => e.kind(),
            QuotaError::NotFound => ErrorKind::NotFound,
            QuotaError::AlreadyPending | QuotaError::Decided => ErrorKind::Conflict,
            _ => ErrorKind::Invalid,
        }
    }
}

store_error_conversions!(QuotaError);

/// What a VM in `phase` with `spec` counts against the quota (a failed create counts nothing).
pub fn vm_usage(phase: &VmPhase, spec: &PlanSpec) -> Amounts {
    if matches!(phase, VmPhase::Failed { .. }) {
        return Amounts::default();
    }
    Amounts {
        vms: 1,
        vcpus: u64::from(spec.vcpus),
        memory_mib: spec.memory_mib,
        disk_gb: spec.disk_gb,
        ipv4: u64::from(spec.ipv4),
        backups: 0,
        private_networks: 0,
        backup_gb: 0,
        snapshots: 0,
        iso_gb: 0,
    }
}

/// Sum of what `owner` uses: its VMs from `OWNER_VMS` and its networks and extra disks from
/// `OWNER_HOLDINGS`, opened in any transaction.
pub fn usage_in(
    list: &impl ReadableTable<(u64, u64), &'static [u8]>,
    holdings: &impl ReadableTable<(u64, u8, u64), u64>,
    owner: UserId,
) -> Result<Amounts, StoreError> {
    let mut used = Amounts::default();
    vms::visit_owned(list, owner, None, |vm| {
        used = used.plus(&vm_usage(&vm.phase, &vm.spec));
        std::ops::ControlFlow::Continue(())
    })?;
    with_holdings(used, holdings, owner)
}

/// `vm_usage` plus what `owner`'s private networks and extra disks use.
pub fn with_holdings(
    mut used: Amounts,
    holdings: &impl ReadableTable<(u64, u8, u64), u64>,
    owner: UserId,
) -> Result<Amounts, StoreError> {
    used.private_networks = holdings::total(holdings, owner, Kind::Network)?;
    used.disk_gb = used.disk_gb.saturating_add(holdings::total(holdings, owner, Kind::Disk)?);
    let backups = holdings::of_kind(holdings, owner, Kind::Backup)?;
    used.backups = u64::try_from(backups.len()).unwrap_or(u64::MAX);
    used.backup_gb = crate::domain::quota::gib_ceil(backups.iter().map(|(_, bytes)| *bytes).sum());
    used.snapshots =
        u64::try_from(holdings::of_kind(holdings, owner, Kind::Snapshot)?.len()).unwrap_or(u64::MAX);
    used.iso_gb = crate::domain::quota::gib_ceil(holdings::total(holdings, owner, Kind::Iso)?);
    Ok(used)
}

/// The limits of `owner`, or `default` when none were stored.
pub fn limits_in(
    quotas: &impl ReadableTable<u64, &'static [u8]>,
    owner: UserId,
    default: &Amounts,
) -> Result<Amounts, StoreError> {
    Ok(match quotas.get(owner.0)? {
        Some(v) => decode::<QuotaRecord>(v.value())?.limits,
        None => *default,
    })
}

/// The quotas service.
#[derive(Clone)]
pub struct Quotas {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    default: Amounts,
}

impl Quotas {
    /// The service; `default` is what accounts without stored limits get.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, default: Amounts) -> Quotas {
        Quotas { store, clock, default }
    }

    /// Limits and usage of `owner`.
    pub fn overview(&self, owner: UserId) -> Result<(Amounts, Amounts), QuotaError> {
        let tx = self.store.read()?;
        let limits = limits_in(&tx.open_table(QUOTAS)?, owner, &self.default)?;
        let usage = usage_in(&tx.open_table(OWNER_VMS)?, &tx.open_table(OWNER_HOLDINGS)?, owner)?;
        Ok((limits, usage))
    }

    /// Set `owner`'s limits (admin).
    pub async fn set_limits(
        &self,
        owner: UserId,
        limits: Amounts,
        caller: &Caller,
    ) -> Result<(), QuotaError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            tx.open_table(QUOTAS)?.insert(owner.0, encode(&QuotaRecord { limits })?.as_slice())?;
            audit::record(
                &tx,
                now,
                &caller,
                owner,
                &format!("account:{owner}"),
                "quota.set",
                describe(&limits),
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// A customer asks for higher limits.
    pub async fn request(
        &self,
        owner: UserId,
        wanted: Amounts,
        reason: &str,
        caller: &Caller,
    ) -> Result<QuotaRequestRecord, QuotaError> {
        let reason = reason.trim().to_string();
        if reason.is_empty() || reason.chars().count() > 1000 {
            return Err(QuotaError::Reason);
        }
        let (limits, _) = self.overview(owner)?;
        if !Resource::ALL.iter().any(|r| wanted.get(*r) > limits.get(*r)) {
            return Err(QuotaError::NothingAsked);
        }
        let (store, now) = (self.store.clone(), self.clock.now());
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            {
                let t = tx.open_table(QUOTA_REQUESTS)?;
                for row in t.iter()? {
                    let (_, v) = row?;
                    let r: QuotaRequestRecord = decode(v.value())?;
                    if r.owner == owner && r.status == RequestStatus::Pending {
                        return Err(QuotaError::AlreadyPending);
                    }
                }
            }
            let id = {
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_QUOTA_REQUEST_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_QUOTA_REQUEST_ID, id)?;
                id
            };
            let rec = QuotaRequestRecord {
                id,
                owner,
                wanted,
                reason,
                status: RequestStatus::Pending,
                created_at: now,
                decided: None,
            };
            tx.open_table(QUOTA_REQUESTS)?.insert(id, encode(&rec)?.as_slice())?;
            audit::record(
                &tx,
                now,
                &caller,
                owner,
                &format!("quota-request:{id}"),
                "quota.request",
                describe(&wanted),
            )?;
            let due = crate::domain::support::due_at(crate::domain::support::Category::QuotaIncrease, now);
            let alert = crate::service::notices::told(
                "support.new",
                crate::i18n::Msg::NoticeQuotaNew,
                Some(crate::i18n::Msg::NoticeQuotaNewBody),
                vec![("id", id.into()), ("due", due.into()), ("wanted", describe(&wanted).into())],
                Some("/admin/quota-requests".into()),
            );
            crate::service::notices::notify_in(&tx, now, crate::store::notices::Audience::Admins, alert)?;
            tx.commit()?;
            tracing::info!(request = id, owner = %owner, "quota increase requested");
            Ok(rec)
        })
        .await
    }

    /// Requests, newest first: of one owner, or all.
    pub fn requests(&self, owner: Option<UserId>) -> Result<Vec<QuotaRequestRecord>, QuotaError> {
        let tx = self.store.read()?;
        let t = tx.open_table(QUOTA_REQUESTS)?;
        let mut out = Vec::new();
        for row in t.iter()?.rev() {
            let (_, v) = row?;
            let r: QuotaRequestRecord = decode(v.value())?;
            if owner.is_none_or(|o| o == r.owner) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// An admin approves (limits become at least what was asked) or declines a request.
    pub async fn decide(
        &self,
        id: u64,
        approve: bool,
        caller: &Caller,
    ) -> Result<QuotaRequestRecord, QuotaError> {
        let (store, now, default) = (self.store.clone(), self.clock.now(), self.default);
        let admin = caller.user.unwrap_or(UserId(0));
        let caller = caller.clone();
        blocking(move || {
            let tx = store.write()?;
            let mut rec: QuotaRequestRecord = {
                let t = tx.open_table(QUOTA_REQUESTS)?;
                let v = t.get(id)?.ok_or(QuotaError::NotFound)?;
                decode(v.value())?
            };
            if rec.status != RequestStatus::Pending {
                return Err(QuotaError::Decided);
            }
            rec.status = if approve { RequestStatus::Approved } else { RequestStatus::Declined };
            rec.decided = Some((now, admin));
            if approve {
                let mut quotas = tx.open_table(QUOTAS)?;
                let mut limits = limits_in(&quotas, rec.owner, &default)?;
                for r in Resource::ALL {
                    limits.set(r, limits.get(r).max(rec.wanted.get(r)));
                }
                quotas.insert(rec.owner.0, encode(&QuotaRecord { limits })?.as_slice())?;
            }
            tx.open_table(QUOTA_REQUESTS)?.insert(id, encode(&rec)?.as_slice())?;
            let action = if approve { "quota.approve" } else { "quota.decline" };
            audit::record(&tx, now, &caller, rec.owner, &format!("quota-request:{id}"), action, "")?;
            tx.commit()?;
            Ok(rec)
        })
        .await
    }
}

/// `vms=3 vcpus=4 …` for the audit log.
pub fn describe(a: &Amounts) -> String {
    Resource::ALL.iter().map(|r| format!("{}={}", r.key(), a.get(*r))).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::domain::time::Timestamp;

    fn quotas() -> Quotas {
        let d = Amounts {
            vms: 3,
            vcpus: 4,
            memory_mib: 8192,
            disk_gb: 100,
            ipv4: 3,
            backups: 10,
            private_networks: 2,
            backup_gb: 50,
            snapshots: 3,
            iso_gb: 10,
        };
        Quotas::new(
            Arc::new(Store::in_memory().unwrap()),
            Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000))),
            d,
        )
    }

    #[tokio::test]
    async fn request_approve_raises_limits_decline_does_not() {
        let q = quotas();
        let u = UserId(7);
        let (limits, usage) = q.overview(u).unwrap();
        assert_eq!((limits.vms, usage.vms), (3, 0));
        let mut wanted = limits;
        wanted.vms = 10;
        assert_eq!(q.request(u, limits, "more", &Caller::system()).await.unwrap_err().code(), "QTA0002");
        assert_eq!(q.request(u, wanted, " ", &Caller::system()).await.unwrap_err().code(), "QTA0003");
        let r = q.request(u, wanted, "a shop launch", &Caller::system()).await.unwrap();
        assert!(matches!(
            q.request(u, wanted, "again", &Caller::system()).await,
            Err(QuotaError::AlreadyPending)
        ));
        let r = q.decide(r.id, true, &Caller::system()).await.unwrap();
        assert_eq!(r.status, RequestStatus::Approved);
        assert_eq!(q.overview(u).unwrap().0.vms, 10);
        assert!(matches!(q.decide(r.id, false, &Caller::system()).await, Err(QuotaError::Decided)));
        wanted.vcpus = 64;
        let r2 = q.request(u, wanted, "bigger", &Caller::system()).await.unwrap();
        q.decide(r2.id, false, &Caller::system()).await.unwrap();
        assert_eq!(q.overview(u).unwrap().0.vcpus, 4);
        assert_eq!(q.requests(Some(u)).unwrap().len(), 2);
        assert!(q.requests(Some(UserId(8))).unwrap().is_empty());
        q.set_limits(u, Amounts::default(), &Caller::system()).await.unwrap();
        assert_eq!(q.overview(u).unwrap().0, Amounts::default());
    }
}
