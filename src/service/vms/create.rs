//! Ordering a VM: validation, the quota check and reservation, the VM and its create intent
//! written in one transaction (from a template, or from a backup's disk), then the steps in the
//! background (see [`super::ops`]).

use redb::ReadableTable;
use uuid::Uuid;

use super::ops::hostname_key;
use super::{CreateVm, OrderExtras, Ordered, VmError, Vms};
use crate::domain::account::UserId;
use crate::domain::quota;
use crate::domain::vm::{PowerState, VmId, parse_hostname};
use crate::service::audit;
use crate::service::caller::Caller;
use crate::service::quotas::{limits_in, usage_in, vm_usage};
use crate::service::{blocking, ipam, privnets};
use crate::store::codec::encode;
use crate::store::records::{IntentOp, IntentRecord, Step, VmPhase, VmRecord};
use crate::store::tables::{
    CREATE_KEYS, EXTERNAL_SERVICES, INTENTS, META, META_LAST_VM_ID, OWNER_HOLDINGS, OWNER_VMS, QUOTAS,
    VM_BY_UUID, VM_HOSTNAMES, VM_RESTORES, VMS,
};
use crate::store::vms;

/// Root passwords are hashed with SHA-512 crypt, which cloud-init hands to `chpasswd`.
pub(super) fn hash_root_password(pw: &str) -> Result<String, VmError> {
    let params = sha_crypt::Sha512Params::new(5000).map_err(|_| VmError::PasswordWeak)?;
    sha_crypt::sha512_simple(pw, &params).map_err(|_| VmError::PasswordWeak)
}

impl Vms {
    /// Order a VM. Validates, checks and reserves quota, writes the VM and its create intent in
    /// one transaction, and starts the steps in the background. A repeated `once_key` returns
    /// the VM it made the first time.
    pub async fn create(&self, owner: UserId, req: CreateVm, caller: &Caller) -> Result<VmId, VmError> {
        match self.create_with(owner, req, OrderExtras::default(), caller).await? {
            Ordered::Made(id) | Ordered::Again(id) => Ok(id),
            Ordered::WouldMake => Err(VmError::NotFound),
        }
    }

    /// [`Vms::create`] with what an API order adds: keys as text, the billing system's id of
    /// the service (unique, kept with the VM), and dry runs (the whole transaction, then
    /// dropped: every check, quota and address included, and nothing kept).
    pub async fn create_with(
        &self,
        owner: UserId,
        req: CreateVm,
        extras: OrderExtras,
        caller: &Caller,
    ) -> Result<Ordered, VmError> {
        let once = format!("{}/{}", owner.0, req.once_key);
        if let Some(id) = self.once_key_vm(&once)? {
            return Ok(Ordered::Again(id));
        }
        let external = match extras.external.as_deref().map(str::trim) {
            Some(e) if e.is_empty() || e.chars().count() > 128 || e.chars().any(char::is_control) => {
                return Err(VmError::ExternalInvalid);
            }
            e => e.map(str::to_string),
        };
        let dry_run = extras.dry_run;
        if crate::store::billing::is_suspended(
            &self.store.read()?.open_table(crate::store::tables::STANDINGS)?,
            owner,
        )? {
            return Err(VmError::AccountSuspended);
        }
        self.space.check()?;
        let hostname = parse_hostname(&req.hostname)?;
        let plan = self.plans.get(req.plan).ok().filter(|p| p.enabled).ok_or(VmError::PlanUnavailable)?;
        let (template_id, template_name, min_disk_gb) = match &req.restore {
            Some(r) => (r.template, r.template_name.clone(), r.min_disk_gb),
            None => {
                let t = self
                    .templates
                    .get(req.template)
                    .ok()
                    .filter(|t| t.enabled)
                    .ok_or(VmError::TemplateUnavailable)?;
                (t.id, t.name, u64::from(t.min_disk_gb))
            }
        };
        if plan.spec.disk_gb < min_disk_gb {
            return Err(VmError::DiskTooSmall {
                template: template_name,
                min: min_disk_gb,
                disk: plan.spec.disk_gb,
            });
        }
        let mut keys: Vec<_> = self.keys.pick(owner, &req.key_ids)?.into_iter().map(|k| k.key).collect();
        for k in extras.keys {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let password = req.root_password.filter(|p| !p.is_empty());
        if let Some(p) = &password
            && !(10..=128).contains(&p.chars().count())
        {
            return Err(VmError::PasswordWeak);
        }
        if keys.is_empty() && password.is_none() && req.restore.is_none() {
            return Err(VmError::NoCredentials);
        }
        self.hv()?;
        let password_hash = match password {
            Some(p) => Some(blocking(move || hash_root_password(&p)).await?),
            None => None,
        };
        let (store, now, default) = (self.store.clone(), self.clock.now(), self.quota_default);
        let caller = caller.clone();
        let created = blocking(move || {
            let tx = store.write()?;
            if let Some(id) = tx.open_table(CREATE_KEYS)?.get(once.as_str())?.map(|v| v.value())
                && tx.open_table(VMS)?.get(id)?.is_some()
            {
                return Ok(Ordered::Again(VmId(id)));
            }
            if let Some(e) = &external
                && let Some(other) = tx.open_table(EXTERNAL_SERVICES)?.get(e.as_str())?.map(|v| v.value())
                && tx.open_table(VMS)?.get(other)?.is_some()
            {
                return Err(VmError::ExternalTaken(e.clone(), VmId(other)));
            }
            if crate::store::billing::is_suspended(&tx.open_table(crate::store::tables::STANDINGS)?, owner)? {
                return Err(VmError::AccountSuspended);
            }
            let hkey = hostname_key(owner, &hostname);
            if tx.open_table(VM_HOSTNAMES)?.get(hkey.as_str())?.is_some() {
                return Err(VmError::HostnameTaken(hostname));
            }
            let id = {
                let mut meta = tx.open_table(META)?;
                let id = meta.get(META_LAST_VM_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
                meta.insert(META_LAST_VM_ID, id)?;
                VmId(id)
            };
            let vm = VmRecord {
                id,
                uuid: Uuid::new_v4(),
                owner,
                hostname,
                plan: plan.id,
                plan_name: plan.name.clone(),
                spec: plan.spec,
                template: template_id,
                template_name: template_name.clone(),
                ssh_keys: keys,
                root_password_hash: password_hash,
                phase: VmPhase::Creating,
                power: PowerState::Shutoff,
                suspended: false,
                shutdown_requested_at: None,
                created_at: now,
                updated_at: now,
            };
            {
                let limits = limits_in(&tx.open_table(QUOTAS)?, owner, &default)?;
                let used = usage_in(&tx.open_table(OWNER_VMS)?, &tx.open_table(OWNER_HOLDINGS)?, owner)?;
                quota::check(&limits, &used, &vm_usage(&vm.phase, &vm.spec))?;
            }
            // The service id first, so the list entry `put` writes shows it already.
            if let Some(e) = &external {
                vms::set_external(&tx, id, Some(e))?;
            }
            vms::put(&tx, &vm)?;
            ipam::assign_vm_in(&tx, owner, id, vm.spec.ipv4, now)?;
            for net in &req.networks {
                privnets::join_in(&tx, owner, id, *net)?;
            }
            tx.open_table(VM_BY_UUID)?.insert(vm.uuid.to_string().as_str(), id.0)?;
            tx.open_table(VM_HOSTNAMES)?.insert(hkey.as_str(), id.0)?;
            tx.open_table(CREATE_KEYS)?.insert(once.as_str(), id.0)?;
            if let Some(r) = &req.restore {
                tx.open_table(VM_RESTORES)?.insert(id.0, encode(r)?.as_slice())?;
            }
            let intent =
                IntentRecord { vm: id, op: IntentOp::Create, done: vec![Step::Reserve], started_at: now };
            tx.open_table(INTENTS)?.insert(id.0, encode(&intent)?.as_slice())?;
            crate::store::operations::begin(&tx, id, owner, IntentOp::Create, now)?;
            let mut args =
                vec![("hostname", vm.hostname.clone().into()), ("plan", vm.plan_name.clone().into())];
            let msg = match &req.restore {
                Some(r) => {
                    args.push(("backup", r.backup.into()));
                    crate::i18n::Msg::AuditCreateBackup
                }
                None => {
                    args.push(("template", vm.template_name.clone().into()));
                    crate::i18n::Msg::AuditCreate
                }
            };
            audit::record(
                &tx,
                now,
                &caller,
                owner,
                &format!("vm:{id}"),
                "vm.create",
                audit::told(msg, args),
            )?;
            if dry_run {
                // Dropped, not committed: nothing of it stays.
                return Ok(Ordered::WouldMake);
            }
            tx.commit()?;
            tracing::info!(vm = %id, owner = %owner, uuid = %vm.uuid, "VM ordered");
            Ok(Ordered::Made(id))
        })
        .await?;
        // (The test hook can stop here, as if the process died right after the commit.)
        if let Ordered::Made(id) = created
            && !self.halts_after(Step::Reserve)
        {
            self.spawn_intent(id);
        }
        Ok(created)
    }

    fn once_key_vm(&self, once: &str) -> Result<Option<VmId>, VmError> {
        let tx = self.store.read()?;
        let Some(id) = tx.open_table(CREATE_KEYS)?.get(once)?.map(|v| v.value()) else {
            return Ok(None);
        };
        Ok(tx.open_table(VMS)?.get(id)?.map(|_| VmId(id)))
    }
}
