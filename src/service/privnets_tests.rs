//! Private networks on libvirt's test driver and real redb: quota, names, owner isolation,
//! addresses, joining at order time and later, delete rules, reconcile.

use crate::domain::account::Role;
use crate::domain::privnet::{NetId, network_name, network_prefix};
use crate::domain::vm::NicLink;
use crate::service::Coded;
use crate::service::caller::Caller;
use crate::service::vms::tests::{actor, env, ready};

fn libvirt_networks(e: &crate::service::vms::tests::Env) -> Vec<String> {
    e.hv.get().unwrap().list_networks(&network_prefix()).unwrap().into_iter().map(|n| n.name).collect()
}

#[tokio::test]
async fn create_within_quota_with_checked_names_and_subnets() {
    let e = env().await;
    let a = e.svc.privnets.create(e.owner, "backend", "192.0.2.0/24", &actor(&e)).await.unwrap();
    assert_eq!(libvirt_networks(&e), [network_name(a)], "made in libvirt, active");
    for (name, subnet, code) in [
        ("backend", "198.51.100.0/24", "NET0003"),
        ("bad name!", "198.51.100.0/24", "NET0001"),
        ("db", "198.51.100.1/24", "NET0002"),
        ("db", "2001:db8::/64", "NET0002"),
        ("db", "198.51.100.0/30", "NET0002"),
    ] {
        let err = e.svc.privnets.create(e.owner, name, subnet, &actor(&e)).await.unwrap_err();
        assert_eq!(err.code(), code, "{name} {subnet}: {err}");
    }
    e.svc.privnets.create(e.owner, "db", "198.51.100.0/24", &actor(&e)).await.unwrap();
    // The default quota is two networks.
    let err = e.svc.privnets.create(e.owner, "third", "203.0.113.0/24", &actor(&e)).await.unwrap_err();
    assert_eq!(err.code(), "NET0004", "{err}");
    assert!(err.to_string().contains("private networks: the limit is 2"), "{err}");
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.private_networks, 2);
    let names: Vec<_> = e.svc.privnets.list(e.owner).unwrap().into_iter().map(|n| n.net.name).collect();
    assert_eq!(names, ["backend", "db"]);
}

#[tokio::test]
async fn vms_join_at_order_time_and_later_with_the_lowest_free_address() {
    let e = env().await;
    let net = e.svc.privnets.create(e.owner, "lan", "192.0.2.0/29", &actor(&e)).await.unwrap();
    let mut order = e.order("a");
    order.networks = vec![net];
    let a = ready(&e, e.vms().create(e.owner, order, &actor(&e)).await.unwrap()).await;
    let b = ready(&e, e.vms().create(e.owner, e.order("b"), &actor(&e)).await.unwrap()).await;

    let ports = e.vms().ports(&a).unwrap();
    assert_eq!(ports.len(), 1);
    assert_eq!((ports[0].slot, ports[0].address.to_string()), (1, "192.0.2.1".to_string()));
    // The domain has the interface on the libvirt network, and the seed the address.
    let spec = e.vms().spec_of(&a, crate::domain::vm::DomainKind::Test).unwrap();
    assert_eq!(spec.nics.iter().map(|n| &n.link).collect::<Vec<_>>(), [&NicLink::Network(network_name(net))]);
    assert_eq!(spec.nics[0].mac, crate::domain::vm::mac_of(a.id, 1).unwrap());
    let seed = crate::host::seed::read_document(&e.vms().paths().seed(&a.uuid), "network-config").unwrap();
    assert!(seed.contains("\"192.0.2.1/29\""), "{seed}");

    let s = &Caller::customer(e.owner, "192.0.2.10");
    let port = e.vms().attach_network(s, b.id, net).await.unwrap();
    assert_eq!(port.address.to_string(), "192.0.2.2");
    // The seed has it at once, for the guest's next boot (a reboot from inside it too).
    let seed_of = |vm: &crate::store::records::VmRecord| {
        crate::host::seed::read_document(&e.vms().paths().seed(&vm.uuid), "network-config").unwrap()
    };
    assert!(seed_of(&b).contains("\"192.0.2.2/29\""), "{}", seed_of(&b));
    let err = e.vms().attach_network(s, b.id, net).await.unwrap_err();
    assert_eq!(err.code(), "NET0008");
    // A freed address is the lowest free one again.
    e.vms().detach_network(s, a.id, net).await.unwrap();
    assert!(e.vms().ports(&a).unwrap().is_empty());
    assert!(!seed_of(&a).contains("192.0.2.1/29"), "{}", seed_of(&a));
    let port = e.vms().attach_network(s, a.id, net).await.unwrap();
    assert_eq!(port.address.to_string(), "192.0.2.1");
    let members: Vec<_> = e.svc.privnets.members(net).unwrap().iter().map(|m| m.vm).collect();
    assert_eq!(members, [a.id, b.id]);
}

#[tokio::test]
async fn networks_of_other_customers_are_not_found_and_a_full_subnet_refuses() {
    let e = env().await;
    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let theirs = e.svc.privnets.create(other, "theirs", "192.0.2.0/29", &Caller::system()).await.unwrap();
    let mine = e.svc.privnets.create(e.owner, "mine", "198.51.100.0/29", &actor(&e)).await.unwrap();
    let vm = ready(&e, e.vms().create(e.owner, e.order("a"), &actor(&e)).await.unwrap()).await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    assert_eq!(e.vms().attach_network(s, vm.id, theirs).await.unwrap_err().code(), "NET0005");
    assert_eq!(e.svc.privnets.get(s, theirs).unwrap_err().code(), "NET0005");
    assert_eq!(e.svc.privnets.delete(s, theirs).await.unwrap_err().code(), "NET0005");
    let mut order = e.order("b");
    order.networks = vec![theirs];
    assert_eq!(e.vms().create(e.owner, order, &actor(&e)).await.unwrap_err().code(), "NET0005");
    assert_eq!(e.vms().list(e.owner).unwrap().len(), 1, "the refused order left nothing");

    // A /29 has 6 host addresses.
    for i in 0..6 {
        let v =
            ready(&e, e.vms().create(e.owner, e.order(&format!("n{i}")), &actor(&e)).await.unwrap()).await;
        e.vms().attach_network(s, v.id, mine).await.unwrap();
    }
    assert_eq!(e.vms().attach_network(s, vm.id, mine).await.unwrap_err().code(), "NET0007");
}

#[tokio::test]
async fn delete_needs_an_empty_network_and_deleting_a_vm_leaves_its_networks() {
    let e = env().await;
    let net = e.svc.privnets.create(e.owner, "lan", "192.0.2.0/24", &actor(&e)).await.unwrap();
    let mut order = e.order("a");
    order.networks = vec![net];
    let a = ready(&e, e.vms().create(e.owner, order, &actor(&e)).await.unwrap()).await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    let err = e.svc.privnets.delete(s, net).await.unwrap_err();
    assert_eq!(err.code(), "NET0006", "{err}");
    e.vms().delete(s, a.id, "a").await.unwrap();
    crate::service::vms::tests::wait_for("the VM to go", || e.vms().get_any(a.id).is_err()).await;
    assert!(e.svc.privnets.members(net).unwrap().is_empty());
    e.svc.privnets.delete(s, net).await.unwrap();
    assert!(libvirt_networks(&e).is_empty());
    assert_eq!(e.svc.quotas.overview(e.owner).unwrap().1.private_networks, 0);
    assert_eq!(e.svc.privnets.get(s, net).unwrap_err().code(), "NET0005");
}

#[tokio::test]
async fn reconcile_makes_recorded_networks_and_removes_only_its_deleted_ones() {
    let e = env().await;
    let net = e.svc.privnets.create(e.owner, "lan", "192.0.2.0/24", &actor(&e)).await.unwrap();
    let gone = e.svc.privnets.create(e.owner, "old", "198.51.100.0/24", &actor(&e)).await.unwrap();
    let gone_spec = crate::domain::privnet::NetworkSpec::of(
        gone,
        e.svc.privnets.get(&Caller::system(), gone).unwrap().uuid,
        e.store.installation_id(),
    );
    e.svc.privnets.delete(&Caller::system(), gone).await.unwrap();
    let hv = e.hv.get().unwrap();
    hv.remove_network(&network_name(net)).unwrap();
    // The deleted network back in libvirt, as a crash between the two steps leaves it.
    hv.ensure_network(&gone_spec).unwrap();
    // A network under our prefix with this installation's mark that the state never had, and
    // another installation's: both left alone.
    let unknown =
        crate::domain::privnet::NetworkSpec::of(NetId(99), uuid::Uuid::new_v4(), e.store.installation_id());
    let other =
        crate::domain::privnet::NetworkSpec::of(NetId(98), uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    hv.ensure_network(&unknown).unwrap();
    hv.ensure_network(&other).unwrap();
    assert_eq!(e.svc.privnets.reconcile().unwrap(), (1, 1));
    let mut want = vec![network_name(net), unknown.name.clone(), other.name.clone()];
    want.sort();
    let mut have = libvirt_networks(&e);
    have.sort();
    assert_eq!(have, want);
    let listed = crate::service::unmanaged::list(&e.store).unwrap();
    let mut names: Vec<&str> = listed.iter().map(|u| u.name.as_str()).collect();
    names.sort();
    assert_eq!(names, [other.name.as_str(), unknown.name.as_str()]);
    assert!(listed.iter().any(|u| u.installation == Some(other.owner.unwrap().installation)));
    assert_eq!(e.svc.privnets.reconcile().unwrap(), (1, 0), "nothing left to do");
    // A new network never takes a number whose name is in use.
    let next = e.svc.privnets.create(e.owner, "new", "203.0.113.0/24", &actor(&e)).await.unwrap();
    assert!(![NetId(98), NetId(99)].contains(&next), "{next}");
    hv.remove_network(&unknown.name).unwrap();
    hv.remove_network(&other.name).unwrap();
}
