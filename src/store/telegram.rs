//! The customers' Telegram channel: one-time link codes, which Telegram account is linked to
//! which cabinet account, each Telegram user's conversation with the bot, how far the updates
//! were read, and the messages waiting to go out. An update is handled, its replies queued and
//! the offset moved in one transaction, so a restart neither loses nor repeats one.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::codec::{Record, decode, encode};
use super::tables::{
    META, META_TG_LAST_OUT, META_TG_OFFSET, TG_CODES, TG_DIALOGS, TG_LINKS, TG_OUTBOX, TG_USERS,
};
use super::{StoreError, next_id};
use crate::domain::account::UserId;
use crate::domain::support::{Category, Status};
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;

/// A one-time code that links the Telegram account that sends it to `user`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCode {
    /// The cabinet account.
    pub user: UserId,
    /// When it stops working.
    pub expires_at: Timestamp,
}

impl Record for LinkCode {
    const KIND: &'static str = "telegram link code";
    const VERSION: u8 = 1;
}

/// A cabinet account's linked Telegram account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TgLink {
    /// The cabinet account.
    pub user: UserId,
    /// The Telegram user id.
    pub tg_user: i64,
    /// The private chat with the bot.
    pub chat: i64,
    /// `@username` or the name Telegram gave, for the Account page.
    pub name: String,
    /// When it was linked.
    pub linked_at: Timestamp,
}

impl Record for TgLink {
    const KIND: &'static str = "telegram link";
    const VERSION: u8 = 1;
}

/// Where a Telegram user's conversation with the bot stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Dialog {
    /// Nothing under way: the menu.
    #[default]
    Idle,
    /// A new request in `category`, choosing the servers it concerns; begun at `since` (an
    /// incident reported this way counts from then).
    Servers { category: Category, vms: Vec<VmId>, since: Timestamp },
    /// A new request, waiting for its description.
    Describe { category: Category, vms: Vec<VmId>, since: Timestamp },
    /// Messages are replies to request `id`.
    Thread { id: u64 },
}

impl Record for Dialog {
    const KIND: &'static str = "telegram dialog";
    const VERSION: u8 = 1;
}

/// An inline button: its label and the data Telegram sends back when it is pressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    /// What it says.
    pub text: String,
    /// `callback_data` (at most 64 bytes).
    pub data: String,
}

/// A message waiting to go out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outgoing {
    /// Text written already (in the reader's language), with rows of buttons.
    Text { chat: i64, text: String, buttons: Vec<Vec<Button>> },
    /// Support wrote message `n` of request `request` of `user`: written when sent, in the
    /// account's language then, if the account is still linked.
    Answered { user: UserId, request: u64, n: u32 },
    /// Request `request` of `user` moved to `status`.
    Status { user: UserId, request: u64, status: Status },
}

impl Record for Outgoing {
    const KIND: &'static str = "telegram message";
    const VERSION: u8 = 1;
}

/// The id of the last update handled (0 before the first).
pub fn offset(t: &impl ReadableTable<&'static str, u64>) -> Result<u64, StoreError> {
    Ok(t.get(META_TG_OFFSET)?.map(|v| v.value()).unwrap_or(0))
}

/// Record update `id` as handled, inside the transaction that handled it.
pub fn set_offset(tx: &WriteTransaction, id: u64) -> Result<(), StoreError> {
    tx.open_table(META)?.insert(META_TG_OFFSET, id)?;
    Ok(())
}

/// Queue `m` to be sent; returns its number.
pub fn queue(tx: &WriteTransaction, m: &Outgoing) -> Result<u64, StoreError> {
    let id = next_id(tx, META_TG_LAST_OUT)?;
    tx.open_table(TG_OUTBOX)?.insert(id, encode(m)?.as_slice())?;
    Ok(id)
}

/// Queue `m` about `user`'s requests if `user` has linked a Telegram account.
pub fn queue_if_linked(tx: &WriteTransaction, user: UserId, m: &Outgoing) -> Result<(), StoreError> {
    if tx.open_table(TG_LINKS)?.get(user.0)?.is_some() {
        queue(tx, m)?;
    }
    Ok(())
}

/// The first `limit` messages waiting, oldest first.
pub fn waiting(
    t: &impl ReadableTable<u64, &'static [u8]>,
    limit: usize,
) -> Result<Vec<(u64, Outgoing)>, StoreError> {
    let mut out = Vec::new();
    for row in t.iter()?.take(limit) {
        let (k, v) = row?;
        out.push((k.value(), decode(v.value())?));
    }
    Ok(out)
}

/// `user`'s linked Telegram account.
pub fn link_of(
    t: &impl ReadableTable<u64, &'static [u8]>,
    user: UserId,
) -> Result<Option<TgLink>, StoreError> {
    t.get(user.0)?.map(|v| decode(v.value())).transpose()
}

/// The cabinet account a Telegram user is linked to.
pub fn user_of(t: &impl ReadableTable<i64, u64>, tg_user: i64) -> Result<Option<UserId>, StoreError> {
    Ok(t.get(tg_user)?.map(|v| UserId(v.value())))
}

/// Link `link.tg_user` to `link.user`, replacing what either had before.
pub fn put_link(tx: &WriteTransaction, link: &TgLink) -> Result<(), StoreError> {
    let mut links = tx.open_table(TG_LINKS)?;
    let mut users = tx.open_table(TG_USERS)?;
    if let Some(old) = link_of(&links, link.user)? {
        users.remove(old.tg_user)?;
    }
    if let Some(other) = user_of(&users, link.tg_user)? {
        links.remove(other.0)?;
    }
    links.insert(link.user.0, encode(link)?.as_slice())?;
    users.insert(link.tg_user, link.user.0)?;
    Ok(())
}

/// Unlink `user`'s Telegram account; returns what was linked.
pub fn remove_link(tx: &WriteTransaction, user: UserId) -> Result<Option<TgLink>, StoreError> {
    let old = {
        let mut links = tx.open_table(TG_LINKS)?;
        let old = link_of(&links, user)?;
        links.remove(user.0)?;
        old
    };
    if let Some(l) = &old {
        tx.open_table(TG_USERS)?.remove(l.tg_user)?;
        tx.open_table(TG_DIALOGS)?.remove(l.tg_user)?;
    }
    Ok(old)
}

/// How long an expired code is kept after its end, so that the bot can say "expired" rather
/// than "unknown" to someone who opens an old link.
const EXPIRED_KEPT_SECS: i64 = 86_400;

/// Keep `code` for `rec.user` until `rec.expires_at`. The account's earlier codes go (only the
/// newest link works), and so do other accounts' codes that ended over
/// [`EXPIRED_KEPT_SECS`] before this one's end (each new code sweeps the table; a code's
/// lifetime is minutes, so "before this one's end" is "before now", give or take that).
pub fn put_code(tx: &WriteTransaction, code: &str, rec: &LinkCode) -> Result<(), StoreError> {
    let mut t = tx.open_table(TG_CODES)?;
    let mut stale = Vec::new();
    for row in t.iter()? {
        let (k, v) = row?;
        let c: LinkCode = decode(v.value())?;
        if c.user == rec.user || c.expires_at <= rec.expires_at.plus_secs(-EXPIRED_KEPT_SECS) {
            stale.push(k.value().to_string());
        }
    }
    for k in stale {
        t.remove(k.as_str())?;
    }
    t.insert(code, encode(rec)?.as_slice())?;
    Ok(())
}

/// Take `code` (it works once): its record, whether or not it has expired.
pub fn take_code(tx: &WriteTransaction, code: &str) -> Result<Option<LinkCode>, StoreError> {
    let mut t = tx.open_table(TG_CODES)?;
    let rec = t.remove(code)?.map(|v| decode(v.value())).transpose()?;
    Ok(rec)
}

/// A Telegram user's conversation.
pub fn dialog(t: &impl ReadableTable<i64, &'static [u8]>, tg_user: i64) -> Result<Dialog, StoreError> {
    Ok(t.get(tg_user)?.map(|v| decode(v.value())).transpose()?.unwrap_or_default())
}

/// Set a Telegram user's conversation.
pub fn set_dialog(tx: &WriteTransaction, tg_user: i64, d: &Dialog) -> Result<(), StoreError> {
    let mut t = tx.open_table(TG_DIALOGS)?;
    if *d == Dialog::Idle {
        t.remove(tg_user)?;
    } else {
        t.insert(tg_user, encode(d)?.as_slice())?;
    }
    Ok(())
}
