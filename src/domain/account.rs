//! Accounts: user ids, roles, e-mail addresses and the password policy.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Shortest password accepted for a new or changed password.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Longest password accepted; bounds the hashing work an attacker can ask for.
pub const PASSWORD_MAX_BYTES: usize = 1024;

/// Identifier of an account, assigned in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UserId(pub u64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Rents VPSes through the cabinet.
    Customer,
    /// Runs the hosting business: plans, templates, customers, support.
    Admin,
}

impl Role {
    /// Lower-case name used in the CLI and on pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Admin => "admin",
        }
    }

    /// Parse `customer` or `admin`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "customer" => Some(Role::Customer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an e-mail address or password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The address is not of the form `name@domain`.
    #[error("Enter an e-mail address of the form name@example.com")]
    EmailInvalid,
    /// The password is too short.
    #[error("Choose a password of at least {PASSWORD_MIN_CHARS} characters")]
    PasswordTooShort,
    /// The password is too long.
    #[error("Choose a password of at most {PASSWORD_MAX_BYTES} bytes")]
    PasswordTooLong,
    /// The password is the e-mail address.
    #[error("The password must not be the e-mail address")]
    PasswordIsEmail,
}

impl PolicyError {
    /// Its message's arguments (see [`crate::error::Coded::args`]).
    pub fn args(&self) -> crate::error::Args {
        use crate::error::reason;
        match self {
            PolicyError::EmailInvalid => reason("email"),
            PolicyError::PasswordTooShort => {
                vec![("reason", "short".into()), ("min", PASSWORD_MIN_CHARS.into())]
            }
            PolicyError::PasswordTooLong => {
                vec![("reason", "long".into()), ("max", PASSWORD_MAX_BYTES.into())]
            }
            PolicyError::PasswordIsEmail => reason("is-email"),
        }
    }
}

/// A syntactically valid, normalised (trimmed, lower-case) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Validate and normalise an address typed by a person.
    pub fn parse(raw: &str) -> Result<Email, PolicyError> {
        let s = raw.trim().to_lowercase();
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PolicyError::EmailInvalid);
        }
        let (local, domain) = s.split_once('@').ok_or(PolicyError::EmailInvalid)?;
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        let domain_ok = domain.split('.').all(label_ok);
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains(['<', '>', '"', '\\', ',', ';', ':', '(', ')', '[', ']']);
        if !local_ok || !domain_ok || domain.contains('@') {
            return Err(PolicyError::EmailInvalid);
        }
        Ok(Email(s))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Check a new password against the policy.
pub fn check_new_password(password: &str, email: &Email) -> Result<(), PolicyError> {
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(PolicyError::PasswordTooLong);
    }
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(PolicyError::PasswordTooShort);
    }
    if password.trim().eq_ignore_ascii_case(email.as_str()) {
        return Err(PolicyError::PasswordIsEmail);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("  Alice@Example.COM ").unwrap().as_str(), "alice@example.com");
        assert_eq!(Email::parse("admin@localhost").unwrap().as_str(), "admin@localhost");
        for bad in [
            "",
            "alice",
            "@example.com",
            "alice@",
            "a b@example.com",
            "a@b@c",
            "a@-x.com",
            "a@x..com",
            "<a>@x.com",
        ] {
            assert_eq!(Email::parse(bad), Err(PolicyError::EmailInvalid), "{bad:?}");
        }
    }

    #[test]
    fn password_policy() {
        let e = Email::parse("bob@example.com").unwrap();
        assert_eq!(check_new_password("short", &e), Err(PolicyError::PasswordTooShort));
        assert_eq!(check_new_password("BOB@example.com", &e), Err(PolicyError::PasswordIsEmail));
        assert_eq!(check_new_password(&"x".repeat(2000), &e), Err(PolicyError::PasswordTooLong));
        assert!(check_new_password("correct horse battery", &e).is_ok());
    }

    #[test]
    fn roles_round_trip() {
        for r in [Role::Customer, Role::Admin] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
