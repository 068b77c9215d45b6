//! The `[sla]` and `[alerts]` sections: the notice customers get before planned maintenance,
//! and where admin alerts go besides the notification centre and e-mail.

use serde::{Deserialize, Serialize};

/// Service level settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlaConfig {
    /// Hours before a maintenance window that the customers it covers are notified. A window
    /// announced later than this before its start is not excluded from availability.
    pub maintenance_notice_hours: u32,
}

impl Default for SlaConfig {
    fn default() -> Self {
        Self { maintenance_notice_hours: 72 }
    }
}

impl SlaConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.maintenance_notice_hours > 24 * 60 {
            return Err("sla.maintenance_notice_hours must be at most 1440".into());
        }
        Ok(())
    }
}

/// Admin alerts through a Telegram bot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// The bot's token from BotFather; empty: no Telegram alerts (never printed).
    #[serde(skip_serializing)]
    pub telegram_bot_token: String,
    /// The chat (user, group or channel id) the bot writes to.
    pub telegram_chat_id: String,
    /// The Bot API's base address.
    pub telegram_api: String,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            telegram_bot_token: String::new(),
            telegram_chat_id: String::new(),
            telegram_api: "https://api.telegram.org".into(),
        }
    }
}

impl AlertsConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if self.telegram_bot_token.is_empty() {
            return Ok(());
        }
        if self.telegram_chat_id.trim().is_empty() {
            return Err("alerts.telegram_chat_id must be set with alerts.telegram_bot_token".into());
        }
        if !(self.telegram_api.starts_with("https://") || self.telegram_api.starts_with("http://")) {
            return Err(format!("alerts.telegram_api {:?} must be an http(s) address", self.telegram_api));
        }
        Ok(())
    }
}
