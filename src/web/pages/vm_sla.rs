//! A VM's availability this month on its page: the figure, the credit tier it would give, and
//! each downtime span with its cause.

use crate::web::layout::Utc;
use maud::{Markup, html};

use crate::domain::sla::percent_label;
use crate::service::sla::VmAvailability;

/// The availability panel.
pub fn render_availability(a: &VmAvailability) -> Markup {
    html! {
        div.panel #availability {
            h2 { "Availability this month" }
            p { strong { (percent_label(a.ppm)) } " since " (Utc(a.period.from))
                @if a.credit_percent > 0 { " — below the promised 99.9%: a credit of " (a.credit_percent) "% of this server's charges for the month" }
                @else { " (promised: 99.9%)" } }
            @if a.downtime.is_empty() { p.muted { "No downtime recorded." } } @else {
                table { tbody { @for d in &a.downtime { tr {
                    td { (Utc(d.span.from)) " – " (Utc(d.span.to)) }
                    td { (d.span.secs() / 60) " min" @if d.ongoing { " " span.badge.error { "ongoing" } } }
                    td { (d.cause.label()) }
                    td.muted { (d.note) }
                } } } }
            }
            @for m in &a.maintenance { p.muted { "Planned maintenance " (Utc(m.from)) " – " (Utc(m.to)) ": not counted." } }
            p { a href="/sla" { "All servers and credits" } " · " a href="/status" { "Service status" } }
            p.hint { "Counted: time the server was meant to run but the host, the virtualization platform or the network failed. Not counted: planned maintenance, force majeure, and anything inside the server (its operating system and software are yours)." }
        }
    }
}
