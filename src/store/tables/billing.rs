//! Billing: usage intervals and their indexes, prices, the ledger with its rows, hours and balances, month lines, statements and standings.

use redb::TableDefinition;

/// Billing usage intervals by id (`UsageRecord`).
pub const USAGE: TableDefinition<u64, &[u8]> = TableDefinition::new("usage");

/// The open usage interval of each billable resource: resource → usage id.
pub const USAGE_OPEN: TableDefinition<&str, u64> = TableDefinition::new("usage_open");

/// Each account's open usage intervals: (account, usage id) → ().
pub const OWNER_USAGE: TableDefinition<(u64, u64), ()> = TableDefinition::new("owner_usage");

/// Each account's open usage summed by item: (account, item key) → units (bytes for backup
/// storage), kept with [`OWNER_USAGE`] by `store::billing`, so an account's hourly rate is a
/// few rows however many resources it has.
pub const OWNER_OPEN_ITEMS: TableDefinition<(u64, &str), u64> = TableDefinition::new("owner_open_items");

/// Price history: (item key, first hour it applies to) → `PriceRecord`.
pub const PRICES: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("prices");

/// Each account's ledger: (account, seq) → `LedgerEntry` (append-only).
pub const LEDGER: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("ledger");

/// Each account's transactions as the Billing page lists them: (account, first seq) →
/// `LedgerRow` (a UTC day's run of hourly charges, or one other entry), kept with the ledger.
pub const LEDGER_ROWS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("ledger_rows");

/// Which hours are charged: (account, hour) → seq of its charge entry.
pub const LEDGER_HOURS: TableDefinition<(u64, u64), u64> = TableDefinition::new("ledger_hours");

/// Cached balance of each account, minor units (moved with every ledger entry).
pub const BALANCES: TableDefinition<u64, i64> = TableDefinition::new("balances");

/// Usage per account, month and resource: (account, month, resource) → `MonthLine`.
pub const MONTH_LINES: TableDefinition<(u64, u32, &str), &[u8]> = TableDefinition::new("month_lines");

/// Statements by number (`StatementRecord`), numbered from 1 without gaps.
pub const STATEMENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("statements");

/// An account's statements: (account, month) → number.
pub const OWNER_STATEMENTS: TableDefinition<(u64, u32), u64> = TableDefinition::new("owner_statements");

/// Each account's standing (`Standing`): below zero since, notices sent, suspension.
pub const STANDINGS: TableDefinition<u64, &[u8]> = TableDefinition::new("standings");
