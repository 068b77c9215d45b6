//! The records stored in the tables, with their encoding versions.

use serde::{Deserialize, Serialize};

use super::codec::Record;
use crate::domain::account::{Email, Role, UserId};
use crate::domain::catalog::{OsFamily, PlanId, PlanSpec, TemplateId};
use crate::domain::money::Money;
use crate::domain::throttle::FailureWindow;
use crate::domain::time::Timestamp;
use crate::domain::vm::ImageFormat;

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    /// Identifier.
    pub id: UserId,
    /// Login name, normalised.
    pub email: Email,
    /// argon2id PHC string.
    pub password_hash: String,
    /// What the account may do.
    pub role: Role,
    /// Disabled accounts cannot log in and have no sessions.
    pub disabled: bool,
    /// When the account was made.
    pub created_at: Timestamp,
    /// When the password was last set.
    pub password_changed_at: Timestamp,
}

impl Record for UserRecord {
    const KIND: &'static str = "user";
    const VERSION: u8 = 1;
}

/// A logged-in session; the key is the SHA-256 of its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Whose session.
    pub user: UserId,
    /// Login time; the absolute expiry counts from here.
    pub created_at: Timestamp,
    /// Last request seen (updated at most once a minute); the idle expiry counts from here.
    pub last_seen: Timestamp,
    /// The CSRF token of forms in this session.
    pub csrf: [u8; 32],
    /// Client address at login, for the account page.
    pub client_ip: String,
}

impl Record for SessionRecord {
    const KIND: &'static str = "session";
    const VERSION: u8 = 1;
}

/// A one-time password-reset link; the key is the SHA-256 of its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetTokenRecord {
    /// Whose password it resets.
    pub user: UserId,
    /// When the link stops working.
    pub expires_at: Timestamp,
}

impl Record for ResetTokenRecord {
    const KIND: &'static str = "reset_token";
    const VERSION: u8 = 1;
}

impl Record for FailureWindow {
    const KIND: &'static str = "login_failures";
    const VERSION: u8 = 1;
}

/// Settings an admin changes at run time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsRecord {
    /// Customers may sign up themselves.
    pub signup_enabled: bool,
}

impl Record for SettingsRecord {
    const KIND: &'static str = "settings";
    const VERSION: u8 = 1;
}

/// Key of the single [`SettingsRecord`] in the settings table.
pub const SETTINGS_KEY: &str = "settings";

/// An OS template image in `DATA_DIR/templates/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRecord {
    /// Identifier.
    pub id: TemplateId,
    /// Unique catalogue name, e.g. `debian-12`.
    pub name: String,
    /// OS family.
    pub os: OsFamily,
    /// Image format.
    pub format: ImageFormat,
    /// Size the guest sees, bytes.
    pub virtual_size: u64,
    /// Bytes on disk.
    pub file_size: u64,
    /// SHA-256 of the image file, hex.
    pub sha256: String,
    /// Smallest disk a VM from this template may have, GiB.
    pub min_disk_gb: u32,
    /// Offered to customers.
    pub enabled: bool,
    /// File name inside the templates directory.
    pub file: String,
    /// When it was imported.
    pub created_at: Timestamp,
}

impl Record for TemplateRecord {
    const KIND: &'static str = "template";
    const VERSION: u8 = 1;
}

/// A plan customers order VMs from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRecord {
    /// Identifier.
    pub id: PlanId,
    /// Unique catalogue name, e.g. `s-2`.
    pub name: String,
    /// What it sells.
    pub spec: PlanSpec,
    /// Price per month (billing uses it; shown on the order page).
    pub monthly_price: Money,
    /// Price per hour for hourly metering.
    pub hourly_price: Money,
    /// Offered to customers.
    pub enabled: bool,
    /// When it was made.
    pub created_at: Timestamp,
}

impl Record for PlanRecord {
    const KIND: &'static str = "plan";
    const VERSION: u8 = 1;
}
