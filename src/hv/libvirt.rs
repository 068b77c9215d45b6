//! The libvirt implementation of [`Hypervisor`], over the safe `virt` API.

use virt::connect::Connect;

use super::{HvError, HvInfo, Hypervisor, dotted_version};

/// libvirt's built-in test driver: a fake host with one running domain, for the demo and
/// fast tests.
pub const TEST_URI: &str = "test:///default";

/// A connection to libvirtd (or the test driver).
pub struct Libvirt {
    conn: Connect,
    uri: String,
}

impl Libvirt {
    /// Connect to `uri`.
    pub fn connect(uri: &str) -> Result<Libvirt, HvError> {
        // libvirt prints every error to stderr by default; ours go through tracing instead.
        static QUIET: std::sync::Once = std::sync::Once::new();
        QUIET.call_once(virt::error::clear_error_callback);
        let conn = Connect::open(Some(uri))
            .map_err(|e| HvError::Connect { uri: uri.to_string(), message: e.to_string() })?;
        Ok(Libvirt { conn, uri: uri.to_string() })
    }

    /// The URI this connection was opened with.
    pub fn uri(&self) -> &str {
        &self.uri
    }
}

fn call<T>(r: Result<T, virt::error::Error>) -> Result<T, HvError> {
    r.map_err(|e| HvError::Call(e.to_string()))
}

impl Hypervisor for Libvirt {
    fn describe(&self) -> Result<HvInfo, HvError> {
        Ok(HvInfo {
            uri: call(self.conn.uri())?,
            driver: call(self.conn.driver_type())?,
            hostname: call(self.conn.hostname())?,
            libvirt_version: dotted_version(call(self.conn.lib_version())?),
            hypervisor_version: dotted_version(call(self.conn.hyp_version())?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_driver_describes_itself() {
        let hv = Libvirt::connect(TEST_URI).unwrap();
        let info = hv.describe().unwrap();
        assert_eq!(info.driver, "TEST");
        assert_eq!(info.uri, TEST_URI);
        assert!(info.libvirt_version.starts_with(|c: char| c.is_ascii_digit()));
    }

    #[test]
    fn bad_uri_is_a_connect_error() {
        let err = Libvirt::connect("nosuchdriver:///x").err().unwrap();
        assert_eq!(err.code(), "HV0001");
    }
}
