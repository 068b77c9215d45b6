//! A VM's availability this month on its page: the figure, the credit tier it would give, and
//! each downtime span with its cause.

use maud::{Markup, html};

use crate::domain::sla::Cause;
use crate::i18n::Msg;
use crate::service::sla::VmAvailability;
use crate::web::ctx::Ctx;

/// The words for why a server was down.
pub fn cause_words(cause: Cause) -> Msg {
    match cause {
        Cause::HostDown => Msg::CauseHostDown,
        Cause::Platform => Msg::CausePlatform,
        Cause::Incident => Msg::CauseIncident,
        Cause::Maintenance => Msg::CauseMaintenance,
        Cause::Customer => Msg::CauseCustomer,
        Cause::ForceMajeure => Msg::CauseForceMajeure,
    }
}

/// The availability panel.
pub fn render_availability(ctx: &Ctx, a: &VmAvailability) -> Markup {
    let t = |m| ctx.t(m);
    let time = |at| ctx.lang.time(at);
    html! {
        div.panel #availability {
            h2 { (t(Msg::AvailabilityTitle)) }
            p { strong { (ctx.lang.percent(a.ppm)) } " " (ctx.fmt(Msg::AvailabilitySince, &[("since", time(a.period.from).into())]))
                " "
                @if a.credit_percent > 0 { (ctx.fmt(Msg::AvailabilityCredit, &[("percent", a.credit_percent.into())])) }
                @else { (t(Msg::AvailabilityPromised)) } }
            @if a.downtime.is_empty() { p.muted { (t(Msg::AvailabilityNoDowntime)) } } @else {
                table { tbody { @for d in &a.downtime { tr {
                    td { (ctx.time(d.span.from)) " – " (ctx.time(d.span.to)) }
                    td { (ctx.fmt(Msg::AvailabilityMinutes, &[("minutes", (d.span.secs() / 60).into())]))
                        @if d.ongoing { " " span.badge.error { (t(Msg::AvailabilityOngoing)) } } }
                    td { (t(cause_words(d.cause))) }
                    td.muted { (d.note) }
                } } } }
            }
            @for m in &a.maintenance {
                p.muted { (ctx.fmt(Msg::AvailabilityMaintenance, &[("from", time(m.from).into()), ("to", time(m.to).into())])) }
            }
            p { a href="/sla" { (t(Msg::AvailabilityAllServers)) } " · " a href="/status" { (t(Msg::AvailabilityStatus)) } }
            p.hint { (t(Msg::AvailabilityCounted)) }
        }
    }
}
