//! The network panels of the VM page: public addresses (with reverse DNS forms and the extra
//! IPv4 buttons), and this month's traffic with a bar chart per day as inline SVG (no
//! JavaScript; colours are presentation attributes, so the strict CSP holds).

use maud::{Markup, html};

use crate::domain::vm::VmId;
use crate::i18n::{Msg, Template};
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
    let t = |m| ctx.t(m);
    html! {
        div.panel {
            h2 { (t(Msg::AddressesTitle)) }
            @if leases.is_empty() {
                p.muted { (t(Msg::AddressesNone)) }
            } @else {
                table { tbody {
                    @for l in leases {
                        tr {
                            th { (if l.address.0.is_ipv4() { "IPv4" } else { "IPv6" }) }
                            td {
                                code { (l.address.0) "/" (l.address.1) }
                                " · " (t(Msg::AddressesGateway)) " " code { (l.gateway) }
                                @if !l.dns.is_empty() {
                                    " · " (t(Msg::AddressesDns)) " " @for (i, d) in l.dns.iter().enumerate() { @if i > 0 { ", " } code { (d) } }
                                }
                                form.inline method="post" action={ (base) "/" (id) "/rdns" } {
                                    (csrf_field(ctx))
                                    input type="hidden" name="address" value=(l.address.0);
                                    input type="text" name="ptr" value=[l.ptr.as_deref()] placeholder=(t(Msg::AddressesRdnsPlaceholder))
                                        aria-label=(ctx.fmt(Msg::AddressesRdnsLabel, &[("address", l.address.0.to_string().into())]));
                                    button.secondary type="submit" { (t(Msg::AddressesSave)) }
                                }
                            }
                        }
                    }
                } }
                p.hint { (t(Msg::AddressesHint)) }
            }
            @if ready {
                div.actions {
                    form.inline method="post" action={ (base) "/" (id) "/ips" } {
                        (csrf_field(ctx))
                        button.secondary type="submit" { (t(Msg::AddressesAdd)) }
                    }
                    @if can_remove {
                        @if let Some(last) = leases.iter().rfind(|l| l.address.0.is_ipv4()) {
                            form.inline method="post" action={ (base) "/" (id) "/ips/remove" } {
                                (csrf_field(ctx))
                                input type="hidden" name="address" value=(last.address.0);
                                button.secondary type="submit" { (ctx.fmt(Msg::AddressesRemove, &[("address", last.address.0.to_string().into())])) }
                            }
                        }
                    }
                }
                p.hint { (t(Msg::AddressesQuotaHint)) }
            }
        }
    }
}

/// The name of month `m` (1 to 12).
pub fn month_name(ctx: &Ctx, m: u32) -> &str {
    const MONTHS: [Msg; 12] = [
        Msg::Month1,
        Msg::Month2,
        Msg::Month3,
        Msg::Month4,
        Msg::Month5,
        Msg::Month6,
        Msg::Month7,
        Msg::Month8,
        Msg::Month9,
        Msg::Month10,
        Msg::Month11,
        Msg::Month12,
    ];
    MONTHS.get(m.saturating_sub(1) as usize).map_or("", |msg| ctx.t(*msg))
}

/// The arguments of a bar's tooltip.
const DAY_ARGS: [&str; 2] = ["day", "bytes"];

/// A bar's tooltip: "Day 3: in 1.4 MB", from the message's template when it has one.
struct DayTitle<'a> {
    ctx: &'a Ctx,
    template: Option<&'a Template>,
    msg: Msg,
    day: usize,
    bytes: u64,
}

impl maud::Render for DayTitle<'_> {
    fn render_to(&self, out: &mut String) {
        use std::fmt::Write as _;
        match self.template {
            Some(t) => t.write(out, |out, i| {
                if i == 0 {
                    let _ = write!(out, "{}", self.day);
                } else {
                    self.ctx.lang.write_bytes(out, self.bytes);
                }
            }),
            None => {
                let args = [("day", self.day.into()), ("bytes", self.ctx.lang.bytes(self.bytes).into())];
                self.ctx.fmt(self.msg, &args).render_to(out);
            }
        }
    }
}

/// The panel: totals and the per-day chart.
pub fn traffic_panel(ctx: &Ctx, m: &MonthTraffic, a: &crate::service::vms::TrafficView) -> Markup {
    let (total_in, total_out) = m.total();
    let max = m.days.iter().map(|(i, o)| (*i).max(*o)).max().unwrap_or(0).max(1);
    // Bar heights of 0..=80 in whole units, rounded (integer arithmetic, no float formatting).
    let h = |v: u64| ((u128::from(v) * 160 + u128::from(max)) / (u128::from(max) * 2)) as u64;
    let width = m.days.len() * 10;
    let month = month_name(ctx, m.month);
    let bytes = |n| ctx.lang.bytes(n);
    let totals = [("month", month.into()), ("in", bytes(total_in).into()), ("out", bytes(total_out).into())];
    // Each bar's tooltip: its message split once, then filled per day.
    let day_in = ctx.catalog.template(ctx.lang, Msg::TrafficDayIn, &DAY_ARGS);
    let day_out = ctx.catalog.template(ctx.lang, Msg::TrafficDayOut, &DAY_ARGS);
    html! {
        div.panel {
            h2 { (ctx.t(Msg::TrafficTitle)) }
            p { (ctx.fmt(Msg::TrafficMonth, &[("month", month.into()), ("year", m.year.to_string().into()), ("in", bytes(total_in).into()), ("out", bytes(total_out).into())])) }
            @if let Some(allowance) = a.allowance {
                @let percent = allowance.percent(a.used);
                p #traffic-allowance {
                    (ctx.fmt(Msg::TrafficAllowanceUse, &[("used", bytes(a.used).into()), ("allowance", allowance.gib.into()), ("percent", percent.into())]))
                }
                meter min="0" max="100" low="80" high="99" optimum="0" value=(percent.min(100)) aria-label=(ctx.t(Msg::TrafficAllowanceMeter)) {}
                @if a.throttled {
                    p.agent.warn { (ctx.fmt(Msg::TrafficThrottled, &[("mbit", a.throttle.mbit.into())])) }
                }
                @if let Some(price) = a.overage {
                    p.hint #traffic-overage {
                        (ctx.fmt(Msg::TrafficOverage, &[("price", ctx.money(price).into()), ("gib", a.charged_gib.into())]))
                    }
                }
            }
            svg.chart viewBox={ "0 0 " (width) " 100" } width="100%" height="120" role="img"
                aria-label=(ctx.fmt(Msg::TrafficChartLabel, &totals)) {
                @for (i, (din, dout)) in m.days.iter().enumerate() {
                    rect x=(i * 10 + 1) y=(90 - h(*din)) width="4" height=(h(*din)) fill="#3b82f6" {
                        title { (DayTitle { ctx, template: day_in.as_ref(), msg: Msg::TrafficDayIn, day: i + 1, bytes: *din }) }
                    }
                    rect x=(i * 10 + 5) y=(90 - h(*dout)) width="4" height=(h(*dout)) fill="#f59e0b" {
                        title { (DayTitle { ctx, template: day_out.as_ref(), msg: Msg::TrafficDayOut, day: i + 1, bytes: *dout }) }
                    }
                }
                line x1="0" y1="90.5" x2=(width) y2="90.5" stroke="#9ca3af" stroke-width="0.5" {}
                text x="0" y="99" font-size="7" fill="#6b7280" { "1" }
                text x=(width - 10) y="99" font-size="7" fill="#6b7280" { (m.days.len()) }
            }
            p.hint { (ctx.t(Msg::TrafficHint)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn chart_scales_to_the_busiest_day() {
        let m = MonthTraffic { year: 2026, month: 2, days: vec![(0, 0), (1000, 500), (0, 0)] };
        let unlimited = crate::service::vms::TrafficView {
            used: 1500,
            allowance: None,
            throttled: false,
            throttle: crate::domain::vm::PortSpeed { mbit: 10 },
            overage: None,
            charged_gib: 0,
        };
        let html = traffic_panel(&Ctx::for_tests(Lang::En), &m, &unlimited).into_string();
        assert!(html.contains("February 2026: in 1.0 kB, out 500 B"), "{html}");
        assert!(!html.contains("traffic-allowance"), "no allowance, no line: {html}");
        let ru = traffic_panel(&Ctx::for_tests(Lang::Ru), &m, &unlimited).into_string();
        assert!(ru.contains("Февраль 2026: входящий 1,0 кБ, исходящий 500 Б"), "{ru}");
        assert!(html.contains("<rect x=\"11\" y=\"10\" width=\"4\" height=\"80\""), "{html}");
        assert!(html.contains("<rect x=\"15\" y=\"50\" width=\"4\" height=\"40\""), "{html}");
        assert!(!html.contains("<script"), "no JavaScript");
        let used_up = crate::service::vms::TrafficView {
            used: 11 * crate::domain::allowance::GIB,
            allowance: crate::domain::allowance::Allowance::new(10),
            throttled: true,
            ..unlimited
        };
        let html = traffic_panel(&Ctx::for_tests(Lang::En), &m, &used_up).into_string();
        assert!(html.contains("of 10 GiB this month (110%)"), "{html}");
        assert!(html.contains("runs at 10 Mbit/s until the month ends"), "{html}");
        assert!(html.contains("<meter") && html.contains("value=\"100\""), "{html}");
    }

    #[test]
    fn a_bars_tooltip_from_its_template_reads_as_the_message_does() {
        use maud::Render;
        for lang in Lang::ALL {
            let ctx = Ctx::for_tests(lang);
            for msg in [Msg::TrafficDayIn, Msg::TrafficDayOut] {
                let template = ctx.catalog.template(lang, msg, &DAY_ARGS);
                assert!(template.is_some(), "{lang:?} {msg:?}");
                for (day, bytes) in [(1, 0), (9, 999), (17, 1_450), (31, 12_345_678_901)] {
                    let quick = DayTitle { ctx: &ctx, template: template.as_ref(), msg, day, bytes };
                    let slow = DayTitle { ctx: &ctx, template: None, msg, day, bytes };
                    assert_eq!(quick.render().into_string(), slow.render().into_string(), "{lang:?} {msg:?}");
                }
            }
        }
        // A message that chooses by an argument has no template.
        let c = crate::i18n::Catalog::english();
        assert!(c.template(Lang::Ru, Msg::DashboardSessions, &["count"]).is_none());
        assert!(c.template(Lang::En, Msg::TrafficDayIn, &["day"]).is_none(), "an argument not given");
    }
}
