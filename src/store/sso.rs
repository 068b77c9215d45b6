//! Single sign-on links into the cabinet (see `service::accounts::sso`).

use serde::{Deserialize, Serialize};

use super::codec::Record;
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;

/// A single sign-on link into the cabinet; the key is the SHA-256 of its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoLinkRecord {
    /// Whose session it opens.
    pub user: UserId,
    /// The server whose page it opens, if one.
    pub vm: Option<u64>,
    /// When the link stops working.
    pub expires_at: Timestamp,
}

impl Record for SsoLinkRecord {
    const KIND: &'static str = "sso_link";
    const VERSION: u8 = 1;
}
