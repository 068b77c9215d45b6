//! The shared error vocabulary, at the ground of the house so every layer can use it without an
//! arrow pointing up: what every user-visible error tells the layers above, a stable code and a
//! kind, from which the web layer picks the HTTP status and the page.

/// The broad class of an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is wrong; the person can fix it (422).
    Invalid,
    /// No such thing, or not yours (404).
    NotFound,
    /// It clashes with the current state (409).
    Conflict,
    /// Too many attempts (429).
    Throttled,
    /// It existed but is no longer valid (410).
    Gone,
    /// A dependency (the hypervisor) does not answer (503).
    Unavailable,
    /// Our fault (500).
    Internal,
}

/// An error with a stable code, e.g. `ACC0004`.
pub trait Coded: std::error::Error + Send + Sync + 'static {
    /// The stable code shown on pages and in logs.
    fn code(&self) -> &'static str;
    /// The class of error.
    fn kind(&self) -> ErrorKind;
    /// Whether the person can act on it (as opposed to an internal failure).
    fn is_user_error(&self) -> bool {
        !matches!(self.kind(), ErrorKind::Internal)
    }
}
