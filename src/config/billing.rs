//! The `[billing]` section: the currency, calendar months, low balance and suspension.

use serde::{Deserialize, Serialize};

/// Money: one currency per appliance, calendar months in one time zone, low-balance notices
/// and suspension after a grace period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BillingConfig {
    /// ISO 4217 code shown with amounts.
    pub currency: String,
    /// Digits of the minor unit (2: tiyn, cents; 0 for a currency without one).
    pub minor_unit: u8,
    /// IANA time zone of calendar months (the monthly cap, statements).
    pub time_zone: String,
    /// Days the balance may stay below zero before the account is suspended.
    pub grace_days: u64,
    /// A notice when the balance lasts fewer than each of these days at the current rate.
    pub low_balance_days: Vec<u32>,
}

impl Default for BillingConfig {
    fn default() -> Self {
        Self {
            currency: "KZT".into(),
            minor_unit: 2,
            time_zone: "UTC".into(),
            grace_days: 3,
            low_balance_days: vec![3, 1],
        }
    }
}

impl BillingConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(format!("billing.currency {:?} must be a three-letter ISO 4217 code", self.currency));
        }
        if self.minor_unit > 3 {
            return Err("billing.minor_unit must be 0 to 3".into());
        }
        if crate::domain::schedule::zone(&self.time_zone).is_err() {
            return Err(format!("billing.time_zone {:?} is not an IANA time zone", self.time_zone));
        }
        Ok(())
    }
}
