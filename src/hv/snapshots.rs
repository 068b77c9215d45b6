//! libvirt internal snapshots of a domain's disks (and, for a running domain, its memory):
//! vpsbox names them `vpsbox-s<id>` and addresses them by name under the domain's UUID.

use virt::domain::Domain;

use virt::enumutil::Enum;
use virt::error::ErrorNumber;

use super::HvError;
use super::xml::esc;

fn err(e: virt::error::Error) -> HvError {
    match e.code() {
        Enum::Known(ErrorNumber::OperationInvalid) => HvError::InvalidState(e.message().to_string()),
        _ => HvError::Call(e.to_string()),
    }
}

fn is_absent(e: &virt::error::Error) -> bool {
    e.code() == Enum::Known(ErrorNumber::NoDomainSnapshot)
}

/// The snapshot XML: a name and description; libvirt takes every writable qcow2 disk
/// internally (read-only disks such as the seed and a CD take no part) and, for a running
/// domain, its memory.
pub fn snapshot_xml(name: &str, description: &str) -> String {
    format!(
        "<domainsnapshot>\n  <name>{}</name>\n  <description>{}</description>\n</domainsnapshot>\n",
        esc(name),
        esc(description)
    )
}

/// Take snapshot `name`; one of that name already there is fine (a resumed operation).
pub fn create(dom: &Domain, name: &str, description: &str) -> Result<(), HvError> {
    if names(dom)?.iter().any(|n| n == name) {
        return Ok(());
    }
    dom.create_snapshot_xml(&snapshot_xml(name, description), 0).map(|_| ()).map_err(err)
}

/// The names of the domain's snapshots.
pub fn names(dom: &Domain) -> Result<Vec<String>, HvError> {
    dom.list_all_snapshots(0).map_err(err)?.iter().map(|s| s.name().map_err(err)).collect()
}

/// Bring the domain back to snapshot `name` (disks, and memory and running state when it was
/// taken running).
pub fn revert(dom: &Domain, name: &str) -> Result<(), HvError> {
    Domain::lookup_snapshot_by_name(dom, name, 0).map_err(err)?.revert(0).map_err(err)
}

/// Delete snapshot `name` (its data in the disks and libvirt's metadata); absent is fine.
pub fn delete(dom: &Domain, name: &str) -> Result<(), HvError> {
    match Domain::lookup_snapshot_by_name(dom, name, 0) {
        Ok(s) => match s.delete(0) {
            Err(e) if is_absent(&e) => Ok(()),
            other => other.map_err(err),
        },
        Err(e) if is_absent(&e) => Ok(()),
        Err(e) => Err(err(e)),
    }
}
