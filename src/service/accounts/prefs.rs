//! An account's preferences: its time zone (backup schedules run in it).

use super::{AccountError, Accounts};
use crate::domain::account::UserId;
use crate::store::StoreError;

impl Accounts {
    /// The time zone `user` chose (`UTC` until they choose one).
    pub fn time_zone(&self, user: UserId) -> Result<String, AccountError> {
        let tx = self.store.read()?;
        let tz = crate::store::backups::prefs_of(&tx.open_table(crate::store::tables::ACCOUNT_PREFS)?, user)?
            .time_zone;
        Ok(if tz.is_empty() { "UTC".into() } else { tz })
    }

    /// Set `user`'s time zone (an IANA name such as `Asia/Almaty`); returns it as stored.
    pub async fn set_time_zone(&self, user: UserId, name: &str) -> Result<String, AccountError> {
        crate::domain::schedule::zone(name).map_err(AccountError::TimeZone)?;
        let (store, name) = (self.store.clone(), name.trim().to_string());
        let stored = name.clone();
        tokio::task::spawn_blocking(move || {
            let tx = store.write()?;
            {
                let mut t = tx.open_table(crate::store::tables::ACCOUNT_PREFS)?;
                let mut prefs = crate::store::backups::prefs_of(&t, user)?;
                prefs.time_zone = name;
                t.insert(user.0, crate::store::codec::encode(&prefs)?.as_slice())?;
            }
            tx.commit()?;
            Ok::<_, AccountError>(())
        })
        .await
        .map_err(|e| AccountError::Store(StoreError::Task(e.to_string())))??;
        Ok(stored)
    }
}
