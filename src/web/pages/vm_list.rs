//! The VM list (`/vms`, `/admin/vms`): rows written straight from the store's list entries
//! into the page, with each server's addresses and one-click actions (start, shut down,
//! console) that come back to the list.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Render, html};

use super::vm_state::state_of;
use crate::domain::account::UserId;
use crate::i18n::Msg;
use crate::service::Caller;
use crate::service::vms::PowerAction;
use crate::store::records::{VmListView, VmPhase};
use crate::web::AppState;
use crate::web::ctx::{Admin, Ctx, Customer};
use crate::web::error::WebError;
use crate::web::layout::{Text, Then, page};

/// A list of VMs as a table (with an owner column for admins). Rows are written as they are
/// read from the store, into one buffer: a big account's list is the heaviest page.
struct VmTable<'a> {
    rows: String,
    count: usize,
    admin: bool,
    /// `/vms` or `/admin/vms`: where the rows link and their forms post.
    base: &'a str,
    /// The request: its CSRF token and its language.
    ctx: &'a Ctx,
}

impl VmTable<'_> {
    fn row(&mut self, owner: UserId, vm: &VmListView<'_>) {
        let out = &mut self.rows;
        let (class, word) = state_of(&vm.phase, vm.power, vm.suspended, vm.shutting_down, false);
        let mut num = itoa::Buffer::new();
        let id = num.format(vm.id.0);
        for part in ["<tr><td><a href=\"", self.base, "/", id, "\"><strong>"] {
            out.push_str(part);
        }
        Text(vm.hostname).render_to(out);
        for part in
            ["</strong></a></td><td><span class=\"badge ", class, "\">", self.ctx.t(word), "</span></td>"]
        {
            out.push_str(part);
        }
        if self.admin {
            let mut o = itoa::Buffer::new();
            for part in ["<td>", o.format(owner.0), "</td>"] {
                out.push_str(part);
            }
        }
        out.push_str("<td class=\"addresses\">");
        for (i, a) in vm.addresses().enumerate() {
            out.push_str(if i == 0 { "<code>" } else { "<br><code>" });
            Text(a).render_to(out);
            out.push_str("</code>");
        }
        out.push_str("</td><td>");
        Text(vm.plan_name).render_to(out);
        out.push_str("</td><td>");
        Text(vm.template_name).render_to(out);
        out.push_str("</td><td>");
        self.ctx.lang.write_time(out, vm.updated_at);
        out.push_str("</td><td class=\"row-actions\">");
        if vm.phase == VmPhase::Ready && !vm.suspended {
            if vm.power.is_active() {
                self.power_button(id, PowerAction::Shutdown, Msg::VmShutDown);
                let console = self.ctx.t(Msg::VmConsole);
                for part in [
                    " <a class=\"button secondary\" href=\"",
                    self.base,
                    "/",
                    id,
                    "/console\">",
                    console,
                    "</a>",
                ] {
                    self.rows.push_str(part);
                }
            } else {
                self.power_button(id, PowerAction::Start, Msg::VmStart);
            }
        }
        self.rows.push_str("</td></tr>");
        self.count += 1;
    }

    /// A one-click power button: it submits the list's one action form (the `form` attribute)
    /// to this VM's power route, so a row carries no form and no token of its own.
    fn power_button(&mut self, id: &str, action: PowerAction, label: Msg) {
        let label = self.ctx.t(label);
        let parts = [
            "<button class=\"secondary\" type=\"submit\" form=\"vm-actions\" formaction=\"",
            self.base,
            "/",
            id,
            "/power\" name=\"action\" value=\"",
            action.as_str(),
            "\">",
            label,
            "</button>",
        ];
        for part in parts {
            self.rows.push_str(part);
        }
    }
}

impl Render for VmTable<'_> {
    fn render_to(&self, out: &mut String) {
        if self.count == 0 {
            html! {
                div.panel { p { (self.ctx.t(Msg::VmsNone)) } @if !self.admin { p { a.button href="/vms/new" { (self.ctx.t(Msg::VmsOrder)) } } } }
            }
            .render_to(out);
            return;
        }
        out.reserve(self.rows.len() + 1024);
        // The one form every row's buttons submit (each names its VM's route).
        for part in [
            "<form id=\"vm-actions\" method=\"post\"><input type=\"hidden\" name=\"csrf\" value=\"",
            &self.ctx.csrf,
            "\"><input type=\"hidden\" name=\"back\" value=\"list\"></form>",
        ] {
            out.push_str(part);
        }
        let t = |m| self.ctx.t(m);
        out.push_str("<div class=\"table-wrap\"><table><thead><tr>");
        let mut columns = vec![t(Msg::VmsColHostname), t(Msg::VmsColState)];
        if self.admin {
            columns.push(t(Msg::VmsColOwner));
        }
        columns.extend([t(Msg::VmsColAddresses), t(Msg::VmsColPlan), t(Msg::VmsColOs), t(Msg::VmsColSince)]);
        for c in columns {
            out.push_str("<th>");
            out.push_str(c);
            out.push_str("</th>");
        }
        for part in
            ["<th><span class=\"sr-only\">", t(Msg::VmsColActions), "</span></th></tr></thead><tbody>"]
        {
            out.push_str(part);
        }
        out.push_str(&self.rows);
        out.push_str("</tbody></table></div>");
    }
}

/// The list as `caller` sees it, its rows linking under `base`.
fn vm_table<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    caller: &Caller,
    base: &'a str,
) -> Result<VmTable<'a>, WebError> {
    let mut table =
        // A row is about half a kilobyte: room for a big account's list without regrowing.
        VmTable { rows: String::with_capacity(64 * 1024), count: 0, admin: caller.is_admin(), base, ctx };
    state.svc.vms.visit_list(caller, None, |r| {
        table.row(r.owner, r.vm);
        std::ops::ControlFlow::Continue(())
    })?;
    Ok(table)
}

/// `GET /vms`.
pub async fn vms_get(
    State(state): State<AppState>,
    Customer(ctx, _, caller): Customer,
) -> Result<Response, WebError> {
    let table = vm_table(&state, &ctx, &caller, "/vms")?;
    let title = ctx.t(Msg::VmsTitle);
    let body = Then(
        html! { div.heading { h1 { (title) } a.button href="/vms/new" { (ctx.t(Msg::VmsOrder)) } } },
        table,
    );
    Ok(page(&ctx, title, &[(title, "/vms")], body).into_response())
}

/// `GET /admin/vms`.
pub async fn admin_vms_get(
    State(state): State<AppState>,
    Admin(ctx, _, caller): Admin,
) -> Result<Response, WebError> {
    let table = vm_table(&state, &ctx, &caller, "/admin/vms")?;
    let body = Then(
        html! { h1 { (ctx.t(Msg::VmsAllTitle)) } (super::admin::admin_tabs(&ctx, "/admin/vms")) },
        table,
    );
    let title = ctx.t(Msg::VmsTitle);
    Ok(page(&ctx, title, &[super::admin::crumb_admin(&ctx), (title, "/admin/vms")], body).into_response())
}
