//! The notification centre: notices to one customer or to all admins, written inside the
//! transaction of the event they report (so a notice never tells of something that did not
//! happen), logged as they are written, listed newest first with what is unread, and marked
//! read per reader.

use std::sync::Arc;

use redb::ReadableTable;

use crate::clock::Clock;
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::error::Args;
use crate::i18n::{Catalog, Lang, Msg};
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::store::notices::{self, Audience, NewNotice, NoticeRecord, NoticeText};
use crate::store::tables::{NOTICE_READ, NOTICES};
use crate::store::{Store, StoreError};

/// How many notices a list shows.
pub const LIST_LIMIT: usize = 200;

/// Write notice `n` for `to` inside `tx`, and log it.
pub fn notify_in(
    tx: &redb::WriteTransaction,
    now: Timestamp,
    to: Audience,
    n: NewNotice<'_>,
) -> Result<u64, StoreError> {
    let (kind, subject) = (n.kind.to_string(), n.subject.clone());
    let id = notices::put(tx, now, to, n)?;
    if let Audience::User(owner) = to {
        crate::service::webhooks::from_notice_in(tx, now, owner, &kind, &subject)?;
    }
    tracing::info!(notice = id, kind, to = ?to, "notice: {subject}");
    Ok(id)
}

/// A notice told by messages of the bundles (`notices.ftl`) with `args`: each reader reads it
/// in their language; its English text is kept for the log, scripts and older readers.
pub fn told(
    kind: &'static str,
    subject: Msg,
    body: Option<Msg>,
    args: Args,
    link: Option<String>,
) -> NewNotice<'static> {
    let en = Catalog::english();
    let english = |m: Msg| {
        en.message(Lang::En, m.id(), args.iter().map(|(k, v)| (*k, v))).unwrap_or_else(|| m.id().to_string())
    };
    NewNotice {
        kind,
        subject: english(subject),
        body: body.map(english).unwrap_or_default(),
        link,
        text: Some(NoticeText {
            subject: subject.id().to_string(),
            body: body.map(|b| b.id().to_string()),
            args: args.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        }),
    }
}

/// What `told` says in `lang`, if a bundle has its message.
pub fn say(catalog: &Catalog, lang: Lang, told: &NoticeText) -> Option<String> {
    catalog.message(lang, &told.subject, told.args.iter().map(|(k, v)| (k.as_str(), v)))
}

/// Text told by a message of the bundles with `args`: its English words (for the log, the CLI
/// and older readers) and the message to read it in any language.
pub fn english_and_told(msg: Msg, args: Args) -> (String, NoticeText) {
    let english = Catalog::english()
        .message(Lang::En, msg.id(), args.iter().map(|(k, v)| (*k, v)))
        .unwrap_or_else(|| msg.id().to_string());
    let told = NoticeText {
        subject: msg.id().to_string(),
        body: None,
        args: args.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
    };
    (english, told)
}

/// Notice `n`'s subject and body in `lang`: from its messages, else the English it was
/// written with.
pub fn read_in(catalog: &Catalog, lang: Lang, n: &NoticeRecord) -> (String, String) {
    let Some(text) = &n.text else { return (n.subject.clone(), n.body.clone()) };
    let args = || text.args.iter().map(|(k, v)| (k.as_str(), v));
    let subject = catalog.message(lang, &text.subject, args()).unwrap_or_else(|| n.subject.clone());
    let body = match &text.body {
        Some(id) => catalog.message(lang, id, args()).unwrap_or_else(|| n.body.clone()),
        None => n.body.clone(),
    };
    (subject, body)
}

/// A reader's notices: their own, and the admins' when they are one.
#[derive(Debug, Clone)]
pub struct Inbox {
    /// Newest first, with whether each is unread.
    pub notices: Vec<(NoticeRecord, bool)>,
    /// Unread in all.
    pub unread: u64,
}

/// The notices service.
#[derive(Clone)]
pub struct Notices {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
}

/// How many notices `reader` has not read, inside `tx`.
pub fn unread_in(tx: &redb::ReadTransaction, reader: &Caller) -> Result<u64, StoreError> {
    let Some(user) = reader.user else { return Ok(0) };
    let mark = notices::read_mark(&tx.open_table(NOTICE_READ)?, user)?;
    let t = tx.open_table(NOTICES)?;
    let mut n = 0;
    for a in Notices::audiences(reader) {
        n += notices::count_after(&t, a, mark)?;
    }
    Ok(n)
}

impl Notices {
    /// The service.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>) -> Notices {
        Notices { store, clock }
    }

    /// The reader's own notices, and the admins' when the caller acts as one.
    pub(crate) fn audiences(reader: &Caller) -> Vec<Audience> {
        let mut a: Vec<Audience> = reader.user.map(Audience::User).into_iter().collect();
        if reader.is_admin() {
            a.push(Audience::Admins);
        }
        a
    }

    /// Write one notice in its own transaction (for events that have no transaction of
    /// their own, such as a failed background job).
    pub async fn notify(&self, to: Audience, n: NewNotice<'static>) -> Result<u64, StoreError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let id = notify_in(&tx, now, to, n)?;
            tx.commit()?;
            Ok(id)
        })
        .await
    }

    /// How many notices `reader` has not read.
    pub fn unread(&self, reader: &Caller) -> Result<u64, StoreError> {
        unread_in(&self.store.read()?, reader)
    }

    /// `reader`'s newest notices.
    pub fn inbox(&self, reader: &Caller) -> Result<Inbox, StoreError> {
        let tx = self.store.read()?;
        let mark = match reader.user {
            Some(user) => notices::read_mark(&tx.open_table(NOTICE_READ)?, user)?,
            None => 0,
        };
        let t = tx.open_table(NOTICES)?;
        let mut all = Vec::new();
        let mut unread = 0;
        for a in Self::audiences(reader) {
            all.extend(notices::of(&t, a, 0, LIST_LIMIT)?);
            unread += notices::count_after(&t, a, mark)?;
        }
        all.sort_by_key(|n| std::cmp::Reverse(n.id));
        all.truncate(LIST_LIMIT);
        let notices = all.into_iter().map(|n| (n.id > mark, n)).map(|(u, n)| (n, u)).collect();
        Ok(Inbox { notices, unread })
    }

    /// Mark every notice `reader` can see now as read.
    pub async fn mark_all_read(&self, reader: UserId) -> Result<(), StoreError> {
        let store = self.store.clone();
        blocking(move || {
            let tx = store.write()?;
            let last = tx
                .open_table(crate::store::tables::META)?
                .get(crate::store::tables::META_LAST_NOTICE_ID)?
                .map(|v| v.value())
                .unwrap_or(0);
            notices::mark_read(&tx, reader, last)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    fn notice(subject: &str) -> NewNotice<'static> {
        NewNotice { kind: "test", subject: subject.into(), body: String::new(), link: None, text: None }
    }

    #[tokio::test]
    async fn a_notice_is_read_in_each_readers_language_and_kept_in_english() {
        use crate::domain::money::Money;
        let store = Arc::new(Store::in_memory().unwrap());
        let n = Notices::new(store, Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000))));
        let args = vec![
            ("days", 2u32.into()),
            ("balance", Money(150_000).into()),
            ("per_hour", Money(1_250).into()),
        ];
        let told =
            told("billing.low_balance", Msg::NoticeLowBalance, Some(Msg::NoticeLowBalanceBody), args, None);
        assert_eq!(told.subject, "Your balance lasts less than 2 days");
        n.notify(Audience::User(UserId(5)), told).await.unwrap();
        let inbox = n.inbox(&Caller::of(UserId(5), crate::domain::account::Role::Customer, "")).unwrap();
        let rec = &inbox.notices[0].0;
        let catalog = Catalog::builtin(Lang::En);
        let read = |lang| read_in(&catalog, lang, rec);
        assert_eq!(
            read(Lang::En).1,
            "Balance 1,500.00 KZT, about 12.50 KZT an hour. Top up to keep your servers running."
        );
        let (ru, ru_body) = read(Lang::Ru);
        assert_eq!(ru, "Баланса хватит менее чем на 2 дня");
        assert!(ru_body.contains("1\u{a0}500,00 KZT") && ru_body.contains("12,50 KZT"), "{ru_body}");
        assert_eq!(read(Lang::Kk).0, "Балансыңыз 2 күнге жетпейді");
        // A notice written before notices had messages says what it said, in any language.
        let old = NoticeRecord {
            text: None,
            subject: "Backup of web failed".into(),
            body: "Disk full".into(),
            ..rec.clone()
        };
        assert_eq!(read_in(&catalog, Lang::Ru, &old), ("Backup of web failed".into(), "Disk full".into()));
    }

    #[tokio::test]
    async fn readers_see_their_own_and_admins_the_admin_notices_with_unread_counts() {
        let store = Arc::new(Store::in_memory().unwrap());
        let n = Notices::new(store, Arc::new(ManualClock::new(Timestamp::from_secs(1_800_000_000))));
        let (alice, bob, admin) = (UserId(5), UserId(6), UserId(1));
        n.notify(Audience::User(alice), notice("a1")).await.unwrap();
        n.notify(Audience::Admins, notice("ops1")).await.unwrap();
        n.notify(Audience::User(bob), notice("b1")).await.unwrap();
        n.notify(Audience::User(alice), notice("a2")).await.unwrap();
        let subjects = |i: &Inbox| i.notices.iter().map(|(x, _)| x.subject.clone()).collect::<Vec<_>>();
        let a = n.inbox(&Caller::customer(alice, "t")).unwrap();
        assert_eq!((subjects(&a), a.unread), (vec!["a2".to_string(), "a1".to_string()], 2));
        let ad = n.inbox(&Caller::admin(admin, "t")).unwrap();
        assert_eq!((subjects(&ad), ad.unread), (vec!["ops1".to_string()], 1));
        assert_eq!(n.unread(&Caller::customer(bob, "t")).unwrap(), 1);
        n.mark_all_read(alice).await.unwrap();
        assert_eq!(n.unread(&Caller::customer(alice, "t")).unwrap(), 0);
        assert!(n.inbox(&Caller::customer(alice, "t")).unwrap().notices.iter().all(|(_, unread)| !unread));
        n.notify(Audience::User(alice), notice("a3")).await.unwrap();
        let a = n.inbox(&Caller::customer(alice, "t")).unwrap();
        assert_eq!(a.unread, 1);
        assert_eq!(
            a.notices.iter().filter(|(_, u)| *u).map(|(x, _)| x.subject.as_str()).collect::<Vec<_>>(),
            ["a3"]
        );
        // Marking read is per reader.
        assert_eq!(n.unread(&Caller::customer(bob, "t")).unwrap(), 1);
        assert_eq!(n.unread(&Caller::admin(admin, "t")).unwrap(), 1);
    }
}
