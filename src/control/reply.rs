//! What a control command answers: a confirmation, typed rows that the CLI lays out
//! (`cli/print.rs`), or a coded failure. The daemon sends data, never formatted tables.

use std::net::IpAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::domain::money::Money;
use crate::domain::time::Timestamp;

/// The answer to a [`super::Command`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    /// A change was made: one line saying what.
    Done(String),
    /// `user list`.
    Users(Vec<UserRow>),
    /// `template list`.
    Templates(Vec<TemplateRow>),
    /// `ip-pool list`.
    Pools(Vec<PoolRow>),
    /// `rdns export`: every reverse DNS name set.
    Rdns(Vec<PtrRow>),
    /// `db list`: the automatic copies, newest first.
    DbCopies {
        /// Where they are.
        dir: PathBuf,
        /// The copies.
        copies: Vec<DbCopyRow>,
    },
    /// `billing balance`.
    Balance(BalanceRow),
    /// `billing prices`.
    Prices(Vec<PriceRow>),
    /// `maintenance list`.
    Windows(Vec<WindowRow>),
    /// `token list`.
    Tokens(Vec<TokenRow>),
    /// `incident list`, newest first.
    Incidents(Vec<IncidentRow>),
    /// `support queue`, most urgent first.
    Queue(Vec<QueueRow>),
    /// `support report`.
    Report {
        /// The month, as people read it.
        month: String,
        /// A line per category.
        lines: Vec<ReportRow>,
        /// A line per channel (`category` names the channel).
        channels: Vec<ReportRow>,
    },
    /// Failure.
    Err {
        /// Stable code.
        code: String,
        /// Message.
        message: String,
    },
}

impl Reply {
    /// Whether the command did what it was asked.
    pub fn is_ok(&self) -> bool {
        !matches!(self, Reply::Err { .. })
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    /// Id.
    pub id: u64,
    /// E-mail.
    pub email: String,
    /// `customer` or `admin`.
    pub role: String,
    /// Locked out.
    pub disabled: bool,
    /// Created.
    pub created_at: Timestamp,
}

/// An OS template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRow {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// OS family.
    pub os: String,
    /// Image format.
    pub format: String,
    /// Virtual size, bytes.
    pub virtual_size: u64,
    /// Smallest disk, GiB.
    pub min_disk_gb: u32,
    /// On offer.
    pub enabled: bool,
    /// SHA-256 of the image.
    pub sha256: String,
}

/// An IP pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolRow {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Network, CIDR.
    pub network: String,
    /// Gateway.
    pub gateway: String,
    /// Size, as people read it (`254 addresses`).
    pub size: String,
    /// Units handed out.
    pub leased: u64,
    /// Units resting.
    pub cooling: u64,
    /// Resolvers.
    pub dns: Vec<IpAddr>,
}

/// A reverse DNS name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PtrRow {
    /// The reverse zone's owner name (`2.100.51.198.in-addr.arpa.`).
    pub reverse: String,
    /// The host name it points at.
    pub name: String,
}

/// An automatic copy of the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbCopyRow {
    /// When it was taken.
    pub taken_at: Timestamp,
    /// Its size, bytes.
    pub bytes: u64,
    /// Where it is.
    pub path: PathBuf,
}

/// An account's money now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceRow {
    /// The account.
    pub email: String,
    /// The currency code.
    pub currency: String,
    /// Balance.
    pub balance: Money,
    /// Charged this month so far.
    pub month_total: Money,
    /// The rate now.
    pub per_hour: Money,
    /// Suspended for non-payment.
    pub suspended: bool,
    /// This month's lines: (resource, hours, amount).
    pub lines: Vec<(String, u32, Money)>,
}

/// A price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceRow {
    /// `plan:NAME`, `ipv4`, `disk_gb`, `backup_gb`.
    pub item: String,
    /// Per month now.
    pub monthly: Money,
    /// Per hour now.
    pub hourly: Money,
    /// The next price and from when: (monthly, hourly, from).
    pub next: Option<(Money, Money, Timestamp)>,
}

/// An API token (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    /// Id.
    pub id: u64,
    /// The account's e-mail.
    pub owner: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Scopes, comma-separated.
    pub scopes: String,
    /// `active`, `expired`, `revoked`.
    pub state: String,
    /// When it ends, if ever.
    pub expires_at: Option<Timestamp>,
    /// Last use: when and from where.
    pub last_used: Option<(Timestamp, String)>,
}

/// A maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowRow {
    /// Id.
    pub id: u64,
    /// Starts.
    pub starts: Timestamp,
    /// Ends.
    pub ends: Timestamp,
    /// What it covers.
    pub scope: String,
    /// `planned`, `notified`, `over`, `called off`.
    pub state: String,
    /// What will be done.
    pub description: String,
}

/// An incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentRow {
    /// Id.
    pub id: u64,
    /// Still going.
    pub open: bool,
    /// Outage or degradation.
    pub severity: String,
    /// What it covers.
    pub scope: String,
    /// Began.
    pub started: Timestamp,
    /// Restoration confirmed.
    pub ended: Option<Timestamp>,
    /// One line.
    pub title: String,
}

/// A request in the support queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    /// `#12` or `quota #3`.
    pub label: String,
    /// Its status.
    pub status: String,
    /// `12 min left`, `3 min late`, or `-` when nothing is due.
    pub time_left: String,
    /// Category.
    pub category: String,
    /// Subject.
    pub subject: String,
}

/// A category's line of the monthly support report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// Category.
    pub category: String,
    /// Filed in the month.
    pub filed: u32,
    /// Answered within target.
    pub in_target: u32,
    /// Answered late or still unanswered past the target.
    pub late: u32,
    /// Waiting, not late yet.
    pub waiting: u32,
    /// Share within target (`97.5%`), or `-`.
    pub share: String,
}
