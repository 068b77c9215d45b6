//! What an account operation can refuse, with its stable code.

use super::super::passwords::HashError;
use crate::domain::account::PolicyError;
use crate::domain::time::Timestamp;
use crate::service::{Coded, ErrorKind};
use crate::store::StoreError;

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// E-mail or password breaks the policy.
    #[error("{0}")]
    Policy(#[from] PolicyError),
    /// The e-mail is registered already.
    #[error("An account with this e-mail address exists already; log in or ask for a password reset")]
    EmailTaken,
    /// Wrong e-mail or password.
    #[error("Wrong e-mail address or password")]
    BadCredentials,
    /// Too many failed logins for this account or address.
    #[error("Too many failed logins: logins are locked until {}. Try again then, or ask support for a password reset", until.display_utc())]
    Locked {
        /// When the lock ends.
        until: Timestamp,
    },
    /// The account is disabled.
    #[error("This account is disabled; contact support")]
    Disabled,
    /// Self sign-up is off.
    #[error("Sign-up is closed; ask the provider to create an account for you")]
    SignupClosed,
    /// The reset link is unknown, used or expired.
    #[error("This password-reset link is invalid, was used already, or has expired; ask for a new one")]
    ResetLinkInvalid,
    /// Password change with a wrong current password.
    #[error("The current password is not correct")]
    WrongCurrentPassword,
    /// No such account.
    #[error("No such account")]
    NotFound,
    /// The operation would leave no enabled admin.
    #[error("This is the last enabled admin account; create another admin first")]
    LastAdmin,
    /// A role name that is neither `customer` nor `admin`.
    #[error("Unknown role {0:?}: use customer or admin")]
    InvalidRole(String),
    /// Not a time zone name.
    #[error("{0}")]
    TimeZone(crate::domain::schedule::ScheduleError),
    /// Not a language of the cabinet.
    #[error("Unknown language {0:?}: use kk, ru or en")]
    Language(String),
    /// Another account carries this outside id.
    #[error("The external id {0:?} belongs to account {1} already")]
    ExternalTaken(String, u64),
    /// An outside id that is empty, too long or not printable.
    #[error("An external id is 1 to 128 printable characters")]
    ExternalInvalid,
    /// A single sign-on link that is used, expired or unknown.
    #[error("This sign-in link was used or has expired; ask for a new one")]
    SsoLinkInvalid,
    /// A single sign-on link for (or the closing of) an admin account.
    #[error("This is for customer accounts only")]
    SsoNotCustomer,
    /// An account to close still owns servers.
    #[error("The account still has servers; delete them first")]
    HasServers,
    /// A second-factor code that is wrong, from too long ago, or used already.
    #[error(
        "The code is not right or was used already; enter the code your app shows now, or one of your recovery codes"
    )]
    CodeWrong,
    /// The second step of a sign-in is unknown or has expired.
    #[error("This sign-in has expired; log in again")]
    SecondStepExpired,
    /// A confirmation without an authenticator being set up.
    #[error("No authenticator is being set up; start the set-up again")]
    TotpNotSetUp,
    /// Set-up started while two-factor sign-in is on.
    #[error("Two-factor sign-in is on already; turn it off first to use another authenticator")]
    TotpOnAlready,
    /// Something that needs two-factor sign-in on.
    #[error("Two-factor sign-in is not on for this account")]
    TotpOff,
    /// Turning off a second factor the provider requires.
    #[error("The provider requires two-factor sign-in for this account; it cannot be turned off")]
    TwoFactorRequired,
    /// An unknown value for who must use two-factor sign-in.
    #[error("Unknown setting {0:?}: use nobody, admins or everyone")]
    TwoFactorPolicy(String),
    /// Passkeys need the cabinet reached by a domain name.
    #[error("Passkeys need the cabinet to be reached by its domain name, not by an address")]
    PasskeySite,
    /// The browser's passkey answer did not verify.
    #[error("The passkey was not accepted ({0}); try again")]
    PasskeyFailed(String),
    /// A passkey this cabinet does not know (or not of this account).
    #[error("This passkey is not registered here; log in with your password")]
    PasskeyUnknown,
    /// A passkey name that is empty, too long or not printable.
    #[error("A passkey's name is 1 to 64 printable characters")]
    PasskeyName,
    /// A passkey request that is unknown, used or too old.
    #[error("The passkey request has expired; try again")]
    CeremonyExpired,
    /// Hashing failed.
    #[error(transparent)]
    Hash(#[from] HashError),
    /// The state store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Coded for AccountError {
    fn code(&self) -> &'static str {
        match self {
            AccountError::Policy(PolicyError::EmailInvalid) => "ACC0001",
            AccountError::Policy(_) => "ACC0002",
            AccountError::EmailTaken => "ACC0003",
            AccountError::BadCredentials => "ACC0004",
            AccountError::Locked { .. } => "ACC0005",
            AccountError::Disabled => "ACC0006",
            AccountError::SignupClosed => "ACC0007",
            AccountError::ResetLinkInvalid => "ACC0008",
            AccountError::WrongCurrentPassword => "ACC0009",
            AccountError::NotFound => "ACC0010",
            AccountError::LastAdmin => "ACC0011",
            AccountError::InvalidRole(_) => "ACC0013",
            AccountError::TimeZone(_) => "ACC0014",
            AccountError::Language(_) => "ACC0015",
            AccountError::ExternalTaken(..) => "ACC0016",
            AccountError::ExternalInvalid => "ACC0017",
            AccountError::SsoLinkInvalid => "ACC0018",
            AccountError::SsoNotCustomer => "ACC0019",
            AccountError::HasServers => "ACC0020",
            AccountError::CodeWrong => "ACC0021",
            AccountError::SecondStepExpired => "ACC0022",
            AccountError::TotpNotSetUp => "ACC0023",
            AccountError::TotpOnAlready => "ACC0024",
            AccountError::TotpOff => "ACC0025",
            AccountError::TwoFactorRequired => "ACC0026",
            AccountError::TwoFactorPolicy(_) => "ACC0027",
            AccountError::PasskeySite => "ACC0028",
            AccountError::PasskeyFailed(_) => "ACC0029",
            AccountError::PasskeyUnknown => "ACC0030",
            AccountError::PasskeyName => "ACC0031",
            AccountError::CeremonyExpired => "ACC0032",
            AccountError::Hash(_) => "ACC0099",
            AccountError::Store(e) => e.code(),
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            AccountError::Store(e) => e.kind(),
            AccountError::Hash(_) => ErrorKind::Internal,
            AccountError::Locked { .. } => ErrorKind::Throttled,
            AccountError::ResetLinkInvalid
            | AccountError::SsoLinkInvalid
            | AccountError::SecondStepExpired => ErrorKind::Gone,
            AccountError::SsoNotCustomer => ErrorKind::Forbidden,
            AccountError::NotFound => ErrorKind::NotFound,
            AccountError::EmailTaken
            | AccountError::LastAdmin
            | AccountError::ExternalTaken(..)
            | AccountError::HasServers
            | AccountError::TotpOnAlready
            | AccountError::TotpOff
            | AccountError::TwoFactorRequired => ErrorKind::Conflict,
            _ => ErrorKind::Invalid,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            AccountError::Policy(p) => p.args(),
            AccountError::Locked { until } => vec![("until", crate::error::Arg::Time(*until))],
            AccountError::InvalidRole(r) => vec![("role", r.as_str().into())],
            AccountError::TimeZone(e) => e.args(),
            AccountError::Language(l) => vec![("language", l.as_str().into())],
            AccountError::TwoFactorPolicy(v) => vec![("value", v.as_str().into())],
            AccountError::PasskeyFailed(r) => vec![("reason", r.as_str().into())],
            AccountError::ExternalTaken(e, id) => {
                vec![("external", e.as_str().into()), ("account", (*id).into())]
            }
            AccountError::Store(e) => e.args(),
            _ => Vec::new(),
        }
    }
}

store_error_conversions!(AccountError);
