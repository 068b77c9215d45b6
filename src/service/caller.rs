//! Who is asking: one [`Caller`] per request, built once at the edge (the web extractors, the
//! control socket, vpsbox's own jobs) and passed by reference to every service call. It decides
//! what the caller may see ([`Caller::sees`]) and is what the audit log records.

use crate::domain::account::{Role, UserId};

/// The account (or vpsbox itself) on whose behalf a service call runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The account, or `None` for vpsbox itself (jobs, reconcile, the control socket).
    pub user: Option<UserId>,
    /// What the account may do: a customer sees only its own things, an admin everything.
    pub role: Role,
    /// Client address (`system` for vpsbox itself).
    pub ip: String,
}

impl Caller {
    /// A customer acting on its own things.
    pub fn customer(user: UserId, ip: impl Into<String>) -> Caller {
        Caller { user: Some(user), role: Role::Customer, ip: ip.into() }
    }

    /// An admin (sees every account's things).
    pub fn admin(user: UserId, ip: impl Into<String>) -> Caller {
        Caller { user: Some(user), role: Role::Admin, ip: ip.into() }
    }

    /// An account with the role it has.
    pub fn of(user: UserId, role: Role, ip: impl Into<String>) -> Caller {
        Caller { user: Some(user), role, ip: ip.into() }
    }

    /// vpsbox itself: reconcile, schedules, billing, the local control socket.
    pub fn system() -> Caller {
        Caller { user: None, role: Role::Admin, ip: "system".into() }
    }

    /// Whether the caller acts with the provider's rights.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether things of `owner` are visible to the caller (anything else answers "not found").
    pub fn sees(&self, owner: UserId) -> bool {
        self.is_admin() || self.user == Some(owner)
    }

    /// The one account whose things the caller may see, or `None` when it sees every account.
    pub fn only_owner(&self) -> Option<UserId> {
        match self.role {
            Role::Admin => None,
            Role::Customer => Some(self.user.unwrap_or(UserId(0))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_sees_only_its_own_and_an_admin_everything() {
        let c = Caller::customer(UserId(7), "192.0.2.1");
        assert!(c.sees(UserId(7)));
        assert!(!c.sees(UserId(8)));
        assert_eq!(c.only_owner(), Some(UserId(7)));
        let a = Caller::admin(UserId(1), "192.0.2.2");
        assert!(a.sees(UserId(7)) && a.sees(UserId(8)));
        assert_eq!(a.only_owner(), None);
        let s = Caller::system();
        assert!(s.is_admin() && s.sees(UserId(9)) && s.user.is_none());
        assert_eq!(Caller::of(UserId(3), Role::Admin, "x"), Caller::admin(UserId(3), "x"));
    }
}
