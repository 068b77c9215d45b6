//! Two-factor sign-in records (see `service::accounts::two_factor`).

use serde::{Deserialize, Serialize};

use super::codec::Record;
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::domain::two_factor::{Required, SECRET_BYTES};

/// An account's authenticator; the key is the user id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpRecord {
    /// The shared secret (an authenticator needs it to make codes, so it cannot be hashed).
    pub secret: [u8; SECRET_BYTES],
    /// When the account confirmed it with a first code; `None` while it is being set up.
    pub enabled_at: Option<Timestamp>,
    /// The latest step a code was accepted from: older and equal steps are refused.
    pub last_step: u64,
    /// SHA-256 of each unused recovery code (normalised text).
    pub recovery: Vec<[u8; 32]>,
}

impl Record for TotpRecord {
    const KIND: &'static str = "totp";
    const VERSION: u8 = 1;
}

/// A sign-in waiting for its second factor; the key is the SHA-256 of its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondStepRecord {
    /// Whose password was right.
    pub user: UserId,
    /// When the step ends.
    pub expires_at: Timestamp,
    /// The client address of the first step.
    pub client_ip: String,
    /// A secret to enrol with, when the account must use a second factor and has none yet.
    pub enrol: Option<[u8; SECRET_BYTES]>,
}

impl Record for SecondStepRecord {
    const KIND: &'static str = "second_step";
    const VERSION: u8 = 1;
}

/// Who must use a second factor, under the key [`TWO_FACTOR_KEY`] of the settings table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorPolicy {
    /// Who.
    pub required: Required,
}

impl Record for TwoFactorPolicy {
    const KIND: &'static str = "two_factor_policy";
    const VERSION: u8 = 1;
}

/// Key of the [`TwoFactorPolicy`] in the settings table.
pub const TWO_FACTOR_KEY: &str = "two_factor";

/// An account's passkey; the key is `(user id, id)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyRecord {
    /// Its id (per installation).
    pub id: u64,
    /// The name the account gave it ("Phone", "YubiKey").
    pub name: String,
    /// When it was registered.
    pub created_at: Timestamp,
    /// When it last signed in.
    pub last_used: Option<Timestamp>,
    /// The credential as webauthn-rs keeps it (its JSON: public key, counter, flags).
    pub credential: String,
}

impl Record for PasskeyRecord {
    const KIND: &'static str = "passkey";
    const VERSION: u8 = 1;
}
