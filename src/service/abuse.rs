//! The terms' abuse rule (crypto-mining and other distributed computing are forbidden): a
//! server whose vCPUs stay busy at the rule's level for the rule's hours is flagged to the
//! admins, once per case (the streaks are kept by `service::usage`). What admins then do —
//! cap its CPU, lift the cap, suspend it with a note, close the case — is in `service::vms`
//! (`abuse` there), beside the server's other operations.

use redb::ReadableTable;

use crate::config::AbuseConfig;
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::i18n::Msg;
use crate::service::caller::Caller;
use crate::service::notices::{notify_in, told};
use crate::store::abuse::{self, AbuseCase};
use crate::store::codec::decode;
use crate::store::notices::Audience;
use crate::store::records::VmRecord;
use crate::store::tables::{ABUSE_CASES, CPU_BUSY_SINCE, VMS};
use crate::store::{Store, StoreError};

/// Open a case about `vm` inside `tx` and tell the admins, unless one is open already. Returns
/// whether it opened one.
pub fn flag_in(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    vm: VmId,
    rule: &AbuseConfig,
) -> Result<bool, StoreError> {
    if abuse::get(&tx.open_table(ABUSE_CASES)?, vm)?.is_some_and(|c| c.is_open()) {
        return Ok(false);
    }
    let Some(rec) = tx.open_table(VMS)?.get(vm.0)?.map(|v| decode::<VmRecord>(v.value())).transpose()? else {
        return Ok(false);
    };
    let since = tx.open_table(CPU_BUSY_SINCE)?.get(vm.0)?.map(|v| v.value()).unwrap_or(now.as_secs());
    let case = AbuseCase {
        vm,
        owner: rec.owner,
        hostname: rec.hostname.clone(),
        busy_since: Timestamp::from_secs(since),
        flagged_at: now,
        percent: rule.cpu_percent,
        hours: rule.hours,
        cap: None,
        suspended: None,
        closed_at: None,
    };
    abuse::put(tx, &case)?;
    crate::service::audit::record(
        tx,
        now,
        &Caller::system(),
        rec.owner,
        &format!("vm:{vm}"),
        "abuse.flag",
        crate::service::audit::told(
            Msg::AuditAbuseFlag,
            vec![("percent", rule.cpu_percent.into()), ("hours", rule.hours.into())],
        ),
    )?;
    let n = told(
        "vm.abuse_flagged",
        Msg::NoticeAbuseFlagged,
        Some(Msg::NoticeAbuseFlaggedBody),
        vec![
            ("vm", vm.0.into()),
            ("hostname", rec.hostname.into()),
            ("percent", rule.cpu_percent.into()),
            ("hours", rule.hours.into()),
        ],
        Some(format!("/admin/vms/{vm}#usage")),
    );
    notify_in(tx, now, Audience::Admins, n)?;
    tracing::warn!(vm = %vm, percent = rule.cpu_percent, hours = rule.hours, "abuse rule: server flagged");
    Ok(true)
}

/// The case about `vm`, if any, inside `tx`.
pub fn case_in(tx: &redb::ReadTransaction, vm: VmId) -> Result<Option<AbuseCase>, StoreError> {
    abuse::get(&tx.open_table(ABUSE_CASES)?, vm)
}

/// Every case, open ones first, newest first within each.
pub fn list(store: &Store) -> Result<Vec<AbuseCase>, StoreError> {
    let tx = store.read()?;
    let mut cases = Vec::new();
    for row in tx.open_table(ABUSE_CASES)?.iter()? {
        let (_, v) = row?;
        cases.push(decode::<AbuseCase>(v.value())?);
    }
    cases.sort_by_key(|c| (!c.is_open(), std::cmp::Reverse(c.flagged_at)));
    Ok(cases)
}
