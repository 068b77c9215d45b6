//! The notification centre page: the reader's notices (and the admins' for an admin), newest
//! first, unread ones marked, and "mark all read".

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

use crate::i18n::Msg;
use crate::service::Caller;
use crate::store::notices::Audience;
use crate::web::AppState;
use crate::web::ctx::{Customer, FlashKind, redirect_with_flash};
use crate::web::error::WebError;
use crate::web::form::CsrfForm;
use crate::web::layout::{csrf_field, page};

/// `GET /notifications`.
pub async fn notices_get(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
) -> Result<Response, WebError> {
    let inbox = state.svc.notices.inbox(&Caller::of(s.user.id, s.user.role, ctx.client_ip.to_string()))?;
    let t = |m| ctx.t(m);
    let body = html! {
        h1 { (t(Msg::NoticesTitle)) }
        @if inbox.notices.is_empty() { p.muted { (t(Msg::NoticesNone)) } } @else {
            @if inbox.unread > 0 {
                form.inline method="post" action="/notifications/read" {
                    (csrf_field(&ctx))
                    button.secondary type="submit" { (ctx.fmt(Msg::NoticesMarkRead, &[("n", inbox.unread.into())])) }
                }
            }
            ul.notices {
                @for (n, unread) in &inbox.notices {
                    @let (subject, text) = crate::service::notices::read_in(&ctx.catalog, ctx.lang, n);
                    li class=(if *unread { "notice unread" } else { "notice" }) {
                        div {
                            @if *unread { span.badge.working { (t(Msg::NoticesNew)) } " " }
                            @if n.to == Audience::Admins { span.badge { (t(Msg::NoticesAdmins)) } " " }
                            strong { (subject) }
                            " " span.muted { (ctx.time(n.at)) }
                        }
                        @if !text.is_empty() { p { (text) } }
                        @if let Some(link) = &n.link { a href=(link) { (t(Msg::NoticesOpen)) } }
                    }
                }
            }
        }
    };
    Ok(page(&ctx, t(Msg::NoticesTitle), &[(t(Msg::NoticesTitle), "/notifications")], body).into_response())
}

/// `POST /notifications/read`.
pub async fn notices_read_post(
    State(state): State<AppState>,
    Customer(ctx, s, _): Customer,
    CsrfForm(_): CsrfForm<super::auth::EmptyForm>,
) -> Result<Response, WebError> {
    state.svc.notices.mark_all_read(s.user.id).await?;
    Ok(redirect_with_flash("/notifications", FlashKind::Ok, ctx.t(Msg::NoticesAllRead)))
}
