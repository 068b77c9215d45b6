//! Who is told what: the audit log, notices and their mail, support threads, the Telegram bot.

use redb::{MultimapTableDefinition, TableDefinition};

/// Audit log by sequence number → `AuditRecord`.
pub const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");

/// Owner of the resource → sequence numbers of audit entries about their resources.
pub const USER_AUDIT: MultimapTableDefinition<u64, u64> = MultimapTableDefinition::new("user_audit");

/// Resource (`vm:12`) → sequence numbers of the audit entries about it (a VM page's history
/// without reading the owner's whole log).
pub const RESOURCE_AUDIT: MultimapTableDefinition<&str, u64> = MultimapTableDefinition::new("resource_audit");

/// Notices by (recipient, id): the recipient is a user id, or 0 for the admins
/// (`NoticeRecord`).
pub const NOTICES: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("notices");

/// Notices to send by e-mail: notice id → recipient key (as in [`NOTICES`]).
pub const MAIL_OUTBOX: TableDefinition<u64, u64> = TableDefinition::new("mail_outbox");

/// Per reader: the notice id up to which they have read.
pub const NOTICE_READ: TableDefinition<u64, u64> = TableDefinition::new("notice_read");

/// Support requests by id → `SupportRecord`.
pub const SUPPORT: TableDefinition<u64, &[u8]> = TableDefinition::new("support");

/// (account, request id): an account's requests.
pub const OWNER_SUPPORT: TableDefinition<(u64, u64), ()> = TableDefinition::new("owner_support");

/// (request id, message number) → `MessageRecord`.
pub const SUPPORT_MESSAGES: TableDefinition<(u64, u32), &[u8]> = TableDefinition::new("support_messages");

/// Admin notice id → 0: waiting to be sent to the Telegram chat.
pub const TELEGRAM_OUTBOX: TableDefinition<u64, u64> = TableDefinition::new("telegram_outbox");

/// One-time code of the customers' Telegram bot (text) → `LinkCode`.
pub const TG_CODES: TableDefinition<&str, &[u8]> = TableDefinition::new("tg_codes");

/// User id → `TgLink`: the Telegram account linked to a cabinet account.
pub const TG_LINKS: TableDefinition<u64, &[u8]> = TableDefinition::new("tg_links");

/// Telegram user id → user id: who a Telegram user is in the cabinet.
pub const TG_USERS: TableDefinition<i64, u64> = TableDefinition::new("tg_users");

/// Telegram user id → `Dialog`: where their conversation with the bot stands (absent: idle).
pub const TG_DIALOGS: TableDefinition<i64, &[u8]> = TableDefinition::new("tg_dialogs");

/// Number → `Outgoing`: the bot's messages waiting to be sent, in order.
pub const TG_OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("tg_outbox");
