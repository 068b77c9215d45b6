//! The `[mail]` section: e-mail copies of notices through an SMTP relay.

use serde::{Deserialize, Serialize};

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587).
    Starttls,
    /// TLS from the start (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or a test sink.
    None,
}

/// E-mail copies of notices through an SMTP relay. Off while `smtp_host` is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// The relay's host name; empty: no e-mail.
    pub smtp_host: String,
    /// Its port.
    pub smtp_port: u16,
    /// How the connection is secured.
    pub security: SmtpSecurity,
    /// Login, if the relay wants one.
    pub username: String,
    /// Password for `username` (never printed by `config check`).
    #[serde(skip_serializing)]
    pub password: String,
    /// The sender, e.g. `Example Hosting <noreply@example.com>`.
    pub from: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_host: String::new(),
            smtp_port: 587,
            security: SmtpSecurity::Starttls,
            username: String::new(),
            password: String::new(),
            from: "vpsbox <noreply@localhost>".into(),
        }
    }
}

impl MailConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if !self.smtp_host.is_empty() && self.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(format!(
                "mail.from {:?} is not an address such as \"Hosting <noreply@example.com>\"",
                self.from
            ));
        }
        Ok(())
    }
}
