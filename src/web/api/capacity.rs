//! `GET /capacity`: what the host has left to sell (the provider's tokens): servers and
//! hardware allocated, free public addresses, free disk space, and how many more of each
//! offered plan fit.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::Api;
use super::problem::{ApiError, Problem};
use crate::domain::api_token::Scope;
use crate::web::AppState;

/// How many more servers of a plan fit.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanRoom {
    /// The plan's id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// How many more fit by free public IPv4 addresses and free disk space.
    pub fits: u64,
}

/// What the host has left.
#[derive(Debug, Serialize, ToSchema)]
pub struct Capacity {
    /// Servers on the host.
    pub servers: u64,
    /// Virtual CPUs allocated to them.
    pub vcpus: u64,
    /// Memory allocated, MiB.
    pub memory_mib: u64,
    /// System disks allocated, GiB.
    pub disk_gb: u64,
    /// Free public IPv4 addresses (neither leased nor resting).
    pub ipv4_free: u64,
    /// Free public IPv6 units.
    pub ipv6_free: u64,
    /// Disk space left for new disks in the data directory, GiB (above `[storage] min_free_mib`).
    pub disk_free_gb: u64,
    /// Each offered plan.
    pub plans: Vec<PlanRoom>,
}

/// What the host has left to sell.
#[utoipa::path(
    get,
    path = "/capacity",
    operation_id = "get_capacity",
    tag = "catalogue",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Capacity now", body = Capacity),
        (status = 401, description = "No working token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a provider's token, or it lacks the catalogue scope", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn capacity(api: Api, State(state): State<AppState>) -> Result<Json<Capacity>, ApiError> {
    api.require(Scope::Catalogue)?;
    if !api.caller().is_admin() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "API0403",
            "The host's capacity is for the provider's tokens",
        ));
    }
    let (mut servers, mut vcpus, mut memory_mib, mut disk_gb) = (0u64, 0u64, 0u64, 0u64);
    for (_, vm) in state.svc.vms.list_all()? {
        servers += 1;
        vcpus += u64::from(vm.spec.vcpus);
        memory_mib += vm.spec.memory_mib;
        disk_gb += vm.spec.disk_gb;
    }
    let (mut ipv4_free, mut ipv6_free) = (0u64, 0u64);
    for p in state.svc.ipam.list()? {
        let free = u64::try_from(p.size.saturating_sub(u128::from(p.leased + p.cooling))).unwrap_or(u64::MAX);
        if p.pool.spec.network.is_v4() {
            ipv4_free = ipv4_free.saturating_add(free);
        } else {
            ipv6_free = ipv6_free.saturating_add(free);
        }
    }
    let space = &state.svc.vms.space;
    let free = space.dirs.first().and_then(|d| crate::service::storage::free_bytes(d).ok()).unwrap_or(0);
    let disk_free_gb = (free >> 20).saturating_sub(space.min_free_mib) >> 10;
    let mut plans = Vec::new();
    for p in state.svc.plans.list()?.into_iter().filter(|p| p.enabled) {
        let by_ip = if p.spec.ipv4 == 0 { u64::MAX } else { ipv4_free / u64::from(p.spec.ipv4) };
        let by_disk = disk_free_gb.checked_div(p.spec.disk_gb).unwrap_or(u64::MAX);
        plans.push(PlanRoom { id: p.id.0, name: p.name, fits: by_ip.min(by_disk) });
    }
    Ok(Json(Capacity { servers, vcpus, memory_mib, disk_gb, ipv4_free, ipv6_free, disk_free_gb, plans }))
}
