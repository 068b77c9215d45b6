//! The `[sla]`, `[alerts]` and `[support]` sections: the notice customers get before planned
//! maintenance, where admin alerts go besides the notification centre and e-mail, and the
//! customers' Telegram bot with the provider's working hours.

use serde::{Deserialize, Serialize};

use crate::domain::support_hours::WorkingHours;

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

/// The customers' support channels besides the cabinet: the provider's Telegram bot and the
/// working hours in which the messenger's 10-minute promise holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SupportConfig {
    /// The customers' bot's token from BotFather; empty: no Telegram channel (never printed).
    /// It may be the alerts bot's token or another bot's.
    #[serde(skip_serializing)]
    pub telegram_bot_token: String,
    /// The bot's `@username` without the `@`, for the linking link `t.me/<bot>?start=…`;
    /// empty: asked from Telegram (`getMe`) at start.
    pub telegram_bot_username: String,
    /// The Bot API's base address.
    pub telegram_api: String,
    /// Take updates by webhook at `public_url` + `/telegram/webhook` instead of long polling
    /// (needs `public_url` reachable from Telegram with a certificate it trusts).
    pub telegram_webhook: bool,
    /// When the provider works: the messenger answers within 10 minutes inside these hours.
    pub working_hours: WorkingHoursConfig,
}

impl Default for SupportConfig {
    fn default() -> Self {
        Self {
            telegram_bot_token: String::new(),
            telegram_bot_username: String::new(),
            telegram_api: "https://api.telegram.org".into(),
            telegram_webhook: false,
            working_hours: WorkingHoursConfig::default(),
        }
    }
}

/// `[support.working_hours]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkingHoursConfig {
    /// Working days: `mon-fri`, `mon,wed,fri`, `mon-sun`.
    pub days: String,
    /// Working time each day: `09:00-18:00` (`00:00-24:00`: the whole day).
    pub hours: String,
    /// The time zone they are in (IANA name).
    pub time_zone: String,
}

impl Default for WorkingHoursConfig {
    fn default() -> Self {
        Self { days: "mon-fri".into(), hours: "09:00-18:00".into(), time_zone: "Asia/Almaty".into() }
    }
}

impl WorkingHoursConfig {
    /// The hours these words describe.
    pub fn parse(&self) -> Result<WorkingHours, String> {
        WorkingHours::parse(&self.days, &self.hours, &self.time_zone)
            .map_err(|e| format!("support.working_hours: {e}"))
    }
}

impl SupportConfig {
    /// Whether the Telegram channel is on.
    pub fn telegram(&self) -> bool {
        !self.telegram_bot_token.is_empty()
    }

    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self, public_url: &str) -> Result<(), String> {
        self.working_hours.parse()?;
        if !self.telegram() {
            return Ok(());
        }
        if !(self.telegram_api.starts_with("https://") || self.telegram_api.starts_with("http://")) {
            return Err(format!("support.telegram_api {:?} must be an http(s) address", self.telegram_api));
        }
        let name = self.telegram_bot_username.trim_start_matches('@');
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("support.telegram_bot_username {name:?} is not a bot's username"));
        }
        if self.telegram_webhook && !public_url.starts_with("https://") {
            return Err("support.telegram_webhook needs public_url to be an https:// address".into());
        }
        Ok(())
    }
}
