//! The VM list (`/vms`, `/admin/vms`): rows written straight from the store's list entries
//! into the page.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Render, html};

use super::vms::state_of;
use crate::domain::account::UserId;
use crate::store::records::VmListView;
use crate::web::AppState;
use crate::web::ctx::{Admin, Customer};
use crate::web::error::WebError;
use crate::web::layout::{Text, Then, Utc, page};

/// A list of VMs as a table (with an owner column for admins). Rows are written as they are
/// read from the store, into one buffer: a big account's list is the heaviest page.
struct VmTable {
    rows: String,
    count: usize,
    admin: bool,
}

impl VmTable {
    fn new(admin: bool) -> VmTable {
        VmTable { rows: String::new(), count: 0, admin }
    }

    fn row(&mut self, owner: Option<UserId>, vm: &VmListView<'_>) {
        let out = &mut self.rows;
        let base = if self.admin { "/admin/vms" } else { "/vms" };
        let (class, word) = state_of(&vm.phase, vm.power, vm.suspended, vm.shutting_down, false);
        let mut num = itoa::Buffer::new();
        for part in ["<tr><td><a href=\"", base, "/", num.format(vm.id.0), "\"><strong>"] {
            out.push_str(part);
        }
        Text(vm.hostname).render_to(out);
        for part in ["</strong></a></td><td><span class=\"badge ", class, "\">", word, "</span></td>"] {
            out.push_str(part);
        }
        if let Some(owner) = owner {
            for part in ["<td>", num.format(owner.0), "</td>"] {
                out.push_str(part);
            }
        }
        out.push_str("<td>");
        Text(vm.plan_name).render_to(out);
        out.push_str("</td><td>");
        Text(vm.template_name).render_to(out);
        out.push_str("</td><td>");
        Utc(vm.updated_at).render_to(out);
        out.push_str("</td></tr>");
        self.count += 1;
    }
}

impl Render for VmTable {
    fn render_to(&self, out: &mut String) {
        if self.count == 0 {
            html! {
                div.panel { p { "No virtual machines yet." } @if !self.admin { p { a.button href="/vms/new" { "Order a virtual server" } } } }
            }
            .render_to(out);
            return;
        }
        out.reserve(self.rows.len() + 512);
        out.push_str("<div class=\"table-wrap\"><table><thead><tr><th>Hostname</th><th>State</th>");
        if self.admin {
            out.push_str("<th>Owner</th>");
        }
        out.push_str("<th>Plan</th><th>OS</th><th>Since</th></tr></thead><tbody>");
        out.push_str(&self.rows);
        out.push_str("</tbody></table></div>");
    }
}

/// `GET /vms`.
pub async fn vms_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let mut table = VmTable::new(false);
    state.svc.vms.visit_list(s.user.id, |vm| table.row(None, &vm))?;
    let body = Then(
        html! { div.heading { h1 { "Virtual machines" } a.button href="/vms/new" { "Order a virtual server" } } },
        table,
    );
    Ok(page(&ctx, "Virtual machines", &[("Virtual machines", "/vms")], body).into_response())
}

/// `GET /admin/vms`.
pub async fn admin_vms_get(
    State(state): State<AppState>,
    Admin(ctx, ..): Admin,
) -> Result<Response, WebError> {
    let mut table = VmTable::new(true);
    for (owner, vm) in state.svc.vms.list_all()? {
        table.row(Some(owner), &VmListView::from(&vm));
    }
    let body = Then(html! { h1 { "All virtual machines" } (super::admin::admin_tabs("/admin/vms")) }, table);
    Ok(page(&ctx, "Virtual machines", &[super::admin::CRUMB_ADMIN, ("Virtual machines", "/admin/vms")], body)
        .into_response())
}
