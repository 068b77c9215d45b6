//! The errors' messages in the bundles: English says what the error itself says (so the log
//! and the page agree), and every language has a message for every error a person can see.

use super::*;
use crate::domain::account::PolicyError;
use crate::domain::disk::DiskSpecError;
use crate::domain::firewall::RuleError;
use crate::domain::ipam::{PoolSpecError, PtrNameError};
use crate::domain::privnet::NetSpecError;
use crate::domain::quota::{QuotaExceeded, Resource};
use crate::domain::schedule::ScheduleError;
use crate::domain::ssh::SshKeyError;
use crate::domain::time::Timestamp;
use crate::domain::vm::HostnameError;
use crate::error::Coded;
use crate::service::api_tokens::TokenError;
use crate::service::backups::BackupError;
use crate::service::billing::BillingError;
use crate::service::console::ConsoleError;
use crate::service::disks::DiskError;
use crate::service::ipam::IpamError;
use crate::service::privnets::NetError;
use crate::service::sla::{Refusal, SlaError};
use crate::service::storage::LowSpace;
use crate::service::support::SupportError;
use crate::service::vms::StateProblem;
use crate::service::{AccountError, KeyError, PlanError, QuotaError, TemplateError, VmError};

fn vm_id(id: u64) -> crate::domain::vm::VmId {
    crate::domain::vm::VmId(id)
}

/// One error of every kind a person can be shown, with arguments.
fn samples() -> Vec<Box<dyn Coded>> {
    let quota = QuotaExceeded { resource: Resource::Vcpus, limit: 4, used: 3, requested: 2 };
    let ip: std::net::IpAddr = "203.0.113.7".parse().unwrap();
    let mut v: Vec<Box<dyn Coded>> = vec![
        Box::new(AccountError::Policy(PolicyError::EmailInvalid)),
        Box::new(AccountError::Policy(PolicyError::PasswordTooShort)),
        Box::new(AccountError::Policy(PolicyError::PasswordTooLong)),
        Box::new(AccountError::Policy(PolicyError::PasswordIsEmail)),
        Box::new(AccountError::EmailTaken),
        Box::new(AccountError::BadCredentials),
        Box::new(AccountError::Locked { until: Timestamp::from_secs(1_796_487_600) }),
        Box::new(AccountError::Disabled),
        Box::new(AccountError::ExternalTaken("whmcs-42".into(), 7)),
        Box::new(AccountError::ExternalInvalid),
        Box::new(AccountError::SsoLinkInvalid),
        Box::new(AccountError::SsoNotCustomer),
        Box::new(AccountError::HasServers),
        Box::new(AccountError::CodeWrong),
        Box::new(AccountError::SecondStepExpired),
        Box::new(AccountError::TotpNotSetUp),
        Box::new(AccountError::TotpOnAlready),
        Box::new(AccountError::TotpOff),
        Box::new(AccountError::TwoFactorRequired),
        Box::new(AccountError::TwoFactorPolicy("some".into())),
        Box::new(AccountError::PasskeySite),
        Box::new(AccountError::PasskeyFailed("the challenge did not match".into())),
        Box::new(AccountError::PasskeyUnknown),
        Box::new(AccountError::PasskeyName),
        Box::new(AccountError::CeremonyExpired),
        Box::new(VmError::ExternalTaken("svc-100".into(), vm_id(12))),
        Box::new(VmError::ExternalInvalid),
        Box::new(VmError::DeletionPending),
        Box::new(VmError::NoDeletionPending),
        Box::new(VmError::OperationNotFound),
        Box::new(VmError::NoAbuseCase),
        Box::new(VmError::CpuCapRange),
        Box::new(VmError::NoRescueImage),
        Box::new(VmError::InRescue),
        Box::new(VmError::NotInRescue),
        Box::new(VmError::LimitsRange),
        Box::new(VmError::IsoUnavailable),
        Box::new(VmError::NoIso),
        Box::new(VmError::HasSnapshots(2)),
        Box::new(VmError::SnapshotLabel),
        Box::new(VmError::SnapshotDisksChanged),
        Box::new(VmError::NoSnapshot),
        Box::new(crate::service::isos::IsoError::NameInvalid),
        Box::new(crate::service::isos::IsoError::NameTaken("debian-12".into())),
        Box::new(crate::service::isos::IsoError::NotIso),
        Box::new(crate::service::isos::IsoError::NotFound("debian-12".into())),
        Box::new(crate::service::isos::IsoError::InUse { name: "debian-12".into(), vms: 2 }),
        Box::new(crate::service::isos::IsoError::StagedPathInvalid),
        Box::new(crate::service::isos::IsoError::TooLarge { max_mib: 8192 }),
        Box::new(crate::service::isos::IsoError::Quota(QuotaExceeded {
            resource: Resource::IsoGb,
            limit: 10,
            used: 9,
            requested: 2,
        })),
        Box::new(crate::service::isos::IsoError::NoFile),
        Box::new(crate::service::isos::IsoError::UploadsOff),
        Box::new(crate::service::rescue::RescueImageError::StagedPathInvalid),
        Box::new(AccountError::SignupClosed),
        Box::new(AccountError::ResetLinkInvalid),
        Box::new(AccountError::WrongCurrentPassword),
        Box::new(AccountError::NotFound),
        Box::new(AccountError::LastAdmin),
        Box::new(AccountError::InvalidRole("root".into())),
        Box::new(AccountError::TimeZone(ScheduleError::UnknownZone("Mars/Base".into()))),
        Box::new(AccountError::Language("de".into())),
        Box::new(VmError::HostnameTaken("web1".into())),
        Box::new(VmError::PlanUnavailable),
        Box::new(VmError::TemplateUnavailable),
        Box::new(VmError::DiskTooSmall { template: "debian-12".into(), min: 4, disk: 2 }),
        Box::new(VmError::NoCredentials),
        Box::new(VmError::PasswordWeak),
        Box::new(VmError::Quota(quota.clone())),
        Box::new(VmError::Suspended),
        Box::new(VmError::AccountSuspended),
        Box::new(VmError::ConfirmMismatch),
        Box::new(VmError::DiskShrink { new: 10, old: 20 }),
        Box::new(VmError::MacSpace),
        Box::new(VmError::Unavailable(crate::hv::HvError::Connect {
            uri: "qemu:///system".into(),
            message: "x".into(),
        })),
        Box::new(VmError::Busy("it is not ready")),
        Box::new(VmError::Busy("the disk changed meanwhile")),
        Box::new(VmError::Busy("another operation is running")),
        Box::new(VmError::Rule(RuleError::Kind)),
        Box::new(VmError::Rule(RuleError::NoPorts("icmp"))),
        Box::new(VmError::Rule(RuleError::NotAPort("70000".into()))),
        Box::new(VmError::Rule(RuleError::Reversed(90, 80))),
        Box::new(VmError::Rule(RuleError::Source("nowhere".into()))),
        Box::new(VmError::Rule(RuleError::TooMany)),
        Box::new(LowSpace { dir: "/var/lib/vpsbox".into(), free_mib: 100, floor_mib: 2048 }),
        Box::new(BackupError::NotFound),
        Box::new(BackupError::VmBusy),
        Box::new(BackupError::Quota(quota.clone())),
        Box::new(BackupError::Schedule(ScheduleError::OutOfRange("day of the month"))),
        Box::new(BackupError::FrequencyNotOffered("hourly")),
        Box::new(BackupError::Keep(30)),
        Box::new(BackupError::TooManySchedules(4)),
        Box::new(BackupError::NotConfirmed),
        Box::new(BackupError::NotDone),
        Box::new(BackupError::HasDependent(7)),
        Box::new(BackupError::StillRunning),
        Box::new(BackupError::StorageFull { used: "9.5 GiB".into(), limit_gb: 10 }),
        Box::new(BackupError::InUse),
        Box::new(BackupError::NoSystemDisk),
        Box::new(BillingError::Amount),
        Box::new(BillingError::HourlyAboveMonthly),
        Box::new(BillingError::TrialUsed),
        Box::new(BillingError::TrialNotNew),
        Box::new(BillingError::TrialState),
        Box::new(BillingError::ReferenceTaken("pay-77".into())),
        Box::new(crate::service::webhooks::WebhookError::Url),
        Box::new(crate::service::webhooks::WebhookError::Event("server.exploded".into())),
        Box::new(crate::service::webhooks::WebhookError::NoEvents),
        Box::new(crate::service::webhooks::WebhookError::TooMany),
        Box::new(crate::service::webhooks::WebhookError::NotFound),
        Box::new(VmError::Hv(crate::hv::HvError::NoAgent("guest agent is not connected".into()))),
        Box::new(ConsoleError::NoTicket),
        Box::new(ConsoleError::Expired),
        Box::new(ConsoleError::Mismatch),
        Box::new(ConsoleError::VmLimit(2)),
        Box::new(ConsoleError::AccountLimit(5)),
        Box::new(DiskError::Spec(DiskSpecError::Name)),
        Box::new(DiskError::Spec(DiskSpecError::Size("0".into()))),
        Box::new(DiskError::Quota(quota.clone())),
        Box::new(DiskError::NotFound),
        Box::new(DiskError::Attached),
        Box::new(DiskError::NotAttached),
        Box::new(DiskError::TooMany),
        Box::new(DiskError::Shrink { old: 20, new: 10 }),
        Box::new(IpamError::NameInvalid),
        Box::new(IpamError::NameTaken("public".into())),
        Box::new(IpamError::Spec(PoolSpecError::Address("x".into()))),
        Box::new(IpamError::Spec(PoolSpecError::Empty)),
        Box::new(IpamError::Overlap {
            network: "192.0.2.0/24".into(),
            other: "old".into(),
            other_network: "192.0.2.0/25".into(),
        }),
        Box::new(IpamError::NotFound("public".into())),
        Box::new(IpamError::InUse { name: "public".into(), leased: 3 }),
        Box::new(IpamError::Exhausted("public".into())),
        Box::new(IpamError::NoFreeAddress("IPv4")),
        Box::new(IpamError::NotLeased(ip, "public".into())),
        Box::new(IpamError::PtrName(PtrNameError("bad".into()))),
        Box::new(IpamError::UnknownAddress(ip)),
        Box::new(TokenError::Name),
        Box::new(TokenError::KindNotOpen),
        Box::new(TokenError::Kind("robot".into())),
        Box::new(TokenError::UnknownScope("root".into())),
        Box::new(TokenError::ScopeNotForKind { kind: "customer", scope: "balances" }),
        Box::new(TokenError::Network(
            "`x` is not a network in CIDR notation: expected ADDRESS/LENGTH".into(),
        )),
        Box::new(TokenError::TooMany),
        Box::new(TokenError::NotFound),
        Box::new(TokenError::NoAccount),
        Box::new(TokenError::Unauthenticated),
        Box::new(TokenError::Expired(Timestamp::from_secs(1_796_487_600))),
        Box::new(TokenError::Revoked),
        Box::new(TokenError::OwnerDisabled),
        Box::new(TokenError::WrongNetwork(ip)),
        Box::new(TokenError::Scope("servers")),
        Box::new(KeyError::Invalid(SshKeyError::Format)),
        Box::new(KeyError::Invalid(SshKeyError::Type("ssh-dss".into()))),
        Box::new(KeyError::Invalid(SshKeyError::Blob("ssh-ed25519".into()))),
        Box::new(KeyError::Invalid(SshKeyError::Private)),
        Box::new(KeyError::Invalid(SshKeyError::WeakRsa)),
        Box::new(KeyError::Name),
        Box::new(KeyError::Duplicate("laptop".into())),
        Box::new(KeyError::TooMany),
        Box::new(NetError::Spec(NetSpecError::Name)),
        Box::new(NetError::NameTaken("lan".into())),
        Box::new(NetError::Quota(quota)),
        Box::new(NetError::NotFound),
        Box::new(NetError::InUse(2)),
        Box::new(NetError::Full),
        Box::new(NetError::AlreadyAttached),
        Box::new(NetError::NotAttached),
        Box::new(NetError::TooManyNics),
        Box::new(NetError::IdSpace),
        Box::new(PlanError::CpuLimits),
        Box::new(PlanError::OveragePrice),
        Box::new(PlanError::NameInvalid),
        Box::new(PlanError::NameTaken("small".into())),
        Box::new(PlanError::Spec(crate::domain::catalog::PlanSpecError::OutOfRange {
            what: "Memory (MiB)",
            min: 128,
            max: 1 << 20,
        })),
        Box::new(PlanError::NotFound("small".into())),
        Box::new(PlanError::InUse { name: "small".into(), vms: 2 }),
        Box::new(TemplateError::NameInvalid),
        Box::new(TemplateError::NameTaken("debian-12".into())),
        Box::new(TemplateError::OsInvalid("plan9".into())),
        Box::new(TemplateError::NotFound("debian-12".into())),
        Box::new(TemplateError::InUse { name: "debian-12".into(), vms: 2 }),
        Box::new(TemplateError::StagedPathInvalid),
        Box::new(TemplateError::LoginUserInvalid),
        Box::new(TemplateError::MinDiskTooSmall { min: 1, needed: 3 }),
        Box::new(QuotaError::NothingAsked),
        Box::new(QuotaError::Reason),
        Box::new(QuotaError::AlreadyPending),
        Box::new(QuotaError::Decided),
        Box::new(SlaError::NotFound("maintenance window")),
        Box::new(SlaError::Refused(Refusal::Line { what: "title", max: 200 })),
        Box::new(SlaError::Refused(Refusal::Line { what: "description", max: 500 })),
        Box::new(SlaError::Refused(Refusal::NoServers)),
        Box::new(SlaError::Refused(Refusal::NoSuchServer(12))),
        Box::new(SlaError::Refused(Refusal::StartsInFuture)),
        Box::new(SlaError::Refused(Refusal::UpdateTooLong)),
        Box::new(SlaError::Refused(Refusal::EndOutside { start: Timestamp::from_secs(1_796_487_600) })),
        Box::new(SlaError::Refused(Refusal::NothingToUpdate)),
        Box::new(SlaError::Refused(Refusal::WindowInPast)),
        Box::new(SlaError::Refused(Refusal::WindowLength)),
        Box::new(SlaError::Refused(Refusal::WindowOver)),
        Box::new(SlaError::Refused(Refusal::BadScope)),
        Box::new(SupportError::Body),
        Box::new(SupportError::Subject),
        Box::new(SupportError::NotYourServer(12)),
        Box::new(SupportError::NotFound),
        Box::new(SupportError::Closed),
        Box::new(crate::service::bot::BotError::Off),
        Box::new(SupportError::AttachmentTooBig("app.log".into(), 256)),
        Box::new(SupportError::AttachmentNotText("core".into())),
        Box::new(SupportError::TooManyAttachments(5)),
    ];
    for h in [HostnameError::Length, HostnameError::Label, HostnameError::Numeric] {
        v.push(Box::new(VmError::Hostname(h)));
    }
    for s in [
        StateProblem::Running,
        StateProblem::NotRunning,
        StateProblem::NotRunningConsole,
        StateProblem::RunningResize,
        StateProblem::NoConsoles,
        StateProblem::MaxIpv4(16),
        StateProblem::IncludedIpv4(1),
        StateProblem::OnlyIpv4Moves,
        StateProblem::AlreadyHere(ip),
    ] {
        v.push(Box::new(VmError::WrongState(s)));
    }
    for what in ["the payment reference", "why the balance is corrected", "what the credit is for"] {
        v.push(Box::new(BillingError::Text(what)));
    }
    for what in ["plan", "account", "trial"] {
        v.push(Box::new(BillingError::NotFound(what)));
    }
    for what in ["started", "restored", "starts", "ends"] {
        v.push(Box::new(SlaError::Refused(Refusal::BadTime(what))));
    }
    for f in ["frequency", "time of day", "weekday", "day of the month", "number of backups to keep"] {
        v.push(Box::new(BackupError::Form(f)));
    }
    v
}

#[test]
fn english_error_messages_say_what_the_errors_say() {
    let c = Catalog::builtin(Lang::En);
    let differ: Vec<String> = samples()
        .iter()
        .filter_map(|e| {
            let text = c.error(Lang::En, e.code(), &e.args());
            (text.as_deref() != Some(e.to_string().as_str()))
                .then(|| format!("{}: bundle {text:?}, error {:?}", e.code(), e.to_string()))
        })
        .collect();
    assert!(differ.is_empty(), "{differ:#?}");
}

#[test]
fn every_language_has_every_error_and_fills_in_its_arguments() {
    let c = Catalog::builtin(Lang::En);
    for lang in [Lang::Ru, Lang::Kk] {
        for e in samples() {
            let id = format!("err-{}", e.code());
            let msg = Msg::ALL.iter().find(|m| m.id() == id).unwrap_or_else(|| panic!("no {id}"));
            assert!(c.has(lang, *msg), "{} lacks {id}", lang.code());
            let text = c.error(lang, e.code(), &e.args()).unwrap();
            assert!(!text.contains("{$") && !text.contains("{ $"), "{}: {text}", e.code());
            assert_ne!(text, e.to_string(), "{} {} is still English", lang.code(), e.code());
        }
    }
    // A time argument is written the language's way.
    let locked = AccountError::Locked { until: Timestamp::from_secs(1_796_487_600) };
    assert!(c.error(Lang::Ru, "ACC0005", &locked.args()).unwrap().contains("05.12.2026 16:20 UTC"));
}
