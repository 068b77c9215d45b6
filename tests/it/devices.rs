//! Private networks and extra disks through the cabinet (test driver): create with coded
//! refusals, attach and detach from the VM page, owner isolation (404) on every new route.

use crate::common::*;

/// Follow a form post and return the page it lands on.
async fn post_and_show(
    c: &reqwest::Client,
    d: &Daemon,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> String {
    let r = submit(c, d, page, action, fields).await;
    assert_eq!(r.status().as_u16(), 303, "{action}");
    get_text(c, &d.url(&location(&r))).await.1
}

#[tokio::test]
async fn private_networks_from_the_cabinet() {
    let d = start_daemon().await;
    let (plan, template) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "lan@example.com").await;

    let html =
        post_and_show(&c, &d, "/networks", "/networks", &[("name", "lan"), ("subnet", "10.0.0.1/24")]).await;
    assert!(html.contains("NET0002") && html.contains("host bits are set"), "{html}");
    let html =
        post_and_show(&c, &d, "/networks", "/networks", &[("name", "lan"), ("subnet", "192.0.2.0/24")]).await;
    assert!(html.contains("Network created.") && html.contains("<code>192.0.2.0/24</code>"), "{html}");
    let (_, list) = get_text(&c, &d.url("/networks")).await;
    let net = list.split("href=\"/networks/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let net_page = format!("/networks/{net}");

    // The order form offers the network; an order on it gets the first address.
    let (_, form) = get_text(&c, &d.url("/vms/new")).await;
    assert!(form.contains(&format!("name=\"net\" value=\"{net}\"")), "{form}");
    let vm = crate::common::order(&c, &d, "a", plan, template).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;
    let html = post_and_show(&c, &d, &vm, &format!("{vm}/networks"), &[("net", &net)]).await;
    assert!(html.contains("On lan as eth1 with 192.0.2.1/24."), "{html}");
    assert!(html.contains("<code>eth1</code>"), "{html}");
    let (_, page) = get_text(&c, &d.url(&net_page)).await;
    assert!(page.contains("<code>192.0.2.1/24</code>") && page.contains(&format!("href=\"{vm}\"")), "{page}");
    let html = post_and_show(&c, &d, &vm, &format!("{vm}/networks"), &[("net", &net)]).await;
    assert!(html.contains("NET0008"), "{html}");
    let html = post_and_show(&c, &d, &net_page, &format!("{net_page}/delete"), &[]).await;
    assert!(html.contains("NET0006"), "{html}");

    // Another customer: 404 everywhere, nothing changes.
    let other = client();
    sign_up(&other, &d, "other@example.com").await;
    let (_, page) = get_text(&other, &d.url("/dashboard")).await;
    let csrf = csrf_of(&page);
    assert_eq!(get_text(&other, &d.url(&net_page)).await.0, 404);
    for path in [format!("{net_page}/delete"), format!("{vm}/networks"), format!("{vm}/networks/detach")] {
        let r =
            other.post(d.url(&path)).form(&[("csrf", csrf.as_str()), ("net", &net)]).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    // Their own VM cannot join my network either.
    let theirs = crate::common::order(&other, &d, "b", plan, template).await;
    crate::common::wait_page(&other, &d, &theirs, "badge running").await;
    let html = post_and_show(&other, &d, &theirs, &format!("{theirs}/networks"), &[("net", &net)]).await;
    assert!(html.contains("NET0005"), "{html}");

    let html = post_and_show(&c, &d, &vm, &format!("{vm}/networks/detach"), &[("net", &net)]).await;
    assert!(
        html.contains("Detached from the network.") && html.contains("Not on any private network."),
        "{html}"
    );
    let html = post_and_show(&c, &d, &net_page, &format!("{net_page}/delete"), &[]).await;
    assert!(html.contains("Network deleted.") && html.contains("No private networks yet."), "{html}");
    d.stop().await;
}

#[tokio::test]
async fn extra_disks_from_the_cabinet() {
    let d = start_daemon().await;
    let (plan, template) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "disks@example.com").await;
    for (name, size, code) in [
        ("data", "0", "DSK0002"),
        ("data", "99999", "DSK0002"),
        ("no way", "5", "DSK0001"),
        ("big", "1000", "DSK0003"),
    ] {
        let html = post_and_show(&c, &d, "/disks", "/disks", &[("name", name), ("size_gb", size)]).await;
        assert!(html.contains(code), "{name} {size}: {html}");
    }
    let html = post_and_show(&c, &d, "/disks", "/disks", &[("name", "data"), ("size_gb", "5")]).await;
    assert!(html.contains("Disk created.") && html.contains("5 GiB"), "{html}");
    let disk = html.split("action=\"/disks/").nth(1).unwrap().split('/').next().unwrap().to_string();
    assert!(html.contains(&format!("virtio-vpsbox-d{disk}")), "{html}");

    let vm = crate::common::order(&c, &d, "a", plan, template).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;
    let html = post_and_show(&c, &d, &vm, &format!("{vm}/disks"), &[("disk", &disk)]).await;
    assert!(html.contains("Disk data attached as /dev/vdc."), "{html}");
    assert!(html.contains(&format!("/dev/disk/by-id/virtio-vpsbox-d{disk}")), "{html}");
    let html = post_and_show(&c, &d, "/disks", &format!("/disks/{disk}/grow"), &[("size_gb", "4")]).await;
    assert!(html.contains("DSK0008"), "{html}");
    let html = post_and_show(&c, &d, "/disks", &format!("/disks/{disk}/grow"), &[("size_gb", "7")]).await;
    assert!(html.contains("data is now 7 GiB."), "{html}");
    let html = post_and_show(&c, &d, "/disks", &format!("/disks/{disk}/delete"), &[]).await;
    assert!(html.contains("DSK0005"), "{html}");

    let other = client();
    sign_up(&other, &d, "other@example.com").await;
    let (_, page) = get_text(&other, &d.url("/dashboard")).await;
    let csrf = csrf_of(&page);
    for path in [
        format!("/disks/{disk}/grow"),
        format!("/disks/{disk}/delete"),
        format!("{vm}/disks"),
        format!("{vm}/disks/detach"),
    ] {
        let r = other
            .post(d.url(&path))
            .form(&[("csrf", csrf.as_str()), ("disk", &disk), ("size_gb", "9")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    let (_, theirs) = get_text(&other, &d.url("/disks")).await;
    assert!(theirs.contains("No disks yet."), "{theirs}");

    let html = post_and_show(&c, &d, &vm, &format!("{vm}/disks/detach"), &[("disk", &disk)]).await;
    assert!(html.contains("Disk detached.") && html.contains("None attached."), "{html}");
    let html = post_and_show(&c, &d, "/disks", &format!("/disks/{disk}/delete"), &[]).await;
    assert!(html.contains("Disk deleted.") && html.contains("No disks yet."), "{html}");
    d.stop().await;
}

#[tokio::test]
async fn firewall_rules_from_the_vm_page() {
    let d = start_daemon().await;
    let (plan, template) = crate::common::catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "fw@example.com").await;
    let vm = crate::common::order(&c, &d, "fw", plan, template).await;
    crate::common::wait_page(&c, &d, &vm, "badge running").await;
    let add = format!("{vm}/firewall");
    for (fields, code) in [
        (
            vec![("rule_action", "allow"), ("protocol", "tcp"), ("ports", "8100-8000"), ("source", "")],
            "FWL0002",
        ),
        (
            vec![("rule_action", "allow"), ("protocol", "tcp"), ("ports", "22"), ("source", "10.0.0.1/8")],
            "FWL0003",
        ),
        (vec![("rule_action", "maybe"), ("protocol", "tcp"), ("ports", ""), ("source", "")], "FWL0001"),
        (vec![("rule_action", "allow"), ("protocol", "icmp"), ("ports", "7"), ("source", "")], "FWL0002"),
    ] {
        let html = post_and_show(&c, &d, &vm, &add, &fields).await;
        assert!(html.contains(code), "{fields:?}: {html}");
    }
    let html = post_and_show(
        &c,
        &d,
        &vm,
        &add,
        &[("rule_action", "allow"), ("protocol", "tcp"), ("ports", "22"), ("source", "203.0.113.0/24")],
    )
    .await;
    assert!(html.contains("Rule added: allow tcp, ports 22, from 203.0.113.0/24."), "{html}");
    let html = post_and_show(&c, &d, &vm, &format!("{vm}/firewall/default"), &[("default", "deny")]).await;
    assert!(
        html.contains("Traffic no rule allows is dropped.")
            && html.contains("Anything no rule matches: dropped."),
        "{html}"
    );

    let other = client();
    sign_up(&other, &d, "other@example.com").await;
    let (_, page) = get_text(&other, &d.url("/dashboard")).await;
    let csrf = csrf_of(&page);
    for path in [add.clone(), format!("{vm}/firewall/remove"), format!("{vm}/firewall/default")] {
        let r = other
            .post(d.url(&path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("index", "0"),
                ("default", "allow"),
                ("rule_action", "allow"),
                ("protocol", "any"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    let html = post_and_show(&c, &d, &vm, &format!("{vm}/firewall/remove"), &[("index", "0")]).await;
    assert!(html.contains("Rule removed.") && html.contains("No rules."), "{html}");
    d.stop().await;
}
