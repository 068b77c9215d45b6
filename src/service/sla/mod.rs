//! Availability: the daemon's heartbeat and the gaps it reveals, platform faults seen from
//! libvirt, incidents and maintenance windows (`events`), each VM's availability and credit
//! tier for a month, and the monthly credits booked into the next period (`credits`).

use std::sync::Arc;

use redb::ReadableTable;

use crate::clock::Clock;
use crate::domain::billing::{self, Month};
use crate::domain::incident::incident_downtime;
use crate::domain::sla::{self, Cause, Span};
use crate::domain::time::Timestamp;
use crate::domain::vm::VmId;
use crate::service::{Coded, ErrorKind, blocking};
use crate::store::incidents::{self as events_rec, IncidentRecord, MaintenanceRecord};
use crate::store::records::{VmPhase, VmRecord};
use crate::store::sla::{self as rec, DowntimeRecord, OpenDowntime};
use crate::store::tables::{DOWNTIME, INCIDENTS, MAINTENANCE, META, OPEN_DOWNTIME, VMS};
use crate::store::{Store, StoreError};

mod credits;
mod events;
#[cfg(test)]
mod tests;

pub use events::{NewIncident, NewWindow, StatusView, report_in};

/// How often the heartbeat is written.
pub const HEARTBEAT_SECS: i64 = 30;

/// A gap longer than this since the last heartbeat is downtime (three missed beats).
pub const GAP_SECS: i64 = 3 * HEARTBEAT_SECS;

/// Availability could not be read or recorded.
#[derive(Debug, thiserror::Error)]
pub enum SlaError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The input is wrong (the CLI's own checks, in English).
    #[error("{0}")]
    Invalid(String),
    /// An incident or a window cannot be so.
    #[error("{0}")]
    Refused(Refusal),
    /// No such incident or window.
    #[error("No such {0}")]
    NotFound(&'static str),
}

store_error_conversions!(SlaError);

impl Coded for SlaError {
    fn code(&self) -> &'static str {
        match self {
            SlaError::Store(e) => e.code(),
            SlaError::Invalid(_) | SlaError::Refused(_) => "SLA0001",
            SlaError::NotFound(_) => "SLA0002",
        }
    }

    fn kind(&self) -> ErrorKind {
        match self {
            SlaError::Store(e) => e.kind(),
            SlaError::Invalid(_) | SlaError::Refused(_) => ErrorKind::Invalid,
            SlaError::NotFound(_) => ErrorKind::NotFound,
        }
    }

    fn args(&self) -> crate::error::Args {
        match self {
            SlaError::Store(e) => e.args(),
            SlaError::Invalid(d) => vec![("detail", d.as_str().into())],
            SlaError::Refused(r) => r.args(),
            SlaError::NotFound(what) => vec![("what", what.split(' ').next().unwrap_or(what).into())],
        }
    }
}

/// Why an incident or a maintenance window cannot be declared, changed or scheduled so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A title, description or note that is not one line of 1 to `max` characters.
    Line {
        /// `title` or `description`.
        what: &'static str,
        /// Characters at most.
        max: usize,
    },
    /// A scope that names no server.
    NoServers,
    /// A scope naming a server that does not exist.
    NoSuchServer(u64),
    /// An incident said to start later than now.
    StartsInFuture,
    /// An update over 2000 characters.
    UpdateTooLong,
    /// An end before the start or after now.
    EndOutside {
        /// The incident's start.
        start: Timestamp,
    },
    /// An update that says and changes nothing.
    NothingToUpdate,
    /// A window that starts in the past.
    WindowInPast,
    /// A window that ends before it starts or lasts over 7 days.
    WindowLength,
    /// A window that is over or called off.
    WindowOver,
    /// A time field that is not a date and time (`started`, `restored`, `starts`, `ends`).
    BadTime(&'static str),
    /// A scope that is neither `host` nor server numbers.
    BadScope,
}

impl Refusal {
    /// The values `err-SLA0001` puts into its text (`reason` chooses it).
    pub fn args(&self) -> crate::error::Args {
        let r = |key: &str| ("reason", crate::error::Arg::from(key));
        match self {
            Refusal::Line { what, max } => vec![r("line"), ("what", (*what).into()), ("max", (*max).into())],
            Refusal::NoServers => vec![r("no-servers")],
            Refusal::NoSuchServer(v) => vec![r("no-such-server"), ("server", (*v).into())],
            Refusal::StartsInFuture => vec![r("future")],
            Refusal::UpdateTooLong => vec![r("update-long")],
            Refusal::EndOutside { start } => vec![r("end-outside"), ("start", (*start).into())],
            Refusal::NothingToUpdate => vec![r("nothing")],
            Refusal::WindowInPast => vec![r("window-past")],
            Refusal::WindowLength => vec![r("window-length")],
            Refusal::WindowOver => vec![r("window-over")],
            Refusal::BadTime(what) => vec![r("time"), ("what", (*what).into())],
            Refusal::BadScope => vec![r("scope")],
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Line { what, max } => write!(f, "The {what} is one line of 1 to {max} characters"),
            Refusal::NoServers => write!(f, "Name the servers it covers, or \"host\" for all"),
            Refusal::NoSuchServer(v) => write!(f, "There is no server #{v}"),
            Refusal::StartsInFuture => write!(f, "An incident cannot start in the future"),
            Refusal::UpdateTooLong => write!(f, "An update is at most 2000 characters"),
            Refusal::EndOutside { start } => {
                write!(f, "The end must be between its start ({}) and now", start.display_utc())
            }
            Refusal::NothingToUpdate => {
                write!(f, "Nothing to update: write a note, end it or set responsibility")
            }
            Refusal::WindowInPast => write!(f, "A maintenance window must start in the future"),
            Refusal::WindowLength => write!(f, "A window ends after it starts and lasts at most 7 days"),
            Refusal::WindowOver => write!(f, "This window is over or called off already"),
            Refusal::BadTime(what) => {
                let label = match *what {
                    "started" => "Started",
                    "restored" => "Restored at",
                    "starts" => "Starts",
                    _ => "Ends",
                };
                write!(f, "{label}: a date and time such as 2027-01-15T08:30")
            }
            Refusal::BadScope => write!(f, "Scope: \"host\" or server numbers such as 12, 14"),
        }
    }
}

/// A downtime span as shown to people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downtime {
    /// When (until now while it lasts).
    pub span: Span,
    /// Why.
    pub cause: Cause,
    /// What was seen or declared.
    pub note: String,
    /// Still going on.
    pub ongoing: bool,
}

/// A VM's availability in a month (so far, for the current one).
#[derive(Debug, Clone)]
pub struct VmAvailability {
    /// The part of the month the VM existed (until now).
    pub period: Span,
    /// Downtime spans overlapping it, with causes, oldest first.
    pub downtime: Vec<Downtime>,
    /// Planned maintenance windows (announced in time) overlapping it.
    pub maintenance: Vec<Span>,
    /// Seconds that count against the SLA.
    pub counted_secs: i64,
    /// Availability, parts per million.
    pub ppm: i64,
    /// Credit tier, percent.
    pub credit_percent: u8,
}

/// Incidents and maintenance windows, read once and applied to many VMs.
#[derive(Debug, Clone, Default)]
pub struct Events {
    /// Every incident.
    pub incidents: Vec<IncidentRecord>,
    /// Every maintenance window.
    pub windows: Vec<MaintenanceRecord>,
    /// The notice a window needs to be excluded, seconds.
    pub notice_secs: i64,
}

impl Events {
    /// Read them from their tables.
    pub fn load(
        incidents: &impl ReadableTable<u64, &'static [u8]>,
        windows: &impl ReadableTable<u64, &'static [u8]>,
        notice_secs: i64,
    ) -> Result<Events, StoreError> {
        Ok(Events {
            incidents: events_rec::incidents(incidents)?,
            windows: events_rec::windows(windows)?,
            notice_secs,
        })
    }

    /// Whether window `w` excludes time: not called off, and announced at least the notice
    /// period before it began.
    pub fn excludes(&self, w: &MaintenanceRecord) -> bool {
        !w.cancelled && w.announced_at <= w.starts.plus_secs(-self.notice_secs)
    }

    /// `vm`'s downtime from incidents (until `now` for open ones) and its excluded windows.
    fn for_vm(&self, vm: VmId, now: Timestamp) -> (Vec<Downtime>, Vec<Span>) {
        let down = self
            .incidents
            .iter()
            .filter(|i| i.scope.covers(vm))
            .filter_map(|i| {
                let (span, cause) = incident_downtime(i.severity, i.blame, i.started, i.ended, now)?;
                Some(Downtime {
                    span,
                    cause,
                    note: format!("incident #{}: {}", i.id, i.title),
                    ongoing: i.is_open(),
                })
            })
            .collect();
        let windows = self
            .windows
            .iter()
            .filter(|w| self.excludes(w) && w.scope.covers(vm))
            .map(|w| Span::new(w.starts, w.ends))
            .collect();
        (down, windows)
    }
}

/// `vm`'s availability over `period` from its own downtime records, its open platform fault
/// (until `now`) and the incidents and windows in `events`.
pub fn compute(
    vm: VmId,
    period: Span,
    own: &[DowntimeRecord],
    open: Option<&OpenDowntime>,
    events: &Events,
    now: Timestamp,
) -> VmAvailability {
    let overlaps = |s: &Span| s.from < period.to && s.to > period.from;
    let (from_incidents, windows) = events.for_vm(vm, now);
    let mut downtime: Vec<Downtime> = own
        .iter()
        .map(|d| Downtime { span: d.span, cause: d.cause, note: d.note.clone(), ongoing: false })
        .chain(open.map(|o| Downtime {
            span: Span::new(o.from, now),
            cause: o.cause,
            note: o.note.clone(),
            ongoing: true,
        }))
        .chain(from_incidents)
        .filter(|d| overlaps(&d.span))
        .collect();
    downtime.sort_by_key(|d| d.span);
    let maintenance: Vec<Span> = windows.into_iter().filter(overlaps).collect();
    let spans: Vec<(Span, Cause)> = downtime.iter().map(|d| (d.span, d.cause)).collect();
    let counted_secs = sla::counted_secs(&spans, &maintenance, period);
    let ppm = sla::availability_ppm(period.secs(), counted_secs);
    VmAvailability {
        period,
        downtime,
        maintenance,
        counted_secs,
        ppm,
        credit_percent: sla::credit_percent(ppm),
    }
}

/// Whether `vm` was meant to run (as last recorded): ready, running, not held.
fn meant_to_run(vm: &VmRecord) -> bool {
    vm.phase == VmPhase::Ready && vm.power.is_active() && !vm.suspended
}

/// The availability service.
#[derive(Clone)]
pub struct Sla {
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    tz: jiff::tz::TimeZone,
    notice_secs: i64,
}

impl Sla {
    /// The service; months are counted in `tz` (the billing time zone); customers are told of
    /// maintenance `notice_hours` ahead.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, tz: jiff::tz::TimeZone, notice_hours: u32) -> Sla {
        Sla { store, clock, tz, notice_secs: i64::from(notice_hours) * 3600 }
    }

    /// The time now, by the service's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Hours of notice a maintenance window needs.
    pub fn notice_hours(&self) -> i64 {
        self.notice_secs / 3600
    }

    /// Write the heartbeat.
    pub async fn beat(&self) -> Result<(), SlaError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            rec::beat(&tx, now)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// At start-up: if the last heartbeat is older than [`GAP_SECS`], record the gap as
    /// downtime of every VM that was meant to run. Returns the gap counted, if any.
    pub async fn recover_gap(&self) -> Result<Option<(Span, usize)>, SlaError> {
        let (store, now) = (self.store.clone(), self.clock.now());
        blocking(move || {
            let tx = store.write()?;
            let last = rec::heartbeat(&tx.open_table(META)?)?;
            let mut counted = None;
            if let Some(last) = last.filter(|l| now.secs_since(*l) > GAP_SECS) {
                let span = Span::new(last, now);
                let vms: Vec<VmRecord> = {
                    let t = tx.open_table(VMS)?;
                    let mut out = Vec::new();
                    for row in t.iter()? {
                        out.push(crate::store::codec::decode(row?.1.value())?);
                    }
                    out
                };
                let mut n = 0;
                for vm in vms.iter().filter(|v| meant_to_run(v)) {
                    rec::add(&tx, vm.id, vm.owner, span, Cause::HostDown, "vpsbox or its host was down (no heartbeat)")?;
                    n += 1;
                }
                tracing::warn!(from = %last.display_utc(), secs = span.secs(), vms = n, "down since the last heartbeat: counted as downtime");
                counted = Some((span, n));
            }
            rec::beat(&tx, now)?;
            tx.commit()?;
            Ok(counted)
        })
        .await
    }

    /// Record downtime of `vm` that is over already.
    pub async fn record(
        &self,
        vm: &VmRecord,
        span: Span,
        cause: Cause,
        note: &str,
    ) -> Result<DowntimeRecord, SlaError> {
        let (store, vm, note) = (self.store.clone(), vm.clone(), note.to_string());
        blocking(move || {
            let tx = store.write()?;
            let d = rec::add(&tx, vm.id, vm.owner, span, cause, &note)?;
            tx.commit()?;
            Ok(d)
        })
        .await
    }

    /// The part of `month` that `vm` existed in, until now.
    fn period_of(&self, vm: &VmRecord, month: Month) -> Span {
        let (first, next) = billing::hours_of_month(month, &self.tz);
        Span::new(billing::start_of(first).max(vm.created_at), billing::start_of(next).min(self.clock.now()))
    }

    /// `vm`'s availability in `month` (until now for the current month).
    pub fn availability(&self, vm: &VmRecord, month: Month) -> Result<VmAvailability, SlaError> {
        // One VM in, one figure out.
        self.availability_of(std::slice::from_ref(vm), month)?.pop().ok_or(SlaError::NotFound("server"))
    }

    /// The availability of each of `vms` in `month`, read in one transaction.
    pub fn availability_of(&self, vms: &[VmRecord], month: Month) -> Result<Vec<VmAvailability>, SlaError> {
        self.availability_in(&self.store.read()?, vms, month)
    }

    /// [`Sla::availability_of`] inside `tx` (a page's read model).
    pub fn availability_in(
        &self,
        tx: &redb::ReadTransaction,
        vms: &[VmRecord],
        month: Month,
    ) -> Result<Vec<VmAvailability>, SlaError> {
        let (down, open) = (tx.open_table(DOWNTIME)?, tx.open_table(OPEN_DOWNTIME)?);
        let events =
            Events::load(&tx.open_table(INCIDENTS)?, &tx.open_table(MAINTENANCE)?, self.notice_secs)?;
        let now = self.clock.now();
        let mut out = Vec::with_capacity(vms.len());
        for vm in vms {
            let period = self.period_of(vm, month);
            let own = rec::of_vm(&down, vm.id, period)?;
            let o = rec::open_of(&open, vm.id)?;
            out.push(compute(vm.id, period, &own, o.as_ref(), &events, now));
        }
        Ok(out)
    }

    /// Every downtime record of `vm`, oldest first, and its platform fault still open, if any.
    pub fn downtime_of(&self, vm: VmId) -> Result<(Vec<DowntimeRecord>, Option<OpenDowntime>), SlaError> {
        let tx = self.store.read()?;
        let all = Span::new(Timestamp::from_millis(i64::MIN / 2), Timestamp::from_millis(i64::MAX / 2));
        let spans = rec::of_vm(&tx.open_table(DOWNTIME)?, vm, all)?;
        Ok((spans, rec::open_of(&tx.open_table(OPEN_DOWNTIME)?, vm)?))
    }

    /// The month `t` falls in.
    pub fn month_at(&self, t: Timestamp) -> Month {
        billing::month_of(billing::hour_of(t), &self.tz)
    }
}
