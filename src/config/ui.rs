//! The `[ui]` section: the cabinet's language when neither the account nor the browser names
//! one, and where admins' own wording lives.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Language settings of the cabinet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    /// `kk`, `ru` or `en`: the language of visitors whose browser asks for none of them.
    pub default_language: String,
    /// Directory of the admins' own wording: `<lang>.ftl` files (Fluent), each message in them
    /// replacing the built-in one of that id. A missing directory is no error.
    pub locales_dir: PathBuf,
}

impl Default for UiConfig {
    fn default() -> Self {
        Self { default_language: "en".into(), locales_dir: PathBuf::from("/etc/vpsbox/locales") }
    }
}

impl UiConfig {
    /// Why the section cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if crate::i18n::Lang::from_code(&self.default_language).is_none() {
            return Err(format!(
                "ui.default_language {:?} must be one of {}",
                self.default_language,
                crate::i18n::Lang::ALL.map(|l| l.code()).join(", ")
            ));
        }
        Ok(())
    }
}
