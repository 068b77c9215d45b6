//! The VM list, visited row by row inside one read transaction: nothing of a row is copied out
//! of the store, and a row is one list entry (its addresses and service id are kept in it), so
//! a big account's list costs little more than its bytes.

use std::ops::ControlFlow;

use super::{VmError, Vms};
use crate::domain::account::UserId;
use crate::domain::vm::VmId;
use crate::service::caller::Caller;
use crate::store::records::VmListView;
use crate::store::tables::OWNER_VMS;
use crate::store::vms;

/// One VM of a list, borrowed from the store for the length of a visit.
pub struct ListRow<'a> {
    /// The account that owns it.
    pub owner: UserId,
    /// Its list entry, read in place: what lists show, its addresses and service id too.
    pub vm: &'a VmListView<'a>,
}

impl Vms {
    /// The VM list as `caller` sees it (a customer's own VMs, every VM for an admin), by id,
    /// from the first VM after `after`, read in one transaction until `f` breaks: a page of a
    /// customer's list reads only its own rows.
    pub fn visit_list(
        &self,
        caller: &Caller,
        after: Option<VmId>,
        mut f: impl FnMut(ListRow<'_>) -> ControlFlow<()>,
    ) -> Result<(), VmError> {
        let tx = self.store.read()?;
        let list = tx.open_table(OWNER_VMS)?;
        match caller.only_owner() {
            Some(owner) => vms::visit_owned(&list, owner, after, |vm| f(ListRow { owner, vm }))?,
            None => {
                for (owner, vm) in vms::all(&list)? {
                    if after.is_some_and(|a| vm.id <= a) {
                        continue;
                    }
                    if f(ListRow { owner, vm: &VmListView::from(&vm) }).is_break() {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use proptest::prelude::*;
    use redb::ReadableTable;

    use crate::clock::ManualClock;
    use crate::domain::account::UserId;
    use crate::domain::catalog::{PlanId, PlanSpec, TemplateId};
    use crate::domain::ipam::{Cidr, PoolSpec, Unit};
    use crate::domain::time::Timestamp;
    use crate::domain::vm::{PowerState, VmId};
    use crate::service::ipam::{self, Ipam};
    use crate::store::codec::decode;
    use crate::store::records::{VmListRecord, VmPhase, VmRecord};
    use crate::store::tables::{OWNER_VMS, VM_EXTERNAL, VMS};
    use crate::store::{Store, vms};

    /// A change of a VM, its addresses or its service id, as the services make them.
    #[derive(Debug, Clone)]
    enum Op {
        Put { vm: u64, name: u8, running: bool },
        Remove(u64),
        Assign(u64, u32),
        Release(u64),
        External(u64, Option<u8>),
    }

    fn op() -> impl Strategy<Value = Op> {
        let vm = 1u64..=5;
        prop_oneof![
            (vm.clone(), 0u8..3, any::<bool>()).prop_map(|(vm, name, running)| Op::Put { vm, name, running }),
            vm.clone().prop_map(Op::Remove),
            (vm.clone(), 0u32..3).prop_map(|(vm, n)| Op::Assign(vm, n)),
            vm.clone().prop_map(Op::Release),
            (vm, proptest::option::of(0u8..3)).prop_map(|(vm, n)| Op::External(vm, n)),
        ]
    }

    fn record(id: u64, name: u8, running: bool) -> VmRecord {
        VmRecord {
            id: VmId(id),
            uuid: uuid::Uuid::from_u128(u128::from(id)),
            owner: UserId(1 + id % 2),
            hostname: format!("vm{id}-{name}"),
            plan: PlanId(1),
            plan_name: "small".into(),
            spec: PlanSpec { vcpus: 1, memory_mib: 512, disk_gb: 10, ipv4: 1 },
            template: TemplateId(1),
            template_name: "debian".into(),
            ssh_keys: vec![],
            root_password_hash: None,
            phase: VmPhase::Ready,
            power: if running { PowerState::Running } else { PowerState::Shutoff },
            suspended: false,
            shutdown_requested_at: None,
            created_at: Timestamp::from_secs(1),
            updated_at: Timestamp::from_secs(2),
        }
    }

    fn apply(tx: &redb::WriteTransaction, op: &Op) -> Result<(), Box<dyn std::error::Error>> {
        let now = Timestamp::from_secs(10);
        let existing = |id: u64| -> Result<Option<VmRecord>, Box<dyn std::error::Error>> {
            Ok(match tx.open_table(VMS)?.get(id)? {
                Some(v) => Some(decode(v.value())?),
                None => None,
            })
        };
        match op {
            Op::Put { vm, name, running } => vms::put(tx, &record(*vm, *name, *running))?,
            Op::Remove(vm) => {
                if let Some(v) = existing(*vm)? {
                    vms::remove(tx, &v)?;
                }
            }
            Op::Assign(vm, n) => {
                ipam::assign_vm_in(tx, UserId(1 + vm % 2), VmId(*vm), *n, now)?;
            }
            Op::Release(vm) => {
                ipam::release_vm_in(tx, VmId(*vm), now, 60)?;
            }
            Op::External(vm, n) => {
                let name = n.map(|n| format!("svc-{vm}-{n}"));
                vms::set_external(tx, VmId(*vm), name.as_deref())?;
            }
        }
        Ok(())
    }

    /// Every VM's list entry is what its record, its leases (the address index, not the kept
    /// copy) and its service id make, and the list holds nothing else.
    fn assert_lists_match_a_rebuild(store: &Store) {
        let tx = store.read().unwrap();
        let external = tx.open_table(VM_EXTERNAL).unwrap();
        let mut expected = Vec::new();
        for row in tx.open_table(VMS).unwrap().iter().unwrap() {
            let vm: VmRecord = decode(row.unwrap().1.value()).unwrap();
            let leased: Vec<_> =
                ipam::vm_leases_in(&tx, vm.id).unwrap().into_iter().map(|l| l.address.0).collect();
            let ext = external.get(vm.id.0).unwrap().map(|v| v.value().to_string());
            expected.push((vm.owner, VmListRecord::of(&vm, &leased, ext)));
        }
        expected.sort_by_key(|(_, v)| v.id);
        assert_eq!(vms::all(&tx.open_table(OWNER_VMS).unwrap()).unwrap(), expected);
    }

    #[test]
    fn a_visit_starts_after_its_cursor_and_stops_when_told() {
        use std::ops::ControlFlow::{Break, Continue};
        let store = Store::in_memory().unwrap();
        let tx = store.write().unwrap();
        for id in 1..=8 {
            vms::put(&tx, &record(id, 0, true)).unwrap();
        }
        tx.commit().unwrap();
        let tx = store.read().unwrap();
        let list = tx.open_table(OWNER_VMS).unwrap();
        // Odd ids belong to account 2, even ones to account 1.
        let visit = |owner: u64, after: Option<u64>, most: usize| {
            let mut seen = Vec::new();
            vms::visit_owned(&list, UserId(owner), after.map(VmId), |vm| {
                seen.push(vm.id.0);
                if seen.len() == most { Break(()) } else { Continue(()) }
            })
            .unwrap();
            seen
        };
        assert_eq!(visit(2, None, 10), [1, 3, 5, 7]);
        assert_eq!(visit(2, Some(3), 10), [5, 7]);
        assert_eq!(visit(2, Some(4), 10), [5, 7]);
        assert_eq!(visit(2, None, 2), [1, 3]);
        assert_eq!(visit(1, Some(6), 10), [8]);
        assert!(visit(2, Some(7), 10).is_empty());
        assert!(visit(2, Some(u64::MAX), 10).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn lists_equal_a_rebuild_after_any_changes(txs in proptest::collection::vec(
            (proptest::collection::vec(op(), 1..4), any::<bool>()), 1..12)) {
            let store = Arc::new(Store::in_memory().unwrap());
            let clock = Arc::new(ManualClock::new(Timestamp::from_secs(5)));
            let ipam = Ipam::new(store.clone(), clock, 60);
            let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let v4 = PoolSpec {
                network: Cidr::parse("198.51.100.0/26").unwrap(),
                gateway: "198.51.100.1".parse().unwrap(),
                range: None,
                excluded: vec![],
                dns: vec![],
                unit: Unit::Address,
            };
            let v6 = PoolSpec {
                network: Cidr::parse("2001:db8::/64").unwrap(),
                gateway: "2001:db8::1".parse().unwrap(),
                unit: Unit::Address,
                ..v4.clone()
            };
            rt.block_on(ipam.add_pool("v4", v4)).unwrap();
            rt.block_on(ipam.add_pool("v6", v6)).unwrap();
            for (ops, commit) in &txs {
                let tx = store.write().unwrap();
                // A refused change (no free address) abandons its transaction, as a service would.
                let applied = ops.iter().try_for_each(|o| apply(&tx, o));
                if applied.is_ok() && *commit {
                    tx.commit().unwrap();
                }
                assert_lists_match_a_rebuild(&store);
            }
        }
    }
}
