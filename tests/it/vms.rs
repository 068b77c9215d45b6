//! VMs through the cabinet's HTTP interface (libvirt test driver, private per daemon).

use std::time::Duration;

use crate::common::*;

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop";

#[tokio::test]
async fn customer_orders_runs_and_deletes_a_vm() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "a@example.com").await;
    let r = submit(&c, &d, "/account/keys", "/account/keys", &[("name", ""), ("key", KEY)]).await;
    assert_eq!(r.status().as_u16(), 303);
    let r = submit(&c, &d, "/account/keys", "/account/keys", &[("name", "x"), ("key", "ssh-rsa AAAA")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url("/account/keys")).await;
    assert!(html.contains("me@laptop") && html.contains("KEY0001"), "{html}");

    let vm = order(&c, &d, "web1", plan, template).await;
    assert!(vm.starts_with("/vms/"));
    let html = wait_page(&c, &d, &vm, "badge running").await;
    assert!(html.contains("debian-12") && html.contains("1 vCPU"), "{html}");
    assert!(
        html.contains("<code>198.51.100.2/24</code> · gateway <code>198.51.100.1</code> · DNS <code>198.51.100.53</code>"),
        "the public address with gateway and DNS: {html}"
    );
    let (_, list) = get_text(&c, &d.url("/vms")).await;
    assert!(list.contains("web1") && list.contains("running"));

    let r = submit(&c, &d, &vm, &format!("{vm}/power"), &[("action", "reset")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains("Hard reset done"), "{html}");
    let r = submit(&c, &d, &vm, &format!("{vm}/power"), &[("action", "start")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains("VM0011"), "starting a running VM is refused with a code: {html}");

    let r = submit(&c, &d, &vm, &format!("{vm}/delete"), &[("confirm", "nope")]).await;
    assert_eq!(location(&r), vm);
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains("VM0013"));
    let r = submit(&c, &d, &vm, &format!("{vm}/delete"), &[("confirm", "web1")]).await;
    assert_eq!(location(&r), "/vms");
    for _ in 0..200 {
        if c.get(d.url(&vm)).send().await.unwrap().status().as_u16() == 404 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(c.get(d.url(&vm)).send().await.unwrap().status().as_u16(), 404);
    let (_, html) = get_text(&c, &d.url("/activity")).await;
    assert!(html.contains("vm.deleted") && html.contains("vm.reset"), "{html}");
    d.stop().await;
}

#[tokio::test]
async fn a_double_submit_makes_one_vm() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "b@example.com").await;
    let (_, html) = get_text(&c, &d.url("/vms/new")).await;
    let csrf = csrf_of(&html);
    let once = html.split("name=\"once\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (plan, template) = (plan.to_string(), template.to_string());
    let form = [
        ("csrf", csrf.as_str()),
        ("once", &once),
        ("plan", &plan),
        ("template", &template),
        ("hostname", "twice"),
        ("root_password", "a long root password"),
    ];
    let (a, b) =
        tokio::join!(c.post(d.url("/vms")).form(&form).send(), c.post(d.url("/vms")).form(&form).send());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303));
    assert_eq!(location(&a), location(&b));
    let id = d.accounts().user_by_email("b@example.com").unwrap().id;
    assert_eq!(d.svc().vms.list(id).unwrap().len(), 1);
    d.stop().await;
}

#[tokio::test]
async fn another_customer_gets_404_on_every_vm_route() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let a = client();
    sign_up(&a, &d, "owner@example.com").await;
    let vm = order(&a, &d, "private", plan, template).await;
    wait_page(&a, &d, &vm, "badge running").await;
    let b = client();
    sign_up(&b, &d, "intruder@example.com").await;
    assert_eq!(get_text(&b, &d.url(&vm)).await.0, 404);
    for (action, fields) in [
        ("power", vec![("action", "force-off")]),
        ("delete", vec![("confirm", "private")]),
        ("reinstall", vec![("template", "1"), ("confirm", "private")]),
        ("resize", vec![("plan", "1")]),
        ("rename", vec![("hostname", "mine-now")]),
    ] {
        let r = submit(&b, &d, "/vms", &format!("{vm}/{action}"), &fields).await;
        assert_eq!(r.status().as_u16(), 404, "{action}");
        assert!(r.text().await.unwrap().contains("WEB0404"));
    }
    let (_, list) = get_text(&b, &d.url("/vms")).await;
    assert!(!list.contains("private"));
    // Nothing changed for the owner.
    let html = wait_page(&a, &d, &vm, "badge running").await;
    assert!(html.contains("<h1>private"));
    d.stop().await;
}

#[tokio::test]
async fn order_errors_are_shown_with_codes() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "c@example.com").await;
    let (_, html) = get_text(&c, &d.url("/vms/new")).await;
    let csrf = csrf_of(&html);
    for (hostname, plan, needle, status) in
        [("bad_name", plan.to_string(), "VM0001", 422), ("ok", "999".to_string(), "VM0003", 422)]
    {
        let r = c
            .post(d.url("/vms"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("once", "k"),
                ("plan", &plan),
                ("template", &template.to_string()),
                ("hostname", hostname),
                ("root_password", "a long root password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status);
        let html = r.text().await.unwrap();
        assert!(html.contains(needle) && html.contains("value=\""), "{needle}: {html}");
    }
    d.stop().await;
}

#[tokio::test]
async fn quota_request_admin_approval_and_suspension() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let admin = admin_client(&d).await;
    let c = client();
    sign_up(&c, &d, "q@example.com").await;
    let uid = d.accounts().user_by_email("q@example.com").unwrap().id;
    let r = submit(
        &c,
        &d,
        "/quota",
        "/quota/requests",
        &[
            ("vms", "5"),
            ("vcpus", "4"),
            ("memory_mib", "8192"),
            ("disk_gb", "100"),
            ("ipv4", "3"),
            ("backups", "10"),
            ("reason", "shop"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&admin, &d.url("/admin/quota-requests")).await;
    assert!(html.contains("shop") && html.contains("virtual machines: 5"), "{html}");
    let req = d.svc().quotas.requests(Some(uid)).unwrap()[0].id;
    let r = submit(
        &admin,
        &d,
        "/admin/quota-requests",
        &format!("/admin/quota-requests/{req}"),
        &[("decision", "approve")],
    )
    .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url("/quota")).await;
    assert!(html.contains("approved"), "{html}");
    assert_eq!(d.svc().quotas.overview(uid).unwrap().0.vms, 5);

    let vm = order(&c, &d, "susp", plan, template).await;
    wait_page(&c, &d, &vm, "badge running").await;
    let admin_vm = vm.replace("/vms/", "/admin/vms/");
    let (_, all) = get_text(&admin, &d.url("/admin/vms")).await;
    assert!(all.contains("susp"));
    let r = submit(&admin, &d, &admin_vm, &format!("{admin_vm}/suspend"), &[("suspended", "true")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let html = wait_page(&c, &d, &vm, "suspended").await;
    assert!(html.contains("Suspended by the provider"));
    let r = submit(&c, &d, &vm, &format!("{vm}/power"), &[("action", "start")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(get_text(&c, &d.url(&vm)).await.1.contains("VM0012"));
    // Customers cannot reach the admin routes.
    assert_eq!(
        submit(&c, &d, &vm, &format!("{admin_vm}/suspend"), &[("suspended", "false")])
            .await
            .status()
            .as_u16(),
        403
    );
    d.stop().await;
}

/// A malformed id or action in a form is a 400 with its code (never taken as id 0), and
/// nothing changes.
#[tokio::test]
async fn malformed_ids_and_actions_in_forms_are_bad_requests() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "typed@example.com").await;
    let vm = order(&c, &d, "typed", plan, template).await;
    wait_page(&c, &d, &vm, "badge running").await;
    for (action, fields) in [
        ("power", vec![("action", "explode")]),
        ("resize", vec![("plan", "one")]),
        ("reinstall", vec![("confirm", "typed"), ("template", "1; DROP")]),
        ("networks", vec![("net", "")]),
        ("disks", vec![("disk", "-1")]),
    ] {
        let r = submit(&c, &d, &vm, &format!("{vm}/{action}"), &fields).await;
        let status = r.status().as_u16();
        let page = r.text().await.unwrap();
        assert_eq!(status, 400, "{action}: {page}");
        assert!(page.contains("WEB0400"), "{action}: {page}");
        if action == "resize" {
            assert!(
                page.contains("The form field “plan” cannot be “one”"),
                "the field and its value: {page}"
            );
        }
    }
    // The order form too.
    let (_, html) = get_text(&c, &d.url("/vms/new")).await;
    let csrf = csrf_of(&html);
    let fields = [
        ("csrf", csrf.as_str()),
        ("once", "x1"),
        ("plan", "s-1"),
        ("template", &template.to_string()),
        ("hostname", "other"),
    ];
    let r = c.post(d.url("/vms")).form(&fields).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("WEB0400"));
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains("badge running") && html.contains("typed"), "nothing changed: {html}");
    let (_, list) = get_text(&c, &d.url("/vms")).await;
    assert!(!list.contains("other"), "no VM was ordered: {list}");
    d.stop().await;
}

#[tokio::test]
async fn malformed_ids_in_paths_are_bad_requests_with_a_code() {
    let d = start_daemon().await;
    let c = client();
    sign_up(&c, &d, "paths@example.com").await;
    let admin = admin_client(&d).await;
    for (who, path) in [
        (&c, "/vms/abc"),
        (&c, "/vms/-1/console"),
        (&c, "/vms/1.5/screenshot.png"),
        (&c, "/support/x1"),
        (&c, "/support/1/files/one/0"),
        (&admin, "/admin/vms/abc"),
        (&admin, "/admin/support/%20"),
    ] {
        let (status, page) = get_text(who, &d.url(path)).await;
        assert_eq!(status, 400, "{path}: {page}");
        assert!(page.contains("WEB0400"), "{path}: {page}");
    }
    // A form to a malformed id is refused the same way, before anything is looked up.
    let (_, html) = get_text(&c, &d.url("/dashboard")).await;
    let csrf = csrf_of(&html);
    let r = c
        .post(d.url("/vms/abc/power"))
        .form(&[("csrf", csrf.as_str()), ("action", "start")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("WEB0400"));
    // A well-formed id that is not there is still a 404.
    assert_eq!(get_text(&c, &d.url("/vms/999")).await.0, 404);
    d.stop().await;
}

#[tokio::test]
async fn the_list_shows_addresses_and_one_click_actions_that_come_back_to_it() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let me = Cabinet::customer(&d, "lister@example.com").await;
    let vm = me.order("listed", plan, template).await;
    me.wait_page(&vm, "badge running").await;
    let id: u64 = vm.trim_start_matches("/vms/").parse().unwrap();
    let leases = d.svc().ipam.vm_leases(vpsbox::domain::vm::VmId(id)).unwrap();
    let addr = leases[0].address.0.to_string();
    assert!(addr.starts_with("198.51.100."), "{addr}");

    let (_, list) = me.get("/vms").await;
    assert!(list.contains("<th>Addresses</th>"), "{list}");
    assert!(list.contains(&format!("<code>{addr}</code>")), "{list}");
    assert!(
        list.contains(&format!("formaction=\"{vm}/power\"")) && list.contains("value=\"shutdown\""),
        "{list}"
    );
    assert!(list.contains(&format!("href=\"{vm}/console\"")), "{list}");
    assert!(!list.contains("value=\"start\""), "a running server offers no start: {list}");

    // A power button on the list comes back to the list, naming the server.
    let r = me.submit("/vms", &format!("{vm}/power"), &[("action", "force-off"), ("back", "list")]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(location(&r), "/vms");
    let (_, list) = me.get("/vms").await;
    assert!(list.contains("listed: Powered off."), "{list}");
    assert!(list.contains("value=\"start\"") && !list.contains(&format!("href=\"{vm}/console\"")), "{list}");
    // Without `back`, the VM page as before; a `back` that is no place is a bad request.
    let r = me.submit("/vms", &format!("{vm}/power"), &[("action", "start")]).await;
    assert_eq!(location(&r), vm);
    let r = me.submit("/vms", &format!("{vm}/power"), &[("action", "start"), ("back", "elsewhere")]).await;
    assert_eq!(r.status().as_u16(), 400);

    // The admins' list: the same row with its owner; its buttons post under /admin/vms.
    let admin = Cabinet { http: admin_client(&d).await, target: &d };
    let (_, all) = admin.get("/admin/vms").await;
    assert!(all.contains(&format!("<code>{addr}</code>")), "{all}");
    assert!(all.contains(&format!("formaction=\"/admin{vm}/power\"")), "{all}");
    // Another customer's list has none of it.
    let other = Cabinet::customer(&d, "other-lister@example.com").await;
    let (_, theirs) = other.get("/vms").await;
    assert!(!theirs.contains("listed") && !theirs.contains(&addr), "{theirs}");
    d.stop().await;
}

/// The root password is changed from the server's page without a reinstall; the page says
/// whether the guest took it now or keeps it for the next reinstall, a short one is refused with
/// its code, and another customer gets 404.
#[tokio::test]
async fn the_root_password_is_changed_from_the_vm_page() {
    let d = start_daemon().await;
    let (plan, template) = catalogue(&d).await;
    let c = client();
    sign_up(&c, &d, "pw@example.com").await;
    let vm = order(&c, &d, "pw", plan, template).await;
    wait_page(&c, &d, &vm, "badge running").await;
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains(&format!("action=\"{vm}/password\"")), "{html}");
    let id = vpsbox::domain::vm::VmId(vm.rsplit('/').next().unwrap().parse().unwrap());
    let before = d.svc().vms.get_any(id).unwrap().root_password_hash;

    let r = submit(&c, &d, &vm, &format!("{vm}/password"), &[("password", "a new root password")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    let said =
        html.contains("The new root password works now") || html.contains("kept for the next reinstall");
    assert!(said, "{html}");
    let after = d.svc().vms.get_any(id).unwrap().root_password_hash;
    assert!(after.is_some() && after != before, "the hash for the next reinstall changed");
    assert!(html.contains("Root password changed"), "in the activity: {html}");

    let r = submit(&c, &d, &vm, &format!("{vm}/password"), &[("password", "short")]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = get_text(&c, &d.url(&vm)).await;
    assert!(html.contains("VM0007"), "{html}");
    assert_eq!(d.svc().vms.get_any(id).unwrap().root_password_hash, after, "unchanged");

    let other = client();
    sign_up(&other, &d, "other-pw@example.com").await;
    let r =
        submit(&other, &d, "/dashboard", &format!("{vm}/password"), &[("password", "a stranger's password")])
            .await;
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(d.svc().vms.get_any(id).unwrap().root_password_hash, after);
    d.stop().await;
}
