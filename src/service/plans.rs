//! Plans: what customers order VMs from (vCPU, RAM, disk, public IPv4 count, prices).

use std::sync::Arc;

use redb::ReadableTable;

use super::{Coded, ErrorKind, blocking};
use crate::clock::Clock;
use crate::domain::catalog::{PlanId, PlanSpec, PlanSpecError, parse_catalog_name};
use crate::domain::money::Money;
use crate::domain::vm::CpuLimits;
use crate::store::codec::{decode, encode};
use crate::store::records::PlanRecord;
use crate::store::tables::{META, META_LAST_PLAN_ID, PLAN_BY_NAME, PLANS};
use crate::store::{Store, StoreError};

/// Why a plan operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// Bad name.
    #[error("Plan names have 1 to 64 of a-z, 0-9, '.', '_', '-' and start with a letter or digit")]
    NameInvalid,
    /// Name in use.
    #[error("A plan named {0} exists already")]
    NameTaken(String),
    /// Numbers out of range.
    #[error("{0}")]
    Spec(#[from] PlanSpecError),
    /// Fair-use limits out of range.
    #[error(
        "CPU shares are 2 to 262144, a CPU cap is 1 to 100 per cent, a port speed 1 to 100000 Mbit/s and a traffic allowance 1 to 1048576 GiB a month"
    )]
    CpuLimits,
    /// A price of extra traffic that is not an amount above zero.
    #[error(
        "The price of extra traffic is an amount above zero per GiB, such as 50 or 12.50 (empty: throttle instead)"
    )]
    OveragePrice,
    /// No such plan.
    #[error("No such plan: {0}")]
    NotFound(String),
    /// VMs still use it.
    #[error("Plan {name} is used by {vms} virtual machine(s); disable it instead")]
    InUse {
        /// Plan name.
        name: String,
        /// How many VMs.
        vms: usize,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for PlanError {
    fn code(&self) -> &'static str {
        match self {
            PlanError::NameInvalid => "PLN0001",
            PlanError::NameTaken(_) => "PLN0002",
            PlanError::Spec(_) => "PLN0003",
            PlanError::NotFound(_) => "PLN0004",
            PlanError::InUse { .. } => "PLN0005",
            PlanError::CpuLimits => "PLN0006",
            PlanError::OveragePrice => "PLN0007",
            PlanError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            PlanError::Store(e) => e.kind(),
            PlanError::NotFound(_) => ErrorKind::NotFound,
            PlanError::NameTaken(_) | PlanError::InUse { .. } => ErrorKind::Conflict,
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            PlanError::NameTaken(n) | PlanError::NotFound(n) => vec![("plan", n.as_str().into())],
            PlanError::Spec(e) => e.args(),
            PlanError::InUse { name, vms } => vec![("plan", name.as_str().into()), ("count", (*vms).into())],
            PlanError::Store(e) => e.args(),
            PlanError::NameInvalid | PlanError::CpuLimits | PlanError::OveragePrice => Vec::new(),
        }
    }
}

store_error_conversions!(PlanError);

/// A new plan.
#[derive(Debug, Clone)]
pub struct NewPlan {
    /// Catalogue name.
    pub name: String,
    /// Hardware.
    pub spec: PlanSpec,
    /// Price per month.
    pub monthly_price: Money,
    /// Price per hour.
    pub hourly_price: Money,
}

/// The plans service.
#[derive(Clone)]
pub struct Plans {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
}

fn load(t: &impl ReadableTable<u64, &'static [u8]>, id: PlanId) -> Result<PlanRecord, PlanError> {
    match t.get(id.0)? {
        Some(v) => Ok(decode(v.value())?),
        None => Err(PlanError::NotFound(id.to_string())),
    }
}

impl Plans {
    /// The service over `store`.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>) -> Plans {
        Plans { store, clock }
    }

    /// Create a plan (enabled).
    pub async fn create(&self, p: NewPlan) -> Result<PlanRecord, PlanError> {
        let name = parse_catalog_name(&p.name).ok_or(PlanError::NameInvalid)?;
        p.spec.validate()?;
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let rec = {
                let mut by_name = tx.open_table(PLAN_BY_NAME)?;
                if by_name.get(name.as_str())?.is_some() {
                    return Err(PlanError::NameTaken(name));
                }
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_PLAN_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_PLAN_ID, id)?;
                by_name.insert(name.as_str(), id)?;
                PlanRecord {
                    id: PlanId(id),
                    name,
                    spec: p.spec,
                    monthly_price: p.monthly_price,
                    hourly_price: p.hourly_price,
                    enabled: true,
                    created_at: now,
                    cpu: CpuLimits::default(),
                    port: None,
                }
            };
            tx.open_table(PLANS)?.insert(rec.id.0, encode(&rec)?.as_slice())?;
            // A new plan's prices apply from the start (no hour was charged on it before).
            let price =
                crate::domain::billing::Price { monthly: rec.monthly_price, hourly: rec.hourly_price };
            crate::store::billing::set_price(&tx, crate::domain::billing::Item::Plan(rec.id), 0, price, now)?;
            tx.commit()?;
            tracing::info!(plan = rec.name, id = %rec.id, "plan created");
            Ok(rec)
        })
        .await
    }

    /// Every plan, by id.
    pub fn list(&self) -> Result<Vec<PlanRecord>, PlanError> {
        list_in(&self.store.read()?)
    }

    /// Enabled plans, cheapest first (what customers see).
    pub fn offered(&self) -> Result<Vec<PlanRecord>, PlanError> {
        offered_in(&self.store.read()?)
    }

    /// One plan.
    pub fn get(&self, id: PlanId) -> Result<PlanRecord, PlanError> {
        let tx = self.store.read()?;
        load(&tx.open_table(PLANS)?, id)
    }

    /// One plan by name.
    pub fn by_name(&self, name: &str) -> Result<PlanRecord, PlanError> {
        let key = parse_catalog_name(name).ok_or_else(|| PlanError::NotFound(name.to_string()))?;
        let id = {
            let tx = self.store.read()?;
            let t = tx.open_table(PLAN_BY_NAME)?;
            let v = t.get(key.as_str())?.ok_or_else(|| PlanError::NotFound(name.to_string()))?;
            v.value()
        };
        self.get(PlanId(id))
    }

    /// Offer or withdraw a plan (existing VMs keep theirs).
    pub async fn set_enabled(&self, id: PlanId, enabled: bool) -> Result<PlanRecord, PlanError> {
        let rec = self.change(id, move |rec| rec.enabled = enabled).await?;
        tracing::info!(plan = rec.name, enabled, "plan status changed");
        Ok(rec)
    }

    /// Change plan `id` by `f` in one transaction.
    async fn change(
        &self,
        id: PlanId,
        f: impl FnOnce(&mut PlanRecord) + Send + 'static,
    ) -> Result<PlanRecord, PlanError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            let rec = {
                let mut t = tx.open_table(PLANS)?;
                let mut rec = load(&t, id)?;
                f(&mut rec);
                t.insert(id.0, encode(&rec)?.as_slice())?;
                rec
            };
            tx.commit()?;
            Ok(rec)
        })
        .await
    }

    /// Set a plan's fair-use limits: CPU share and cap, port speed (the servers on it take them
    /// through `Vms::refresh_limits`).
    pub async fn set_limits(
        &self,
        id: PlanId,
        cpu: CpuLimits,
        port: Option<crate::domain::vm::PortSpeed>,
    ) -> Result<PlanRecord, PlanError> {
        cpu.check().map_err(|_| PlanError::CpuLimits)?;
        let rec = self
            .change(id, move |rec| {
                rec.cpu = cpu;
                rec.port = port;
            })
            .await?;
        tracing::info!(plan = rec.name, shares = ?cpu.shares, cap = ?cpu.cap_percent, port = ?port, "plan limits set");
        Ok(rec)
    }

    /// Set a plan's monthly traffic allowance (`None`: unlimited); the servers on it are held
    /// to it by `Vms::enforce_allowances`.
    pub async fn set_allowance(
        &self,
        id: PlanId,
        allowance: Option<crate::domain::allowance::Allowance>,
    ) -> Result<(), PlanError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            load(&tx.open_table(PLANS)?, id)?;
            crate::store::limits::set_plan_allowance(&tx, id, allowance)?;
            tx.commit()?;
            tracing::info!(plan = %id, gib = ?allowance.map(|a| a.gib), "plan traffic allowance set");
            Ok(())
        })
        .await
    }

    /// Charge servers on plan `id` `price` per GiB begun past its allowance instead of
    /// throttling them (`None`: throttle).
    pub async fn set_overage(&self, id: PlanId, price: Option<Money>) -> Result<(), PlanError> {
        if price.is_some_and(|m| m.0 <= 0) {
            return Err(PlanError::OveragePrice);
        }
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            load(&tx.open_table(PLANS)?, id)?;
            crate::store::limits::set_plan_overage(&tx, id, price)?;
            tx.commit()?;
            tracing::info!(plan = %id, price = ?price.map(|m| m.0), "plan's price of extra traffic set");
            Ok(())
        })
        .await
    }

    /// Every plan's price of extra traffic (the others throttle).
    pub fn overages(&self) -> Result<std::collections::BTreeMap<PlanId, Money>, PlanError> {
        let tx = self.store.read()?;
        let t = tx.open_table(crate::store::tables::PLAN_OVERAGE)?;
        let mut out = std::collections::BTreeMap::new();
        for row in t.iter()? {
            let (k, v) = row?;
            if v.value() > 0 {
                out.insert(PlanId(k.value()), Money(v.value()));
            }
        }
        Ok(out)
    }

    /// Every plan's monthly traffic allowance (plans without one are unlimited).
    pub fn allowances(
        &self,
    ) -> Result<std::collections::BTreeMap<PlanId, crate::domain::allowance::Allowance>, PlanError> {
        let tx = self.store.read()?;
        let t = tx.open_table(crate::store::tables::PLAN_TRAFFIC)?;
        let mut out = std::collections::BTreeMap::new();
        for row in t.iter()? {
            let (k, v) = row?;
            if let Some(a) = crate::domain::allowance::Allowance::new(v.value()) {
                out.insert(PlanId(k.value()), a);
            }
        }
        Ok(out)
    }

    /// Delete a plan no VM uses (counted in the same transaction).
    pub async fn delete(&self, id: PlanId) -> Result<(), PlanError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            let rec = {
                let mut t = tx.open_table(PLANS)?;
                let rec = load(&t, id)?;
                let vms_using = crate::store::count_vms(&tx, |vm| vm.plan == id)?;
                if vms_using > 0 {
                    return Err(PlanError::InUse { name: rec.name, vms: vms_using });
                }
                t.remove(id.0)?;
                rec
            };
            tx.open_table(PLAN_BY_NAME)?.remove(rec.name.as_str())?;
            tx.commit()?;
            tracing::info!(plan = rec.name, "plan deleted");
            Ok(())
        })
        .await
    }
}

/// Every plan, by id, inside `tx`.
pub fn list_in(tx: &redb::ReadTransaction) -> Result<Vec<PlanRecord>, PlanError> {
    let t = tx.open_table(PLANS)?;
    let mut out = Vec::new();
    for row in t.iter()? {
        let (_, v) = row?;
        out.push(decode(v.value())?);
    }
    Ok(out)
}

/// Enabled plans, cheapest first (what customers see), inside `tx`.
pub fn offered_in(tx: &redb::ReadTransaction) -> Result<Vec<PlanRecord>, PlanError> {
    Ok(offered(list_in(tx)?))
}

/// The enabled ones of `all` plans, cheapest first.
pub fn offered(all: Vec<PlanRecord>) -> Vec<PlanRecord> {
    let mut v: Vec<_> = all.into_iter().filter(|p| p.enabled).collect();
    v.sort_by_key(|p| (p.monthly_price, p.spec.vcpus, p.spec.memory_mib, p.id));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::domain::time::Timestamp;

    fn plans() -> Plans {
        let clock = Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000)));
        Plans::new(Arc::new(Store::in_memory().unwrap()), clock)
    }

    fn new(name: &str, vcpus: u32, monthly: i64) -> NewPlan {
        NewPlan {
            name: name.into(),
            spec: PlanSpec { vcpus, memory_mib: 1024 * u64::from(vcpus), disk_gb: 20, ipv4: 1 },
            monthly_price: Money(monthly),
            hourly_price: Money(monthly / 730),
        }
    }

    #[tokio::test]
    async fn create_list_offer_disable_delete() {
        let p = plans();
        let big = p.create(new("S-4", 4, 4000)).await.unwrap();
        let small = p.create(new("s-1", 1, 500)).await.unwrap();
        assert_eq!(big.name, "s-4");
        assert!(matches!(p.create(new("s-1", 1, 1)).await, Err(PlanError::NameTaken(_))));
        assert_eq!(p.create(new("bad name", 1, 1)).await.unwrap_err().code(), "PLN0001");
        assert_eq!(p.create(new("zero", 0, 1)).await.unwrap_err().code(), "PLN0003");
        let offered: Vec<_> = p.offered().unwrap().into_iter().map(|x| x.name).collect();
        assert_eq!(offered, ["s-1", "s-4"]);
        p.set_enabled(small.id, false).await.unwrap();
        assert_eq!(p.offered().unwrap().len(), 1);
        p.delete(big.id).await.unwrap();
        assert!(matches!(p.by_name("s-4"), Err(PlanError::NotFound(_))));
        assert_eq!(p.list().unwrap().len(), 1);
    }
}
