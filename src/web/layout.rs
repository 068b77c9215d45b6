//! The page shell: head, top bar with navigation, flash message, breadcrumbs, footer.

use axum::http::StatusCode;
use std::fmt::Write as _;

use maud::{DOCTYPE, Markup, html};

use super::assets::stylesheet_url;
use super::ctx::{Ctx, FlashKind};
use crate::domain::account::Role;
use crate::i18n::{Catalog, Lang, Msg};
use crate::service::Coded;

/// Text for a page, escaped, with a fast path for the usual case of nothing to escape (maud's
/// own escaper goes byte by byte; list pages insert thousands of strings per request).
pub struct Text<'a>(pub &'a str);

impl maud::Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        if self.0.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"')) {
            maud::Escaper::new(buffer).write_str(self.0).unwrap_or(());
        } else {
            buffer.push_str(self.0);
        }
    }
}

/// A timestamp as `YYYY-MM-DD HH:MM UTC`, written straight into the page.
pub struct Utc(pub crate::domain::time::Timestamp);

impl maud::Render for Utc {
    fn render_to(&self, buffer: &mut String) {
        self.0.write_utc(buffer);
    }
}

/// Two parts of a page one after the other, rendered into the same buffer.
pub struct Then<A, B>(pub A, pub B);

impl<A: maud::Render, B: maud::Render> maud::Render for Then<A, B> {
    fn render_to(&self, buffer: &mut String) {
        self.0.render_to(buffer);
        self.1.render_to(buffer);
    }
}

/// A breadcrumb trail entry: label and link.
pub type Crumb<'a> = (&'a str, &'a str);

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · vpsbox" }
            link rel="stylesheet" href=(stylesheet_url());
            link rel="icon" href="data:,";
        }
    }
}

fn footer() -> Markup {
    html! { footer { "vpsbox " (crate::VERSION) } }
}

/// A hidden CSRF field for a form, written straight into the page (a page has many forms).
pub fn csrf_field(ctx: &Ctx) -> CsrfField<'_> {
    CsrfField(&ctx.csrf)
}

/// See [`csrf_field`].
pub struct CsrfField<'a>(&'a str);

impl maud::Render for CsrfField<'_> {
    fn render_to(&self, buffer: &mut String) {
        buffer.push_str("<input type=\"hidden\" name=\"csrf\" value=\"");
        Text(self.0).render_to(buffer);
        buffer.push_str("\">");
    }
}

/// What a page's buffer starts with: most pages fit, so it is not regrown while rendering.
const PAGE_BYTES: usize = 24 * 1024;

/// A full page for a request. `body` renders straight into the page's buffer, which is sized
/// for a whole page up front.
pub fn page(ctx: &Ctx, title: &str, crumbs: &[Crumb<'_>], body: impl maud::Render) -> Markup {
    use maud::Render as _;
    let mut out = String::with_capacity(PAGE_BYTES);
    out.push_str("<!DOCTYPE html><html lang=\"");
    out.push_str(ctx.lang.code());
    out.push_str("\">");
    head(title).render_to(&mut out);
    out.push_str("<body>");
    let t = |m| ctx.t(m);
    html! {
        header.topbar { div.inner {
            a.brand href="/" { "vpsbox" }
            nav aria-label=(t(Msg::NavMain)) {
                @if let Some(s) = &ctx.session {
                    a href="/dashboard" { (t(Msg::NavDashboard)) }
                    a href="/vms" { (t(Msg::NavServers)) }
                    a href="/networks" { (t(Msg::NavNetworks)) }
                    a href="/disks" { (t(Msg::NavDisks)) }
                    a href="/backups" { (t(Msg::NavBackups)) }
                    a href="/plans" { (t(Msg::NavPlans)) }
                    a href="/billing" { (t(Msg::NavBilling)) }
                    a href="/support" { (t(Msg::NavSupport)) }
                    a href="/account" { (t(Msg::NavAccount)) }
                    a href="/notifications" aria-label=(ctx.fmt(Msg::NavNoticesLabel, &[("count", ctx.unread.into())])) {
                        (t(Msg::NavNotices)) @if ctx.unread > 0 { " " span.count { (ctx.unread) } }
                    }
                    @if s.user.role == Role::Admin { a href="/admin" { (t(Msg::NavAdmin)) } }
                    span.who { (s.user.email.as_str()) }
                    form method="post" action="/logout" {
                        (csrf_field(ctx))
                        button.link type="submit" { (t(Msg::NavLogOut)) }
                    }
                } @else {
                    a href="/plans" { (t(Msg::NavPlans)) }
                    a href="/status" { (t(Msg::NavStatus)) }
                    a href="/login" { (t(Msg::NavLogIn)) }
                    a href="/signup" { (t(Msg::NavSignUp)) }
                    (super::pages::language::switch(ctx))
                }
            }
        } }
    }
    .render_to(&mut out);
    out.push_str("<main>");
    html! {
        @if !crumbs.is_empty() {
            nav.crumbs aria-label=(ctx.t(Msg::NavBreadcrumb)) {
                @for (i, (label, href)) in crumbs.iter().enumerate() {
                    @if i > 0 { " › " }
                    a href=(href) { (label) }
                }
            }
        }
        @if let Some(f) = &ctx.flash {
            div class={ "flash " (match f.kind { FlashKind::Ok => "ok", FlashKind::Info => "info", FlashKind::Error => "err" }) } role="status" {
                (f.message)
            }
        }
    }
    .render_to(&mut out);
    body.render_to(&mut out);
    out.push_str("</main>");
    html! {
        footer { "vpsbox " (crate::VERSION) @if ctx.session.is_some() { (super::pages::language::switch(ctx)) } }
    }
    .render_to(&mut out);
    out.push_str("</body></html>");
    maud::PreEscaped(out)
}

/// An error page in `lang`; rendered without the rest of the request context, so with neutral
/// navigation.
pub fn error_page(
    catalog: &Catalog,
    lang: Lang,
    status: StatusCode,
    code: &str,
    title: &str,
    message: &str,
) -> Markup {
    let t = |m| catalog.t(lang, m);
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(title))
            body {
                header.topbar { div.inner {
                    a.brand href="/" { "vpsbox" }
                    nav aria-label=(t(Msg::NavMain)) { a href="/dashboard" { (t(Msg::NavDashboard)) } }
                } }
                main { div.narrow {
                    div.panel {
                        h1 { (title) }
                        p { (message) "." }
                        p.code { (catalog.fmt(lang, Msg::ErrorCode, &[("code", code.into())])) " · HTTP " (status.as_u16()) }
                        p { a href="/" { (t(Msg::ErrorBackToStart)) } }
                    }
                } }
                (footer())
            }
        }
    }
}

/// An inline error box for a form: the error's message in the request's language, with its
/// code.
pub fn form_error(ctx: &Ctx, e: &dyn Coded) -> Markup {
    form_error_text(ctx, &ctx.error_text(e), e.code())
}

/// An inline error box for a form with a message of the page's own.
pub fn form_error_text(ctx: &Ctx, message: &str, code: &str) -> Markup {
    html! {
        div.error-box role="alert" {
            (message) "." br; span.code { (ctx.fmt(Msg::ErrorCode, &[("code", code.into())])) }
        }
    }
}
