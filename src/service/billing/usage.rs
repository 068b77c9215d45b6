//! What each server used in a month, for billing systems that bill by usage or show it
//! (WHMCS's usage update): billable hours and charges from the month's lines (the billing
//! month, in the billing time zone), and traffic from the daily counters (the UTC calendar
//! month). Read in one transaction for every server the caller sees.

use std::collections::BTreeMap;

use super::{Billing, BillingError};
use crate::domain::account::UserId;
use crate::domain::billing::{Month, year_month};
use crate::domain::money::Money;
use crate::domain::time::{Timestamp, day_of_date};
use crate::domain::vm::VmId;
use crate::service::caller::Caller;
use crate::store::billing::{MonthLine, month_lines};
use crate::store::tables::{MONTH_LINES, OWNER_VMS};

/// One server's use of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUsage {
    /// The server.
    pub vm: VmId,
    /// Its owner.
    pub owner: UserId,
    /// Its hostname.
    pub hostname: String,
    /// Hours it was billable.
    pub hours: u32,
    /// Charged for it and its extra addresses.
    pub charges: Money,
    /// Bytes received by its public interface.
    pub rx_bytes: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
}

/// The server's share of an account's month lines: `vm:<id>` and `vm:<id>/…`.
fn server_share(lines: &[(String, MonthLine)], vm: VmId) -> (u32, Money) {
    let (exact, prefix) = (format!("vm:{}", vm.0), format!("vm:{}/", vm.0));
    let mut hours = 0;
    let mut charges = 0i64;
    for (resource, line) in lines {
        if *resource == exact {
            hours = line.hours;
        }
        if *resource == exact || resource.starts_with(&prefix) {
            charges = charges.saturating_add(line.amount.0);
        }
    }
    (hours, Money(charges))
}

impl Billing {
    /// What the servers `caller` sees (only `only`, if given) used in month `m`, by server id.
    pub fn usage(
        &self,
        caller: &Caller,
        m: Month,
        only: Option<VmId>,
    ) -> Result<Vec<ServerUsage>, BillingError> {
        let tx = self.store.read()?;
        let list = tx.open_table(OWNER_VMS)?;
        let lines_table = tx.open_table(MONTH_LINES)?;
        let (y, mo) = year_month(m);
        let in_month = Timestamp::from_secs(day_of_date(i64::from(y), mo, 1).saturating_mul(86_400));
        let servers: Vec<(UserId, VmId, String)> = match caller.only_owner() {
            Some(owner) => {
                let mut v = Vec::new();
                crate::store::vms::visit_owned(&list, owner, None, |vm| {
                    v.push((owner, vm.id, vm.hostname.to_string()));
                    std::ops::ControlFlow::Continue(())
                })?;
                v
            }
            None => {
                crate::store::vms::all(&list)?.into_iter().map(|(o, vm)| (o, vm.id, vm.hostname)).collect()
            }
        };
        let mut lines: BTreeMap<UserId, Vec<(String, MonthLine)>> = BTreeMap::new();
        let mut out = Vec::new();
        for (owner, vm, hostname) in servers {
            if only.is_some_and(|o| o != vm) {
                continue;
            }
            let account_lines = match lines.entry(owner) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(month_lines(&lines_table, owner, m)?)
                }
            };
            let (hours, charges) = server_share(account_lines, vm);
            let traffic = crate::service::traffic::month_in(&tx, vm, in_month)
                .map_err(|crate::service::traffic::TrafficError::Store(e)| e)?;
            let (rx_bytes, tx_bytes) = traffic.total();
            out.push(ServerUsage { vm, owner, hostname, hours, charges, rx_bytes, tx_bytes });
        }
        out.sort_by_key(|u| u.vm);
        Ok(out)
    }

    /// The billing month now.
    pub fn this_month(&self) -> Month {
        self.month_at(self.clock.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::Item;

    fn line(hours: u32, amount: i64) -> MonthLine {
        MonthLine { item: Item::ExtraIpv4, qty: 1, hours, amount: Money(amount) }
    }

    #[test]
    fn a_server_has_its_own_lines_and_its_addresses_not_its_neighbours() {
        let lines = vec![
            ("vm:1".to_string(), line(10, 100)),
            ("vm:1/ipv4".to_string(), line(10, 20)),
            ("vm:12".to_string(), line(3, 999)),
            ("disk:1".to_string(), line(10, 50)),
        ];
        assert_eq!(server_share(&lines, VmId(1)), (10, Money(120)));
        assert_eq!(server_share(&lines, VmId(12)), (3, Money(999)));
        assert_eq!(server_share(&lines, VmId(2)), (0, Money(0)));
    }
}
