//! Public addresses of VMs: none free, failed creates, extra IPv4 within quota and across plan
//! changes, the plan's own addresses, admins' moves.

use super::tests::{KEY, actor, env, ready, wait_for};
use super::*;
use crate::domain::account::Role;
use crate::domain::catalog::PlanSpec;
use crate::domain::money::Money;
use crate::service::Caller;
use crate::service::Coded;
use crate::service::plans::NewPlan;
use crate::store::records::VmPhase;

#[tokio::test]
async fn no_free_address_refuses_the_order_and_a_failed_create_gives_its_addresses_back() {
    let e = env().await;
    let mut taken = Vec::new();
    for _ in 0..20 {
        taken.push(e.svc.ipam.allocate("public-v4", UserId(999), None).await.unwrap().address.0);
    }
    let err = e.vms().create(e.owner, e.order("web"), &actor(&e)).await.unwrap_err();
    assert_eq!(err.code(), "IPM0009");
    assert!(err.to_string().contains("No public IPv4 address is free"), "{err}");
    assert!(e.vms().list(e.owner).unwrap().is_empty(), "nothing half-made");
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.vms, 0);
    assert_eq!(e.svc.ipam.list().unwrap()[1].leased, 0, "no IPv6 kept either");

    // With an address back the same order goes through; if the create then fails on the host,
    // its addresses are free again at once (never reachable, so no rest).
    e.svc.ipam.release("public-v4", taken[0]).await.unwrap();
    e.clock.advance_secs(86_400);
    let t = e.svc.templates.get(e.template).unwrap();
    std::fs::remove_file(e.svc.templates.path_of(&t)).unwrap();
    let id = e.vms().create(e.owner, e.order("web"), &actor(&e)).await.unwrap();
    wait_for("the create to fail", || {
        matches!(e.vms().get_any(id).map(|v| v.phase), Ok(VmPhase::Failed { .. }))
    })
    .await;
    assert!(e.svc.ipam.vm_leases(id).unwrap().is_empty());
    let pools = e.svc.ipam.list().unwrap();
    assert_eq!(pools.iter().map(|p| (p.leased, p.cooling)).collect::<Vec<_>>(), [(19, 0), (0, 0)]);
}

#[tokio::test]
async fn extra_ipv4_addresses_within_quota_kept_across_resize() {
    let e = env().await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let id = e.vms().create(e.owner, e.order("multi"), &actor(&e)).await.unwrap();
    ready(&e, id).await;
    let mut limits = e.svc.quotas.overview(e.owner).unwrap().0;
    limits.ipv4 = 2;
    e.svc.quotas.set_limits(e.owner, limits, &Caller::system()).await.unwrap();

    let extra = e.vms().add_ipv4(s, id).await.unwrap();
    assert_eq!(extra.address, ("192.0.2.11".parse().unwrap(), 24));
    assert_eq!(e.vms().get_any(id).unwrap().spec.ipv4, 2);
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.ipv4, 2);
    let err = e.vms().add_ipv4(s, id).await.unwrap_err();
    assert_eq!(err.code(), "VM0008", "over the IPv4 quota: {err}");
    let net = crate::host::seed::read_document(
        &e.vms().paths().seed(&e.vms().get_any(id).unwrap().uuid),
        "network-config",
    )
    .unwrap();
    assert!(net.contains("192.0.2.11/24"), "the seed carries it to the next first boot: {net}");

    // Another customer cannot touch it; an address the VM does not hold is not found.
    let other = &Caller::customer(UserId(4242), "192.0.2.10");
    assert!(matches!(e.vms().add_ipv4(other, id).await, Err(VmError::NotFound)));
    assert!(matches!(
        e.vms().remove_ipv4(s, id, "192.0.2.99".parse().unwrap()).await,
        Err(VmError::NotFound)
    ));

    // Across a resize the extra address stays and the plan's count follows the new plan.
    let big = e
        .svc
        .plans
        .create(NewPlan {
            name: "s-2ip".into(),
            spec: PlanSpec { vcpus: 1, memory_mib: 512, disk_gb: 2, ipv4: 0 },
            monthly_price: Money(900),
            hourly_price: Money(2),
        })
        .await
        .unwrap();
    e.vms().power(s, id, PowerAction::ForceOff).await.unwrap();
    e.vms().resize(s, id, big.id).await.unwrap();
    wait_for("resize", || e.vms().intent(id).unwrap().is_none()).await;
    let vm = e.vms().get_any(id).unwrap();
    assert_eq!(vm.spec.ipv4, 1, "the new plan has none; the extra one stays");
    let v4: Vec<_> =
        e.svc.ipam.vm_leases(id).unwrap().into_iter().filter(|l| l.address.0.is_ipv4()).collect();
    assert_eq!(v4.len(), 1);

    // The last one is the extra: removable; then the plan's (none) cannot go below zero.
    e.vms().remove_ipv4(s, id, v4[0].address.0).await.unwrap();
    assert_eq!(e.vms().get_any(id).unwrap().spec.ipv4, 0);
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.ipv4, 0);
    let log: Vec<_> = e.vms().history(&vm, 50).unwrap().into_iter().map(|a| a.action).collect();
    assert!(log.contains(&"vm.ip_add".to_string()) && log.contains(&"vm.ip_remove".to_string()), "{log:?}");
}

#[tokio::test]
async fn the_plans_own_address_cannot_be_removed() {
    let e = env().await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let id = e.vms().create(e.owner, e.order("one"), &actor(&e)).await.unwrap();
    ready(&e, id).await;
    let err = e.vms().remove_ipv4(s, id, "192.0.2.10".parse().unwrap()).await.unwrap_err();
    assert_eq!(err.code(), "VM0011");
    assert!(err.to_string().contains("plan includes 1"), "{err}");
    assert_eq!(e.svc.ipam.vm_leases(id).unwrap().len(), 2, "still there (IPv4 and IPv6)");
}

#[tokio::test]
async fn admins_move_an_address_between_vms() {
    let e = env().await;
    let a = ready(&e, e.vms().create(e.owner, e.order("a"), &actor(&e)).await.unwrap()).await;
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let key = e.svc.keys.add(other, "k", KEY, &Caller::system()).await.unwrap().id;
    let order = CreateVm { key_ids: vec![key], ..e.order("b") };
    let b = ready(&e, e.vms().create(other, order, &actor(&e)).await.unwrap()).await;
    let addr: std::net::IpAddr = "192.0.2.10".parse().unwrap();
    e.svc.ipam.set_ptr(Some(e.owner), addr, "a.example.com").await.unwrap();

    e.vms().move_ipv4(addr, b.id, &Caller::system()).await.unwrap();
    let v4 = |id| -> Vec<String> {
        e.svc
            .ipam
            .vm_leases(id)
            .unwrap()
            .iter()
            .filter(|l| l.address.0.is_ipv4())
            .map(|l| l.address.0.to_string())
            .collect()
    };
    assert!(v4(a.id).is_empty());
    assert_eq!(v4(b.id), ["192.0.2.10", "192.0.2.11"]);
    assert_eq!((e.vms().get_any(a.id).unwrap().spec.ipv4, e.vms().get_any(b.id).unwrap().spec.ipv4), (0, 2));
    assert_eq!(e.svc.quotas.overview(other).unwrap().1.ipv4, 2, "counted for the new owner");
    assert!(e.svc.ipam.ptr_records().unwrap().is_empty(), "a new owner starts without the old reverse name");
    let net = crate::host::seed::read_document(&e.vms().paths().seed(&b.uuid), "network-config").unwrap();
    assert!(net.contains("192.0.2.10/24"), "{net}");

    let err = e.vms().move_ipv4(addr, b.id, &Caller::system()).await.unwrap_err();
    assert_eq!(err.code(), "VM0011", "already there");
    let err = e.vms().move_ipv4("192.0.2.200".parse().unwrap(), a.id, &Caller::system()).await.unwrap_err();
    assert_eq!(err.code(), "IPM0011", "nobody holds it");
}

#[tokio::test]
async fn the_public_network_is_made_routed_with_the_pools_gateways() {
    let e = env().await;
    let mut cfg = e.cfg.clone();
    cfg.network.public_network = "vpsbox-public".into();
    let clock: std::sync::Arc<dyn crate::clock::Clock> = std::sync::Arc::new(e.clock.clone());
    let vms = crate::service::Services::new(e.store.clone(), clock, &cfg, e.hv.clone()).vms;
    vms.ensure_public_network().unwrap();
    vms.ensure_public_network().unwrap();
    let (xml, active) = e.hv.get().unwrap().network_xml("vpsbox-public").unwrap().unwrap();
    assert!(active, "{xml}");
    assert!(xml.contains("<forward mode='route'/>"), "{xml}");
    assert!(
        xml.contains("address='192.0.2.1'") && xml.contains("prefix='24'"),
        "the v4 pool's gateway: {xml}"
    );
    assert!(!xml.contains("fe80::1"), "a link-local gateway is the router's own: {xml}");
    let id = vms.create(e.owner, e.order("pub"), &actor(&e)).await.unwrap();
    let vm = ready(&e, id).await;
    let spec = vms.spec_of(&vm, crate::domain::vm::DomainKind::Test).unwrap();
    assert_eq!(spec.nics[0].link, crate::domain::vm::NicLink::Network("vpsbox-public".into()));
    assert_eq!(spec.nics[0].filter, Some(crate::domain::vm::FilterSpec::name_of(&vm.uuid)));
}
