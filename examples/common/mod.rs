//! What several benches share: a VM record as an order leaves it, ready and running.

use vpsbox::domain::account::UserId;
use vpsbox::domain::catalog::{PlanId, PlanSpec, TemplateId};
use vpsbox::domain::time::Timestamp;
use vpsbox::domain::vm::{PowerState, VmId};
use vpsbox::store::records::{VmPhase, VmRecord};

/// VM `id` of `owner` on `plan` (1 vCPU, 1 GiB, 10 GB, `ipv4` addresses), ready and running
/// since `now`.
pub fn ready_vm(id: u64, owner: UserId, plan: PlanId, ipv4: u32, now: Timestamp) -> VmRecord {
    VmRecord {
        id: VmId(id),
        uuid: uuid::Uuid::new_v4(),
        owner,
        hostname: format!("vm{id}"),
        plan,
        plan_name: "s-1".into(),
        spec: PlanSpec { vcpus: 1, memory_mib: 1024, disk_gb: 10, ipv4 },
        template: TemplateId(1),
        template_name: "debian".into(),
        ssh_keys: vec![],
        root_password_hash: None,
        phase: VmPhase::Ready,
        power: PowerState::Running,
        suspended: false,
        shutdown_requested_at: None,
        created_at: now,
        updated_at: now,
    }
}
