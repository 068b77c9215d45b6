//! Servers: list (with filters) and one server. A customer's token sees its own; the
//! provider's tokens see every account's, and may filter by owner.

use std::ops::ControlFlow;

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::Api;
use super::extract::{ApiQuery, Id};
use super::page::{Page, PageQuery, PageWriter, plain};
use super::problem::{ApiError, Problem};
use crate::domain::account::UserId;
use crate::domain::api_token::Scope;
use crate::domain::vm::{PowerState, VmId};
use crate::store::records::{VmPhase, VmRecord};
use crate::web::AppState;

/// Where a server is in its life.
fn state_of(phase: &VmPhase) -> &'static str {
    match phase {
        VmPhase::Creating => "creating",
        VmPhase::Ready => "ready",
        VmPhase::Reinstalling => "reinstalling",
        VmPhase::Deleting => "deleting",
        VmPhase::Failed { .. } => "failed",
    }
}

fn power_of(p: PowerState) -> &'static str {
    match p {
        PowerState::Running => "running",
        PowerState::Paused => "paused",
        PowerState::ShuttingDown => "shutting_down",
        PowerState::Shutoff => "stopped",
        PowerState::Crashed => "crashed",
        PowerState::Suspended => "suspended",
        PowerState::Unknown => "unknown",
    }
}

// Borrowed from the store's list entry while the list is read (no owned copies).
/// A server as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServerSummary<'a> {
    /// Its id.
    pub id: u64,
    /// The account that owns it.
    pub owner: u64,
    /// Its hostname.
    pub hostname: &'a str,
    /// Its plan's name.
    pub plan: &'a str,
    /// Its OS template's name.
    pub template: &'a str,
    /// `creating`, `ready`, `reinstalling`, `deleting` or `failed`.
    pub state: &'static str,
    /// `running`, `stopped`, `paused`, `shutting_down`, `crashed`, `suspended` or `unknown`.
    pub power: &'static str,
    /// Suspended by the provider (it cannot be started).
    pub suspended: bool,
    /// Its public addresses, IPv4 first.
    #[schema(value_type = Vec<String>)]
    pub addresses: Addresses<'a>,
    /// The billing system's id of the service, if given at creation.
    pub external_service_id: Option<&'a str>,
}

impl ServerSummary<'_> {
    /// The bytes `serde_json` writes for this row (a test compares), written directly: a list
    /// of hundreds of servers otherwise spends most of its time escaping field names. A row
    /// whose texts hold nothing JSON escapes (nearly all) is copied in a few straight pieces;
    /// any other is left to serde.
    fn write_json(&self, out: &mut Vec<u8>) {
        let external = self.external_service_id.unwrap_or("");
        let texts = [self.hostname, self.plan, self.template, self.addresses.0, external];
        if !texts.iter().all(|t| plain(t)) {
            // Writing into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, self);
            return;
        }
        let (mut id, mut owner) = (itoa::Buffer::new(), itoa::Buffer::new());
        let (id, owner) = (id.format(self.id), owner.format(self.owner));
        // The literal pieces below are 180 bytes at most; each address adds three.
        out.reserve(192 + texts.iter().map(|t| t.len() * 2).sum::<usize>());
        out.extend_from_slice(b"{\"id\":");
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(b",\"owner\":");
        out.extend_from_slice(owner.as_bytes());
        out.extend_from_slice(b",\"hostname\":\"");
        out.extend_from_slice(self.hostname.as_bytes());
        out.extend_from_slice(b"\",\"plan\":\"");
        out.extend_from_slice(self.plan.as_bytes());
        out.extend_from_slice(b"\",\"template\":\"");
        out.extend_from_slice(self.template.as_bytes());
        out.extend_from_slice(b"\",\"state\":\"");
        out.extend_from_slice(self.state.as_bytes());
        out.extend_from_slice(b"\",\"power\":\"");
        out.extend_from_slice(self.power.as_bytes());
        out.extend_from_slice(match self.suspended {
            true => b"\",\"suspended\":true,\"addresses\":[",
            false => b"\",\"suspended\":false,\"addresses\":[",
        });
        // Plain text has no whitespace but spaces, so these are the addresses serde writes.
        for (i, a) in self.addresses.0.as_bytes().split(|&b| b == b' ').filter(|a| !a.is_empty()).enumerate()
        {
            out.extend_from_slice(if i == 0 { b"\"" } else { b",\"" });
            out.extend_from_slice(a);
            out.push(b'"');
        }
        match self.external_service_id {
            Some(e) => {
                out.extend_from_slice(b"],\"external_service_id\":\"");
                out.extend_from_slice(e.as_bytes());
                out.extend_from_slice(b"\"}");
            }
            None => out.extend_from_slice(b"],\"external_service_id\":null}"),
        }
    }
}

/// Addresses kept as text, one space between, written as a JSON array of strings.
#[derive(Debug)]
pub struct Addresses<'a>(pub &'a str);

impl Serialize for Addresses<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.split_ascii_whitespace())
    }
}

/// One server.
#[derive(Debug, Serialize, ToSchema)]
pub struct Server {
    /// Its id.
    pub id: u64,
    /// The account that owns it.
    pub owner: u64,
    /// Its hostname.
    pub hostname: String,
    /// Its plan's id.
    pub plan_id: u64,
    /// Its plan's name.
    pub plan: String,
    /// Its OS template's id.
    pub template_id: u64,
    /// Its OS template's name.
    pub template: String,
    /// Virtual CPUs.
    pub vcpus: u32,
    /// Memory, MiB.
    pub memory_mib: u64,
    /// System disk, GiB.
    pub disk_gb: u64,
    /// `creating`, `ready`, `reinstalling`, `deleting` or `failed`.
    pub state: &'static str,
    /// Why it failed (its error code and message), when `state` is `failed`.
    pub failure: Option<String>,
    /// `running`, `stopped`, `paused`, `shutting_down`, `crashed`, `suspended` or `unknown`.
    pub power: &'static str,
    /// Suspended by the provider (it cannot be started).
    pub suspended: bool,
    /// Its public addresses, IPv4 first.
    pub addresses: Vec<String>,
    /// The billing system's id of the service, if given at creation.
    pub external_service_id: Option<String>,
    /// When it is deleted, if a deletion is scheduled (RFC 3339); until then it is off,
    /// suspended and can be restored.
    pub deletion_due_at: Option<String>,
    /// When it was ordered (RFC 3339).
    pub created_at: String,
    /// Its last change of state or power (RFC 3339).
    pub updated_at: String,
}

impl Server {
    /// A server as the API shows it.
    pub fn of(vm: VmRecord, addresses: &[std::net::IpAddr], external_service_id: Option<String>) -> Server {
        let failure = match &vm.phase {
            VmPhase::Failed { code, message } => Some(format!("{code}: {message}")),
            _ => None,
        };
        Server {
            id: vm.id.0,
            owner: vm.owner.0,
            hostname: vm.hostname,
            plan_id: vm.plan.0,
            plan: vm.plan_name,
            template_id: vm.template.0,
            template: vm.template_name,
            vcpus: vm.spec.vcpus,
            memory_mib: vm.spec.memory_mib,
            disk_gb: vm.spec.disk_gb,
            state: state_of(&vm.phase),
            failure,
            power: power_of(vm.power),
            suspended: vm.suspended,
            addresses: addresses.iter().map(ToString::to_string).collect(),
            external_service_id,
            deletion_due_at: None,
            created_at: vm.created_at.rfc3339(),
            updated_at: vm.updated_at.rfc3339(),
        }
    }
}

/// Filters of the server list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServerFilter {
    /// Only this account's servers (the provider's tokens).
    pub owner: Option<u64>,
    /// Only servers in this state (`creating`, `ready`, `reinstalling`, `deleting`, `failed`).
    pub state: Option<String>,
    /// Only the server of this `external_service_id` (the billing system's id of the service).
    pub external_service_id: Option<String>,
    /// Items per page, 1–500 (default 100).
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List servers.
#[utoipa::path(
    get,
    path = "/servers",
    operation_id = "list_servers",
    tag = "servers",
    security(("bearer" = [])),
    params(ServerFilter),
    responses(
        (status = 200, description = "Servers by id", body = Page<ServerSummary>),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    api: Api,
    State(state): State<AppState>,
    ApiQuery(f): ApiQuery<ServerFilter>,
) -> Result<Response, ApiError> {
    api.require(Scope::Servers)?;
    if let Some(s) = f.state.as_deref()
        && !["creating", "ready", "reinstalling", "deleting", "failed"].contains(&s)
    {
        return Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "API0422",
            "The query parameter state is wrong",
        )
        .field("state", "One of creating, ready, reinstalling, deleting, failed"));
    }
    let owner = f.owner.map(UserId);
    // An unknown id matches nothing (an empty list, not a 404: it is a filter).
    let external = match f.external_service_id.as_deref() {
        Some(e) => Some(state.svc.vms.by_external(e)?.unwrap_or(VmId(0))),
        None => None,
    };
    let query = PageQuery { limit: f.limit, cursor: f.cursor };
    // A row is about 220 bytes (more with a service id or several addresses).
    let mut page = PageWriter::new(&query, 240)?;
    state.svc.vms.visit_list(api.caller(), page.after().map(VmId), |r| {
        let vm = r.vm;
        if owner.is_some_and(|w| w != r.owner)
            || external.is_some_and(|e| e != vm.id)
            || f.state.as_deref().is_some_and(|s| s != state_of(&vm.phase))
        {
            return ControlFlow::Continue(());
        }
        if !page.wants(vm.id.0) {
            // The page is full, and one more server is known to follow.
            return ControlFlow::Break(());
        }
        let row = ServerSummary {
            id: vm.id.0,
            owner: r.owner.0,
            hostname: vm.hostname,
            plan: vm.plan_name,
            template: vm.template_name,
            state: state_of(&vm.phase),
            power: power_of(vm.power),
            suspended: vm.suspended,
            addresses: Addresses(vm.addresses),
            external_service_id: vm.external,
        };
        page.push_with(vm.id.0, |out| row.write_json(out));
        ControlFlow::Continue(())
    })?;
    Ok(page.finish())
}

/// One server.
#[utoipa::path(
    get,
    path = "/servers/{id}",
    operation_id = "get_server",
    tag = "servers",
    security(("bearer" = [])),
    params(("id" = u64, Path, description = "The server's id")),
    responses(
        (status = 200, description = "The server", body = Server),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token lacks the servers scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such server, or not the token's", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(api: Api, State(state): State<AppState>, Id(id): Id) -> Result<Json<Server>, ApiError> {
    api.require(Scope::Servers)?;
    Ok(Json(read(&state, api.caller(), VmId(id))?))
}

/// One server as the API shows it, if `caller` sees it.
pub fn read(state: &AppState, caller: &crate::service::caller::Caller, id: VmId) -> Result<Server, ApiError> {
    let v = state.svc.vms.get_view(caller, id)?;
    let mut server = Server::of(v.vm, &v.addresses, v.external);
    server.deletion_due_at = v.deletion.map(|d| d.due.rfc3339());
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_is_written_as_serde_writes_it() {
        let addrs = "203.0.113.7 2001:db8::1 ::ffff:10.0.0.1";
        let odd = ["", "web-1", "a\"b\\c", "tab\there\n", "\u{1}\u{1f}", "Қазақ сервер ✓", "</script>"];
        for (i, text) in odd.iter().enumerate() {
            for (addresses, external) in [(addrs, Some(*text)), ("", None), ("203.0.113.7", Some("whmcs-9"))]
            {
                let row = ServerSummary {
                    id: i as u64 + 1,
                    owner: u64::MAX,
                    hostname: text,
                    plan: ["Start \"S\"", "s-1"][i % 2],
                    template: text,
                    state: "ready",
                    power: "running",
                    suspended: i % 2 == 0,
                    addresses: Addresses(addresses),
                    external_service_id: external,
                };
                let mut ours = Vec::new();
                row.write_json(&mut ours);
                assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&row).unwrap(), "row {i}");
            }
        }
    }
}
