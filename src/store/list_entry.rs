//! A VM's list entry (`OWNER_VMS`): what VM lists and quota usage need of a VM, kept beside its
//! [`VmRecord`] by `store::vms`, so a list of many VMs reads one compact range and nothing else.
//!
//! Lists read hundreds of entries a request, and serde's field-by-field decoding of the
//! postcard form was most of a big list's store time (about 160 ns an entry, measured with
//! perf). The entry is therefore stored in a layout of its own, inside the codec's frame (its
//! version byte and postcard's length prefix), that [`VmListView`] reads in place: a fixed
//! part, then the texts one after another, validated as one block.
//!
//! Fixed part, little-endian: id u64, vcpus u32, memory_mib u64, disk_gb u64, ipv4 u32,
//! updated_at i64 (ms), phase u8, power u8, flags u8 (1 suspended, 2 shutting down, 4 has a
//! service id), then the byte lengths (u32) of the texts: hostname, plan name, template name,
//! addresses, service id, failure code, failure message. Then those texts (UTF-8).

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::StoreError;
use super::codec::{Record, decode_bytes};
use super::records::{VmPhase, VmRecord};
use crate::domain::catalog::PlanSpec;
use crate::domain::time::Timestamp;
use crate::domain::vm::{PowerState, VmId};

/// What VM lists and quota usage need of a VM, stored under `(owner, id)` in `OWNER_VMS` beside
/// its [`VmRecord`]: a row's addresses and service id are kept in it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmListRecord {
    /// Identifier.
    pub id: VmId,
    /// Hostname.
    pub hostname: String,
    /// Plan name, for display.
    pub plan_name: String,
    /// Template name, for display.
    pub template_name: String,
    /// The hardware it has (counts against the quota).
    pub spec: PlanSpec,
    /// Life phase.
    pub phase: VmPhase,
    /// Last known power state.
    pub power: PowerState,
    /// Suspended by an admin.
    pub suspended: bool,
    /// A graceful shutdown was asked for and the VM has not stopped yet.
    pub shutting_down: bool,
    /// Last change of phase or power.
    pub updated_at: Timestamp,
    /// Its guest addresses as text, IPv4 first, one space between (kept from its leases).
    pub addresses: String,
    /// The billing system's id of its service, if it has one.
    pub external: Option<String>,
}

impl Record for VmListRecord {
    const KIND: &'static str = "vm list entry";
    const VERSION: u8 = 2;
}

/// A [`VmListRecord`] read in place, its text borrowed from the stored bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VmListView<'a> {
    /// Identifier.
    pub id: VmId,
    /// Hostname.
    pub hostname: &'a str,
    /// Plan name.
    pub plan_name: &'a str,
    /// Template name.
    pub template_name: &'a str,
    /// The hardware it has.
    pub spec: PlanSpec,
    /// Life phase.
    pub phase: VmPhase,
    /// Last known power state.
    pub power: PowerState,
    /// Suspended by an admin.
    pub suspended: bool,
    /// A graceful shutdown was asked for and the VM has not stopped yet.
    pub shutting_down: bool,
    /// Last change of phase or power.
    pub updated_at: Timestamp,
    /// Its guest addresses as text, one space between.
    pub addresses: &'a str,
    /// The billing system's id of its service.
    pub external: Option<&'a str>,
}

impl VmListRecord {
    /// The list entry of `vm`, which has `addresses` (IPv4 first) and the billing system's
    /// service id `external`.
    pub fn of(vm: &VmRecord, addresses: &[std::net::IpAddr], external: Option<String>) -> VmListRecord {
        use std::fmt::Write as _;
        let mut text = String::with_capacity(addresses.len() * 16);
        for (i, a) in addresses.iter().enumerate() {
            let gap = if i == 0 { "" } else { " " };
            // Writing into a String cannot fail.
            let _ = write!(text, "{gap}{a}");
        }
        VmListRecord {
            id: vm.id,
            hostname: vm.hostname.clone(),
            plan_name: vm.plan_name.clone(),
            template_name: vm.template_name.clone(),
            spec: vm.spec,
            phase: vm.phase.clone(),
            power: vm.power,
            suspended: vm.suspended,
            shutting_down: vm.shutdown_requested_at.is_some(),
            updated_at: vm.updated_at,
            addresses: text,
            external,
        }
    }
}

impl<'a> From<&'a VmListRecord> for VmListView<'a> {
    fn from(r: &'a VmListRecord) -> VmListView<'a> {
        VmListView {
            id: r.id,
            hostname: &r.hostname,
            plan_name: &r.plan_name,
            template_name: &r.template_name,
            spec: r.spec,
            phase: r.phase.clone(),
            power: r.power,
            suspended: r.suspended,
            shutting_down: r.shutting_down,
            updated_at: r.updated_at,
            addresses: &r.addresses,
            external: r.external.as_deref(),
        }
    }
}

impl<'a> VmListView<'a> {
    /// The entry stored as `value` in `OWNER_VMS`, read in place.
    pub fn decode(value: &'a [u8]) -> Result<VmListView<'a>, StoreError> {
        VmListView::read(decode_bytes::<VmListRecord>(value)?).ok_or_else(|| StoreError::Corrupt {
            kind: VmListRecord::KIND,
            reason: "malformed VM list entry".into(),
        })
    }

    /// Its guest addresses, IPv4 first.
    pub fn addresses(&self) -> std::str::SplitAsciiWhitespace<'_> {
        self.addresses.split_ascii_whitespace()
    }

    /// An owned copy.
    pub fn to_record(&self) -> VmListRecord {
        VmListRecord {
            id: self.id,
            hostname: self.hostname.to_string(),
            plan_name: self.plan_name.to_string(),
            template_name: self.template_name.to_string(),
            spec: self.spec,
            phase: self.phase.clone(),
            power: self.power,
            suspended: self.suspended,
            shutting_down: self.shutting_down,
            updated_at: self.updated_at,
            addresses: self.addresses.to_string(),
            external: self.external.map(str::to_string),
        }
    }

    /// The entry in its stored layout (see the module's notes).
    fn write(&self, out: &mut Vec<u8>) -> Result<(), &'static str> {
        let (phase, code, message) = match &self.phase {
            VmPhase::Creating => (0u8, "", ""),
            VmPhase::Ready => (1, "", ""),
            VmPhase::Reinstalling => (2, "", ""),
            VmPhase::Deleting => (3, "", ""),
            VmPhase::Failed { code, message } => (4, code.as_str(), message.as_str()),
        };
        let flags = u8::from(self.suspended)
            | u8::from(self.shutting_down) << 1
            | u8::from(self.external.is_some()) << 2;
        let texts = [
            self.hostname,
            self.plan_name,
            self.template_name,
            self.addresses,
            self.external.unwrap_or(""),
            code,
            message,
        ];
        out.extend_from_slice(&self.id.0.to_le_bytes());
        out.extend_from_slice(&self.spec.vcpus.to_le_bytes());
        out.extend_from_slice(&self.spec.memory_mib.to_le_bytes());
        out.extend_from_slice(&self.spec.disk_gb.to_le_bytes());
        out.extend_from_slice(&self.spec.ipv4.to_le_bytes());
        out.extend_from_slice(&self.updated_at.as_millis().to_le_bytes());
        out.extend_from_slice(&[phase, power_code(self.power), flags]);
        for t in texts {
            let len = u32::try_from(t.len()).map_err(|_| "a text longer than 4 GiB")?;
            out.extend_from_slice(&len.to_le_bytes());
        }
        for t in texts {
            out.extend_from_slice(t.as_bytes());
        }
        Ok(())
    }

    /// An entry read from its stored layout; `None` if the bytes are not one.
    fn read(bytes: &'a [u8]) -> Option<VmListView<'a>> {
        let mut r = bytes;
        let id = u64::from_le_bytes(take(&mut r)?);
        let vcpus = u32::from_le_bytes(take(&mut r)?);
        let memory_mib = u64::from_le_bytes(take(&mut r)?);
        let disk_gb = u64::from_le_bytes(take(&mut r)?);
        let ipv4 = u32::from_le_bytes(take(&mut r)?);
        let updated_at = i64::from_le_bytes(take(&mut r)?);
        let [phase, power, flags] = take(&mut r)?;
        let mut lens = [0usize; 7];
        for len in &mut lens {
            *len = usize::try_from(u32::from_le_bytes(take(&mut r)?)).ok()?;
        }
        // One validation for all the texts; each then starts and ends on a character boundary
        // (`split_at_checked` checks), and together they are the whole block.
        let mut rest = std::str::from_utf8(r).ok()?;
        let mut texts = [""; 7];
        for (text, len) in texts.iter_mut().zip(lens) {
            (*text, rest) = rest.split_at_checked(len)?;
        }
        if !rest.is_empty() {
            return None;
        }
        let [hostname, plan_name, template_name, addresses, external, code, message] = texts;
        let phase = match phase {
            0 => VmPhase::Creating,
            1 => VmPhase::Ready,
            2 => VmPhase::Reinstalling,
            3 => VmPhase::Deleting,
            4 => VmPhase::Failed { code: code.to_string(), message: message.to_string() },
            _ => return None,
        };
        Some(VmListView {
            id: VmId(id),
            hostname,
            plan_name,
            template_name,
            spec: PlanSpec { vcpus, memory_mib, disk_gb, ipv4 },
            phase,
            power: power_of(power)?,
            suspended: flags & 1 != 0,
            shutting_down: flags & 2 != 0,
            updated_at: Timestamp::from_millis(updated_at),
            addresses,
            external: (flags & 4 != 0).then_some(external),
        })
    }
}

/// The next `N` bytes of `r`, which moves past them.
fn take<const N: usize>(r: &mut &[u8]) -> Option<[u8; N]> {
    let (head, tail) = r.split_first_chunk::<N>()?;
    *r = tail;
    Some(*head)
}

fn power_code(p: PowerState) -> u8 {
    match p {
        PowerState::Running => 0,
        PowerState::Paused => 1,
        PowerState::ShuttingDown => 2,
        PowerState::Shutoff => 3,
        PowerState::Crashed => 4,
        PowerState::Suspended => 5,
        PowerState::Unknown => 6,
    }
}

fn power_of(code: u8) -> Option<PowerState> {
    Some(match code {
        0 => PowerState::Running,
        1 => PowerState::Paused,
        2 => PowerState::ShuttingDown,
        3 => PowerState::Shutoff,
        4 => PowerState::Crashed,
        5 => PowerState::Suspended,
        6 => PowerState::Unknown,
        _ => return None,
    })
}

// The codec frames the layout as one byte string.
impl Serialize for VmListRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::with_capacity(96 + self.hostname.len() + self.addresses.len());
        VmListView::from(self).write(&mut out).map_err(serde::ser::Error::custom)?;
        s.serialize_bytes(&out)
    }
}

impl<'de> Deserialize<'de> for VmListRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// Reads an owned record from bytes that need not outlive the call.
        struct Owned;
        impl Visitor<'_> for Owned {
            type Value = VmListRecord;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a VM list entry")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<VmListRecord, E> {
                VmListView::read(v)
                    .map(|view| view.to_record())
                    .ok_or_else(|| E::custom("malformed VM list entry"))
            }
        }
        d.deserialize_bytes(Owned)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::store::codec::{decode, encode};

    fn phase() -> impl Strategy<Value = VmPhase> {
        prop_oneof![
            Just(VmPhase::Creating),
            Just(VmPhase::Ready),
            Just(VmPhase::Reinstalling),
            Just(VmPhase::Deleting),
            (".*", ".*").prop_map(|(code, message)| VmPhase::Failed { code, message }),
        ]
    }

    fn entry() -> impl Strategy<Value = VmListRecord> {
        (
            (any::<u64>(), ".*", ".*", ".*", any::<(u32, u64, u64, u32)>()),
            (phase(), 0u8..7, any::<bool>(), any::<bool>(), any::<i64>(), ".*", proptest::option::of(".*")),
        )
            .prop_map(
                |(
                    (id, hostname, plan_name, template_name, (vcpus, memory_mib, disk_gb, ipv4)),
                    (phase, power, suspended, shutting_down, at, addresses, external),
                )| VmListRecord {
                    id: VmId(id),
                    hostname,
                    plan_name,
                    template_name,
                    spec: PlanSpec { vcpus, memory_mib, disk_gb, ipv4 },
                    phase,
                    power: power_of(power).unwrap(),
                    suspended,
                    shutting_down,
                    updated_at: Timestamp::from_millis(at),
                    addresses,
                    external,
                },
            )
    }

    proptest! {
        #[test]
        fn an_entry_reads_back_as_written(r in entry()) {
            let bytes = encode(&r).unwrap();
            prop_assert_eq!(&decode::<VmListRecord>(&bytes).unwrap(), &r);
            prop_assert_eq!(VmListView::decode(&bytes).unwrap(), VmListView::from(&r));
        }

        /// Damaged bytes are refused or read as some entry, never a panic.
        #[test]
        fn damaged_bytes_never_panic(r in entry(), cut in any::<prop::sample::Index>(), flip in any::<(prop::sample::Index, u8)>()) {
            let bytes = encode(&r).unwrap();
            let short = &bytes[..cut.index(bytes.len())];
            prop_assert!(decode::<VmListRecord>(short).is_err() && VmListView::decode(short).is_err());
            let mut bad = bytes.clone();
            let i = flip.0.index(bad.len());
            bad[i] ^= flip.1.max(1);
            let _ = (decode::<VmListRecord>(&bad), VmListView::decode(&bad));
        }
    }

    #[test]
    fn a_cut_or_stretched_entry_is_refused() {
        let r = VmListRecord {
            id: VmId(7),
            hostname: "web-1".into(),
            plan_name: "s-1".into(),
            template_name: "debian-12".into(),
            spec: PlanSpec { vcpus: 1, memory_mib: 1024, disk_gb: 10, ipv4: 1 },
            phase: VmPhase::Failed { code: "VM0001".into(), message: "Қате".into() },
            power: PowerState::Shutoff,
            suspended: true,
            shutting_down: false,
            updated_at: Timestamp::from_millis(1_700_000_000_000),
            addresses: "198.51.100.7 2001:db8::7".into(),
            external: Some("whmcs-41".into()),
        };
        let mut layout = Vec::new();
        VmListView::from(&r).write(&mut layout).unwrap();
        assert_eq!(VmListView::read(&layout), Some(VmListView::from(&r)));
        assert_eq!(VmListView::read(&layout[..layout.len() - 1]), None, "a text cut short");
        layout.push(b'x');
        assert_eq!(VmListView::read(&layout), None, "bytes beyond the texts");
        // A length that splits a character ("Қ" is two bytes).
        let mut split = Vec::new();
        let odd = VmListRecord { hostname: "Қ".into(), plan_name: String::new(), ..r.clone() };
        VmListView::from(&odd).write(&mut split).unwrap();
        let lens = 8 + 4 + 8 + 8 + 4 + 8 + 3;
        split[lens..lens + 4].copy_from_slice(&1u32.to_le_bytes());
        split[lens + 4..lens + 8].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(VmListView::read(&split), None);
    }
}
