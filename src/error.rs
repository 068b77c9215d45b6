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
    /// Who is asking could not be established (401): no credentials, or ones that do not work.
    Unauthenticated,
    /// The caller is known but may not do this (403).
    Forbidden,
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
    /// The values its message in the cabinet's bundles (`err-<CODE>`) puts into its text, by
    /// name; `reason` chooses between the messages of variants that share a code.
    fn args(&self) -> Args {
        Vec::new()
    }
}

/// A value a message (an error's, a notice's) puts into its text, written the reader's
/// language's way. Notices keep theirs in the state, so new variants go at the end.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Arg {
    /// Text as it stands (a name, an address, a choice key).
    Text(String),
    /// A whole number.
    Number(i64),
    /// A moment, shown to the minute.
    Time(crate::domain::time::Timestamp),
    /// An amount of money, with the currency's code.
    Money(crate::domain::money::Money),
}

/// An error's message arguments.
pub type Args = Vec<(&'static str, Arg)>;

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n)
    }
}

impl From<u8> for Arg {
    fn from(n: u8) -> Arg {
        Arg::Number(i64::from(n))
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Number(i64::from(n))
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<crate::domain::money::Money> for Arg {
    fn from(m: crate::domain::money::Money) -> Arg {
        Arg::Money(m)
    }
}

impl From<crate::domain::time::Timestamp> for Arg {
    fn from(t: crate::domain::time::Timestamp) -> Arg {
        Arg::Time(t)
    }
}

/// `reason` alone: the key of a variant's message among those sharing a code.
pub fn reason(key: &str) -> Args {
    vec![("reason", Arg::from(key))]
}
