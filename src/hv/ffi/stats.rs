//! Every domain's statistics in one call (`virConnectGetAllDomainStats`), which the safe `virt`
//! API leaves unimplemented: what metrics and usage graphs read once per scrape or minute.

use virt::connect::Connect;
use virt_sys as sys;

use super::HvError;

/// One domain's statistics as libvirt names them (`cpu.time`, `block.0.rd.bytes`, ...), numbers
/// only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawStats {
    /// The domain's UUID, as text.
    pub uuid: String,
    /// Numeric parameters by name.
    pub values: Vec<(String, f64)>,
}

/// The state, total CPU, balloon, interface and block statistics of every domain.
pub fn all_domain_stats(conn: &Connect) -> Result<Vec<RawStats>, HvError> {
    let stats = sys::VIR_DOMAIN_STATS_STATE
        | sys::VIR_DOMAIN_STATS_CPU_TOTAL
        | sys::VIR_DOMAIN_STATS_BALLOON
        | sys::VIR_DOMAIN_STATS_VCPU
        | sys::VIR_DOMAIN_STATS_INTERFACE
        | sys::VIR_DOMAIN_STATS_BLOCK;
    let mut recs: *mut sys::virDomainStatsRecordPtr = std::ptr::null_mut();
    // SAFETY: `conn` is live; libvirt allocates a NULL-terminated array of `n` records in
    // `recs`, freed below with `virDomainStatsRecordListFree` exactly once.
    let n = unsafe { sys::virConnectGetAllDomainStats(conn.as_ptr(), stats, &mut recs, 0) };
    if n < 0 {
        return Err(HvError::Call(format!(
            "cannot read the domains' statistics: {}",
            virt::error::Error::last_error()
        )));
    }
    let mut out = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    for i in 0..usize::try_from(n).unwrap_or(0) {
        // SAFETY: `i < n`: one of the records libvirt returned, non-null, alive until the list
        // is freed.
        let rec = unsafe { &**recs.add(i) };
        let mut buf = [0 as std::os::raw::c_char; sys::VIR_UUID_STRING_BUFLEN as usize];
        // SAFETY: `rec.dom` is the record's live domain; `buf` has VIR_UUID_STRING_BUFLEN bytes.
        let rc = unsafe { sys::virDomainGetUUIDString(rec.dom, buf.as_mut_ptr()) };
        if rc < 0 {
            continue;
        }
        // SAFETY: libvirt wrote a NUL-terminated string into `buf`.
        let uuid = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned();
        let mut values = Vec::with_capacity(usize::try_from(rec.nparams).unwrap_or(0));
        for j in 0..usize::try_from(rec.nparams).unwrap_or(0) {
            // SAFETY: `j < nparams`, within the record's parameter array.
            let p = unsafe { &*rec.params.add(j) };
            // SAFETY: the union member read is the one `type_` names.
            let v = unsafe {
                match u32::try_from(p.type_).unwrap_or(0) {
                    sys::VIR_TYPED_PARAM_INT => f64::from(p.value.i),
                    sys::VIR_TYPED_PARAM_UINT => f64::from(p.value.ui),
                    sys::VIR_TYPED_PARAM_LLONG => p.value.l as f64,
                    sys::VIR_TYPED_PARAM_ULLONG => p.value.ul as f64,
                    sys::VIR_TYPED_PARAM_DOUBLE => p.value.d,
                    sys::VIR_TYPED_PARAM_BOOLEAN => f64::from(u8::from(p.value.b != 0)),
                    _ => continue,
                }
            };
            // SAFETY: `field` is a NUL-terminated name within its 80 bytes.
            let name = unsafe { std::ffi::CStr::from_ptr(p.field.as_ptr()) }.to_string_lossy().into_owned();
            values.push((name, v));
        }
        out.push(RawStats { uuid, values });
    }
    if !recs.is_null() {
        // SAFETY: the list libvirt allocated, freed once, after its last use.
        unsafe { sys::virDomainStatsRecordListFree(recs) };
    }
    Ok(out)
}
