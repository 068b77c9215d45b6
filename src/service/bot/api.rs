//! The few Telegram Bot API calls the customers' bot makes, and the parts of an update it
//! reads. The token is part of every address, so errors never carry the address.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::store::telegram::Button;

/// An incoming update.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Update {
    /// Increasing id.
    pub update_id: u64,
    /// A new message.
    #[serde(default)]
    pub message: Option<Message>,
    /// An inline button pressed.
    #[serde(default)]
    pub callback_query: Option<CallbackQuery>,
}

/// A message.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Message {
    /// The chat it is in.
    pub chat: Chat,
    /// Who sent it.
    #[serde(default)]
    pub from: Option<User>,
    /// Its text.
    #[serde(default)]
    pub text: Option<String>,
    /// A file's caption.
    #[serde(default)]
    pub caption: Option<String>,
    /// A file sent as a document.
    #[serde(default)]
    pub document: Option<Document>,
}

/// A chat.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Chat {
    /// Its id.
    pub id: i64,
    /// `private`, `group`, …
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// A Telegram user.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct User {
    /// Its id.
    pub id: i64,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// `@username` without the `@`.
    #[serde(default)]
    pub username: Option<String>,
    /// The language of their Telegram app (`ru`, `kk`, `en-GB`).
    #[serde(default)]
    pub language_code: Option<String>,
}

/// A pressed inline button.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CallbackQuery {
    /// To answer it.
    pub id: String,
    /// Who pressed it.
    pub from: User,
    /// The message the button was on (its chat).
    #[serde(default)]
    pub message: Option<Message>,
    /// The button's data.
    #[serde(default)]
    pub data: Option<String>,
}

/// A file sent as a document.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Document {
    /// To download it.
    pub file_id: String,
    /// Its name.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Its size in bytes.
    #[serde(default)]
    pub file_size: Option<u64>,
}

#[derive(Deserialize)]
struct Reply<T> {
    ok: bool,
    #[serde(default = "none")]
    result: Option<T>,
    #[serde(default)]
    description: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

#[derive(Deserialize)]
struct FileInfo {
    #[serde(default)]
    file_path: Option<String>,
}

#[derive(Deserialize)]
struct Me {
    #[serde(default)]
    username: Option<String>,
}

/// A call failed.
#[derive(Debug, thiserror::Error)]
#[error("Telegram: {0}")]
pub struct ApiError(pub String);

/// The Bot API at `base` for the bot with `token`.
#[derive(Clone)]
pub struct Api {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Api {
    /// A client; `poll_secs` is the long-polling wait the HTTP timeout must exceed.
    pub fn new(base: &str, token: &str, poll_secs: u64) -> Api {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(poll_secs + 20))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Api { base: base.trim_end_matches('/').to_string(), token: token.to_string(), http }
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        body: serde_json::Value,
    ) -> Result<T, ApiError> {
        let url = format!("{}/bot{}/{method}", self.base, self.token);
        let resp = self.http.post(&url).json(&body).send().await.map_err(|e| {
            ApiError(if e.is_timeout() {
                format!("{method} timed out")
            } else {
                format!("cannot reach the API ({method})")
            })
        })?;
        let status = resp.status();
        let reply: Reply<T> = resp
            .json()
            .await
            .map_err(|_| ApiError(format!("{method}: {status} with an unreadable answer")))?;
        match (reply.ok, reply.result) {
            (true, Some(r)) => Ok(r),
            _ => Err(ApiError(format!(
                "{method}: {status} {}",
                reply.description.unwrap_or_default().chars().take(200).collect::<String>()
            ))),
        }
    }

    /// Updates after `offset` (confirming those before), waiting up to `wait_secs` for one.
    pub async fn get_updates(&self, offset: u64, wait_secs: u64) -> Result<Vec<Update>, ApiError> {
        let body = serde_json::json!({
            "offset": offset,
            "timeout": wait_secs,
            "allowed_updates": ["message", "callback_query"],
        });
        self.call("getUpdates", body).await
    }

    /// Send `text` to `chat` with rows of inline buttons.
    pub async fn send(&self, chat: i64, text: &str, buttons: &[Vec<Button>]) -> Result<(), ApiError> {
        let mut body = serde_json::json!({ "chat_id": chat, "text": text });
        if !buttons.is_empty() {
            let rows: Vec<Vec<serde_json::Value>> = buttons
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|b| serde_json::json!({ "text": b.text, "callback_data": b.data }))
                        .collect()
                })
                .collect();
            body["reply_markup"] = serde_json::json!({ "inline_keyboard": rows });
        }
        self.call::<serde_json::Value>("sendMessage", body).await.map(|_| ())
    }

    /// Stop the spinner on a pressed button.
    pub async fn answer_callback(&self, id: &str) -> Result<(), ApiError> {
        self.call::<serde_json::Value>("answerCallbackQuery", serde_json::json!({ "callback_query_id": id }))
            .await
            .map(|_| ())
    }

    /// The bot's `@username`.
    pub async fn username(&self) -> Result<String, ApiError> {
        let me: Me = self.call("getMe", serde_json::json!({})).await?;
        me.username.ok_or_else(|| ApiError("getMe: no username".into()))
    }

    /// Download a file the customer sent, refusing more than `max` bytes.
    pub async fn download(&self, file_id: &str, max: usize) -> Result<Vec<u8>, ApiError> {
        let info: FileInfo = self.call("getFile", serde_json::json!({ "file_id": file_id })).await?;
        let path = info.file_path.ok_or_else(|| ApiError("getFile: no path".into()))?;
        let url = format!("{}/file/bot{}/{path}", self.base, self.token);
        let resp =
            self.http.get(&url).send().await.map_err(|_| ApiError("cannot download the file".into()))?;
        if !resp.status().is_success() {
            return Err(ApiError(format!("file download: {}", resp.status())));
        }
        let bytes = resp.bytes().await.map_err(|_| ApiError("cannot download the file".into()))?;
        if bytes.len() > max {
            return Err(ApiError("file too big".into()));
        }
        Ok(bytes.to_vec())
    }

    /// Have Telegram post updates to `url` with `secret` in a header (or stop, with `None`).
    pub async fn set_webhook(&self, url: Option<&str>, secret: &str) -> Result<(), ApiError> {
        match url {
            Some(u) => {
                let body = serde_json::json!({
                    "url": u,
                    "secret_token": secret,
                    "allowed_updates": ["message", "callback_query"],
                });
                self.call::<bool>("setWebhook", body).await.map(|_| ())
            }
            None => self.call::<bool>("deleteWebhook", serde_json::json!({})).await.map(|_| ()),
        }
    }
}
