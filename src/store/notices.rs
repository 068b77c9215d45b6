//! Notices to customers and admins (the in-cabinet notification centre): one record per
//! notice under its recipient, and each reader's "read up to" mark.

use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::codec::{Record, decode, encode};
use super::tables::{MAIL_OUTBOX, META, META_LAST_NOTICE_ID, NOTICE_READ, NOTICES, TELEGRAM_OUTBOX};
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;

/// Who a notice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// One account.
    User(UserId),
    /// Every admin (the appliance's operators).
    Admins,
}

impl Audience {
    /// The recipient key in [`NOTICES`]: the user id, 0 for the admins (no account has id 0).
    pub fn key(self) -> u64 {
        match self {
            Audience::User(u) => u.0,
            Audience::Admins => 0,
        }
    }
}

/// One notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeRecord {
    /// Id, increasing over all notices.
    pub id: u64,
    /// Recipient.
    pub to: Audience,
    /// When it was written.
    pub at: Timestamp,
    /// What it is about, stable for scripts and filters (`backup.failed`).
    pub kind: String,
    /// One line.
    pub subject: String,
    /// More detail.
    pub body: String,
    /// A page of the cabinet about it.
    pub link: Option<String>,
    /// Its subject and body as messages of the bundles, for each reader's language (`subject`
    /// and `body` are their English text, for logs, scripts and notices written before).
    pub text: Option<NoticeText>,
}

impl Record for NoticeRecord {
    const KIND: &'static str = "notice";
    const VERSION: u8 = 2;
}

/// A notice's text as messages of the bundles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeText {
    /// The subject's message id.
    pub subject: String,
    /// The body's message id, when it has one.
    pub body: Option<String>,
    /// The values the messages put into their text, by name.
    pub args: Vec<(String, crate::error::Arg)>,
}

/// A notice to write.
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    /// What it is about.
    pub kind: &'a str,
    /// One line.
    pub subject: String,
    /// More detail.
    pub body: String,
    /// A page of the cabinet about it.
    pub link: Option<String>,
    /// Its text as messages of the bundles.
    pub text: Option<NoticeText>,
}

/// Write a notice for `to` inside `tx`. Returns its id.
pub fn put(tx: &WriteTransaction, now: Timestamp, to: Audience, n: NewNotice<'_>) -> Result<u64, StoreError> {
    let id = {
        let mut meta = tx.open_table(META)?;
        let id = meta.get(META_LAST_NOTICE_ID)?.map(|v| v.value()).unwrap_or(0) + 1;
        meta.insert(META_LAST_NOTICE_ID, id)?;
        id
    };
    let rec = NoticeRecord {
        id,
        to,
        at: now,
        kind: n.kind.to_string(),
        subject: n.subject,
        body: n.body,
        link: n.link,
        text: n.text,
    };
    tx.open_table(NOTICES)?.insert((to.key(), id), encode(&rec)?.as_slice())?;
    tx.open_table(MAIL_OUTBOX)?.insert(id, to.key())?;
    if to == Audience::Admins {
        tx.open_table(TELEGRAM_OUTBOX)?.insert(id, 0)?;
    }
    Ok(id)
}

/// Notice `id` of recipient key `to`, if it exists.
pub fn get(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    to: u64,
    id: u64,
) -> Result<Option<NoticeRecord>, StoreError> {
    t.get((to, id))?.map(|v| decode(v.value())).transpose()
}

/// The newest `limit` notices of one recipient with an id above `after`, newest first.
pub fn of(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    to: Audience,
    after: u64,
    limit: usize,
) -> Result<Vec<NoticeRecord>, StoreError> {
    let k = to.key();
    let mut out = Vec::new();
    for row in t.range((k, after.saturating_add(1))..=(k, u64::MAX))?.rev().take(limit) {
        out.push(decode(row?.1.value())?);
    }
    Ok(out)
}

/// How many notices of one recipient have an id above `after`.
pub fn count_after(
    t: &impl ReadableTable<(u64, u64), &'static [u8]>,
    to: Audience,
    after: u64,
) -> Result<u64, StoreError> {
    let k = to.key();
    let mut n = 0;
    for row in t.range((k, after.saturating_add(1))..=(k, u64::MAX))? {
        row?;
        n += 1;
    }
    Ok(n)
}

/// The id up to which `reader` has read their notices.
pub fn read_mark(t: &impl ReadableTable<u64, u64>, reader: UserId) -> Result<u64, StoreError> {
    Ok(t.get(reader.0)?.map(|v| v.value()).unwrap_or(0))
}

/// Mark everything up to `id` read for `reader` (never moves back).
pub fn mark_read(tx: &WriteTransaction, reader: UserId, id: u64) -> Result<(), StoreError> {
    let mut t = tx.open_table(NOTICE_READ)?;
    let cur = read_mark(&t, reader)?;
    if id > cur {
        t.insert(reader.0, id)?;
    }
    Ok(())
}
