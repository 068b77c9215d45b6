//! Use cases. Each service owns its transactions and the order of its side effects; handlers and
//! CLI commands call these and render the result.

/// Implement `From` for every redb error type through `StoreError`, for a service error enum
/// with a `Store(StoreError)` variant.
macro_rules! store_error_conversions {
    ($err:ty) => {
        impl From<redb::TableError> for $err {
            fn from(e: redb::TableError) -> Self {
                <$err>::Store(e.into())
            }
        }
        impl From<redb::StorageError> for $err {
            fn from(e: redb::StorageError) -> Self {
                <$err>::Store(e.into())
            }
        }
        impl From<redb::CommitError> for $err {
            fn from(e: redb::CommitError) -> Self {
                <$err>::Store(e.into())
            }
        }
        impl From<redb::TransactionError> for $err {
            fn from(e: redb::TransactionError) -> Self {
                <$err>::Store(e.into())
            }
        }
    };
}

/// Run blocking store work (fsync on commit) off the async threads.
pub(crate) async fn blocking<T: Send + 'static, E: From<crate::store::StoreError> + Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => Err(crate::store::StoreError::Task(e.to_string()).into()),
    }
}

pub mod abuse;
pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod backups;
pub mod beats;
pub mod billing;
pub mod bot;
pub mod caller;
pub mod console;
pub mod dbcopies;
pub mod demo;
pub mod disks;
pub mod http_metrics;
pub mod idempotency;
pub mod ipam;
pub mod iso_uploads;
pub mod isos;
pub mod keys;
pub mod mail;
pub mod metrics;
pub mod notices;
pub mod pages;
pub mod passwords;
pub mod plans;
pub mod privnets;
pub mod quotas;
pub mod rescue;
pub mod sla;
pub mod storage;
pub mod support;
pub mod telegram;
pub mod templates;
pub mod tokens;
pub mod traffic;
pub mod unmanaged;
pub mod usage;
pub mod vms;
pub mod webhooks;

pub use crate::error::{Coded, ErrorKind};
pub use accounts::{AccountError, Accounts};
pub use caller::Caller;
pub use keys::{KeyError, Keys};
pub use plans::{PlanError, Plans};
pub use quotas::{QuotaError, Quotas};
pub use templates::{TemplateError, Templates};
pub use vms::{VmError, Vms};

use std::sync::Arc;

use crate::domain::support_hours::WorkingHours;

use crate::clock::Clock;
use crate::config::Config;
use crate::hv::link::HvLink;
use crate::store::Store;

/// Every service, built once over one store and clock.
#[derive(Clone)]
pub struct Services {
    /// The cabinet's messages in every language (with the admins' own wording).
    pub catalog: Arc<crate::i18n::Catalog>,
    /// Accounts and sessions.
    pub accounts: Accounts,
    /// API tokens.
    pub api_tokens: api_tokens::ApiTokens,
    /// Webhook subscriptions and their sender.
    pub webhooks: webhooks::Webhooks,
    /// API answers kept for replay by `Idempotency-Key`.
    pub idempotency: idempotency::Idempotency,
    /// OS templates.
    pub templates: Templates,
    /// The rescue system's images.
    pub rescue_images: rescue::RescueImages,
    /// ISO images for servers' CD-ROM drives.
    pub isos: isos::Isos,
    /// Plans.
    pub plans: Plans,
    /// SSH keys.
    pub keys: Keys,
    /// Quotas and quota requests.
    pub quotas: Quotas,
    /// Virtual machines.
    pub vms: Vms,
    /// IP pools and addresses.
    pub ipam: ipam::Ipam,
    /// Traffic of the public interfaces.
    pub traffic: traffic::Traffic,
    /// Usage history of every server (graphs, the abuse rule).
    pub usage: usage::UsageHistory,
    /// When each background job last succeeded.
    pub beats: beats::JobBeats,
    /// Requests answered, for `/metrics`.
    pub http: http_metrics::HttpMetrics,
    /// Private networks.
    pub privnets: privnets::PrivateNets,
    /// Extra disks.
    pub disks: disks::Disks,
    /// Browser console sessions.
    pub consoles: console::Consoles,
    /// Copies of the appliance's own state.
    pub db: dbcopies::DbCopies,
    /// VM backups.
    pub backups: backups::Backups,
    /// The notification centre.
    pub notices: notices::Notices,
    /// Prices, metering, balances and statements.
    pub billing: billing::Billing,
    /// E-mail copies of notices.
    pub mail: mail::Mailer,
    /// Availability (heartbeat, downtime, SLA).
    pub sla: sla::Sla,
    /// Support requests.
    pub support: support::Support,
    /// Admin alerts in a Telegram chat.
    pub telegram: telegram::Telegram,
}

impl Services {
    /// The session a cookie names and how many notices its account has not read, in one read
    /// transaction (every page's context). A failure to count is logged and counts as none.
    pub fn session_and_unread(
        &self,
        token: &str,
    ) -> Result<Option<(accounts::SessionView, u64)>, AccountError> {
        let tx = self.accounts.store().read()?;
        let Some(s) = self.accounts.session_of_token_in(&tx, token)? else { return Ok(None) };
        let reader = Caller::of(s.user.id, s.user.role, "");
        let unread = notices::unread_in(&tx, &reader).unwrap_or_else(|e| {
            tracing::warn!(code = e.code(), "cannot count unread notices: {e}");
            0
        });
        Ok(Some((s, unread)))
    }

    /// Audit entries about `owner`'s resources (all when `None`), newest first.
    pub fn activity(
        &self,
        owner: Option<crate::domain::account::UserId>,
        limit: usize,
    ) -> Result<Vec<crate::store::records::AuditRecord>, crate::store::StoreError> {
        self.accounts.audit(owner, limit)
    }

    /// Build the services.
    pub fn new(store: Arc<Store>, clock: Arc<dyn Clock>, cfg: &Config, hv: Arc<HvLink>) -> Services {
        let templates = Templates::new(store.clone(), clock.clone(), &cfg.data_dir);
        let rescue_images = rescue::RescueImages::new(store.clone(), clock.clone(), &cfg.data_dir);
        let plans = Plans::new(store.clone(), clock.clone());
        let keys = Keys::new(store.clone(), clock.clone());
        let quota_default = cfg.quotas.amounts();
        let traffic = traffic::Traffic::new(store.clone(), clock.clone());
        let backup_dir = if cfg.backup.dir.as_os_str().is_empty() {
            cfg.data_dir.join("backups")
        } else {
            cfg.backup.dir.clone()
        };
        let space = storage::SpaceFloor {
            dirs: vec![cfg.data_dir.clone(), backup_dir.clone()],
            min_free_mib: cfg.storage.min_free_mib,
            warn_free_mib: cfg.storage.warn_free_mib,
        };
        let vms = Vms::new(vms::VmsDeps {
            store: store.clone(),
            clock: clock.clone(),
            hv: hv.clone(),
            templates: templates.clone(),
            rescue_images: rescue_images.clone(),
            plans: plans.clone(),
            keys: keys.clone(),
            quota_default,
            data_dir: cfg.data_dir.clone(),
            domain_type: cfg.libvirt.domain_type,
            ip_cooldown_secs: cfg.network.ip_cooldown_secs,
            throttle: crate::domain::vm::PortSpeed::new(cfg.network.throttle_mbit)
                .unwrap_or(crate::domain::vm::PortSpeed { mbit: 10 }),
            shape: cfg.network.shaping.resolve(),
            public_bridge: cfg.network.public_bridge.clone(),
            public_network: cfg.network.public_network.clone(),
            traffic: traffic.clone(),
            space: space.clone(),
        });
        let settings = backups::BackupSettings {
            dir: backup_dir,
            max_concurrent: cfg.backup.max_concurrent,
            frequencies: cfg.backup.frequencies.clone(),
            retry_after: std::time::Duration::from_secs(cfg.backup.retry_after_secs),
            space: space.clone(),
        };
        let notices = notices::Notices::new(store.clone(), clock.clone());
        let backups = backups::Backups::new(
            store.clone(),
            clock.clone(),
            vms.clone(),
            settings,
            quota_default,
            notices.clone(),
        );
        crate::domain::money::set_currency(&cfg.billing.currency, cfg.billing.minor_unit);
        let billing = billing::Billing::new(
            store.clone(),
            clock.clone(),
            billing::BillingSettings::from_config(&cfg.billing),
            billing::TrialSettings {
                days: cfg.trial.days,
                auto_approve: cfg.trial.auto_approve,
                quota: cfg.trial.quota.amounts(),
                default_limits: quota_default,
            },
            vms.clone(),
        );
        let default_lang =
            crate::i18n::Lang::from_code(&cfg.ui.default_language).unwrap_or(crate::i18n::Lang::En);
        let catalog = Arc::new(crate::i18n::Catalog::load(default_lang, Some(&cfg.ui.locales_dir)));
        Services {
            beats: beats::JobBeats::new(clock.clone()),
            http: http_metrics::HttpMetrics::default(),
            usage: usage::UsageHistory::new(store.clone(), clock.clone(), cfg.usage.abuse.clone()),
            mail: mail::Mailer::new(store.clone(), cfg.mail.clone(), catalog.clone(), cfg.public_url.clone()),
            telegram: telegram::Telegram::new(
                store.clone(),
                cfg.alerts.clone(),
                catalog.clone(),
                cfg.public_url.clone(),
            ),
            catalog,
            sla: sla::Sla::new(
                store.clone(),
                clock.clone(),
                crate::domain::schedule::zone(&cfg.billing.time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
                cfg.sla.maintenance_notice_hours,
            ),
            support: support::Support::new(
                store.clone(),
                clock.clone(),
                crate::domain::schedule::zone(&cfg.billing.time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
                cfg.support.working_hours.parse().unwrap_or_else(|_| WorkingHours::always()),
            ),
            backups,
            billing,
            notices,
            accounts: Accounts::new(store.clone(), clock.clone(), &cfg.accounts, quota_default),
            api_tokens: api_tokens::ApiTokens::new(store.clone(), clock.clone()),
            webhooks: webhooks::Webhooks::new(store.clone(), clock.clone()),
            idempotency: idempotency::Idempotency::new(store.clone(), clock.clone()),
            templates,
            rescue_images,
            isos: isos::Isos::new(store.clone(), clock.clone(), &cfg.data_dir).with_uploads(isos::Uploads {
                enabled: cfg.isos.uploads,
                max_bytes: cfg.isos.max_upload_bytes(),
                quota_default: cfg.quotas.amounts(),
            }),
            plans,
            keys,
            quotas: Quotas::new(store.clone(), clock.clone(), quota_default),
            vms,
            ipam: ipam::Ipam::new(store.clone(), clock.clone(), cfg.network.ip_cooldown_secs),
            traffic,
            privnets: privnets::PrivateNets::new(store.clone(), clock.clone(), hv, quota_default),
            disks: disks::Disks::new(
                store.clone(),
                clock.clone(),
                quota_default,
                &cfg.data_dir,
                space.clone(),
            ),
            consoles: console::Consoles::new(clock.clone(), cfg.console.clone()),
            db: dbcopies::DbCopies::new(store.clone(), clock.clone(), &cfg.data_dir, &cfg.backup),
        }
    }
}
