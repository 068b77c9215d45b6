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
        super::ffi::ensure_event_loop()?;
        let conn = Connect::open(Some(uri))
            .map_err(|e| HvError::Connect { uri: uri.to_string(), message: e.to_string() })?;
        // Remote connections: a keepalive every 5 s, given up after 3 missed answers.
        if !uri.starts_with("test:") {
            if let Err(e) = conn.set_keep_alive(5, 3) {
                tracing::debug!("keepalive not available on {uri}: {e}");
            }
        }
        Ok(Libvirt { conn, uri: uri.to_string() })
    }

    /// Call `f` when libvirt closes this connection unexpectedly.
    pub fn on_close(
        &self,
        f: impl Fn(super::ffi::CloseReason) + Send + Sync + 'static,
    ) -> Result<(), HvError> {
        super::ffi::on_close(&self.conn, f)
    }

    /// Whether the connection still works.
    pub fn alive(&self) -> bool {
        self.conn.is_alive().unwrap_or(false) && self.conn.lib_version().is_ok()
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
