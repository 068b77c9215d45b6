//! The network panels of the VM page: public addresses (with reverse DNS forms and the extra
//! IPv4 buttons), and this month's traffic with a bar chart per day as inline SVG (no
//! JavaScript; colours are presentation attributes, so the strict CSP holds).

use maud::{Markup, html};

use crate::domain::vm::VmId;
use crate::service::ipam::Lease;
use crate::service::traffic::MonthTraffic;
use crate::web::ctx::Ctx;
use crate::web::layout::csrf_field;

/// The public addresses panel. `can_remove` when the VM holds extra IPv4 addresses; the add and
/// remove buttons show only when the VM is `ready` for a change.
pub fn addresses_panel(
    ctx: &Ctx,
    base: &str,
    id: VmId,
    leases: &[Lease],
    can_remove: bool,
    ready: bool,
) -> Markup {
    html! {
        div.panel {
            h2 { "Public addresses" }
            @if leases.is_empty() {
                p.muted { "None." }
            } @else {
                table { tbody {
                    @for l in leases {
                        tr {
                            th { (if l.address.0.is_ipv4() { "IPv4" } else { "IPv6" }) }
                            td {
                                code { (l.address.0) "/" (l.address.1) }
                                " · gateway " code { (l.gateway) }
                                @if !l.dns.is_empty() {
                                    " · DNS " @for (i, d) in l.dns.iter().enumerate() { @if i > 0 { ", " } code { (d) } }
                                }
                                form.inline method="post" action={ (base) "/" (id) "/rdns" } {
                                    (csrf_field(ctx))
                                    input type="hidden" name="address" value=(l.address.0);
                                    input type="text" name="ptr" value=[l.ptr.as_deref()] placeholder="reverse DNS, e.g. mail.example.com" aria-label={ "Reverse DNS of " (l.address.0) };
                                    button.secondary type="submit" { "Save" }
                                }
                            }
                        }
                    }
                } }
                p.hint { "cloud-init sets these addresses in the server. A change made here takes effect in the server at its next boot (reboot it from this page or from inside it); the address filter follows at once." }
            }
            @if ready {
                div.actions {
                    form.inline method="post" action={ (base) "/" (id) "/ips" } {
                        (csrf_field(ctx))
                        button.secondary type="submit" { "Add an IPv4 address" }
                    }
                    @if can_remove {
                        @if let Some(last) = leases.iter().rfind(|l| l.address.0.is_ipv4()) {
                            form.inline method="post" action={ (base) "/" (id) "/ips/remove" } {
                                (csrf_field(ctx))
                                input type="hidden" name="address" value=(last.address.0);
                                button.secondary type="submit" { "Remove " (last.address.0) }
                            }
                        }
                    }
                }
                p.hint { "Extra addresses count against your IPv4 quota. A removed address rests a while before anyone else gets it." }
            }
        }
    }
}

/// Bytes in decimal units, as hosters bill them: `532 B`, `1.4 MB`, `12.0 GB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    // Integer arithmetic (no float formatting: a VM page writes this some sixty times).
    let (mut scale, mut unit) = (1000u128, 0);
    while u128::from(n) >= scale * 1000 && unit < UNITS.len() - 1 {
        scale *= 1000;
        unit += 1;
    }
    let tenths = (u128::from(n) * 10 + scale / 2) / scale;
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The panel: totals and the per-day chart.
pub fn traffic_panel(m: &MonthTraffic) -> Markup {
    let (total_in, total_out) = m.total();
    let max = m.days.iter().map(|(i, o)| (*i).max(*o)).max().unwrap_or(0).max(1);
    // Bar heights of 0..=80 in whole units, rounded (integer arithmetic, no float formatting).
    let h = |v: u64| ((u128::from(v) * 160 + u128::from(max)) / (u128::from(max) * 2)) as u64;
    let width = m.days.len() * 10;
    let month = MONTHS.get(m.month.saturating_sub(1) as usize).copied().unwrap_or("");
    html! {
        div.panel {
            h2 { "Traffic" }
            p { (month) " " (m.year) ": in " strong { (bytes(total_in)) } ", out " strong { (bytes(total_out)) } }
            svg.chart viewBox={ "0 0 " (width) " 100" } width="100%" height="120" role="img"
                aria-label={ "Traffic per day in " (month) ": in " (bytes(total_in)) ", out " (bytes(total_out)) } {
                @for (i, (din, dout)) in m.days.iter().enumerate() {
                    rect x=(i * 10 + 1) y=(90 - h(*din)) width="4" height=(h(*din)) fill="#3b82f6" {
                        title { "Day " (i + 1) ": in " (bytes(*din)) }
                    }
                    rect x=(i * 10 + 5) y=(90 - h(*dout)) width="4" height=(h(*dout)) fill="#f59e0b" {
                        title { "Day " (i + 1) ": out " (bytes(*dout)) }
                    }
                }
                line x1="0" y1="90.5" x2=(width) y2="90.5" stroke="#9ca3af" stroke-width="0.5" {}
                text x="0" y="99" font-size="7" fill="#6b7280" { "1" }
                text x=(width - 10) y="99" font-size="7" fill="#6b7280" { (m.days.len()) }
            }
            p.hint { "Blue: in, orange: out, per day (UTC) of the public interface." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(bytes(532), "532 B");
        assert_eq!(bytes(1_400_000), "1.4 MB");
        assert_eq!(bytes(12_000_000_000), "12.0 GB");
    }

    #[test]
    fn chart_scales_to_the_busiest_day() {
        let m = MonthTraffic { year: 2026, month: 2, days: vec![(0, 0), (1000, 500), (0, 0)] };
        let html = traffic_panel(&m).into_string();
        assert!(
            html.contains("February 2026: in <strong>1.0 kB</strong>, out <strong>500 B</strong>"),
            "{html}"
        );
        assert!(html.contains("<rect x=\"11\" y=\"10\" width=\"4\" height=\"80\""), "{html}");
        assert!(html.contains("<rect x=\"15\" y=\"50\" width=\"4\" height=\"40\""), "{html}");
        assert!(!html.contains("<script"), "no JavaScript");
    }
}
