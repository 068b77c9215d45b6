//! The VM list, visited row by row inside one read transaction: nothing of a row is copied out
//! of the store, so a big account's list costs little more than its bytes.

use std::net::IpAddr;

use super::{VmError, Vms};
use crate::domain::account::UserId;
use crate::service::caller::Caller;
use crate::store::records::VmListView;
use crate::store::tables::{OWNER_VMS, VM_ADDRESSES, VM_EXTERNAL};
use crate::store::{StoreError, addresses, vms};

/// One VM of a list, borrowed from the store for the length of a visit.
pub struct ListRow<'a> {
    /// The account that owns it.
    pub owner: UserId,
    /// Its list entry, read in place.
    pub vm: VmListView<'a>,
    /// Its guest addresses, IPv4 first.
    pub addresses: &'a [IpAddr],
    /// The billing system's id of its service, when the visit asked for it and it has one.
    pub external: Option<&'a str>,
}

impl Vms {
    /// The VM list as `caller` sees it, by id, read in one transaction: a customer's own VMs,
    /// every VM for an admin. `external` asks for each row's billing-system service id too
    /// (one more lookup a row).
    pub fn visit_list(
        &self,
        caller: &Caller,
        external: bool,
        mut f: impl FnMut(ListRow<'_>),
    ) -> Result<(), VmError> {
        let tx = self.store.read()?;
        let book = tx.open_table(VM_ADDRESSES)?;
        let mut book = addresses::InOrder::new(&book);
        let list = tx.open_table(OWNER_VMS)?;
        let externals = match external {
            true => Some(tx.open_table(VM_EXTERNAL)?),
            false => None,
        };
        let mut failed: Option<StoreError> = None;
        let mut found = Vec::new();
        let mut row = |owner: UserId, vm: VmListView<'_>| {
            let external = match externals.as_ref().map(|t| t.get(vm.id.0)) {
                Some(Ok(e)) => e,
                Some(Err(e)) => return failed = Some(e.into()),
                None => None,
            };
            match book.read_into(vm.id, &mut found) {
                Ok(()) => f(ListRow {
                    owner,
                    vm,
                    addresses: &found,
                    external: external.as_ref().map(|e| e.value()),
                }),
                Err(e) => failed = Some(e),
            }
        };
        match caller.only_owner() {
            Some(owner) => vms::visit_owned(&list, owner, |vm| row(owner, vm))?,
            None => {
                for (owner, vm) in vms::all(&list)? {
                    row(owner, VmListView::from(&vm));
                }
            }
        }
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }
}
