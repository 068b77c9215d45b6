//! Extra traffic on plans that charge it: every billing tick, each server on such a plan is
//! charged for the GiB begun past its allowance this month (UTC, as the traffic table counts)
//! that are not charged yet, at its plan's price per GiB, as one ledger entry; the month's
//! statement line of the server's extra traffic grows with it. The GiB charged so far are kept
//! per server and month in the same transaction as the entry, so a retry or a restart never
//! charges one twice. Traffic inside an account's free trial is not charged.

use redb::{ReadableTable, ReadableTableMetadata};

use super::{Billing, BillingError};
use crate::domain::allowance;
use crate::domain::billing::{self, Item};
use crate::domain::money::Money;
use crate::service::blocking;
use crate::store::billing::{self as rec, EntryKind, MonthLine};
use crate::store::codec::{decode, encode};
use crate::store::limits;
use crate::store::records::{VmPhase, VmRecord};
use crate::store::tables::{MONTH_LINES, PLAN_OVERAGE, TRAFFIC_CHARGED, VMS};

/// The statement line of a server's extra traffic.
pub fn traffic_resource(vm: crate::domain::vm::VmId) -> String {
    format!("traffic:vm:{}", vm.0)
}

impl Billing {
    /// Charge every server's extra traffic not charged yet. Returns the GiB charged. One read
    /// transaction finds the servers past their allowance on plans that charge it (none on
    /// most hosts: then nothing else is read); each of those is booked in a write transaction
    /// of its own, which checks again what is booked already.
    pub async fn charge_traffic(&self) -> Result<u64, BillingError> {
        let this = self.clone();
        blocking(move || {
            let now = this.clock.now();
            let month = allowance::month_index(now);
            let mut due = Vec::new();
            {
                let tx = this.store.read()?;
                let prices = tx.open_table(PLAN_OVERAGE)?;
                if prices.is_empty()? {
                    return Ok(0);
                }
                let booked = tx.open_table(TRAFFIC_CHARGED)?;
                for row in tx.open_table(VMS)?.iter()? {
                    let vm: VmRecord = decode(row?.1.value())?;
                    if matches!(vm.phase, VmPhase::Failed { .. }) {
                        continue;
                    }
                    let Some(price) = limits::plan_overage(&prices, vm.plan)? else { continue };
                    let Some(a) = limits::allowance_in(&tx, vm.id, vm.plan)? else { continue };
                    let (i, o) = crate::service::traffic::month_in(&tx, vm.id, now)
                        .map_err(|crate::service::traffic::TrafficError::Store(e)| BillingError::Store(e))?
                        .total();
                    let over = a.over_gib(i.saturating_add(o));
                    if over > limits::charged(&booked, vm.id, month)? {
                        due.push((vm, price, over));
                    }
                }
            }
            let mut total = 0;
            for (vm, price, over) in &due {
                total += this.book_traffic(vm, *price, month, *over)?;
            }
            Ok(total)
        })
        .await
    }

    /// Book `vm`'s extra traffic up to `over` GiB in `month` at `price` each, less what is
    /// booked already, in one write transaction. Returns the GiB booked.
    fn book_traffic(&self, vm: &VmRecord, price: Money, month: u32, over: u64) -> Result<u64, BillingError> {
        let now = self.clock.now();
        let tx = self.store.write()?;
        let charged = limits::charged(&tx.open_table(TRAFFIC_CHARGED)?, vm.id, month)?;
        if over <= charged {
            return Ok(0);
        }
        let gib = over - charged;
        limits::set_charged(&tx, vm.id, month, over)?;
        let free = Self::free_windows(&tx)?;
        if free.get(&vm.owner).is_some_and(|(from, to)| *from <= now && now < *to) {
            // Counted as charged, at no charge: the trial's traffic is free.
            tx.commit()?;
            return Ok(0);
        }
        let amount = Money(price.0.saturating_mul(i64::try_from(gib).unwrap_or(i64::MAX)));
        let kind = EntryKind::Traffic { vm: vm.id, hostname: vm.hostname.clone(), gib, price };
        rec::append(&tx, vm.owner, now, kind, Money(-amount.0))?;
        let resource = traffic_resource(vm.id);
        let key =
            (vm.owner.0, billing::month_of(billing::hour_of(now), &self.settings.tz), resource.as_str());
        let mut lines = tx.open_table(MONTH_LINES)?;
        let mut line = match lines.get(key)? {
            Some(v) => decode::<MonthLine>(v.value())?,
            None => MonthLine { item: Item::TrafficGb, qty: 0, hours: 0, amount: Money(0) },
        };
        line.qty = line.qty.saturating_add(gib);
        line.amount = Money(line.amount.0.saturating_add(amount.0));
        lines.insert(key, encode(&line)?.as_slice())?;
        drop(lines);
        crate::service::vms::log_system(&tx, now, vm, "vm.traffic_charged", format!("{gib} GiB"))?;
        tx.commit()?;
        tracing::info!(vm = %vm.id, gib, amount = amount.0, "extra traffic charged");
        Ok(gib)
    }
}
