//! How the CLI lays out the control socket's typed replies: tables for lists, one line for a
//! change, `error CODE: message` on stderr for a failure.

use std::fmt::Write as _;
use std::process::ExitCode;

use crate::control::Reply;

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}

/// The text of a successful reply (empty for a failure).
pub fn render(reply: &Reply) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let o = &mut out;
    match reply {
        Reply::Done(line) => {
            let _ = writeln!(o, "{line}");
        }
        Reply::Users(rows) => {
            let h = ["ID", "EMAIL", "ROLE", "STATUS", "CREATED"];
            let _ = writeln!(o, "{:>5}  {:<40} {:<9} {:<9} {}", h[0], h[1], h[2], h[3], h[4]);
            for u in rows {
                let status = if u.disabled { "disabled" } else { "active" };
                let _ = writeln!(
                    o,
                    "{:>5}  {:<40} {:<9} {:<9} {}",
                    u.id,
                    u.email,
                    u.role,
                    status,
                    u.created_at.display_utc()
                );
            }
        }
        Reply::Templates(rows) => {
            let h = ["ID", "NAME", "OS", "FORMAT", "VIRTUAL", "MIN DISK", "STATUS", "SHA256"];
            let _ = writeln!(
                o,
                "{:>4}  {:<24} {:<8} {:<6} {:>10} {:>8} {:<9} {}",
                h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
            );
            for t in rows {
                let _ = writeln!(
                    o,
                    "{:>4}  {:<24} {:<8} {:<6} {:>10} {:>6}GiB {:<9} {}",
                    t.id,
                    t.name,
                    t.os,
                    t.format,
                    gib(t.virtual_size),
                    t.min_disk_gb,
                    if t.enabled { "enabled" } else { "disabled" },
                    t.sha256
                );
            }
        }
        Reply::Pools(rows) => {
            let h = ["ID", "NAME", "NETWORK", "GATEWAY", "SIZE", "USED", "RESTING", "DNS"];
            let _ = writeln!(
                o,
                "{:>4}  {:<20} {:<22} {:<26} {:>16} {:>8} {:>8}  {}",
                h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
            );
            for p in rows {
                let dns: Vec<String> = p.dns.iter().map(|d| d.to_string()).collect();
                let _ = writeln!(
                    o,
                    "{:>4}  {:<20} {:<22} {:<26} {:>16} {:>8} {:>8}  {}",
                    p.id,
                    p.name,
                    p.network,
                    p.gateway,
                    p.size,
                    p.leased,
                    p.cooling,
                    dns.join(",")
                );
            }
        }
        Reply::Rdns(rows) => {
            let _ = writeln!(o, "; reverse DNS of vpsbox addresses: paste into the reverse zones");
            for r in rows {
                let _ = writeln!(o, "{} 3600 IN PTR {}.", r.reverse, r.name);
            }
        }
        Reply::DbCopies { dir, copies } => {
            let _ = writeln!(o, "automatic copies in {} (newest first)", dir.display());
            for c in copies {
                let mib = c.bytes as f64 / f64::from(1u32 << 20);
                let _ = writeln!(o, "{}  {:>9.1} MiB  {}", c.taken_at.display_utc(), mib, c.path.display());
            }
        }
        Reply::Balance(b) => {
            let cur = &b.currency;
            let _ = writeln!(
                o,
                "{}: balance {} {cur}, this month {} {cur}, {} {cur} an hour now{}",
                b.email,
                b.balance,
                b.month_total,
                b.per_hour,
                if b.suspended { ", SUSPENDED for non-payment" } else { "" }
            );
            for (r, hours, amount) in &b.lines {
                let _ = writeln!(o, "  {r:<24} {hours:>4} h  {amount:>12} {cur}");
            }
        }
        Reply::Prices(rows) => {
            let h = ["ITEM", "MONTHLY", "HOURLY", "NEXT"];
            let _ = writeln!(o, "{:<28} {:>12} {:>10}  {}", h[0], h[1], h[2], h[3]);
            for r in rows {
                let next = r
                    .next
                    .map(|(m, h, from)| format!("{m} / {h} from {}", from.display_utc()))
                    .unwrap_or_default();
                let _ = writeln!(o, "{:<28} {:>12} {:>10}  {next}", r.item, r.monthly, r.hourly);
            }
        }
        Reply::Tokens(rows) => {
            let _ = writeln!(
                o,
                "ID  OWNER                     NAME              KIND      STATE    EXPIRES           LAST USED                             SCOPES"
            );
            for t in rows {
                let expires = t.expires_at.map_or_else(|| "never".to_string(), |e| e.display_utc());
                let used = t
                    .last_used
                    .as_ref()
                    .map_or_else(|| "never".to_string(), |(at, ip)| format!("{} {ip}", at.display_utc()));
                let _ = writeln!(
                    o,
                    "{:<3} {:<25} {:<17} {:<9} {:<8} {:<17} {:<37} {}",
                    t.id, t.owner, t.name, t.kind, t.state, expires, used, t.scopes
                );
            }
        }
        Reply::Windows(rows) => {
            let _ = writeln!(
                o,
                "ID  STARTS                ENDS                  SCOPE         STATE       DESCRIPTION"
            );
            for w in rows {
                let _ = writeln!(
                    o,
                    "{:<3} {}  {}  {:<13} {:<11} {}",
                    w.id,
                    w.starts.display_utc(),
                    w.ends.display_utc(),
                    w.scope,
                    w.state,
                    w.description
                );
            }
        }
        Reply::Incidents(rows) => {
            for i in rows {
                let _ = writeln!(
                    o,
                    "#{} {} [{}] {} since {}{} — {}",
                    i.id,
                    if i.open { "ONGOING" } else { "resolved" },
                    i.severity,
                    i.scope,
                    i.started.display_utc(),
                    i.ended.map(|e| format!(" until {}", e.display_utc())).unwrap_or_default(),
                    i.title
                );
            }
        }
        Reply::Queue(rows) => {
            for q in rows {
                let _ = writeln!(
                    o,
                    "{:<10} {:<9} {:<16} {} — {}",
                    q.label, q.status, q.time_left, q.category, q.subject
                );
            }
        }
        Reply::Report { month, lines, channels } => {
            let _ = writeln!(o, "support report {month}");
            for l in lines {
                let _ = writeln!(
                    o,
                    "{:<44} filed {:>4}  in target {:>4}  late {:>4}  waiting {:>4}  {}",
                    l.category, l.filed, l.in_target, l.late, l.waiting, l.share
                );
            }
            let _ = writeln!(o, "by channel");
            for l in channels {
                let _ = writeln!(
                    o,
                    "{:<44} filed {:>4}  in target {:>4}  late {:>4}  waiting {:>4}  {}",
                    format!("via {}", l.category),
                    l.filed,
                    l.in_target,
                    l.late,
                    l.waiting,
                    l.share
                );
            }
        }
        Reply::Err { .. } => {}
    }
    out
}

/// Print a reply; the exit code says whether it succeeded.
pub fn print_reply(reply: &Reply) -> ExitCode {
    match reply {
        Reply::Err { code, message } => {
            eprintln!("error {code}: {message}");
            ExitCode::FAILURE
        }
        ok => {
            print!("{}", render(ok));
            ExitCode::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::{PtrRow, UserRow};
    use crate::domain::time::Timestamp;

    #[test]
    fn replies_are_laid_out_by_the_cli() {
        let zone = render(&Reply::Rdns(vec![PtrRow {
            reverse: "2.100.51.198.in-addr.arpa.".into(),
            name: "mail.example.com".into(),
        }]));
        assert_eq!(
            zone,
            "; reverse DNS of vpsbox addresses: paste into the reverse zones\n\
             2.100.51.198.in-addr.arpa. 3600 IN PTR mail.example.com.\n"
        );
        let users = render(&Reply::Users(vec![UserRow {
            id: 7,
            email: "a@example.com".into(),
            role: "admin".into(),
            disabled: true,
            created_at: Timestamp::from_secs(0),
        }]));
        let lines: Vec<&str> = users.lines().collect();
        assert!(lines[0].starts_with("   ID  EMAIL"), "{users}");
        assert!(
            lines[1].starts_with("    7  a@example.com") && lines[1].contains("admin     disabled"),
            "{users}"
        );
        assert_eq!(render(&Reply::Done("template x deleted".into())), "template x deleted\n");
        assert_eq!(render(&Reply::Err { code: "X0001".into(), message: "no".into() }), "");
    }
}
