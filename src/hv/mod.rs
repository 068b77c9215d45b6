//! The hypervisor boundary. Everything the product asks of libvirt goes through the blocking
//! [`Hypervisor`] trait (call it through `spawn_blocking`); `libvirt` implements it once for
//! both `test:///default` (demo, fast tests) and `qemu:///system` (production).

pub mod ffi;
pub mod libvirt;
pub mod link;

/// What the hypervisor connection reports about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HvInfo {
    /// Connection URI as libvirt reports it.
    pub uri: String,
    /// Driver name (`QEMU`, `TEST`).
    pub driver: String,
    /// Host name of the hypervisor host.
    pub hostname: String,
    /// libvirt library version, dotted.
    pub libvirt_version: String,
    /// Hypervisor version, dotted.
    pub hypervisor_version: String,
}

/// A hypervisor call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum HvError {
    /// No connection could be made.
    #[error("Cannot connect to the hypervisor at {uri}: {message}")]
    Connect {
        /// URI tried.
        uri: String,
        /// libvirt's message.
        message: String,
    },
    /// A call on an open connection failed.
    #[error("Hypervisor call failed: {0}")]
    Call(String),
}

impl HvError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            HvError::Connect { .. } => "HV0001",
            HvError::Call(_) => "HV0002",
        }
    }
}

/// The operations vpsbox needs from a hypervisor. Blocking.
pub trait Hypervisor: Send + Sync + 'static {
    /// Describe the connection (also a liveness check).
    fn describe(&self) -> Result<HvInfo, HvError>;
}

/// libvirt's packed version number (major * 1_000_000 + minor * 1000 + release) as text.
pub fn dotted_version(v: u32) -> String {
    format!("{}.{}.{}", v / 1_000_000, (v / 1000) % 1000, v % 1000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dotted() {
        assert_eq!(super::dotted_version(9_000_000), "9.0.0");
        assert_eq!(super::dotted_version(7_002_013), "7.2.13");
    }
}
