//! The notification centre: notices to one customer or to all admins, written inside the
//! transaction of the event they report (so a notice never tells of something that did not
//! happen), logged as they are written, listed newest first with what is unread, and marked
//! read per reader.

use std::sync::Arc;

use redb::ReadableTable;

use crate::clock::Clock;
use crate::domain::account::UserId;
use crate::domain::time::Timestamp;
use crate::service::blocking;
use crate::service::caller::Caller;
use crate::store::notices::{self, Audience, NewNotice, NoticeRecord};
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
    tracing::info!(notice = id, kind, to = ?to, "notice: {subject}");
    Ok(id)
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
        NewNotice { kind: "test", subject: subject.into(), body: String::new(), link: None }
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
