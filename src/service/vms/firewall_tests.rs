//! The firewall service on the test driver and real redb: rules in order, defaults, coded
//! refusals, owner scope, the filter spec that carries them, and removal with the VM.

use super::tests::{actor, env, ready, wait_for};
use super::*;
use crate::domain::account::Role;
use crate::domain::firewall::{Action, parse_rule};
use crate::service::Coded;

#[tokio::test]
async fn rules_are_kept_in_order_and_reach_the_filter() {
    let e = env().await;
    let vm = ready(&e, e.vms().create(e.owner, e.order("fw"), &actor(&e)).await.unwrap()).await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    assert!(e.vms().firewall(vm.id).unwrap().is_open(), "open until the customer sets rules");
    let ssh = parse_rule("allow", "tcp", "22", "198.51.100.0/24").unwrap();
    let web = parse_rule("allow", "tcp", "80-443", "").unwrap();
    e.vms().add_firewall_rule(s, vm.id, web.clone(), None).await.unwrap();
    e.vms().add_firewall_rule(s, vm.id, ssh.clone(), Some(0)).await.unwrap();
    let fw = e.vms().set_firewall_default(s, vm.id, Action::Deny).await.unwrap();
    assert_eq!((fw.default, fw.rules.clone()), (Action::Deny, vec![ssh.clone(), web.clone()]));
    assert_eq!(e.vms().filter_of(&vm).unwrap().firewall, fw, "the filter carries the rules");

    let fw = e.vms().remove_firewall_rule(s, vm.id, 0).await.unwrap();
    assert_eq!(fw.rules, vec![web]);
    assert_eq!(e.vms().remove_firewall_rule(s, vm.id, 5).await.unwrap_err().code(), "VM0009");

    let other =
        e.svc.accounts.create_user("other@example.com", "other password 1", Role::Customer).await.unwrap();
    let err = e
        .vms()
        .add_firewall_rule(&Caller::customer(other, "192.0.2.10"), vm.id, ssh, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "VM0009", "another customer's VM is not found");
    let hist = e.vms().history(&vm, 10).unwrap();
    assert!(
        hist.iter().any(|a| a.action == "vm.firewall" && a.detail == "Anything no rule matches: dropped."),
        "{hist:?}"
    );

    e.vms().delete(s, vm.id, "fw").await.unwrap();
    wait_for("the VM to go", || e.vms().get_any(vm.id).is_err()).await;
    assert!(e.vms().firewall(vm.id).unwrap().is_open(), "its rules went with it");
}

#[tokio::test]
async fn too_many_rules_are_refused() {
    let e = env().await;
    let vm = ready(&e, e.vms().create(e.owner, e.order("fw"), &actor(&e)).await.unwrap()).await;
    let s = &Caller::customer(e.owner, "192.0.2.10");
    for p in 1..=crate::domain::firewall::MAX_RULES {
        let r = parse_rule("allow", "tcp", &p.to_string(), "").unwrap();
        e.vms().add_firewall_rule(s, vm.id, r, None).await.unwrap();
    }
    let r = parse_rule("allow", "udp", "53", "").unwrap();
    assert_eq!(e.vms().add_firewall_rule(s, vm.id, r, None).await.unwrap_err().code(), "FWL0004");
}
